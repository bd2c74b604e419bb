// Which blobs rows still name: the blob sweep removes only the others.
import type { ReferencedBlobKeys } from '../blobs/store.js';
import type { Db } from '../db/client.js';

/**
 * The reference check the sweep asks about candidate keys. Every table that holds blob keys is
 * part of it: a backend that stores blobs adds its table here (UNION ALL), or its blobs are swept.
 */
export function referencedBlobKeys(db: Db): ReferencedBlobKeys {
  return async (keys) => {
    const rows = await db.$queryRaw<{ key: string }[]>`
      SELECT blob_key AS key FROM parser_file WHERE blob_key = ANY(${keys}::text[])
      UNION ALL
      SELECT blob_key AS key FROM dataset WHERE blob_key = ANY(${keys}::text[])
      UNION ALL
      SELECT blob_key AS key FROM image WHERE blob_key = ANY(${keys}::text[])`;
    return new Set(rows.map((r) => r.key));
  };
}
