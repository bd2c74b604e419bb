// Work a deletion committed to do outside the database (stop a wrapper, unlink a blob): what
// waits, what failed and why.
import { useCallback } from 'react';
import type { MonitorAfterCommitWorkQuery } from '../../../client/generated/graphql';
import type { Api } from '../api';
import { Empty, ErrorNote, Section, StateBadge } from '../components';
import { AfterCommitWork } from '../documents';
import { formatAge, formatDateTime, formatTime, label } from '../format';
import { useNow, usePolled } from '../hooks';

const RECENT = 20;
const POLL_MS = 3000;

type Task = MonitorAfterCommitWorkQuery['recent']['edges'][number]['node'];

function TaskTable({ caption, tasks, empty }: { caption: string; tasks: Task[]; empty: string }) {
  return (
    <table aria-label={caption}>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Work</th>
          <th scope="col">For</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Next run / done</th>
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        {tasks.length === 0 && <Empty columns={7}>{empty}</Empty>}
        {tasks.map((t) => (
          <tr key={t.id}>
            <td title={formatDateTime(t.createdAt)}>{formatTime(t.createdAt)}</td>
            <td>{t.kind}</td>
            <td>
              {label(t.backend)} <code>{t.entityId}</code>
            </td>
            <td>
              <StateBadge state={t.state} />
            </td>
            <td>{t.attempts}</td>
            <td>{t.doneAt ? formatTime(t.doneAt) : formatTime(t.runAt)}</td>
            <td className="error-text">{t.lastError ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AfterCommitPanel({ api, allowed }: { api: Api; allowed: boolean }) {
  const load = useCallback(
    async () => (allowed ? api.request(AfterCommitWork, { last: RECENT }) : null),
    [api, allowed],
  );
  const { data, error, refresh } = usePolled(load, POLL_MS);
  const now = useNow();
  const failed = [...(data?.failed.edges.map((e) => e.node) ?? [])].reverse();
  const recent = [...(data?.recent.edges.map((e) => e.node) ?? [])].reverse();
  const oldestPending = data?.oldestPending.edges[0]?.node;
  return (
    <Section title="After-commit work" needs={['admin']} allowed={allowed}>
      <ErrorNote error={error} onRetry={() => void refresh()} />
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
      {failed.length > 0 && <TaskTable caption="Failed work" tasks={failed} empty="" />}
      <TaskTable caption="Recent work" tasks={recent} empty="No after-commit work yet." />
    </Section>
  );
}
