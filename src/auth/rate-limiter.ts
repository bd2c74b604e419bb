// Rate limits per API key, shared by every instance: tokens leased from a bucket in the database, spent locally.
import { leaseSize, msUntilToken, type RateLimits, retryAfterSeconds, type TokenBucket } from '../config/rate-limit.js';
import { Prisma } from '../db/generated/client.js';
import type { Logger } from '../logger.js';
import type { Principal } from './scopes.js';

/** What one lease statement answers. */
export interface Lease {
  /** tokens this instance may now spend */
  granted: number;
  /** tokens left in the shared bucket after the lease (fractional) */
  tokens: number;
}

/** Runs one statement and returns its rows (PostgreSQL: a prepared statement; PGlite: through Prisma). */
export type Query = <Row>(sql: Prisma.Sql) => Promise<Row[]>;

/**
 * Takes up to `want` whole tokens from the key's bucket in one statement: refill by the time
 * since the last lease (the database's clock), cap at the burst, grant what is there. A first
 * lease creates the bucket full. Concurrent leases of one key serialize on its row; a lease
 * whose `now()` is older than the row's keeps the row's time, so no interval refills twice.
 */
export function leaseTokensSql(keyId: string, want: number, bucket: TokenBucket): Prisma.Sql {
  const burst = bucket.burst;
  return Prisma.sql`
    INSERT INTO rate_limit_bucket AS b (key_id, tokens, refilled_at, last_grant)
    VALUES (${keyId}, ${burst}::float8 - least(${want}::int, ${burst}::int), now(), least(${want}::int, ${burst}::int))
    ON CONFLICT (key_id) DO UPDATE SET (tokens, refilled_at, last_grant) = (
      SELECT f.available - f.granted, f.at, f.granted
      FROM (
        SELECT a.available, a.at, least(${want}::int, floor(a.available)::int) AS granted
        FROM (
          SELECT
            greatest(b.refilled_at, now()) AS at,
            least(
              ${burst}::float8,
              b.tokens + extract(epoch FROM greatest(now() - b.refilled_at, interval '0'))::float8 * ${bucket.perSecond}::float8
            ) AS available
        ) a
      ) f
    )
    RETURNING last_grant AS granted, tokens`;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

const ADMITTED: Admission = { admitted: true };

/**
 * How long leased tokens stay spendable. Dropped after it (not returned): the bucket has refilled
 * by more than that meanwhile, unless the key is at its limit, where a dropped token is one
 * request refused that could have passed, never one admitted too many.
 */
const LEASE_HOLD_MS = 1_000;
/** Admissions between two sweeps of idle keys' state. */
const SWEEP_EVERY = 1_024;

interface KeyState {
  /** leased tokens not yet spent */
  tokens: number;
  /** when the unspent tokens are dropped */
  expiresAt: number;
  /** the shared bucket was empty: refuse without asking until then */
  refusedUntil: number;
  /** the lease in flight (one per key at a time) */
  lease: Promise<'leased' | 'failed'> | null;
}

/**
 * Admits or refuses one request of a key. The hot path takes a leased token from memory; a
 * database round trip happens once per lease (`leaseSize` tokens, fetched ahead when half is
 * spent, so requests rarely wait for it) and, while a key is refused, once per refill of one
 * token. Together the instances admit at most two leases each beyond what one bucket would.
 */
export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private admissions = 0;

  constructor(
    private readonly limits: RateLimits,
    private readonly query: Query,
    private readonly log: Logger,
  ) {}

  /** The bucket a key is held to, or null: this key is not limited. */
  bucketFor(principal: Principal): TokenBucket | null {
    const privileged = principal.scopes.has('admin') || principal.scopes.has('platform');
    return privileged ? this.limits.adminKeys : this.limits.keys;
  }

  async admit(principal: Principal): Promise<Admission> {
    const bucket = this.bucketFor(principal);
    if (!bucket) return ADMITTED;
    if (++this.admissions % SWEEP_EVERY === 0) this.sweep();
    const keyId = principal.keyId;
    const size = leaseSize(bucket);
    let state = this.keys.get(keyId);
    if (!state) {
      state = { tokens: 0, expiresAt: 0, refusedUntil: 0, lease: null };
      this.keys.set(keyId, state);
    }
    for (;;) {
      const now = performance.now();
      if (state.tokens > 0 && state.expiresAt <= now) state.tokens = 0;
      if (state.tokens > 0) {
        state.tokens--;
        // half spent: the next lease is fetched now, so the request that needs it need not wait
        if (size > 1 && state.tokens <= size / 2) void this.startLease(keyId, state, bucket, size);
        return ADMITTED;
      }
      if (state.refusedUntil > now)
        return { admitted: false, retryAfterSeconds: retryAfterSeconds(state.refusedUntil - now) };
      // No token here and none known to be missing there: ask (or wait for the lease in flight).
      // Waiters beyond what the lease granted go round again and lease once more.
      if ((await this.startLease(keyId, state, bucket, size)) === 'failed') return ADMITTED;
    }
  }

  private startLease(keyId: string, state: KeyState, bucket: TokenBucket, size: number) {
    state.lease ??= this.lease(keyId, state, bucket, size).finally(() => {
      state.lease = null;
    });
    return state.lease;
  }

  private async lease(keyId: string, state: KeyState, bucket: TokenBucket, size: number): Promise<'leased' | 'failed'> {
    let lease: Lease | undefined;
    try {
      [lease] = await this.query<Lease>(leaseTokensSql(keyId, size, bucket));
      if (!lease) throw new Error('the lease statement returned no row');
    } catch (err) {
      // Admitted: a request that cannot reach the database fails on its own; a 429 would tell its
      // client to wait for tokens that a database hiccup did not spend.
      this.log.warn({ err, keyId }, 'could not lease rate-limit tokens; admitting the request');
      return 'failed';
    }
    const now = performance.now();
    if (lease.granted > 0) {
      // tokens past their hold stay dropped; a new lease does not revive them
      if (state.expiresAt <= now) state.tokens = 0;
      state.tokens += lease.granted;
      state.expiresAt = now + LEASE_HOLD_MS;
    } else {
      state.refusedUntil = now + msUntilToken(bucket, lease.tokens);
    }
    return 'leased';
  }

  /** Forgets keys that hold nothing: no tokens, no refusal, no lease in flight. */
  private sweep() {
    const now = performance.now();
    for (const [keyId, state] of this.keys) {
      const holdsTokens = state.tokens > 0 && state.expiresAt > now;
      if (!holdsTokens && state.refusedUntil <= now && !state.lease) this.keys.delete(keyId);
    }
  }
}
