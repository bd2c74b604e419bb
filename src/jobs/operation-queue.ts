// The operation queue: operation rows claimed by workers with FOR UPDATE SKIP LOCKED and a lease, urgent first.

import type { PrismaClient, Tx } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { DeletionBackend, OperationMethod, OperationResource } from '../db/generated/enums.js';
import type { CommitSignals } from '../events/commit-signals.js';
import { appendDeletionEventsSql } from '../events/event-log.js';
import type { FailpointName, Failpoints } from '../failpoints.js';
import type { Logger } from '../logger.js';
import { type IdempotencyKey, recordKeySql } from '../services/idempotency.js';
import { backoffMs } from './after-commit.js';
import { type BackgroundJob, PollPause } from './background.js';

/** Channels on which instances tell each other that an operation may be claimed, and which operations changed. */
export const OPERATIONS_QUEUED_CHANNEL = 'operations_queued';
export const OPERATIONS_CHANGED_CHANNEL = 'operations_changed';

/** One failed element of an operation, as it is stored (`operation.errors`) and shown. */
export interface OperationErrorEntry {
  /** the element's id (an image id) */
  id: string;
  msg: string;
}

/** What a new operation is: its elements (ids) and how to run them. */
export interface OperationSpec {
  id: string;
  workspaceId: string;
  method: OperationMethod;
  resource: OperationResource;
  elements: readonly string[];
  wait: boolean;
  urgent: boolean;
  strict: boolean;
  /** recorded with the operation (answer: its id), in the statement that queues it */
  idempotency?: IdempotencyKey | null;
}

/**
 * Writes every state change of an operation to `operation_change` in the statement that makes
 * it: a CTE over `rows`, a CTE of updated `operation` rows (RETURNING *), for those where `when`
 * holds. Subscribers on every instance read each version from there.
 */
function recordChangeSql(rows: string, when: Prisma.Sql = Prisma.sql`true`) {
  return Prisma.sql`
      INSERT INTO operation_change (operation_id, version, num_good, num_bad, errors_count, started_at, finished_at)
      SELECT id, version, num_good, num_bad, jsonb_array_length(errors), started_at, finished_at
        FROM ${Prisma.raw(rows)} WHERE ${when}`;
}

/** The current claim of this run no longer holds the operation (its lease expired and another run took it). */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError';
  constructor(operationId: string) {
    super(`operation ${operationId} was claimed by another run`);
  }
}

/** What a step of an operation did with its elements. */
export interface StepOutcome<T> {
  /** elements that succeeded */
  good: number;
  /** why elements failed, in element order; the step's other elements count as failed too (a strict rollback) */
  errors: OperationErrorEntry[];
  /** true: undo the step's work (a strict operation with a failed element); the counts are still recorded */
  rollback?: boolean;
  /** handed back to the caller after commit (after-commit work to run) */
  result: T;
}

/** How a handler's run reaches the queue: its elements, its steps, and whether to stop. */
export interface OperationRun {
  readonly id: string;
  readonly workspaceId: string;
  readonly strict: boolean;
  readonly numTotal: number;
  /** elements before this are done */
  readonly nextOrd: number;
  /** the elements not done yet, in order */
  pending(): readonly string[];
  /** the worker is stopping: return between steps; the operation is released to any instance */
  readonly stopping: boolean;
  /**
   * Does the next `count` elements in one transaction: locks the operation (if this claim still
   * holds it, else LostClaimError), runs `work`, and records the outcome and the new state in
   * the same transaction, so a crash repeats nothing and loses nothing.
   */
  step<T>(count: number, work: (tx: Tx, elements: readonly string[]) => Promise<StepOutcome<T>>): Promise<T>;
}

/** Runs operations of one resource and method. */
export interface OperationHandler {
  resource: OperationResource;
  method: OperationMethod;
  /** the OPERATION_FINISHED event's backend */
  backend: DeletionBackend;
  /**
   * Steps through the pending elements until none is left or the run is stopping. Throws on a
   * failure: the run is retried with backoff, from where its last committed step left it.
   */
  run(run: OperationRun): Promise<void>;
}

