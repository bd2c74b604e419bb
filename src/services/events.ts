// The deletion event stream as clients page and resume it: what a cursor is, and when
// retention has made one unusable.
import type { Db } from '../db/client.js';
import {
  countDeletionEvents,
  type DeletionEventCount,
  type DeletionEventFilter,
  type DeletionEventRecord,
  decodeCursor,
  type EventPosition,
  encodeCursor,
  isPruned,
  readDeletionEvents,
} from '../events/event-log.js';
import { ValidationError } from './errors.js';

/**
 * Resuming after `cursor` would silently skip events that retention (EVENT_RETENTION) has
 * already removed. Not a DomainError: it is no member of a result union, but a refusal of
 * the whole read or stream.
 */
export class CursorExpiredError extends Error {
  override readonly name = 'CursorExpiredError';
  constructor(readonly cursor: string) {
    super(`Cursor "${cursor}" has expired`);
  }
}

/** The position a client's cursor names; null without a cursor. */
export function parseCursor(cursor: string | null | undefined): EventPosition | null | ValidationError {
  if (cursor == null) return null;
  return decodeCursor(cursor) ?? new ValidationError(`Invalid cursor "${cursor}"`, 'after');
}

export interface EventPageRequest {
  workspaceId: string;
  filter: DeletionEventFilter | null;
  after: string | null | undefined;
  before: string | null | undefined;
  /** newest first (paging backwards from `before`) */
  inverted: boolean;
  limit: number;
}

/** One page of a workspace's events between two cursors, in commit order. */
export async function readEventPage(
  db: Db,
  request: EventPageRequest,
): Promise<DeletionEventRecord[] | ValidationError | CursorExpiredError> {
  const after = parseCursor(request.after);
  if (after instanceof ValidationError) return after;
  const before = parseCursor(request.before);
  if (before instanceof ValidationError) return before;
  const page = await readDeletionEvents(db, {
    workspaceId: request.workspaceId,
    filter: request.filter,
    after,
    before,
    inverted: request.inverted,
    limit: request.limit,
  });
  // Checked after the read, so a prune racing with it is seen too.
  if (after && (await isPruned(db, after))) return new CursorExpiredError(request.after!);
  return page;
}

/**
 * Where a stream that resumes after `cursor` starts (null: with the next event). An expired
 * cursor is refused here, before the stream starts; a prune racing with the replay ends the
 * stream instead (see LiveEvents).
 */
export async function resumePosition(
  db: Db,
  cursor: string | null | undefined,
): Promise<EventPosition | null | ValidationError | CursorExpiredError> {
  const position = parseCursor(cursor);
  if (position instanceof ValidationError || position === null) return position;
  return (await isPruned(db, position)) ? new CursorExpiredError(cursor!) : position;
}

export interface DeletionCounts {
  counts: DeletionEventCount[];
  /** a stream that resumes after this cursor delivers exactly the events not counted */
  cursor: string;
}

/** A workspace's retained events counted by backend and kind, and where to resume to keep counting. */
export async function countEvents(db: Db, workspaceId: string): Promise<DeletionCounts> {
  const { counts, position } = await countDeletionEvents(db, workspaceId);
  return { counts, cursor: encodeCursor(position.txid, position.id) };
}
