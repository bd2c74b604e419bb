import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobDigest } from '../src/blobs/digest.js';
import { FsBlobStore } from '../src/blobs/fs-store.js';
import { type BlobSource, BlobTooLargeError, InvalidBlobKeyError, isBlobKey } from '../src/blobs/store.js';

const HOUR = 3_600_000;

let dir: string;
let store: FsBlobStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-blobs-'));
  // A directory that does not exist yet: the store creates it on first use.
  store = new FsBlobStore(path.join(dir, 'blobs'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listed() {
  const blobs = [];
  for await (const blob of store.list()) blobs.push(blob);
  return blobs.sort((a, b) => a.key.localeCompare(b.key));
}

/** Every file under the store's root, temp files included, as paths relative to it. */
function filesOnDisk(): string[] {
  if (!fs.existsSync(store.root)) return [];
  return fs
    .readdirSync(store.root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(store.root, path.join(entry.parentPath, entry.name)))
    .sort();
}

function tempFiles(): string[] {
  const temp = path.join(store.root, '.tmp');
  return fs.existsSync(temp) ? fs.readdirSync(temp) : [];
}

/** Backdates a stored blob or temp file so that sweep sees it as `ageMs` old. */
function age(relativePath: string, ageMs: number) {
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(path.join(store.root, relativePath), when, when);
}

// Three chunks of varied sizes, one of them larger than a typical stream buffer.
const content = Buffer.concat([Buffer.from('parser result\n'), Buffer.alloc(200_000, 7), Buffer.from([0, 255, 1])]);
const pieces = [content.subarray(0, 14), content.subarray(14, 100_014), content.subarray(100_014)];

const sources: [string, () => BlobSource][] = [
  ['a Buffer', () => Buffer.from(content)],
  ['a Node stream', () => Readable.from(pieces.map((p) => Buffer.from(p)))],
  [
    'a web ReadableStream',
    () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const p of pieces) controller.enqueue(new Uint8Array(p));
          controller.close();
        },
      }),
  ],
  [
    'an async generator',
    () =>
      (async function* () {
        yield* pieces;
      })(),
  ],
];

describe('put, get, stat, list and delete', () => {
  it.each(sources)('bytes put from %s come back the same, with their size and sha256', async (_, source) => {
    const stored = await store.put(source(), { contentType: 'application/octet-stream' });

    expect(isBlobKey(stored.key)).toBe(true);
    expect(stored.key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{30}$/);
    expect(stored.size).toBe(content.byteLength);
    expect(stored.sha256).toBe(sha256(content));

    const read = await store.get(stored.key);
    expect(read).not.toBeNull();
    expect((await readAll(read!)).equals(content)).toBe(true);
    expect(await store.stat(stored.key)).toEqual({ size: content.byteLength });
    expect(fs.readFileSync(path.join(store.root, stored.key)).equals(content)).toBe(true);

    const [blob, ...others] = await listed();
    expect(others).toEqual([]);
    expect(blob).toMatchObject({ key: stored.key, size: content.byteLength });
    expect(blob!.modifiedAt).toBeInstanceOf(Date);
    expect(tempFiles()).toEqual([]);

    expect(await store.delete(stored.key)).toBe(true);
    expect(await store.get(stored.key)).toBeNull();
    expect(await store.stat(stored.key)).toBeNull();
    expect(await listed()).toEqual([]);
  });

  it('an empty blob is a blob', async () => {
    const stored = await store.put(Buffer.alloc(0));
    expect(stored).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
    expect(await store.stat(stored.key)).toEqual({ size: 0 });
    expect((await readAll((await store.get(stored.key))!)).byteLength).toBe(0);
  });

  it('the second delete answers false, and deleting a key never stored is false too', async () => {
    const { key } = await store.put(Buffer.from('once'));
    expect(await store.delete(key)).toBe(true);
    expect(await store.delete(key)).toBe(false);
    expect(await store.delete('00/000000000000000000000000000000')).toBe(false);
  });

  it('a store nothing was put into reads as empty and creates no directory', async () => {
    const key = '0a/0123456789abcdef0123456789abcd';
    expect(await store.get(key)).toBeNull();
    expect(await store.stat(key)).toBeNull();
    expect(await store.delete(key)).toBe(false);
    expect(await listed()).toEqual([]);
    expect(await store.sweep(async () => new Set(), { olderThanMs: 0 })).toEqual({ removed: 0, bytes: 0 });
    expect(fs.existsSync(store.root)).toBe(false);
  });

  it('a delete that fails for a reason other than absence throws, so the caller retries', async () => {
    const { key } = await store.put(Buffer.from('stuck'));
    // Replacing the blob by a non-empty directory makes unlink fail with EISDIR (or EPERM).
    const file = path.join(store.root, key);
    fs.rmSync(file);
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'inside'), 'x');
    await expect(store.delete(key)).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|EPERM)$/) });
  });

  it('list shows stored blobs only, not uploads in progress or stray files', async () => {
    const { key } = await store.put(Buffer.from('listed'));
    fs.writeFileSync(path.join(store.root, '.tmp', 'half-an-upload'), 'half');
    fs.writeFileSync(path.join(store.root, 'README'), 'not a blob');
    fs.writeFileSync(path.join(store.root, key.slice(0, 2), 'not-a-key'), 'not a blob');
    expect((await listed()).map((b) => b.key)).toEqual([key]);
  });

  it('an upload in progress is invisible until its last byte is written, then appears whole', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let firstChunkWritten!: () => void;
    const waiting = new Promise<void>((resolve) => (firstChunkWritten = resolve));
    const upload = store.put(
      (async function* () {
        yield Buffer.from('first half, ');
        // The store asks for the next chunk only after writing the first one.
        firstChunkWritten();
        await released;
        yield Buffer.from('second half');
      })(),
    );

    await waiting;
    expect(await listed()).toEqual([]);
    expect(tempFiles()).toHaveLength(1);

    release();
    const stored = await upload;
    expect((await readAll((await store.get(stored.key))!)).toString()).toBe('first half, second half');
    expect(filesOnDisk()).toEqual([stored.key]);
  });

  it('50 puts in parallel get 50 distinct keys, each holding its own bytes', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => Buffer.from(`blob number ${i} `.repeat(i + 1)));
    const stored = await Promise.all(bodies.map((body) => store.put(body)));

    expect(new Set(stored.map((s) => s.key)).size).toBe(50);
    for (const [i, s] of stored.entries()) {
      expect(s.sha256).toBe(sha256(bodies[i]!));
      expect((await readAll((await store.get(s.key))!)).equals(bodies[i]!)).toBe(true);
    }
    expect(await listed()).toHaveLength(50);
    expect(tempFiles()).toEqual([]);
  });
});

