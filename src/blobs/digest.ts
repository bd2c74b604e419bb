// Reading an upload once: its chunks in one shape whatever the source, and its size and sha256 counted as they pass.
import { createHash } from 'node:crypto';
import { type BlobSource, BlobTooLargeError } from './store.js';

/** Size and sha256 of bytes streaming past, with the upload's byte limit enforced on the way. */
export class BlobDigest {
  readonly #hash = createHash('sha256');
  #size = 0;

  constructor(private readonly maxBytes?: number) {
    if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
      throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
    }
  }

  /** Throws before taking a chunk that would pass the limit, so the caller never stores a byte beyond it. */
  update(chunk: Uint8Array): void {
    const size = this.#size + chunk.byteLength;
    if (this.maxBytes !== undefined && size > this.maxBytes) throw new BlobTooLargeError(this.maxBytes);
    this.#hash.update(chunk);
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  /** Call once, after the last chunk. */
  result(): { size: number; sha256: string } {
    return { size: this.#size, sha256: this.#hash.digest('hex') };
  }
}

/**
 * The upload's bytes as one kind of async iterable. Leaving the loop early (too large, a disk error)
 * stops the producer: a Node stream is destroyed, a web stream cancelled, a generator returned.
 */
export async function* sourceChunks(input: BlobSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (input instanceof Uint8Array) {
    yield input;
    return;
  }
  if (isWebStream(input)) {
    const reader = input.getReader();
    let finished = false;
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) {
          finished = true;
          return;
        }
        yield bytesOnly(next.value);
      }
    } finally {
      // An errored stream rejects the cancel with its own error, which the read has already thrown.
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  for await (const chunk of input) yield bytesOnly(chunk);
}

function isWebStream(input: BlobSource): input is ReadableStream<Uint8Array> {
  return typeof (input as ReadableStream<Uint8Array>).getReader === 'function';
}

// A Node stream with an encoding set hands out strings; storing them would silently re-encode the upload.
function bytesOnly(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError(`A blob source must yield bytes, got ${typeof chunk}`);
}
