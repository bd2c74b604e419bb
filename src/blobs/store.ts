// The contract every blob backend keeps (filesystem now, object store later): operations, key format, errors.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/** The bytes of an upload, in any of the shapes a request body or a producer hands over. */
export type BlobSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | Buffer;

/** A file as an upload hands it over: a web `File` is one. Its name is metadata, never a key or a path. */
export interface UploadedFile {
  readonly name: string;
  /** the content type the client declared ('' when none) */
  readonly type: string;
  stream(): BlobSource;
}

export interface PutBlobOptions {
  /** The upload is aborted with `BlobTooLargeError` as soon as it passes this many bytes. */
  maxBytes?: number;
  /** For stores that keep metadata (an object store's Content-Type); the filesystem keeps bytes only. */
  contentType?: string;
}

export interface StoredBlob {
  key: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
}

export interface ListedBlob {
  key: string;
  size: number;
  modifiedAt: Date;
}

export interface SweepOptions {
  /**
   * Only blobs (and temp files) at least this old are candidates: longer than any upload takes to
   * commit the row that references its key, so a blob whose row is on its way is never swept.
   */
  olderThanMs: number;
  /** How many keys `isReferenced` is asked about at once. */
  batch?: number;
}

export interface SweepResult {
  /** Unreferenced blobs plus stale temp files removed. */
  removed: number;
  /** The space they took. */
  bytes: number;
}

/** Given candidate keys, answers the subset that some row still names. */
export type ReferencedBlobKeys = (keys: string[]) => Promise<Set<string>>;

export interface BlobStore {
  /**
   * Stores the bytes under a new random key. The blob becomes visible under its key whole or not at
   * all: a failed or too large upload leaves nothing behind.
   */
  put(input: BlobSource, opts?: PutBlobOptions): Promise<StoredBlob>;
  /** The blob's bytes, or null when no blob has that key. Destroy the stream if you stop reading early. */
  get(key: string): Promise<Readable | null>;
  stat(key: string): Promise<{ size: number } | null>;
  /** True when this call removed the blob, false when it was already gone; throws only for real I/O failures. */
  delete(key: string): Promise<boolean>;
  /** Every stored blob, in no particular order; uploads in progress are not blobs yet. */
  list(): AsyncIterable<ListedBlob>;
  /** Removes blobs that no row references and uploads abandoned long ago. */
  sweep(isReferenced: ReferencedBlobKeys, opts: SweepOptions): Promise<SweepResult>;
}

export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';
  constructor(readonly limit: number) {
    super(`The blob exceeds the limit of ${limit} bytes`);
  }
}

/** A key that is not one this store could have made; refused before it gets near a path or a URL. */
export class InvalidBlobKeyError extends Error {
  override readonly name = 'InvalidBlobKeyError';
  constructor(readonly key: unknown) {
    super(`Not a blob key: ${JSON.stringify(String(key).slice(0, 64))}`);
  }
}

// Two hex characters of fan-out, then thirty more: 128 random bits, lowercase so that
// case-insensitive filesystems agree, and no character a path or a URL gives a meaning to.
const BLOB_KEY = /^[0-9a-f]{2}\/[0-9a-f]{30}$/;

export function newBlobKey(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 2)}/${hex.slice(2)}`;
}

export function isBlobKey(value: unknown): value is string {
  return typeof value === 'string' && BLOB_KEY.test(value);
}

/** Every store operation starts here, so a key read from a database row can never name a path outside the store. */
export function assertBlobKey(value: unknown): asserts value is string {
  if (!isBlobKey(value)) throw new InvalidBlobKeyError(value);
}
