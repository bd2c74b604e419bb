// Rate limits per API key (RATE_LIMIT, RATE_LIMIT_BURST, RATE_LIMIT_ADMIN): their syntax, defaults and the bucket arithmetic.

/** RATE_LIMIT=off: no limit. */
export const RATE_LIMIT_OFF = 'off';

/** A rate as configured: `count` requests per `unit`. */
export interface Rate {
  count: number;
  unit: 's' | 'min' | 'h';
  /** tokens added per second */
  perSecond: number;
}

/** One key's token bucket: it refills continuously and holds at most `burst` tokens; a request takes one. */
export interface TokenBucket {
  /** tokens added per second */
  perSecond: number;
  /** the most tokens the bucket holds: how many requests a rested key may make at once */
  burst: number;
}

/** The buckets in force: for ordinary keys, and for keys with the `admin` or `platform` scope; null: not limited. */
export interface RateLimits {
  keys: TokenBucket | null;
  adminKeys: TokenBucket | null;
}

/** RATE_LIMIT on PostgreSQL when it is not set: generous for one client, a wall for a runaway one. */
export const DEFAULT_POSTGRES_RATE = '100/s';

const SECONDS_PER_UNIT = { s: 1, min: 60, h: 3600 } as const;
const MAX_COUNT = 1_000_000_000;

export const RATE_SYNTAX = 'off, or a rate such as 100 (per second), 100/s, 600/min or 10000/h';

/** A rate, `off`, or why the value is neither (a line for the config error). */
export function parseRate(value: string): Rate | typeof RATE_LIMIT_OFF | { problem: string } {
  const text = value.trim();
  if (text.toLowerCase() === RATE_LIMIT_OFF) return RATE_LIMIT_OFF;
  const m = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|min|h))?$/.exec(text);
  if (!m) return { problem: `"${value}" is not ${RATE_SYNTAX}` };
  const count = Number(m[1]);
  if (count <= 0)
    return { problem: `a rate of ${count} refuses every request; use off for no limit, or a rate above 0` };
  if (count > MAX_COUNT) return { problem: `${count} is more than ${MAX_COUNT}; use off for no limit` };
  const unit = (m[2] ?? 's') as Rate['unit'];
  return { count, unit, perSecond: count / SECONDS_PER_UNIT[unit] };
}

export const isRateProblem = (v: ReturnType<typeof parseRate>): v is { problem: string } =>
  typeof v === 'object' && 'problem' in v;

/** A rate's bucket: it holds `burst` tokens, by default the rate's own count (`600/min`: 600 at once). */
export function bucketOf(rate: Rate, burst?: number): TokenBucket {
  return { perSecond: rate.perSecond, burst: burst ?? Math.max(1, Math.ceil(rate.count)) };
}

/**
 * The buckets of the settings. RATE_LIMIT unset: off on the embedded database (one process, one
 * user), DEFAULT_POSTGRES_RATE on PostgreSQL. RATE_LIMIT_ADMIN unset: admin keys as every key.
 */
export function resolveRateLimits(settings: {
  postgres: boolean;
  rate: Rate | typeof RATE_LIMIT_OFF | undefined;
  burst: number | undefined;
  adminRate: Rate | typeof RATE_LIMIT_OFF | undefined;
}): RateLimits {
  const rate = settings.rate ?? (settings.postgres ? (parseRate(DEFAULT_POSTGRES_RATE) as Rate) : RATE_LIMIT_OFF);
  const keys = rate === RATE_LIMIT_OFF ? null : bucketOf(rate, settings.burst);
  const admin = settings.adminRate;
  const adminKeys = admin === undefined ? keys : admin === RATE_LIMIT_OFF ? null : bucketOf(admin);
  return { keys, adminKeys };
}

/** The share of refill one lease may take, and of the burst. */
const LEASE_SECONDS = 0.1;
const LEASE_BURST_SHARE = 10;

/**
 * How many tokens an instance takes from the shared bucket at once: at most 100 ms of refill and
 * a tenth of the burst, at least one. Each instance holds at most two leases unspent, which is
 * all the instances together can admit beyond what one bucket would.
 */
export function leaseSize(bucket: TokenBucket): number {
  return Math.max(
    1,
    Math.min(Math.ceil(bucket.perSecond * LEASE_SECONDS), Math.floor(bucket.burst / LEASE_BURST_SHARE)),
  );
}

/** Milliseconds until a bucket holding `tokens` (< 1) holds one whole token again. */
export function msUntilToken(bucket: TokenBucket, tokens: number): number {
  return (Math.max(0, 1 - tokens) / bucket.perSecond) * 1000;
}

/** `Retry-After` for a refusal lasting `ms` more: whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
