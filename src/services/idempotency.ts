// Safe retries: a deletion sent with an idempotency key records the key in its own transaction,
// so a retry after a lost answer (a crash, a cut connection) gets the first answer again instead
// of "not found", and never a second side effect. Google AIP-155; Stripe's Idempotency-Key.
import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { ConflictError, ValidationError } from './errors.js';

/** A key as a deletion carries it: whose, which, and for what request. */
export interface IdempotencyKey {
  /** the API key's id: keys are per caller */
  callerId: string;
  key: string;
  /** the operation, e.g. `resource.delete` */
  operation: string;
  /** sha256 of the operation and its normalized arguments */
  fingerprint: string;
  /** how long the key holds (IDEMPOTENCY_TTL) */
  ttlMs: number;
}

/** The same key was sent with a different request: GraphQL `CONFLICT`, REST 422. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor(
    /** the reused key: also what tells this error from another ConflictError by type */
    readonly reusedKey: string,
    operation: string,
  ) {
    super(
      `Idempotency key ${JSON.stringify(reusedKey)} was already used for a different request (${operation}); ` +
        'use a new key for a new request',
    );
  }
}

/** Printable ASCII, 1 to 255 characters (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Object keys sorted at every level: equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A key as a caller sent it, before it is tied to a request. */
export interface SentKey {
  callerId: string;
  key: string;
  ttlMs: number;
}

/** The key a caller sent (null: none); a malformed key is a ValidationError (field `idempotencyKey`). */
export function sentKey(
  raw: string | null | undefined,
  callerId: string,
  ttlMs: number,
): SentKey | ValidationError | null {
  if (raw === null || raw === undefined) return null;
  if (!IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    return new ValidationError(
      'An idempotency key is 1 to 255 printable ASCII characters without spaces (a UUID, say)',
      'idempotencyKey',
    );
  }
  return { callerId, key: raw, ttlMs };
}

/**
 * The sent key tied to one request: `args` are the operation's arguments as the service sees
 * them (normalized ids), so GraphQL and REST asking the same thing share a fingerprint.
 */
export function keyFor(sent: SentKey | null | undefined, operation: string, args: unknown): IdempotencyKey | null {
  if (!sent) return null;
  const fingerprint = createHash('sha256').update(operation).update('\n').update(canonicalJson(args)).digest('hex');
  return { ...sent, operation, fingerprint };
}

interface StoredKey {
  fingerprint: string;
  answer: unknown;
}

async function storedKey(db: Db, idem: IdempotencyKey): Promise<StoredKey | null> {
  const [row] = await db.$queryRaw<StoredKey[]>`
    SELECT fingerprint, answer FROM idempotency_key
     WHERE caller_id = ${idem.callerId} AND key = ${idem.key} AND expires_at > now()`;
  return row ?? null;
}

/**
 * The statement part that records `idem` for the rows of `from` (a CTE or table expression
 * with `workspace_id` and whatever `answer` reads). A key left from an expired earlier use is
 * taken over; a live one is left alone (a concurrent different request with the same key:
 * the first to commit keeps it).
 */
export function recordKeySql(idem: IdempotencyKey, from: Prisma.Sql, answer: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO idempotency_key AS k (caller_id, key, fingerprint, operation, workspace_id, answer, expires_at)
    SELECT ${idem.callerId}, ${idem.key}, ${idem.fingerprint}, ${idem.operation}, workspace_id, ${answer},
           now() + ${idem.ttlMs} * interval '1 millisecond'
      FROM ${from}
    ON CONFLICT (caller_id, key) DO UPDATE
       SET fingerprint = excluded.fingerprint, operation = excluded.operation, workspace_id = excluded.workspace_id,
           answer = excluded.answer, created_at = now(), expires_at = excluded.expires_at
     WHERE k.expires_at <= now()`;
}

/** Records `idem` with `answer` in the caller's transaction `tx`. */
export async function recordKey(tx: Db, idem: IdempotencyKey, workspaceId: string, answer: unknown): Promise<void> {
  await tx.$executeRaw`${recordKeySql(
    idem,
    Prisma.sql`(SELECT ${workspaceId}::text AS workspace_id) AS w`,
    Prisma.sql`${JSON.stringify(answer)}::jsonb`,
  )}`;
}

/**
 * Runs a deletion under an idempotency key. A key already recorded for the same request
 * answers `replay(answer)` (no second side effect); for a different request,
 * IdempotencyKeyReusedError. Otherwise `run` deletes and records the key in its own
 * transaction. When `run` found nothing (`empty`), a concurrent retry with the same key may
 * have deleted it first: its recorded answer is given then.
 */
export async function withIdempotency<T>(
  db: Db,
  idem: IdempotencyKey | null | undefined,
  steps: {
    run: () => Promise<T>;
    replay: (answer: unknown) => Promise<T> | T;
    empty?: (result: T) => boolean;
  },
): Promise<T | IdempotencyKeyReusedError> {
  if (!idem) return steps.run();
  const answered = async (stored: StoredKey) =>
    stored.fingerprint === idem.fingerprint
      ? steps.replay(stored.answer)
      : new IdempotencyKeyReusedError(idem.key, idem.operation);
  const before = await storedKey(db, idem);
  if (before) return answered(before);
  const result = await steps.run();
  if (steps.empty?.(result)) {
    const after = await storedKey(db, idem);
    if (after) return answered(after);
  }
  return result;
}

/** Deletes the keys past their time; returns how many. */
export async function pruneIdempotencyKeys(db: Db): Promise<number> {
  return db.$executeRaw`DELETE FROM idempotency_key WHERE expires_at <= now()`;
}

/** A row stored as jsonb back to the driver's types: `…_at` timestamps become Dates again. */
export function reviveRow<Row>(stored: unknown): Row {
  const row = { ...(stored as Record<string, unknown>) };
  for (const [k, v] of Object.entries(row)) {
    if (k.endsWith('_at') && typeof v === 'string') row[k] = new Date(v);
  }
  return row as Row;
}
