// Seed 003's purge: every dataset marked when a run starts is hard-deleted with its items, keys
// and vectors, a few datasets per short transaction, and its file's blob is unlinked after commit.

import type { Principal } from '../auth/scopes.js';
import { blobDeleteTaskSql } from '../blobs/after-commit.js';
import type { PrismaClient } from '../db/client.js';
import type { ExclusiveRuns } from '../db/exclusive-runs.js';
import { Prisma } from '../db/generated/client.js';
import type { Failpoints } from '../failpoints.js';
import { newUuidV7 } from '../ids.js';
import type { Logger } from '../logger.js';
import { ConflictError } from './errors.js';
import {
  afterDeletionCommit,
  type DeletedColumns,
  type DeletionKind,
  deletionSideEffectsSql,
  type PendingDeletion,
  type PipelineDeps,
} from './pipeline.js';

export interface PurgeDeps {
  prisma: PrismaClient;
  pipeline: PipelineDeps;
  exclusive: ExclusiveRuns;
  failpoints: Failpoints;
  log: Logger;
  instanceId: string;
  /** PURGE_BATCH_ROWS: rows one transaction removes at most (a dataset is never split) */
  batchRows: number;
  /** aborted when the gateway shuts down: a run ends after its batch in progress, the next run goes on */
  shutdown: AbortSignal;
  /** told how each run ended (metrics); absent: nobody counts */
  observer?: PurgeObserver;
}

/** How a purge run ended: `stopped` by a shutdown between batches, `skipped` while another instance purged. */
export type PurgeOutcome = 'completed' | 'stopped' | 'failed' | 'skipped';

export interface PurgeObserver {
  /** `durationMs`: how long the run took; null when it was skipped */
  ran(outcome: PurgeOutcome, durationMs: number | null): void;
}

export interface PurgeCounts {
  datasets: number;
  items: number;
  keys: number;
  vectors: number;
  blobBytes: number;
}

export interface PurgeReport extends PurgeCounts {
  runId: string;
  durationMs: number;
}

