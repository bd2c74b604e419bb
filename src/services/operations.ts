// Seed 004's status object: an operation as callers see it, read from its row or from any recorded version.
import type { Db } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { OperationMethod, OperationResource, OperationState } from '../db/generated/enums.js';
import type { OperationUpdates, ReadStates } from '../events/operation-updates.js';
import { isOperationId } from '../ids.js';
import type { OperationErrorEntry } from '../jobs/operation-queue.js';
import { NotFoundError } from './errors.js';

export type { OperationErrorEntry };

export interface Operation {
  id: string;
  workspaceId: string;
  method: OperationMethod;
  resource: OperationResource;
  numTotal: number;
  numGood: number;
  numBad: number;
  isStarted: boolean;
  isFinished: boolean;
  /** null until an element has finished */
  allGood: boolean | null;
  doWait: boolean;
  doUrgent: boolean;
  doStrict: boolean;
  /** from creation to start, from the recorded times; null until started */
  idleMs: number | null;
  /** from start to finish, from the recorded times; null until finished */
  execMs: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errors: OperationErrorEntry[];
  /** numbers the states: each change is one more */
  version: number;
}

export const OPERATION_NOT_FOUND = 'Operation not found';

/** The columns every read selects, by the state they come from. */
interface StateRow {
  id: string;
  workspace_id: string;
  method: OperationMethod;
  resource: OperationResource;
  num_total: number;
  do_wait: boolean;
  do_urgent: boolean;
  do_strict: boolean;
  created_at: Date;
  version: number;
  num_good: number;
  num_bad: number;
  started_at: Date | null;
  finished_at: Date | null;
}

function toOperation(row: StateRow, errors: OperationErrorEntry[]): Operation {
  const done = row.num_good + row.num_bad;
  const ms = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : null);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    method: row.method,
    resource: row.resource,
    numTotal: row.num_total,
    numGood: row.num_good,
    numBad: row.num_bad,
    isStarted: row.started_at !== null,
    isFinished: row.finished_at !== null,
    allGood: done === 0 ? null : row.num_bad === 0,
    doWait: row.do_wait,
    doUrgent: row.do_urgent,
    doStrict: row.do_strict,
    idleMs: ms(row.created_at, row.started_at),
    execMs: ms(row.started_at, row.finished_at),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    errors,
    version: row.version,
  };
}

/** A workspace's operation as it stands; another workspace's is as absent as an unknown one. */
export async function findOperation(db: Db, workspaceId: string, id: string): Promise<Operation | null> {
  if (!isOperationId(id)) return null;
  const [row] = await db.$queryRaw<(StateRow & { errors: OperationErrorEntry[] })[]>`
    SELECT id, workspace_id, method, resource, num_total, do_wait, do_urgent, do_strict, created_at, version,
           num_good, num_bad, started_at, finished_at, errors
      FROM operation WHERE id = ${id} AND workspace_id = ${workspaceId}`;
  return row ? toOperation(row, row.errors) : null;
}

/**
 * Every recorded state of the given operations after the given versions, oldest first (for
 * OperationUpdates). The errors of a state are a prefix of the operation's (they are only
 * appended to), so they are read once per operation, not once per state.
 */
export function readOperationStates(db: Db): ReadStates<Operation> {
  return async (after) => {
    const rows = await db.$queryRaw<(StateRow & { errors_count: number; errors: OperationErrorEntry[] | null })[]>`
      SELECT o.id, o.workspace_id, o.method, o.resource, o.num_total, o.do_wait, o.do_urgent, o.do_strict, o.created_at,
             c.version, c.num_good, c.num_bad, c.started_at, c.finished_at, c.errors_count,
             CASE WHEN c.version = max(c.version) OVER (PARTITION BY o.id) THEN o.errors END AS errors
        FROM unnest(${[...after.keys()]}::text[], ${[...after.values()]}::int[]) AS w(id, after)
        JOIN operation o ON o.id = w.id
        JOIN operation_change c ON c.operation_id = w.id AND c.version > w.after
       ORDER BY c.operation_id, c.version`;
    const errorsOf = new Map(rows.filter((r) => r.errors).map((r) => [r.id, r.errors!]));
    const states = new Map<string, Operation[]>();
    for (const row of rows) {
      const list = states.get(row.id) ?? [];
      list.push(toOperation(row, errorsOf.get(row.id)!.slice(0, row.errors_count)));
      states.set(row.id, list);
    }
    return states;
  };
}

/** The operation's state now, then each change as it commits on any instance; ends after the finished state. */
export async function watchOperation(
  db: Db,
  updates: OperationUpdates<Operation>,
  workspaceId: string,
  id: string,
): Promise<AsyncIterableIterator<Operation> | NotFoundError> {
  const current = await findOperation(db, workspaceId, id);
  return current ? updates.watch(current) : new NotFoundError(OPERATION_NOT_FOUND);
}

/** An operation with its place in the queue's creation order (the cursor of `operations`). */
export interface ListedOperation extends Operation {
  seq: bigint;
}

/**
 * A workspace's operations in creation order (oldest first; `inverted`: newest first), in one
 * state or all, between two `seq` cursors.
 */
export async function listOperations(
  db: Db,
  workspaceId: string,
  opts: {
    state: OperationState | null;
    after: string | null;
    before: string | null;
    inverted: boolean;
    limit: number;
  },
): Promise<ListedOperation[]> {
  const seq = (cursor: string | null) => (cursor && /^\d{1,18}$/.test(cursor) ? BigInt(cursor) : null);
  const rows = await db.$queryRaw<(StateRow & { seq: bigint; errors: OperationErrorEntry[] })[]>`
    SELECT seq, id, workspace_id, method, resource, num_total, do_wait, do_urgent, do_strict, created_at, version,
           num_good, num_bad, started_at, finished_at, errors
      FROM operation
     WHERE workspace_id = ${workspaceId}
       AND (${opts.state}::text IS NULL OR state::text = ${opts.state}::text)
       AND seq > ${seq(opts.after) ?? 0n} AND seq < ${seq(opts.before) ?? 1n << 62n}
     ORDER BY seq ${opts.inverted ? Prisma.raw('DESC') : Prisma.raw('ASC')}
     LIMIT ${opts.limit}`;
  return rows.map((row) => ({ ...toOperation(row, row.errors), seq: row.seq }));
}
