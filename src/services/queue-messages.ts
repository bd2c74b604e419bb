// The outbox as operators handle it: giving FAILED messages back to the relay.
import type { Db } from '../db/client.js';
import { retryFailedMessages } from '../events/outbox.js';
import { ValidationError } from './errors.js';

export interface QueueMessageDeps {
  prisma: Db;
  /** wakes the relays of every instance: messages are due */
  messagesDue: () => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** One statement takes the ids as one array parameter; past this, retry the whole queue instead. */
export const MAX_RETRY_IDS = 10_000;

/**
 * Retries FAILED messages of a queue in the workspace: those of `ids`, or every one (null).
 * Ids of messages that are not FAILED, or not the workspace's, are skipped, not refused: the
 * answer counts what was retried.
 */
export async function retryFailedQueueMessages(
  deps: QueueMessageDeps,
  workspaceId: string,
  queue: string,
  ids: readonly string[] | null,
): Promise<{ queue: string; retried: number } | ValidationError> {
  if (ids) {
    if (ids.length > MAX_RETRY_IDS) return new ValidationError(`Give at most ${MAX_RETRY_IDS} ids`, 'ids');
    const invalid = ids.find((id) => !UUID.test(id));
    if (invalid !== undefined) return new ValidationError(`"${invalid}" is no queue message id`, 'ids');
  }
  const retried = await retryFailedMessages(deps.prisma, { workspaceId, queue, ids });
  if (retried > 0) deps.messagesDue();
  return { queue, retried };
}
