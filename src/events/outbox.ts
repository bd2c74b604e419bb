import type { Db, Tx } from '../db/client.js';
import type { QueueMessageState } from '../db/generated/enums.js';
import { newUuidV7 } from '../ids.js';

export const RESOURCE_DELETION_QUEUE = 'resource.deletion';

/**
 * Queues a message in the caller's transaction; a relay publishes it after commit (the caller
 * signals the commit with CommitSignals.committed to wake the relays).
 */
export async function enqueueMessage(
  tx: Tx,
  message: { workspaceId: string; queue: string; body: Record<string, unknown> },
): Promise<string> {
  const id = newUuidV7();
  await tx.$executeRaw`
    INSERT INTO queue_message (id, workspace_id, queue, body)
    VALUES (${id}::uuid, ${message.workspaceId}, ${message.queue}, ${JSON.stringify(message.body)})`;
  return id;
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