export interface PurgeRun extends PurgeCounts {
  id: string;
  instanceId: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

/** The advisory lock key of purge runs (any fixed bigint the other locks do not use). */
const PURGE_LOCK = 3_003_003_003n;
/** How long an asked-for run waits for another instance's run to finish. */
const ASKED_RUN_WAIT_MS = 120_000;
/** Datasets one batch considers at most: bounds the locked set when datasets are tiny. */
const MAX_DATASETS_PER_BATCH = 500;
export const STOPPED = 'stopped: the gateway shut down between batches; the next run goes on';
export const INTERRUPTED = 'interrupted: the process running it stopped before it finished; the next run took over';

/**
 * Runs the purge now, unless another run holds the lock: a scheduled run (`waitMs` 0) then
 * skips (null), an asked-for one waits for it and then runs, finding what is left. With a
 * workspace, only that workspace's marked datasets are purged.
 */
export async function purgeExpiredDatasets(
  deps: PurgeDeps,
  waitMs = ASKED_RUN_WAIT_MS,
  workspaceId: string | null = null,
): Promise<PurgeReport | null> {
  const outcome = await deps.exclusive.run(PURGE_LOCK, waitMs, () => observedRun(deps, workspaceId));
  if (!outcome.ran) deps.observer?.ran('skipped', null);
  return outcome.ran ? outcome.value : null;
}

async function observedRun(deps: PurgeDeps, workspaceId: string | null): Promise<PurgeReport> {
  const started = Date.now();
  try {
    const report = await runPurge(deps, workspaceId);
    deps.observer?.ran(deps.shutdown.aborted ? 'stopped' : 'completed', report.durationMs);
    return report;
  } catch (err) {
    deps.observer?.ran('failed', Date.now() - started);
    throw err;
  }
}

/**
 * For purgeExpiredDatasets (the mutation): a typed error while another instance keeps the lock.
 * A platform key purges every workspace, as the schedule does; any other key its own workspace
 * only, so it cannot cut short another workspace's time to restore, nor learn its counts.
 */
export async function purgeNow(deps: PurgeDeps, principal: Principal): Promise<PurgeReport | ConflictError> {
  const workspaceId = principal.scopes.has('platform') ? null : principal.workspaceId;
  return (
    (await purgeExpiredDatasets(deps, ASKED_RUN_WAIT_MS, workspaceId)) ??
    new ConflictError('Another instance has been purging for over two minutes; its run goes on, ask again later')
  );
}

async function runPurge(deps: PurgeDeps, workspaceId: string | null): Promise<PurgeReport> {
  const { prisma, shutdown } = deps;
  const started = Date.now();
  // The lock is ours, so an unfinished run is one whose process died.
  const interrupted = await prisma.$executeRaw`
    UPDATE purge_run SET error = ${INTERRUPTED} WHERE finished_at IS NULL AND error IS NULL`;
  if (interrupted) deps.log.warn({ interrupted }, 'an earlier purge run was interrupted; this run finishes its work');
  const runId = newUuidV7();
  await prisma.$executeRaw`
    INSERT INTO purge_run (id, instance_id, started_at) VALUES (${runId}::uuid, ${deps.instanceId}, date_trunc('milliseconds', now()))`;
  const total: PurgeCounts = { datasets: 0, items: 0, keys: 0, vectors: 0, blobBytes: 0 };
  try {
    // A batch's files are unlinked while the next batch's statement runs.
    let unlinking: Promise<void> = Promise.resolve();
    for (let batch = 0; ; batch++) {
      const statementStarted = performance.now();
      const purged = await purgeBatch(deps, runId, workspaceId);
      const statementMs = performance.now() - statementStarted;
      await unlinking;
      if (purged.rows.length === 0) break;
      deps.log.debug({ runId, batch, ...purged.counts, statementMs: Math.round(statementMs) }, 'purge batch committed');
      for (const k of Object.keys(total) as (keyof PurgeCounts)[]) total[k] += purged.counts[k];
      unlinking = unlinkPurgedFiles(deps, purged.rows);
      if (batch === 0) {
        await unlinking;
        deps.failpoints.hit('between-purge-batches');
      }
      if (shutdown.aborted) break;
    }
    await unlinking;
    const error = shutdown.aborted ? STOPPED : null;
    await prisma.$executeRaw`UPDATE purge_run SET finished_at = now(), error = ${error} WHERE id = ${runId}::uuid`;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await prisma.$executeRaw`UPDATE purge_run SET finished_at = now(), error = ${message} WHERE id = ${runId}::uuid`.catch(
      (e) => deps.log.error({ err: e }, 'could not record the failure of a purge run'),
    );
    throw err;
  }
  const report = { runId, ...total, durationMs: Date.now() - started };
  deps.log.info(report, 'purged expired datasets');
  return report;
}

interface PurgedRow extends DeletedColumns {
  items: number;
  keys: number;
  vectors: number;
  blob_bytes: bigint;
}

/**
 * One transaction: the oldest marked datasets (at least one, then as many as fit in
 * `batchRows` rows) go whole, with their rows, one PURGED event each, a blob.delete each, and
 * the run's counts. Datasets another transaction holds (a restore) are skipped, not waited for.
 */
async function purgeBatch(
  deps: PurgeDeps,
  runId: string,
  workspaceId: string | null,
): Promise<{ rows: PendingDeletion<PurgedRow>[]; counts: PurgeCounts }> {
  const rows = await deps.prisma.$queryRaw<PendingDeletion<PurgedRow>[]>(purgeBatchSql(deps, runId, workspaceId));
  return {
    rows,
    counts: {
      datasets: rows.length,
      items: sum(rows, (r) => r.items),
      keys: sum(rows, (r) => r.keys),
      vectors: sum(rows, (r) => r.vectors),
      blobBytes: sum(rows, (r) => Number(r.blob_bytes)),
    },
  };
}

/** What a purge records for each dataset it removes. */
const PURGED: DeletionKind = { backend: 'DATASET', eventKind: 'PURGED', queue: null };

/** The statement of one batch (exported for EXPLAIN in investigations). */
export function purgeBatchSql(
  deps: Pick<PurgeDeps, 'instanceId' | 'batchRows'>,
  runId: string,
  workspaceId: string | null = null,
): Prisma.Sql {
  const ctes = Prisma.sql`
    run AS (SELECT id, started_at FROM purge_run WHERE id = ${runId}::uuid),
    -- skipped, not waited for: a dataset another transaction holds (a restore) waits for the next run
    locked AS (
      SELECT d.id, d.expires_at, d.item_count + d.key_count + d.vector_count + 1 AS row_count
        FROM dataset d CROSS JOIN run
       WHERE d.expires_at <= run.started_at
         AND (${workspaceId}::text IS NULL OR d.workspace_id = ${workspaceId}::text)
       ORDER BY d.expires_at, d.id
       LIMIT ${MAX_DATASETS_PER_BATCH}
         FOR UPDATE OF d SKIP LOCKED),
    chosen AS (
      SELECT id FROM (SELECT id, sum(row_count) OVER (ORDER BY expires_at, id) - row_count AS rows_before FROM locked) x
       WHERE rows_before < ${deps.batchRows}),
    ds AS (
      DELETE FROM dataset d USING chosen c WHERE d.id = c.id
      RETURNING d.id, d.workspace_id, d.file_size, d.blob_key),
    -- = ANY(ARRAY(...)), not a join: the planner cannot size a CTE and would scan whole tables
    gone_items AS (DELETE FROM dataset_item x WHERE x.dataset_id = ANY(ARRAY(SELECT id FROM ds)) RETURNING x.dataset_id),
    gone_keys AS (DELETE FROM dataset_key x WHERE x.dataset_id = ANY(ARRAY(SELECT id FROM ds)) RETURNING x.dataset_id),
    gone_vectors AS (DELETE FROM dataset_vector x WHERE x.dataset_id = ANY(ARRAY(SELECT id FROM ds)) RETURNING x.dataset_id),
    -- counted from what was deleted, not from the dataset's own counts
    counted AS (
      SELECT ds.id, ds.workspace_id, ds.file_size, ds.blob_key,
             coalesce(i.n, 0) AS items, coalesce(k.n, 0) AS keys, coalesce(v.n, 0) AS vectors
        FROM ds
        LEFT JOIN (SELECT dataset_id, count(*)::int AS n FROM gone_items GROUP BY dataset_id) i ON i.dataset_id = ds.id
        LEFT JOIN (SELECT dataset_id, count(*)::int AS n FROM gone_keys GROUP BY dataset_id) k ON k.dataset_id = ds.id
        LEFT JOIN (SELECT dataset_id, count(*)::int AS n FROM gone_vectors GROUP BY dataset_id) v ON v.dataset_id = ds.id),
    deleted AS (
      SELECT (row_number() OVER (ORDER BY c.id))::int AS ord, c.id AS entity_id, c.workspace_id,
             json_build_object('runId', ${runId}::text, 'items', c.items, 'keys', c.keys, 'vectors', c.vectors,
                               'blobBytes', c.file_size)::text AS event_data,
             NULL::text AS message, false AS message_held, jsonb_build_array(${blobDeleteTaskSql('c.blob_key')}) AS tasks,
             c.items, c.keys, c.vectors, c.file_size AS blob_bytes
        FROM counted c)`;
  // The run's counts are written by the batch itself: an interrupted run keeps what it did.
  const progress = Prisma.sql`
    progress AS (
      UPDATE purge_run SET datasets = datasets + (SELECT count(*) FROM deleted),
                           items = items + (SELECT coalesce(sum(items), 0) FROM deleted),
                           keys = keys + (SELECT coalesce(sum(keys), 0) FROM deleted),
                           vectors = vectors + (SELECT coalesce(sum(vectors), 0) FROM deleted),
                           blob_bytes = blob_bytes + (SELECT coalesce(sum(blob_bytes), 0) FROM deleted)
       WHERE id = ${runId}::uuid)`;
  return Prisma.sql`
    WITH ${deletionSideEffectsSql(PURGED, deps.instanceId, ctes, {
      fromRequests: false,
      more: progress,
    })}`;
}

/**
 * After a batch committed: its blob.delete tasks, run at once. Never rejects: the tasks are rows,
 * and whatever fails here the after-commit worker retries.
 */
async function unlinkPurgedFiles(deps: PurgeDeps, rows: PendingDeletion<PurgedRow>[]): Promise<void> {
  try {
    const done = await afterDeletionCommit(deps.pipeline, PURGED, rows);
    const unfinished = done.flatMap((d) => d.tasks).filter((t) => t.outcome !== 'done').length;
    if (unfinished) deps.log.warn({ unfinished }, 'blobs of purged datasets are left to the after-commit worker');
  } catch (err) {
    deps.log.warn({ err }, 'blobs of purged datasets are left to the after-commit worker');
  }
}

const sum = <T>(rows: T[], pick: (r: T) => number) => rows.reduce((n, r) => n + pick(r), 0);

/** The latest runs first. */
export async function listPurgeRuns(prisma: PrismaClient, first: number): Promise<PurgeRun[]> {
  const runs = await prisma.purgeRun.findMany({ orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], take: first });
  return runs.map((r) => ({ ...r, blobBytes: Number(r.blobBytes) }));
}

/** Whether a run died before it finished (then the next start runs the purge at once). */
export async function hasInterruptedRun(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.purgeRun.count({ where: { finishedAt: null, error: null } })) > 0;
}
