import type { Db } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { QueueMessageState } from '../db/generated/enums.js';
import { hasControlCharacter } from '../util/text.js';

export const RESOURCE_DELETION_QUEUE = 'resource.deletion';

/**
 * The one way into the outbox: an INSERT to embed as a CTE of a deletion statement, so each
 * message commits with the change that causes it. It queues one message on `queue` per row of
 * `rows` whose `message` is not null: a CTE with the columns `message_id` (a UUIDv7, the
 * message's id and order), `workspace_id`, `message` (the body, JSON text stored exactly as it
 * is published) and `message_held` (true: kept back until after-commit work releases it with
 * releaseMessage). A relay publishes the rows after commit.
 */
export function enqueueMessagesSql(queue: string, rows: string) {
  return Prisma.sql`
      INSERT INTO queue_message (id, workspace_id, queue, body, run_at)
      SELECT message_id, workspace_id, ${queue}, message,
             CASE WHEN message_held THEN 'infinity'::timestamptz ELSE now() END
        FROM ${Prisma.raw(rows)} WHERE message IS NOT NULL ORDER BY message_id
      RETURNING id`;
}

/** Lets a held message go to the relay (its work is done). Idempotent. */
export async function releaseMessage(db: Db, messageId: string): Promise<void> {
  await db.$executeRaw`
    UPDATE queue_message SET run_at = now() WHERE id = ${messageId}::uuid AND state = 'PENDING' AND run_at = 'infinity'`;
}

/** Messages waiting for the relay (held ones included). */
export function countPendingMessages(db: Db): Promise<number> {
  return db.queueMessage.count({ where: { state: 'PENDING' } });
}

/** Ids are UUIDv7, so id order is creation order. */
export async function listQueueMessages(
  db: Db,
  opts: {
    workspaceId: string;
    queue: string;
    state?: QueueMessageState | null;
    after: string | null;
    before: string | null;
    inverted: boolean;
    limit: number;
  },
) {
  const uuid = /^[0-9a-f-]{36}$/i;
  if (hasControlCharacter(opts.queue)) return []; // no queue has such a name
  return db.queueMessage.findMany({
    where: {
      workspaceId: opts.workspaceId,
      queue: opts.queue,
      ...(opts.state ? { state: opts.state } : {}),
      id: {
        ...(opts.after && uuid.test(opts.after) ? { gt: opts.after } : {}),
        ...(opts.before && uuid.test(opts.before) ? { lt: opts.before } : {}),
      },
    },
    orderBy: { id: opts.inverted ? 'desc' : 'asc' },
    take: opts.limit,
  });
}

/**
 * Gives FAILED messages of a queue (all of them, or those of `ids`) back to the relay: PENDING,
 * due now, with a full budget of attempts again (OUTBOX_MAX_ATTEMPTS). `last_error` stays, so
 * the reason of the last failure remains visible until a publish succeeds. One statement;
 * messages in another state, of another queue or workspace are left alone. Returns how many
 * were retried; the caller wakes the relays.
 */
export async function retryFailedMessages(
  db: Db,
  opts: { workspaceId: string; queue: string; ids: readonly string[] | null },
): Promise<number> {
  return db.$executeRaw`
    UPDATE queue_message
       SET state = 'PENDING', attempts = 0, run_at = now(), locked_by = NULL, locked_at = NULL
     WHERE workspace_id = ${opts.workspaceId} AND queue = ${opts.queue} AND state = 'FAILED'
       AND (${opts.ids === null} OR id = ANY(${opts.ids ?? []}::uuid[]))`;
}