export interface OperationQueueOptions {
  prisma: PrismaClient;
  log: Logger;
  instanceId: string;
  handlers: OperationHandler[];
  /** workers on this instance (WORKER_CONCURRENCY); 0: this instance runs no operations */
  concurrency: number;
  /** "an operation may be claimed": wakes workers here at once, elsewhere by NOTIFY */
  queued: CommitSignals;
  /** "these operations changed" (their ids), after each commit: wakes waiters and subscribers everywhere */
  changes: CommitSignals;
  failpoints: Failpoints;
  /** a claimed operation whose worker vanished is claimable again after this long */
  leaseMs?: number;
  /** runs of an operation before its remaining elements are given up as failed */
  maxAttempts?: number;
  pollMs?: number;
  /** told how long each operation waited in the queue before its first start (metrics) */
  onFirstStart?: (waitedMs: number) => void;
}

interface ClaimedRow {
  id: string;
  workspace_id: string;
  method: OperationMethod;
  resource: OperationResource;
  do_strict: boolean;
  num_total: number;
  next_ord: number;
  attempts: number;
  elements: string[];
  /** from creation to this claim; null unless this claim started the operation */
  waited_ms: number | null;
}

/** A run as the queue drives it. */
interface ClaimedRun extends OperationRun {
  giveUp(): Promise<void>;
  finish(): Promise<void>;
  release(): Promise<void>;
  retryLater(err: unknown): Promise<void>;
}

const FAILPOINT_AFTER_STEP: FailpointName = 'after-operation-step-commit';
const GIVE_UP_MESSAGE = 'Not processed: the operation failed repeatedly';

/**
 * The workers. Each of `concurrency` loops claims the next operation (urgent before every
 * waiting non-urgent one, then oldest first; `FOR UPDATE SKIP LOCKED`, so two workers never take
 * the same one) with a lease, and runs it through its handler in steps. Every step is fenced by
 * the claim's number: a run whose lease expired cannot record anything once another run took the
 * operation. A failed run is retried with backoff; after `maxAttempts` runs the remaining
 * elements are recorded as failed and the operation finishes.
 */
export class OperationQueue implements BackgroundJob {
  readonly name = 'operation workers';
  private readonly handlers: Map<string, OperationHandler>;
  private readonly o: Required<Omit<OperationQueueOptions, 'handlers'>>;
  private stopping = false;
  private pauses: PollPause[] = [];
  private loops: Promise<void>[] = [];

  constructor(options: OperationQueueOptions) {
    this.handlers = new Map(options.handlers.map((h) => [`${h.resource}:${h.method}`, h]));
    this.o = { leaseMs: 30_000, maxAttempts: 5, pollMs: 1_000, onFirstStart: () => {}, ...options };
  }

  /** What this instance had claimed before it stopped or died is released at once, then the workers start. */
  async start(): Promise<void> {
    if (this.loops.length || this.o.concurrency === 0) return;
    this.stopping = false;
    await this.o.prisma.$executeRaw`
      UPDATE operation SET locked_by = NULL, locked_at = NULL
       WHERE locked_by = ${this.o.instanceId} AND state = 'RUNNING'`;
    this.pauses = Array.from({ length: this.o.concurrency }, () => new PollPause());
    this.loops = this.pauses.map((pause) => this.work(pause));
  }

  /** Queues an operation (version 1, QUEUED) and wakes the workers of every instance. */
  async enqueue(spec: OperationSpec): Promise<void> {
    await this.o.prisma.$executeRaw`
      WITH o AS (
        INSERT INTO operation (id, workspace_id, method, resource, do_wait, do_urgent, do_strict, elements, num_total)
        VALUES (${spec.id}, ${spec.workspaceId}, ${spec.method}::"OperationMethod", ${spec.resource}::"OperationResource",
                ${spec.wait}, ${spec.urgent}, ${spec.strict}, ${spec.elements}::bigint[], ${spec.elements.length})
        RETURNING *)
      ${
        spec.idempotency
          ? Prisma.sql`, ik AS (${recordKeySql(spec.idempotency, Prisma.sql`o`, Prisma.sql`jsonb_build_object('operationId', o.id)`)})`
          : Prisma.empty
      }
      ${recordChangeSql('o')}`;
    this.o.queued.committed();
  }

  /** An operation was queued or released (here or, through a notification, elsewhere). */
  wake(): void {
    for (const pause of this.pauses) pause.wake();
  }

