// The deletion pipeline every backend shares: one statement per batch with its event, message and after-commit work.
import type { PrismaClient } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { DeletionBackend, DeletionEventKind } from '../db/generated/enums.js';
import type { CommitSignals } from '../events/commit-signals.js';
import { appendDeletionEventsSql } from '../events/event-log.js';
import { enqueueMessagesSql } from '../events/outbox.js';
import type { FailpointName, Failpoints } from '../failpoints.js';
import { newUuidV7 } from '../ids.js';
import {
  type AfterCommitTaskSpec,
  type AfterCommitWorker,
  type ScheduledTaskRow,
  scheduleTasksSql,
  type TaskOutcome,
} from '../jobs/after-commit.js';
import { MicroBatcher } from './batcher.js';

/** What a caller asks to delete: an entity of a workspace, plus what the backend needs to know. */
export interface DeletionRequest {
  workspaceId: string;
  id: string;
  /** backend-specific arguments, available to its statement as `req.args` (jsonb) */
  args?: Record<string, unknown>;
}

/**
 * The columns a backend's `deleted` CTE gives, one row per deleted (or marked) entity; the
 * pipeline builds the event, the queue message and the after-commit work from them. A
 * backend's own extra columns come back to it untouched.
 */
export interface DeletedColumns {
  /** the request's position in the batch (`req.ord`) */
  ord: number;
  entity_id: string;
  workspace_id: string;
  /** the event's `data`, JSON text */
  event_data: string;
  /** the broker message body (JSON text); null: no message */
  message: string | null;
  /** true: the message waits until after-commit work releases it (releaseMessage) */
  message_held: boolean;
  /** outside work to do after commit (jsonb array of AfterCommitTaskSpec), or null */
  tasks: AfterCommitTaskSpec[] | null;
}

/** What a backend supplies: only its own rows. */
export interface BackendDeletion {
  backend: DeletionBackend;
  eventKind: DeletionEventKind;
  /** the broker queue its messages go to; null: the backend has no queue */
  queue: string | null;
  /**
   * Comma-separated CTEs that delete or mark the backend's rows for the requests in `req`
   * (columns `ord`, `id`, `workspace_id`, `message_id`, `args`), the last one named `deleted`
   * with the DeletedColumns. A request that matches nothing (absent, another workspace's,
   * already deleted) yields no row. `requests` lets the statement bind its own parameters.
   */
  statement(requests: DeletionRequest[]): Prisma.Sql;
  /** the failpoint between commit and after-commit work, for crash tests */
  afterCommitFailpoint?: FailpointName;
}

export interface Deleted<Row> {
  row: Row;
  /** the after-commit work this deletion scheduled and how running it at once went */
  tasks: { id: bigint; outcome: TaskOutcome }[];
}

export interface PipelineDeps {
  prisma: PrismaClient;
  signals: CommitSignals;
  worker: AfterCommitWorker;
  failpoints: Failpoints;
  /** this instance: the after-commit work it may do is scheduled claimed by it */
  instanceId: string;
}

export type RowWithTasks<Row> = Row & { scheduled: ScheduledTaskRow[] };

/**
 * A backend's deleter. Concurrent deletions share one statement (MicroBatcher): one
 * transaction deletes the rows, appends their events, queues their messages and schedules
 * their after-commit work. After commit the live tails and relays are woken, and the
 * deletion's own after-commit work is run at once so the answer comes after it (the worker
 * finishes whatever this could not: another instance's work, failures, a crash).
 */
export class Deleter<Row extends DeletedColumns> {
  private readonly batcher: MicroBatcher<DeletionRequest, RowWithTasks<Row> | null>;

  constructor(
    private readonly deps: PipelineDeps,
    /** its `deleted` CTE's columns are Row's */
    private readonly backend: BackendDeletion,
  ) {
    this.batcher = new MicroBatcher((requests) => this.runStatement(requests));
  }

  /** Deletes one entity; null when there was nothing to delete. */
  async delete(request: DeletionRequest): Promise<Deleted<Row> | null> {
    const found = await this.batcher.call(request);
    if (!found) return null;
    const [done] = await afterDeletionCommit(this.deps, this.backend, [found]);
    return done!;
  }