describe('uploads that fail leave nothing behind', () => {
  it('a Buffer over maxBytes is refused with BlobTooLargeError carrying the limit', async () => {
    const error = await store.put(Buffer.alloc(10), { maxBytes: 9 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BlobTooLargeError);
    expect((error as BlobTooLargeError).limit).toBe(9);
    expect(filesOnDisk()).toEqual([]);
    expect(await listed()).toEqual([]);
  });

  it('exactly maxBytes is accepted', async () => {
    const stored = await store.put(Buffer.alloc(9), { maxBytes: 9 });
    expect(stored.size).toBe(9);
  });

  it('a stream passing maxBytes is aborted midway: the producer is stopped, no blob and no temp file remain', async () => {
    let chunksPulled = 0;
    let producerStopped = false;
    // Bounded, so that a store ignoring the limit fails this test instead of filling the disk.
    const longerThanAllowed = (async function* () {
      try {
        while (chunksPulled < 100) {
          chunksPulled += 1;
          yield Buffer.alloc(1024, 1);
        }
      } finally {
        producerStopped = true;
      }
    })();

    await expect(store.put(longerThanAllowed, { maxBytes: 4096 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(producerStopped).toBe(true);
    expect(chunksPulled).toBe(5);
    expect(filesOnDisk()).toEqual([]);
    expect(await listed()).toEqual([]);
  });

  it('a web stream passing maxBytes is cancelled', async () => {
    let cancelled = false;
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulled > 100) return controller.close();
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(store.put(source, { maxBytes: 2048 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(cancelled).toBe(true);
    expect(filesOnDisk()).toEqual([]);
  });

  const failing: [string, () => BlobSource][] = [
    [
      'an async generator',
      () =>
        (async function* () {
          yield Buffer.alloc(50_000, 1);
          throw new Error('connection reset');
        })(),
    ],
    [
      'a Node stream',
      () => {
        let sent = false;
        const stream = new Readable({
          read() {
            if (sent) return void this.destroy(new Error('connection reset'));
            sent = true;
            this.push(Buffer.alloc(50_000, 1));
          },
        });
        return stream;
      },
    ],
    [
      'a web ReadableStream',
      () => {
        let sent = false;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) return controller.error(new Error('connection reset'));
            sent = true;
            controller.enqueue(new Uint8Array(50_000));
          },
        });
      },
    ],
  ];

  it.each(failing)(
    '%s that errors midway rejects the put with its error, leaving no blob and no temp file',
    async (_, source) => {
      await expect(store.put(source())).rejects.toThrow('connection reset');
      expect(filesOnDisk()).toEqual([]);
      expect(await listed()).toEqual([]);
    },
  );

  it('a stream of strings is refused rather than stored re-encoded', async () => {
    await expect(store.put(Readable.from(['text']))).rejects.toBeInstanceOf(TypeError);
    expect(filesOnDisk()).toEqual([]);
  });
});

describe('keys cannot leave the store', () => {
  const invalid = [
    '../x',
    'a/../../etc/passwd',
    'x\0y',
    '/etc/passwd',
    path.join(os.tmpdir(), 'victim'),
    '',
    '..',
    'ab/../0123456789abcdef0123456789ab',
    'ab/0123456789abcdef0123456789ab/',
    '/ab/0123456789abcdef0123456789ab',
    'ab//0123456789abcdef0123456789a',
    'ab\\0123456789abcdef0123456789ab',
    'AB/0123456789ABCDEF0123456789AB',
    'ab/0123456789abcdef0123456789ab\n',
    'ab/0123456789abcdef0123456789a',
    'ab/0123456789abcdef0123456789abc',
    'abc/0123456789abcdef0123456789a',
    '.tmp/0123456789abcdef0123456789ab',
    'ab/0123456789abcdef0123456789a\0',
  ];

  it.each(invalid)('%j is refused by get, stat and delete with InvalidBlobKeyError', async (key) => {
    expect(isBlobKey(key)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(store.stat(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
  });

  it('a key pointing next to the store does not delete or read the file there', async () => {
    await store.put(Buffer.from('make the root exist'));
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'keep me');
    for (const key of ['../victim', 'ab/../../victim', victim]) {
      await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('non-string keys are refused', async () => {
    await expect(store.get(42 as unknown as string)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    expect(isBlobKey(null)).toBe(false);
  });
});

describe('sweep', () => {
  it('removes unreferenced blobs older than the threshold and stale temp files, keeps referenced and young ones', async () => {
    const oldOrphan = await store.put(Buffer.alloc(1000, 1));
    const oldReferenced = await store.put(Buffer.alloc(2000, 2));
    const youngOrphan = await store.put(Buffer.alloc(3000, 3));
    const youngReferenced = await store.put(Buffer.alloc(4000, 4));
    age(oldOrphan.key, 2 * HOUR);
    age(oldReferenced.key, 2 * HOUR);
    fs.writeFileSync(path.join(store.root, '.tmp', 'abandoned'), Buffer.alloc(500));
    age('.tmp/abandoned', 2 * HOUR);
    fs.writeFileSync(path.join(store.root, '.tmp', 'uploading'), Buffer.alloc(700));

    const asked: string[][] = [];
    const referencedRows = new Set([oldReferenced.key, youngReferenced.key]);
    const result = await store.sweep(
      async (keys) => {
        asked.push([...keys]);
        return new Set(keys.filter((k) => referencedRows.has(k)));
      },
      { olderThanMs: HOUR },
    );

    expect(result).toEqual({ removed: 2, bytes: 1000 + 500 });
    // Young blobs are not even candidates: their rows may not be committed yet.
    expect(asked.flat().sort()).toEqual([oldOrphan.key, oldReferenced.key].sort());
    expect(await store.stat(oldOrphan.key)).toBeNull();
    expect(await store.stat(oldReferenced.key)).toEqual({ size: 2000 });
    expect(await store.stat(youngOrphan.key)).toEqual({ size: 3000 });
    expect(await store.stat(youngReferenced.key)).toEqual({ size: 4000 });
    expect(tempFiles()).toEqual(['uploading']);
  });

  it('with a threshold longer than any blob has lived nothing is removed; with zero every unreferenced blob goes', async () => {
    const kept = await store.put(Buffer.alloc(10));
    const orphans = await Promise.all([store.put(Buffer.alloc(20)), store.put(Buffer.alloc(30))]);
    const onlyKept = async (keys: string[]) => new Set(keys.filter((k) => k === kept.key));

    expect(await store.sweep(onlyKept, { olderThanMs: 365 * 24 * HOUR })).toEqual({ removed: 0, bytes: 0 });
    expect(await listed()).toHaveLength(3);

    expect(await store.sweep(onlyKept, { olderThanMs: 0 })).toEqual({ removed: 2, bytes: 50 });
    expect((await listed()).map((b) => b.key)).toEqual([kept.key]);
    for (const orphan of orphans) expect(await store.get(orphan.key)).toBeNull();
  });

  it('asks about keys in batches of the given size', async () => {
    const stored = await Promise.all(Array.from({ length: 5 }, (_, i) => store.put(Buffer.alloc(i + 1))));
    const batches: string[][] = [];
    const result = await store.sweep(
      async (keys) => {
        batches.push([...keys]);
        return new Set(keys);
      },
      { olderThanMs: 0, batch: 2 },
    );

    expect(result).toEqual({ removed: 0, bytes: 0 });
    expect(batches.map((b) => b.length).sort()).toEqual([1, 2, 2]);
    expect(batches.flat().sort()).toEqual(stored.map((s) => s.key).sort());
    expect(await listed()).toHaveLength(5);
  });

  it('a failing reference check stops the sweep without removing that batch', async () => {
    const { key } = await store.put(Buffer.from('maybe referenced'));
    await expect(
      store.sweep(
        async () => {
          throw new Error('database unavailable');
        },
        { olderThanMs: 0 },
      ),
    ).rejects.toThrow('database unavailable');
    expect(await store.stat(key)).not.toBeNull();
  });
});

describe('BlobDigest', () => {
  it('counts and hashes chunk by chunk as one pass over the whole', () => {
    const digest = new BlobDigest();
    for (const p of pieces) digest.update(p);
    expect(digest.result()).toEqual({ size: content.byteLength, sha256: sha256(content) });
  });

  it('refuses the chunk that would pass the limit without counting it', () => {
    const digest = new BlobDigest(5);
    digest.update(Buffer.alloc(5));
    expect(() => digest.update(Buffer.alloc(1))).toThrow(BlobTooLargeError);
    expect(digest.size).toBe(5);
  });
});