  /** Lets each run finish its step in progress, releases its operation to any instance, and resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const pause of this.pauses) pause.stop();
    await Promise.all(this.loops);
    this.loops = [];
  }

  private async work(pause: PollPause): Promise<void> {
    while (!this.stopping) {
      let claimed: ClaimedRow | null = null;
      try {
        claimed = await this.claim();
      } catch (err) {
        this.o.log.error({ err }, 'claiming an operation failed; retrying');
      }
      if (claimed) await this.run(claimed);
      else await pause.wait(this.o.pollMs);
    }
  }

  private async claim(): Promise<ClaimedRow | null> {
    const { prisma, instanceId, leaseMs } = this.o;
    const [row] = await prisma.$queryRaw<ClaimedRow[]>`
      WITH next AS (
        SELECT id, started_at IS NULL AS first_start FROM operation
         WHERE state IN ('QUEUED', 'RUNNING') AND run_at <= now() -- (state, do_urgent, seq): finished ones are never read
           AND (locked_at IS NULL OR locked_at < now() - make_interval(secs => ${leaseMs / 1000}))
         ORDER BY do_urgent DESC, seq
         LIMIT 1
         FOR UPDATE SKIP LOCKED),
      claimed AS (
        UPDATE operation o
           SET state = 'RUNNING', locked_by = ${instanceId}, locked_at = clock_timestamp(), attempts = o.attempts + 1,
               started_at = coalesce(o.started_at, clock_timestamp()),
               version = o.version + CASE WHEN next.first_start THEN 1 ELSE 0 END
          FROM next WHERE o.id = next.id
        RETURNING o.*, next.first_start),
      change AS (${recordChangeSql('claimed', Prisma.sql`first_start`)})
      SELECT id, workspace_id, method, resource, do_strict, num_total, next_ord, attempts,
             coalesce(elements[next_ord + 1:], '{}')::text[] AS elements,
             CASE WHEN first_start THEN (extract(epoch FROM started_at - created_at) * 1000)::float8 END AS waited_ms
        FROM claimed`;
    if (row) this.changed(row.id);
    if (row?.waited_ms != null) this.o.onFirstStart(row.waited_ms);
    return row ?? null;
  }

  private async run(claimed: ClaimedRow): Promise<void> {
    const { log } = this.o;
    const handler = this.handlers.get(`${claimed.resource}:${claimed.method}`);
    const run = this.newRun(claimed, handler?.backend ?? 'IMAGE');
    try {
      if (!handler) throw new Error(`no handler for ${claimed.method} operations on ${claimed.resource}`);
      if (claimed.attempts > this.o.maxAttempts) {
        log.error({ operation: claimed.id, attempts: claimed.attempts }, 'giving up an operation');
        await run.giveUp();
      } else if (run.nextOrd < run.numTotal) {
        await handler.run(run);
      }
      if (run.nextOrd === run.numTotal) await run.finish();
      else if (this.stopping) await run.release();
      else throw new Error('the handler returned with elements left');
    } catch (err) {
      if (err instanceof LostClaimError) {
        log.warn({ operation: claimed.id }, 'an operation run lost its claim to another run; it stops');
        return;
      }
      log.error({ err, operation: claimed.id, attempts: claimed.attempts }, 'an operation run failed; retrying later');
      await run
        .retryLater(err)
        .catch((e) =>
          log.error({ err: e, operation: claimed.id }, 'could not record an operation failure; the lease will expire'),
        );
    }
  }

  /** Announces a change of these operations: waiters and subscribers here at once, other instances by NOTIFY. */
  private changed(id: string) {
    this.o.changes.committed(true, [id]);
  }

