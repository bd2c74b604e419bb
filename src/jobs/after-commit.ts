// After-commit work: rows a deletion writes in its own transaction, done after commit and retried until done.

import type { Db, PrismaClient } from '../db/client.js';
import { type AfterCommitTask, Prisma } from '../db/generated/client.js';
import type { AfterCommitTaskState, DeletionBackend } from '../db/generated/enums.js';
import type { Logger } from '../logger.js';
import { hasControlCharacter } from '../util/text.js';
import { type BackgroundJob, PollPause } from './background.js';

export type { AfterCommitTask };

/** One piece of outside work, as a deletion statement describes it (the `tasks` jsonb column). */
export interface AfterCommitTaskSpec {
  kind: string;
  payload: unknown;
  /** only this instance may run it; absent: any instance */
  instanceId?: string | null;
}

export interface ClaimedTask {
  id: bigint;
  kind: string;
  payload: unknown;
  entityId: string;
  workspaceId: string;
  attempts: number;
}

/** Does one kind of work. Must be idempotent: a crash after the work but before DONE repeats it. */
export interface AfterCommitHandler {
  kind: string;
  run(task: ClaimedTask): Promise<void>;
}

export type TaskOutcome = 'done' | 'retrying' | 'failed' | 'not-claimed';

/**
 * The one way to schedule after-commit work: an INSERT to embed as a CTE of a deletion
 * statement. `rows` names a CTE with the columns `ord`, `entity_id`, `workspace_id` and
 * `tasks` (a jsonb array of AfterCommitTaskSpec, or null). Work this instance may do is
 * written already claimed by it (`claimedBy`), so the deletion runs it right after commit
 * without a worker woken by that commit taking it first; if the process dies before, the
 * lease expires, or this instance's next start takes it back.
 */
export function scheduleTasksSql(backend: DeletionBackend, rows: string, claimedBy: string) {
  return Prisma.sql`
      INSERT INTO after_commit_task (kind, payload, backend, entity_id, workspace_id, instance_id,
                                     locked_by, locked_at, attempts)
      SELECT s.kind, s.payload, ${backend}::"DeletionBackend", s.entity_id, s.workspace_id, s.instance_id,
             CASE WHEN s.mine THEN ${claimedBy} END, CASE WHEN s.mine THEN now() END, CASE WHEN s.mine THEN 1 ELSE 0 END
        FROM (SELECT d.ord, d.entity_id, d.workspace_id, t->>'kind' AS kind, t->'payload' AS payload,
                     t->>'instanceId' AS instance_id, coalesce(t->>'instanceId', ${claimedBy}) = ${claimedBy} AS mine
                FROM ${Prisma.raw(rows)} d
                CROSS JOIN LATERAL jsonb_array_elements(coalesce(d.tasks, '[]'::jsonb)) t) s
       ORDER BY s.ord
      RETURNING id, entity_id, workspace_id, kind, payload, attempts, locked_by IS NOT NULL AS claimed`;
}

/** A row of scheduleTasksSql's RETURNING: claimed ones are this instance's to run now. */
export interface ScheduledTaskRow {
  /** the bigint id, as text (it travels as JSON) */
  id: string;
  entity_id: string;
  workspace_id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  claimed: boolean;
}

/** Handlers of one batch running at once (file unlinks, process stops). */
const EXECUTE_CONCURRENCY = 32;

/** Exponential backoff with full jitter, capped. */
export const backoffMs = (attempt: number, baseMs = 500, capMs = 10 * 60_000) =>
  Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));

export interface AfterCommitWorkerOptions {
  prisma: PrismaClient;
  log: Logger;
  instanceId: string;
  handlers: AfterCommitHandler[];
  /** a claimed task whose worker vanished is claimable again after this long */
  leaseMs?: number;
  /** attempts before a task is marked FAILED (it stays visible and can be retried by an operator) */
  maxAttempts?: number;
  pollMs?: number;
  batchSize?: number;
}

interface TaskRow {
  id: bigint;
  kind: string;
  payload: unknown;
  entity_id: string;
  workspace_id: string;
  attempts: number;
}

/**
 * Does after-commit work. Tasks are claimed with a lease (`FOR UPDATE SKIP LOCKED`, so two
 * workers never run the same task at once), run by their kind's handler, and marked DONE; a
 * failure is retried with backoff. Leftovers of a crash are found at start-up and on every
 * poll. A deletion runs its own tasks at once (`runClaimed`) to answer after the work.
 */
export class AfterCommitWorker implements BackgroundJob {
  readonly name = 'after-commit work';
  private readonly handlers: Map<string, AfterCommitHandler>;
  private readonly o: Required<Omit<AfterCommitWorkerOptions, 'handlers'>>;
  private stopped = true;
  private loop: Promise<void> | null = null;
  private pause = new PollPause();

  constructor(options: AfterCommitWorkerOptions) {
    this.handlers = new Map(options.handlers.map((h) => [h.kind, h]));
    this.o = { leaseMs: 60_000, maxAttempts: 25, pollMs: 2_000, batchSize: 16, ...options };
  }

