// Uploaded files into the blob store for a create that may still fail: all stored, or none left behind.
import type { Logger } from '../logger.js';
import { normalizeContentType } from './content-type.js';
import { type BlobStore, BlobTooLargeError, type StoredBlob, type UploadedFile } from './store.js';

/** Files stored at once. */
const STORE_CONCURRENCY = 8;

export interface StoredUpload extends StoredBlob {
  name: string;
  contentType: string;
}

/** An uploaded file is over the limit; nothing of the upload stays stored. */
export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError';
  constructor(
    readonly fileName: string,
    readonly limit: number,
  ) {
    super(`File ${JSON.stringify(fileName)} is larger than ${limit} bytes (MAX_UPLOAD_BYTES)`);
  }
}

/**
 * Stores the files as blobs, in order. When one fails (UploadTooLargeError for one over
 * `maxBytes`), the blobs already written are removed again before the error is thrown; a crash
 * in between leaves only unreferenced blobs, which the blob sweep removes.
 */
export async function storeUploads(
  store: BlobStore,
  files: readonly UploadedFile[],
  opts: { maxBytes: number; log: Logger },
): Promise<StoredUpload[]> {
  const stored: StoredUpload[] = [];
  try {
    for (let i = 0; i < files.length; i += STORE_CONCURRENCY) {
      const outcomes = await Promise.allSettled(
        files.slice(i, i + STORE_CONCURRENCY).map(async (file) => {
          const contentType = normalizeContentType(file.type);
          const blob = await store.put(file.stream(), { maxBytes: opts.maxBytes, contentType }).catch((err) => {
            throw err instanceof BlobTooLargeError ? new UploadTooLargeError(file.name, err.limit) : err;
          });
          return { ...blob, name: file.name, contentType };
        }),
      );
      for (const o of outcomes) if (o.status === 'fulfilled') stored.push(o.value);
      const failed = outcomes.find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return stored;
  } catch (err) {
    await removeBlobs(store, stored, opts.log);
    throw err;
  }
}

/** Best effort: what is left is unreferenced, and the blob sweep removes it. */
export async function removeBlobs(store: BlobStore, blobs: readonly StoredBlob[], log: Logger): Promise<void> {
  await Promise.all(
    blobs.map((b) =>
      store.delete(b.key).catch((err) => log.warn({ err, key: b.key }, 'could not remove the blob of a failed upload')),
    ),
  );
}
