// Unlinking blobs after commit: the task a deletion schedules for each blob whose row it removed, and its handler.
import { Prisma } from '../db/generated/client.js';
import type { AfterCommitHandler } from '../jobs/after-commit.js';
import type { BlobStore } from './store.js';

export const BLOB_DELETE_TASK = 'blob.delete';

/** For a deletion statement's `tasks` column: the blob.delete task (an AfterCommitTaskSpec) of the blob key in `keyColumn`. */
export function blobDeleteTaskSql(keyColumn: string): Prisma.Sql {
  return Prisma.sql`jsonb_build_object('kind', ${BLOB_DELETE_TASK}::text, 'payload', jsonb_build_object('key', ${Prisma.raw(keyColumn)}))`;
}

/**
 * For a deletion statement's `tasks` column: an aggregate over the removed rows' `keyColumn`
 * giving one blob.delete task per blob key (a jsonb array of AfterCommitTaskSpec).
 */
export function blobDeleteTasksSql(keyColumn: string): Prisma.Sql {
  return Prisma.sql`jsonb_agg(${blobDeleteTaskSql(keyColumn)} ORDER BY ${Prisma.raw(keyColumn)})`;
}

/**
 * Unlinks a blob after the rows naming it are gone. Any instance may run it (blobs are shared),
 * and a blob already gone is no error, so a retry after a crash is harmless; a failure is
 * retried by the after-commit worker and never brings the rows back.
 */
export function blobDeleteHandler(store: BlobStore): AfterCommitHandler {
  return {
    kind: BLOB_DELETE_TASK,
    async run(task) {
      const { key } = task.payload as { key: string };
      await store.delete(key);
    },
  };
}
