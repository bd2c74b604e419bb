// The dataset purge schedule (seed 003): the next run, the last runs, and a run now.
import { useCallback, useState } from 'react';
import type { MonitorPurgeNowMutation } from '../../../client/generated/graphql';
import { type Api, ApiError } from '../api';
import { Empty, ErrorNote, Section } from '../components';
import { NextPurge, PurgeNow, PurgeRuns } from '../documents';
import { formatBytes, formatDateTime, formatRelative } from '../format';
import { useNow, usePolled } from '../hooks';

const RUNS = 5;

type Report = MonitorPurgeNowMutation['purgeExpiredDatasets'];

export function PurgePanel({ api, allowed }: { api: Api; allowed: boolean }) {
  const next = usePolled(
    useCallback(async () => (allowed ? (await api.request(NextPurge, {})).nextPurgeAt : null), [api, allowed]),
    30_000,
  );
  const runs = usePolled(
    useCallback(async () => (allowed ? (await api.request(PurgeRuns, { first: RUNS })).purgeRuns : []), [api, allowed]),
    10_000,
  );
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const now = useNow();

  const purgeNow = async () => {
    setConfirming(false);
    setBusy(true);
    setActionError(null);
    try {
      setReport((await api.request(PurgeNow, {})).purgeExpiredDatasets);
      await Promise.all([runs.refresh(), next.refresh()]);
    } catch (err) {
      setActionError(err instanceof ApiError ? err : new ApiError(String(err), null));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section
      title="Dataset purge"
      needs={['admin']}
      allowed={allowed}
      actions={
        confirming ? (
          <span className="confirm">
            Hard-delete every dataset marked for deletion now?
            <button type="button" className="danger" onClick={() => void purgeNow()}>
              Purge
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
            {busy ? 'Purging…' : 'Purge now'}
          </button>
        )
      }
    >
      <ErrorNote error={next.error ?? actionError} />
      {report && (
        <p role="status" className="notice">
          Purged {report.datasets} dataset(s): {report.items} items, {report.keys} keys, {report.vectors} vectors,{' '}
          {formatBytes(report.blobBytes)} of files in {report.durationMs} ms.
        </p>
      )}
      <dl className="summary">
        <dt>Next scheduled run</dt>
        <dd>
          {next.data
            ? `${formatDateTime(next.data)} (${formatRelative(next.data, now)})`
            : next.loaded
              ? 'none: the schedule is off (PURGE_CRON=off)'
              : '…'}
        </dd>
      </dl>
      <h3>Last runs</h3>
      <ErrorNote error={runs.error} />
      <table aria-label="Last purge runs">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
            <th scope="col">Datasets</th>
            <th scope="col">Items / keys / vectors</th>
            <th scope="col">Files</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {runs.data?.length === 0 && <Empty columns={6}>No purge has run yet.</Empty>}
          {runs.data?.map((run) => (
            <tr key={run.id}>
              <td>{formatDateTime(run.startedAt)}</td>
              <td>
                {run.finishedAt
                  ? `${new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()} ms`
                  : 'running'}
              </td>
              <td>{run.datasets}</td>
              <td>
                {run.items} / {run.keys} / {run.vectors}
              </td>
              <td>{formatBytes(run.blobBytes)}</td>
              <td className="error-text">{run.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