  /**
   * One statement for a batch. Requests are de-duplicated (the first of two asks for the same
   * entity wins, the second finds it gone, as if they had run one after the other) and ordered
   * by id, so concurrent batches lock rows in the same order and cannot deadlock each other.
   */
  private async runStatement(requests: DeletionRequest[]): Promise<(RowWithTasks<Row> | null)[]> {
    const keyOf = (r: DeletionRequest) => `${r.workspaceId}\u0000${r.id}`;
    const first = new Map<string, number>();
    for (const [i, r] of requests.entries()) if (!first.has(keyOf(r))) first.set(keyOf(r), i);
    const unique = [...first.values()]
      .map((i) => requests[i]!)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rows = await this.deps.prisma.$queryRaw<RowWithTasks<Row>[]>`
      WITH req AS (
        SELECT * FROM unnest(${unique.map((_, i) => i)}::int[], ${unique.map((r) => r.id)}::text[],
                             ${unique.map((r) => r.workspaceId)}::text[], ${unique.map(() => newUuidV7())}::uuid[],
                             ${unique.map((r) => JSON.stringify(r.args ?? {}))}::jsonb[])
                   AS req(ord, id, workspace_id, message_id, args)),
      ${deletionSideEffectsSql(this.backend, this.deps.instanceId, this.backend.statement(unique), { fromRequests: true })}`;
    const byKey = new Map(rows.map((row) => [`${row.workspace_id}\u0000${row.entity_id}`, row]));
    return requests.map((r, i) => (first.get(keyOf(r)) === i ? (byKey.get(keyOf(r)) ?? null) : null));
  }
}

/** What the pipeline records for each row a backend deleted or marked: its event, message and work. */
export type DeletionKind = Pick<BackendDeletion, 'backend' | 'eventKind' | 'queue'>;

/**
 * The rest of a deletion statement after a backend's CTEs (which end in `deleted`): the events,
 * queue messages and after-commit rows of every `deleted` row, then `deleted` with the work it
 * scheduled (`scheduled`). `fromRequests`: the statement has a `req` CTE whose message ids the
 * messages take; otherwise they are generated. `more`: CTEs of the caller's that see `deleted`.
 */
export function deletionSideEffectsSql(
  kind: DeletionKind,
  instanceId: string,
  backendCtes: Prisma.Sql,
  opts: { fromRequests: boolean; more?: Prisma.Sql },
): Prisma.Sql {
  const { backend, eventKind, queue } = kind;
  return Prisma.sql`
      ${backendCtes},
      facts AS (${
        opts.fromRequests
          ? Prisma.sql`SELECT d.*, req.message_id FROM deleted d JOIN req ON req.ord = d.ord`
          : Prisma.sql`SELECT d.*, gen_random_uuid() AS message_id FROM deleted d`
      }),
      e AS (${appendDeletionEventsSql(backend, eventKind, 'facts')}),
      ${queue ? Prisma.sql`q AS (${enqueueMessagesSql(queue, 'facts')}),` : Prisma.empty}
      ${opts.more ? Prisma.sql`${opts.more},` : Prisma.empty}
      t AS (${scheduleTasksSql(backend, 'facts', instanceId)})
      SELECT d.*, coalesce((SELECT jsonb_agg(to_jsonb(t) || jsonb_build_object('id', t.id::text) ORDER BY t.id)
                          FROM t WHERE t.entity_id = d.entity_id), '[]')
               AS scheduled
        FROM deleted d ORDER BY d.ord`;
}

/**
 * After a deletion statement committed: wakes the live tails and relays, then runs the work it
 * scheduled for this instance at once, so the caller answers after it (the worker finishes
 * what this could not: another instance's work, failures, a crash).
 */
export async function afterDeletionCommit<Row extends DeletedColumns>(
  deps: PipelineDeps,
  backend: Pick<BackendDeletion, 'afterCommitFailpoint'>,
  found: RowWithTasks<Row>[],
): Promise<Deleted<Row>[]> {
  if (found.length === 0) return [];
  deps.signals.committed();
  if (backend.afterCommitFailpoint) deps.failpoints.hit(backend.afterCommitFailpoint);
  const mine = found.flatMap((f) => f.scheduled.filter((t) => t.claimed));
  const outcomes = await deps.worker.runClaimed(
    mine.map((t) => ({
      id: BigInt(t.id),
      kind: t.kind,
      payload: t.payload,
      entityId: t.entity_id,
      workspaceId: t.workspace_id,
      attempts: t.attempts,
    })),
  );
  const outcomeOf = new Map(mine.map((t, i) => [String(t.id), outcomes[i]!]));
  return found.map(({ scheduled, ...row }) => ({
    row: row as unknown as Row,
    tasks: scheduled.map((t) => ({ id: BigInt(t.id), outcome: outcomeOf.get(String(t.id)) ?? 'not-claimed' })),
  }));
}
