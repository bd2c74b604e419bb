// Blobs as files under BLOB_DIR: a put appears whole or not at all (fsync, then rename); keys cannot leave the root.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, opendir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobDigest, sourceChunks } from './digest.js';
import {
  assertBlobKey,
  type BlobSource,
  type BlobStore,
  isBlobKey,
  type ListedBlob,
  newBlobKey,
  type PutBlobOptions,
  type ReferencedBlobKeys,
  type StoredBlob,
  type SweepOptions,
  type SweepResult,
} from './store.js';

// Inside the root, so that the final rename never crosses filesystems and stays atomic.
const TEMP_DIR = '.tmp';
const FAN_OUT_DIR = /^[0-9a-f]{2}$/;
const DEFAULT_SWEEP_BATCH = 500;

export class FsBlobStore implements BlobStore {
  readonly root: string;
  readonly #tempDir: string;

  /** Nothing is touched until the first put creates `root`; reads of a store never written find nothing. */
  constructor(root: string) {
    this.root = path.resolve(root);
    this.#tempDir = path.join(this.root, TEMP_DIR);
  }

  async put(input: BlobSource, opts: PutBlobOptions = {}): Promise<StoredBlob> {
    const digest = new BlobDigest(opts.maxBytes);
    await mkdir(this.#tempDir, { recursive: true });
    const tempPath = path.join(this.#tempDir, randomBytes(16).toString('hex'));
    let file: FileHandle | undefined = await open(tempPath, 'wx');
    try {
      for await (const chunk of sourceChunks(input)) {
        digest.update(chunk);
        await writeFully(file, chunk);
      }
      // The bytes reach the disk before the name does: after a crash a key holds the whole blob or nothing.
      await file.sync();
      await file.close();
      file = undefined;

      const key = newBlobKey();
      const target = this.#pathOf(key);
      const fanOutDir = path.dirname(target);
      const createdFanOutDir = await mkdir(fanOutDir, { recursive: true });
      await rename(tempPath, target);
      // The caller commits a row naming this key once we return, so the new name must outlive a crash too.
      await syncDirectory(fanOutDir);
      if (createdFanOutDir) await syncDirectory(this.root);
      return { key, ...digest.result() };
    } catch (err) {
      // Best effort: the upload's own error is the one to report, and sweep removes what is left.
      await file?.close().catch(() => {});
      await unlink(tempPath).catch(() => {});
      throw err;
    }
  }

  async get(key: string): Promise<Readable | null> {
    const file = await ifPresent(open(this.#pathOf(key), 'r'));
    // Reading from the open handle, a delete that comes after this point does not cut the download short.
    return file ? file.createReadStream() : null;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const info = await ifPresent(stat(this.#pathOf(key)));
    return info ? { size: info.size } : null;
  }

  async delete(key: string): Promise<boolean> {
    // Fan-out directories stay (at most 256): removing one could pull it from under a put about to rename into it.
    return (await ifPresent(unlink(this.#pathOf(key)).then(() => true))) ?? false;
  }

  async *list(): AsyncGenerator<ListedBlob, void, undefined> {
    const root = await ifPresent(opendir(this.root));
    if (!root) return;
    for await (const fanOut of root) {
      if (!fanOut.isDirectory() || !FAN_OUT_DIR.test(fanOut.name)) continue;
      const dir = await ifPresent(opendir(path.join(this.root, fanOut.name)));
      if (!dir) continue;
      for await (const entry of dir) {
        const key = `${fanOut.name}/${entry.name}`;
        if (!entry.isFile() || !isBlobKey(key)) continue;
        // Gone between the directory read and the stat: deleted meanwhile, so not listed.
        const info = await ifPresent(stat(this.#pathOf(key)));
        if (info) yield { key, size: info.size, modifiedAt: info.mtime };
      }
    }
  }

  async sweep(isReferenced: ReferencedBlobKeys, opts: SweepOptions): Promise<SweepResult> {
    const batch = opts.batch ?? DEFAULT_SWEEP_BATCH;
    if (!(Number.isSafeInteger(batch) && batch >= 1))
      throw new RangeError(`batch must be a positive integer, got ${batch}`);
    if (!(opts.olderThanMs >= 0)) throw new RangeError(`olderThanMs must be zero or more, got ${opts.olderThanMs}`);
    // Fixed once: a blob written while the sweep runs is younger than the cutoff whatever the threshold.
    const cutoff = Date.now() - opts.olderThanMs;
    const swept: SweepResult = { removed: 0, bytes: 0 };

    let candidates: ListedBlob[] = [];
    for await (const blob of this.list()) {
      if (blob.modifiedAt.getTime() > cutoff) continue;
      candidates.push(blob);
      if (candidates.length >= batch) {
        await this.#removeUnreferenced(candidates, isReferenced, swept);
        candidates = [];
      }
    }
    if (candidates.length > 0) await this.#removeUnreferenced(candidates, isReferenced, swept);

    await this.#removeStaleTempFiles(cutoff, swept);
    return swept;
  }

  async #removeUnreferenced(candidates: ListedBlob[], isReferenced: ReferencedBlobKeys, swept: SweepResult) {
    const referenced = await isReferenced(candidates.map((blob) => blob.key));
    for (const blob of candidates) {
      if (referenced.has(blob.key)) continue;
      if (await this.delete(blob.key)) {
        swept.removed += 1;
        swept.bytes += blob.size;
      }
    }
  }

  // A temp file is written to as its upload streams, so only one stalled for the whole threshold is this old.
  async #removeStaleTempFiles(cutoff: number, swept: SweepResult) {
    const temp = await ifPresent(opendir(this.#tempDir));
    if (!temp) return;
    for await (const entry of temp) {
      if (!entry.isFile()) continue;
      const tempPath = path.join(this.#tempDir, entry.name);
      const info = await ifPresent(stat(tempPath));
      if (!info || info.mtimeMs > cutoff) continue;
      if (await ifPresent(unlink(tempPath).then(() => true))) {
        swept.removed += 1;
        swept.bytes += info.size;
      }
    }
  }

  #pathOf(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, key);
  }
}

async function writeFully(file: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let offset = 0; offset < chunk.byteLength; ) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The operation's result, or null when the file it names does not exist; any other failure is thrown. */
async function ifPresent<T>(operation: Promise<T>): Promise<T | null> {
  try {
    return await operation;
  } catch (err) {
    if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') return null;
    throw err;
  }
}
