import { randomBytes, randomUUID } from 'node:crypto';

const OBJECT_ID = /^[0-9a-f]{24}$/i;
const processUnique = randomBytes(5);
let counter = randomBytes(3).readUIntBE(0, 3);

/** A MongoDB ObjectId: 4 bytes of seconds, 5 bytes per process, 3 bytes of counter. */
export function newObjectId(now = Date.now()): string {
  const buf = Buffer.alloc(12);
  buf.writeUInt32BE(Math.floor(now / 1000), 0);
  processUnique.copy(buf, 4);
  counter = (counter + 1) % 0xffffff;
  buf.writeUIntBE(counter, 9, 3);
  return buf.toString('hex');
}

export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix` + `length` url-safe characters from a CSPRNG, without modulo bias. */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export const newWorkspaceId = () => `wks_${randomToken(16)}`;
export const newApiKeyId = () => `key_${randomToken(16)}`;
export const newWrapperId = () => `wrapper_${randomToken(16)}`;
/** Seed 002's request ids are opaque strings; this is the one the gateway gives when the caller gives none. */
export const newParserRequestId = () => `pr_${randomToken(16)}`;
/** Seed 004's operations: never confused with the integer ids of images. */
export const newOperationId = () => `op_${randomToken(16)}`;
export const isOperationId = (value: string) => /^op_[A-Za-z0-9]{16}$/.test(value);
export const newUuid = () => randomUUID();
/** Seed 003: dataset ids, and the ids of their public share links. */
export const newDatasetId = () => `ds_${randomToken(16)}`;
export const newDatasetShareId = () => `dsx_${randomToken(16)}`;
const DATASET_ID = /^ds_[A-Za-z0-9_-]{16}$/;
export const isDatasetId = (value: string) => DATASET_ID.test(value);
const DATASET_SHARE_ID = /^dsx_[A-Za-z0-9_-]{16}$/;
export const isDatasetShareId = (value: string) => DATASET_SHARE_ID.test(value);

/** RFC 9562 UUIDv7: 48 bits of milliseconds first, so ids sort by creation time. */
export function newUuidV7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
