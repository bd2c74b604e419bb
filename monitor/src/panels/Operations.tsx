// Image delete operations: the recent ones (polled), each unfinished one followed live by
// `operationUpdated`, whose every change moves its progress bar.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MonitorOperationUpdatedSubscription } from '../../../client/generated/graphql';
import type { Api, ApiError } from '../api';
import { Empty, ErrorNote, Section } from '../components';
import { OperationUpdated, RecentOperations } from '../documents';
import { formatDateTime, formatTime } from '../format';
import { usePolled } from '../hooks';

type Operation = MonitorOperationUpdatedSubscription['operationUpdated'];

const SHOWN = 10;
const POLL_MS = 2000;

/** The later of two states of one operation (versions number its changes). */
const newer = (a: Operation | undefined, b: Operation) => (a && a.version >= b.version ? a : b);

function status(op: Operation): string {
  if (!op.isStarted) return 'queued';
  if (!op.isFinished) return 'running';
  if (op.numBad === 0) return 'finished';
  return op.numGood === 0 ? 'failed' : `finished, ${op.numBad} failed`;
}

function OperationRow({ op }: { op: Operation }) {
  const done = op.numGood + op.numBad;
  const percent = op.numTotal ? Math.floor((100 * done) / op.numTotal) : 100;
  return (
    <tr aria-label={`Operation ${op.id}`}>
      <td>
        <code>{op.id}</code>
        {op.doUrgent && <span className="badge">urgent</span>}
        {op.doStrict && <span className="badge">strict</span>}
      </td>
      <td title={formatDateTime(op.createdAt)}>{formatTime(op.createdAt)}</td>
      <td>{status(op)}</td>
      <td className="progress">
        <progress max={op.numTotal} value={done} aria-label={`Progress of ${op.id}`} />
        <span className="percent">{percent}%</span>
      </td>
      <td>
        {done} / {op.numTotal}
        {op.numBad > 0 && <span className="bad"> ({op.numBad} failed)</span>}
      </td>
    </tr>
  );
}

export function OperationsPanel({ api, allowed }: { api: Api; allowed: boolean }) {
  const load = useCallback(
    async () => (allowed ? (await api.request(RecentOperations, { last: SHOWN })).operations.edges : []),
    [api, allowed],
  );
  const { data, error, refresh } = usePolled(load, POLL_MS);
  const [live, setLive] = useState<Record<string, Operation>>({});
  const [liveError, setLiveError] = useState<ApiError | null>(null);
  const following = useRef(new Map<string, () => void>());

  // Follow each unfinished operation the list shows until its finished state arrives.
  useEffect(() => {
    for (const { node } of data ?? []) {
      if (node.isFinished || following.current.has(node.id)) continue;
      const stop = api.subscribe(
        OperationUpdated,
        { id: node.id },
        {
          next: ({ operationUpdated }) =>
            setLive((current) => ({
              ...current,
              [operationUpdated.id]: newer(current[operationUpdated.id], operationUpdated),
            })),
          error: setLiveError,
          complete: () => following.current.delete(node.id),
        },
      );
      following.current.set(node.id, stop);
    }
  }, [api, data]);

  useEffect(() => {
    const subscriptions = following.current;
    return () => {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
    };
  }, []);

  // Newest first, each in its latest known state (a push may be ahead of the last poll, or behind it).
  const shown = [...(data ?? [])].reverse().map(({ node }) => newer(live[node.id], node));

  return (
    <Section title="Image operations" needs={['images:delete', 'admin']} allowed={allowed}>
      <ErrorNote error={error ?? liveError} onRetry={() => void refresh()} />
      <table>
        <thead>
          <tr>
            <th scope="col">Operation</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Elements</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && <Empty columns={5}>No operations yet.</Empty>}
          {shown.map((op) => (
            <OperationRow key={op.id} op={op} />
          ))}
        </tbody>
      </table>
    </Section>
  );
}