  private newRun(claimed: ClaimedRow, backend: DeletionBackend): ClaimedRun {
    const queue = this;
    const { prisma, instanceId, leaseMs, failpoints } = this.o;
    const { id, attempts: claim } = claimed;
    const elements = claimed.elements.map(String);
    const firstOrd = claimed.next_ord;
    let nextOrd = claimed.next_ord;
    /** The conditions of every write of this run: the operation is still this claim's. */
    const mine = Prisma.sql`id = ${id} AND attempts = ${claim} AND locked_by = ${instanceId} AND state = 'RUNNING'`;

    const hold = async (tx: Tx) => {
      const held = await tx.$queryRaw<unknown[]>`
        SELECT 1 FROM operation WHERE ${mine} AND next_ord = ${nextOrd} FOR UPDATE`;
      if (held.length === 0) throw new LostClaimError(id);
    };
    const advance = async (tx: Tx, count: number, good: number, errors: OperationErrorEntry[]) => {
      const updated = await tx.$queryRaw<unknown[]>`
        WITH o AS (
          UPDATE operation
             SET next_ord = next_ord + ${count}, num_good = num_good + ${good}, num_bad = num_bad + ${count - good},
                 errors = errors || ${JSON.stringify(errors)}::jsonb, locked_at = clock_timestamp(), version = version + 1
           WHERE ${mine} AND next_ord = ${nextOrd}
          RETURNING *),
        change AS (${recordChangeSql('o')})
        SELECT 1 FROM o`;
      if (updated.length === 0) throw new LostClaimError(id);
    };
    // A step may take as long as the lease; the lock taken by hold() keeps other claims off meanwhile.
    const transaction = <T>(fn: (tx: Tx) => Promise<T>) =>
      prisma.$transaction(fn, { timeout: leaseMs, maxWait: leaseMs });
    const stepped = (count: number) => {
      nextOrd += count;
      queue.changed(id);
      failpoints.hit(FAILPOINT_AFTER_STEP);
    };

    return {
      id,
      workspaceId: claimed.workspace_id,
      strict: claimed.do_strict,
      numTotal: claimed.num_total,
      get nextOrd() {
        return nextOrd;
      },
      get stopping() {
        return queue.stopping;
      },
      pending: () => elements.slice(nextOrd - firstOrd),

      async step<T>(count: number, work: (tx: Tx, elements: readonly string[]) => Promise<StepOutcome<T>>) {
        const batch = elements.slice(nextOrd - firstOrd, nextOrd - firstOrd + count);
        if (batch.length !== count || count === 0) throw new Error(`a step of ${count} elements at ${nextOrd}`);
        const rolledBack = new Error('the step is rolled back');
        let outcome: StepOutcome<T> | null = null;
        const result = await transaction(async (tx) => {
          await hold(tx);
          outcome = await work(tx, batch);
          if (outcome.good + outcome.errors.length > count)
            throw new Error('a step accounts for more elements than it has');
          if (outcome.rollback) throw rolledBack;
          await advance(tx, count, outcome.good, outcome.errors);
          return outcome.result;
        }).catch(async (err) => {
          if (err !== rolledBack) throw err;
          // The work is undone; what it found is recorded on its own.
          const { good, errors, result } = outcome!;
          await transaction(async (tx) => {
            await hold(tx);
            await advance(tx, count, good, errors);
          });
          return result;
        });
        stepped(count);
        return result;
      },

      /** The remaining elements failed (attempts exhausted); a strict operation never committed any, so all did. */
      async giveUp() {
        const left = elements.slice(nextOrd - firstOrd);
        if (left.length === 0) return;
        await transaction(async (tx) => {
          await hold(tx);
          await advance(
            tx,
            left.length,
            0,
            left.map((element) => ({ id: element, msg: GIVE_UP_MESSAGE })),
          );
        });
        stepped(left.length);
      },

      /** FINISHED with its OPERATION_FINISHED event, once; another run that gets here finds it finished. */
      async finish() {
        await prisma.$queryRaw`
          WITH o AS (
            UPDATE operation
               SET state = 'FINISHED', finished_at = clock_timestamp(), locked_by = NULL, locked_at = NULL,
                   version = version + 1
             WHERE ${mine} AND next_ord = num_total
            RETURNING *),
          change AS (${recordChangeSql('o')}),
          fin AS (
            SELECT 0 AS ord, id AS entity_id, workspace_id,
                   json_build_object('operationId', id, 'method', method, 'resource', resource, 'numTotal', num_total,
                                     'numGood', num_good, 'numBad', num_bad, 'allGood', num_bad = 0,
                                     'doStrict', do_strict, 'doUrgent', do_urgent)::text AS event_data
              FROM o),
          e AS (${appendDeletionEventsSql(backend, 'OPERATION_FINISHED', 'fin')})
          SELECT 1 FROM o`;
        queue.changed(id);
      },

      /** The worker stops: any instance may take the operation at once. */
      async release() {
        await prisma.$executeRaw`UPDATE operation SET locked_by = NULL, locked_at = NULL WHERE ${mine}`;
        queue.o.queued.committed();
      },

      async retryLater(err: unknown) {
        const message = String((err as Error)?.message ?? err).slice(0, 2000);
        await prisma.$executeRaw`
          UPDATE operation
             SET locked_by = NULL, locked_at = NULL, last_error = ${message},
                 run_at = now() + make_interval(secs => ${backoffMs(claim) / 1000})
           WHERE ${mine}`;
      },
    };
  }
}
