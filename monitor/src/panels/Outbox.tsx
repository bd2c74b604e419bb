// The outbox of the resource deletion queue: recent messages with their states, the oldest one
// still waiting, and the FAILED ones, which an admin gives back to the relay.
import { useCallback, useState } from 'react';
import type { MonitorOutboxQuery } from '../../../client/generated/graphql';
import { type Api, ApiError } from '../api';
import { Empty, ErrorNote, Section, StateBadge } from '../components';
import { Outbox, RetryFailedMessages } from '../documents';
import { formatAge, formatDateTime, formatJson, formatTime } from '../format';
import { useNow, usePolled } from '../hooks';

const QUEUE = 'resource.deletion';
const RECENT = 20;
const POLL_MS = 2000;

type Message = MonitorOutboxQuery['recent']['edges'][number]['node'];

function MessageRows({
  messages,
  empty,
  onRetry,
  busy = false,
}: {
  messages: Message[];
  empty: string;
  onRetry?: (id: string) => void;
  busy?: boolean;
}) {
  const columns = onRetry ? 7 : 6;
  return (
    <>
      {messages.length === 0 && <Empty columns={columns}>{empty}</Empty>}
      {messages.map((m) => (
        <tr key={m.id} aria-label={`Message ${m.id}`}>
          <td title={formatDateTime(m.createdAt)}>{formatTime(m.createdAt)}</td>
          <td>
            <StateBadge state={m.state} />
          </td>
          <td>{m.attempts}</td>
          <td>
            <code className="data">{formatJson(m.body)}</code>
          </td>
          <td className="error-text">{m.lastError ?? ''}</td>
          <td>{m.sentAt ? formatTime(m.sentAt) : ''}</td>
          {onRetry && (
            <td>
              <button type="button" disabled={busy} onClick={() => onRetry(m.id)}>
                Retry
              </button>
            </td>
          )}
        </tr>
      ))}
    </>
  );
}

function Head({ action }: { action?: boolean }) {
  return (
    <thead>
      <tr>
        <th scope="col">Created</th>
        <th scope="col">State</th>
        <th scope="col">Attempts</th>
        <th scope="col">Body</th>
        <th scope="col">Last error</th>
        <th scope="col">Sent</th>
        {action && <th scope="col">Action</th>}
      </tr>
    </thead>
  );
}

export function OutboxPanel({ api, allowed }: { api: Api; allowed: boolean }) {
  const load = useCallback(
    async () => (allowed ? api.request(Outbox, { queue: QUEUE, last: RECENT }) : null),
    [api, allowed],
  );
  const { data, error, refresh } = usePolled(load, POLL_MS);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const now = useNow();

  const retry = async (ids: string[] | null) => {
    setBusy(true);
    setActionError(null);
    try {
      const { retryFailedQueueMessages } = await api.request(RetryFailedMessages, { queue: QUEUE, ids });
      setNotice(`${retryFailedQueueMessages.retried} message(s) given back to the relay.`);
      await refresh();
    } catch (err) {
      setActionError(err instanceof ApiError ? err : new ApiError(String(err), null));
    } finally {
      setBusy(false);
    }
  };

  const failed = data?.failed.edges.map((e) => e.node) ?? [];
  const recent = [...(data?.recent.edges.map((e) => e.node) ?? [])].reverse();
  const oldestPending = data?.oldestPending.edges[0]?.node;

  return (
    <Section
      title={`Outbox: ${QUEUE}`}
      needs={['admin']}
      allowed={allowed}
      actions={
        <button type="button" disabled={busy || failed.length === 0} onClick={() => void retry(null)}>
          Retry all failed
        </button>
      }
    >
      <ErrorNote error={error ?? actionError} onRetry={() => void refresh()} />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <dl className="summary">
        <dt>Failed</dt>
        <dd>{data ? (failed.length >= 100 ? '100 or more' : failed.length) : '…'}</dd>
        <dt>Oldest waiting</dt>
        <dd>
          {oldestPending
            ? `${formatAge(oldestPending.createdAt, now)} (since ${formatDateTime(oldestPending.createdAt)})`
            : 'none'}
        </dd>
      </dl>
      <h3>Failed messages</h3>
      <table aria-label="Failed messages">
        <Head action />
        <tbody>
          <MessageRows messages={failed} empty="No failed messages." onRetry={(id) => void retry([id])} busy={busy} />
        </tbody>
      </table>
      <h3>Recent messages</h3>
      <table aria-label="Recent messages">
        <Head />
        <tbody>
          <MessageRows messages={recent} empty="No messages yet." />
        </tbody>
      </table>
    </Section>
  );
}
