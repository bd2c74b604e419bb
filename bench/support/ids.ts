import { randomBytes } from 'node:crypto';

// Resource ids are 24 hex digits (the gateway's ObjectId format). One counter for the whole
// run keeps ids unique across every database the bench fills.
let counter = 0;
const runPrefix = `b${randomBytes(4).toString('hex').slice(1)}`;

export function nextResourceId(): string {
  counter += 1;
  return runPrefix + counter.toString(16).padStart(16, '0');
}

/** Ids that sort before every id `nextResourceId` hands out, for the rows a list should see first. */
export function leadingResourceId(n: number): string {
  return `00000000${n.toString(16).padStart(16, '0')}`;
}

// Outbox ids in the raw-SQL bound are UUIDv7 like the gateway's, so index behaviour matches.
export { newUuidV7 as uuidV7 } from '../../src/ids.js';
