// The deletion pipeline every backend shares: one statement per batch with its event, message and after-commit work.
import type { Db, PrismaClient } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { DeletionBackend, DeletionEventKind } from '../db/generated/enums.js';
import type { PreparedStatements } from '../db/prepared.js';
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
import { type IdempotencyKey, recordKeySql } from './idempotency.js';

/** What a caller asks to delete: an entity of a workspace, plus what the backend needs to know. */
export interface DeletionRequest {
  workspaceId: string;
  id: string;
  /** backend-specific arguments, available to its statement as `req.args` (jsonb) */
  args?: Record<string, unknown>;
  /**
   * Recorded in the deleting statement with the deleted row as its answer (see
   * idempotency.ts); such a request runs in a statement of its own, never batched.
   */
  idempotency?: IdempotencyKey | null;
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
  /** runs the shared batch statements as prepared statements (PostgreSQL); null: through Prisma */
  prepared: PreparedStatements | null;
  signals: CommitSignals;
  worker: AfterCommitWorker;
  failpoints: Failpoints;
  /** this instance: the after-commit work it may do is scheduled claimed by it */
  instanceId: string;
  /** told of every committed deletion (metrics); absent: nobody counts */
  observer?: DeletionObserver;
}

/** Learns how many entities each committed deletion statement deleted, marked or restored. */
export interface DeletionObserver {
  committed(kind: Pick<BackendDeletion, 'backend' | 'eventKind'>, count: number): void;
}

/** A deletion made in a caller's transaction: after that commits, hand it to `Deleter.committed`. */
export type PendingDeletion<Row> = Row & { scheduled: ScheduledTaskRow[] };

/**
 * A backend's deleter. Concurrent deletions share one statement (MicroBatcher): one
 * transaction deletes the rows, appends their events, queues their messages and schedules
 * their after-commit work. After commit the live tails and relays are woken, and the
 * deletion's own after-commit work is run at once so the answer comes after it (the worker
 * finishes whatever this could not: another instance's work, failures, a crash). A caller
 * that deletes many entities as one unit of its own (an operation's batch, a strict
 * operation's whole list) uses `deleteInTransaction` and `committed` instead.
 */
export class Deleter<Row extends DeletedColumns> {
  private readonly batcher: MicroBatcher<DeletionRequest, PendingDeletion<Row> | null>;

  constructor(
    private readonly deps: PipelineDeps,
    /** its `deleted` CTE's columns are Row's */
    private readonly backend: BackendDeletion,
  ) {
    const { prisma, prepared } = deps;
    // The hot path: one statement text per backend, so PostgreSQL plans it once per connection.
    this.query = prepared
      ? <T>(sql: Prisma.Sql) => prepared.query<T>(sql)
      : <T>(sql: Prisma.Sql) => prisma.$queryRaw<T[]>(sql);
    this.batcher = new MicroBatcher((requests) => this.runStatement(this.query, requests));
  }

  private readonly query: <T>(sql: Prisma.Sql) => Promise<T[]>;

  /** Deletes one entity; null when there was nothing to delete. */
  async delete(request: DeletionRequest): Promise<Deleted<Row> | null> {
    const found = request.idempotency
      ? (await this.runStatement(this.query, [request]))[0]
      : await this.batcher.call(request);
    if (!found) return null;
    const [deleted] = await this.committed([found]);
    return deleted!;
  }

  /**
   * Deletes exactly these entities in one statement on `db`, a transaction the caller commits
   * (or rolls back); nothing else joins the statement. Requests that matched nothing give no
   * row. Once the transaction has committed, pass the rows to `committed`.
   */
  async deleteInTransaction(db: Db, requests: DeletionRequest[]): Promise<PendingDeletion<Row>[]> {
    if (requests.length === 0) return [];
    const query = <T>(sql: Prisma.Sql) => db.$queryRaw<T[]>(sql);
    return (await this.runStatement(query, requests)).filter((r): r is PendingDeletion<Row> => r !== null);
  }

  /** After commit: wakes the live tails and relays, then runs the deletions' after-commit work claimed here. */
  committed(rows: PendingDeletion<Row>[]): Promise<Deleted<Row>[]> {
    return afterDeletionCommit(this.deps, this.backend, rows);
  }