  /**
   * Finishes the work a crash left behind before the server serves (what this instance had
   * claimed before it died is taken back at once, without waiting for the lease), then keeps polling.
   */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopped = false;
    this.pause = new PollPause();
    while ((await this.runDueBatch(true)) === this.o.batchSize) {}
    this.loop = this.run();
  }

  /** New tasks were committed (here or, through a notification, elsewhere). */
  wake(): void {
    this.pause.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.stop();
    await this.loop;
    this.loop = null;
  }

  /** Runs tasks a deletion scheduled already claimed by this instance (scheduleTasksSql). */
  runClaimed(tasks: ClaimedTask[]): Promise<TaskOutcome[]> {
    return this.execute(tasks);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if ((await this.runDueBatch()) < this.o.batchSize) await this.pause.wait(this.o.pollMs);
    }
  }

  /** Claims and runs one batch of due work; returns how many tasks it claimed. */
  private async runDueBatch(takeBackOwn = false): Promise<number> {
    try {
      const tasks = await this.claim(Prisma.sql`run_at <= now()`, this.o.batchSize, takeBackOwn);
      await this.execute(tasks);
      return tasks.length;
    } catch (err) {
      this.o.log.error({ err }, 'claiming after-commit work failed; retrying');
      return 0;
    }
  }

  private async claim(where: Prisma.Sql, limit: number, takeBackOwn: boolean): Promise<ClaimedTask[]> {
    const { prisma, instanceId, leaseMs } = this.o;
    const rows = await prisma.$queryRaw<TaskRow[]>`
      UPDATE after_commit_task t
         SET locked_by = ${instanceId}, locked_at = now(), attempts = t.attempts + 1
       WHERE t.id IN (
         SELECT id FROM after_commit_task
          WHERE state = 'PENDING' AND ${where}
            AND (instance_id IS NULL OR instance_id = ${instanceId})
            AND (locked_at IS NULL OR locked_at < now() - make_interval(secs => ${leaseMs / 1000})
                 OR (${takeBackOwn} AND locked_by = ${instanceId}))
          ORDER BY id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING t.id, t.kind, t.payload, t.entity_id, t.workspace_id, t.attempts`;
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      payload: r.payload,
      entityId: r.entity_id,
      workspaceId: r.workspace_id,
      attempts: r.attempts,
    }));
  }

  /**
   * Runs claimed tasks, at most EXECUTE_CONCURRENCY handlers at a time, and records what was done
   * in one statement (a deletion of thousands of files is not thousands of updates); each
   * failure is recorded on its own, with its backoff.
   */
  private async execute(tasks: ClaimedTask[]): Promise<TaskOutcome[]> {
    const { prisma, instanceId, log } = this.o;
    const outcomes: TaskOutcome[] = new Array(tasks.length);
    const done: bigint[] = [];
    let next = 0;
    const runNext = async (): Promise<void> => {
      while (next < tasks.length) {
        const i = next++;
        const task = tasks[i]!;
        try {
          const handler = this.handlers.get(task.kind);
          if (!handler) throw new Error(`no handler for after-commit work of kind "${task.kind}"`);
          await handler.run(task);
          done.push(task.id);
          outcomes[i] = 'done';
        } catch (err) {
          outcomes[i] = await this.recordFailure(task, err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(EXECUTE_CONCURRENCY, tasks.length) }, runNext));
    if (done.length) {
      await prisma.$executeRaw`
        UPDATE after_commit_task SET state = 'DONE', done_at = now(), locked_by = NULL, locked_at = NULL, last_error = NULL
         WHERE id = ANY(${done}::bigint[]) AND locked_by = ${instanceId}`.catch((err) => {
        // The work is done; the lease expires and a worker repeats it (handlers are idempotent).
        log.error({ err, tasks: done.length }, 'could not record after-commit work as done; it will be repeated');
        for (const [i, o] of outcomes.entries()) if (o === 'done') outcomes[i] = 'retrying';
      });
    }
    return outcomes;
  }

  private async recordFailure(task: ClaimedTask, err: unknown): Promise<TaskOutcome> {
    const { prisma, instanceId, log } = this.o;
    const failed = task.attempts >= this.o.maxAttempts;
    const message = String((err as Error)?.message ?? err);
    log.warn({ err, task: { id: task.id, kind: task.kind, attempts: task.attempts } }, 'after-commit work failed');
    await prisma.$executeRaw`
      UPDATE after_commit_task
         SET locked_by = NULL, locked_at = NULL, last_error = ${message},
             state = ${failed ? 'FAILED' : 'PENDING'}::"AfterCommitTaskState",
             run_at = now() + make_interval(secs => ${backoffMs(task.attempts) / 1000})
       WHERE id = ${task.id} AND locked_by = ${instanceId}`.catch((e) =>
      log.error({ err: e, task: task.id }, 'could not record an after-commit failure; the lease will expire'),
    );
    return failed ? 'failed' : 'retrying';
  }
}

/** A workspace's after-commit work in id (creation) order, for operators: what is pending, what failed and why. */
export async function listAfterCommitTasks(
  db: Db,
  opts: {
    workspaceId: string;
    state?: AfterCommitTaskState | null;
    entityId?: string | null;
    after: string | null;
    before: string | null;
    inverted: boolean;
    limit: number;
  },
): Promise<AfterCommitTask[]> {
  if (opts.entityId != null && hasControlCharacter(opts.entityId)) return []; // no entity has such an id
  const id = (cursor: string | null) => (cursor && /^\d{1,18}$/.test(cursor) ? BigInt(cursor) : undefined);
  const after = id(opts.after);
  const before = id(opts.before);
  return db.afterCommitTask.findMany({
    where: {
      workspaceId: opts.workspaceId,
      ...(opts.state ? { state: opts.state } : {}),
      ...(opts.entityId != null ? { entityId: opts.entityId } : {}),
      id: { ...(after !== undefined ? { gt: after } : {}), ...(before !== undefined ? { lt: before } : {}) },
    },
    orderBy: { id: opts.inverted ? 'desc' : 'asc' },
    take: opts.limit,
  });
}