  /**
   * One statement for a batch. Requests are de-duplicated (the first of two asks for the same
   * entity wins, the second finds it gone, as if they had run one after the other) and ordered
   * by id, so concurrent batches lock rows in the same order and cannot deadlock each other.
   */
  private async runStatement(
    query: <T>(sql: Prisma.Sql) => Promise<T[]>,
    requests: DeletionRequest[],
  ): Promise<(PendingDeletion<Row> | null)[]> {
    const keyOf = (r: { workspaceId: string; id: string }) => `${r.workspaceId}\u0000${r.id}`;
    const first = new Map<string, number>();
    for (const [i, r] of requests.entries()) if (!first.has(keyOf(r))) first.set(keyOf(r), i);
    const unique = [...first.values()]
      .map((i) => requests[i]!)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Keyed requests come alone (delete above): the key's answer is the deleted row.
    const idem = unique.length === 1 ? unique[0]!.idempotency : null;
    const more = idem
      ? Prisma.sql`ik AS (${recordKeySql(
          idem,
          Prisma.sql`deleted AS d`,
          Prisma.sql`to_jsonb(d) - 'tasks' - 'message' - 'event_data' - 'message_held'`,
        )})`
      : undefined;
    const rows = await query<PendingDeletion<Row>>(Prisma.sql`
      WITH req AS (
        SELECT * FROM unnest(${unique.map((_, i) => i)}::int[], ${unique.map((r) => r.id)}::text[],
                             ${unique.map((r) => r.workspaceId)}::text[],
                             ${unique.map(() => (this.backend.queue ? newUuidV7() : null))}::uuid[],
                             ${unique.map((r) => JSON.stringify(r.args ?? {}))}::jsonb[])
                   AS req(ord, id, workspace_id, message_id, args)),
      ${deletionSideEffectsSql(this.backend, this.deps.instanceId, this.backend.statement(unique), { fromRequests: true, more })}`);
    const byKey = new Map(rows.map((row) => [keyOf({ workspaceId: row.workspace_id, id: row.entity_id }), row]));
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
 * Tasks are grouped per entity with a join, not looked up per row: a statement may delete thousands.
 */
export function deletionSideEffectsSql(
  kind: DeletionKind,
  instanceId: string,
  backendCtes: Prisma.Sql,
  opts: { fromRequests: boolean; more?: Prisma.Sql },
): Prisma.Sql {
  const { backend, eventKind, queue } = kind;
  const messageId = queue ? Prisma.sql`gen_random_uuid()` : Prisma.sql`NULL::uuid`;
  return Prisma.sql`
      ${backendCtes},
      facts AS (${
        opts.fromRequests
          ? Prisma.sql`SELECT d.*, req.message_id FROM deleted d JOIN req ON req.ord = d.ord`
          : Prisma.sql`SELECT d.*, ${messageId} AS message_id FROM deleted d`
      }),
      e AS (${appendDeletionEventsSql(backend, eventKind, 'facts')}),
      ${queue ? Prisma.sql`q AS (${enqueueMessagesSql(queue, 'facts')}),` : Prisma.empty}
      ${opts.more ? Prisma.sql`${opts.more},` : Prisma.empty}
      t AS (${scheduleTasksSql(backend, 'facts', instanceId)}),
      per_entity AS (
        SELECT entity_id, workspace_id, jsonb_agg(to_jsonb(t) || jsonb_build_object('id', t.id::text) ORDER BY t.id) AS tasks
          FROM t GROUP BY entity_id, workspace_id)
      SELECT d.*, coalesce(pe.tasks, '[]') AS scheduled
        FROM deleted d
        LEFT JOIN per_entity pe ON pe.entity_id = d.entity_id AND pe.workspace_id = d.workspace_id
       ORDER BY d.ord`;
}

/**
 * After a deletion statement committed: wakes the live tails and relays, then runs the work it
 * scheduled for this instance at once, so the caller answers after it (the worker finishes
 * what this could not: another instance's work, failures, a crash).
 */
export async function afterDeletionCommit<Row extends DeletedColumns>(
  deps: PipelineDeps,
  backend: Pick<BackendDeletion, 'backend' | 'eventKind' | 'afterCommitFailpoint'>,
  rows: PendingDeletion<Row>[],
): Promise<Deleted<Row>[]> {
  if (rows.length === 0) return [];
  deps.observer?.committed(backend, rows.length);
  deps.signals.committed();
  if (backend.afterCommitFailpoint) deps.failpoints.hit(backend.afterCommitFailpoint);
  const mine = rows.flatMap((r) => r.scheduled.filter((t) => t.claimed));
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
  return rows.map(({ scheduled, ...row }) => ({
    row: row as unknown as Row,
    tasks: scheduled.map((t) => ({ id: BigInt(t.id), outcome: outcomeOf.get(String(t.id)) ?? 'not-claimed' })),
  }));
}
