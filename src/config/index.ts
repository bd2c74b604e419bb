import os from 'node:os';
import { z } from 'zod';
import { isCronProblem, parseCronSchedule } from './cron.js';
import { isManifestProblem, type PersistedDocuments, readPersistedDocuments } from './persisted-documents.js';
import { isRateProblem, parseRate, resolveRateLimits } from './rate-limit.js';

/** PURGE_CRON=off: no scheduled purge (purgeExpiredDatasets still runs one). */
export const PURGE_OFF = 'off';

const booleanish = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1');

const durationMs = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'a duration such as 500ms, 30s, 5m, 12h or 30d')
  .transform((v) => {
    const m = /^(\d+)(ms|s|m|h|d)?$/.exec(v)!;
    const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms']!;
    return Number(m[1]) * unit;
  });

/** A size in bytes: a number with an optional binary unit (`kb`, `mb`, `gb`). */
const byteSize = z
  .string()
  .regex(/^\d+(b|kb|mb|gb)?$/i, 'a size such as 1048576, 512kb, 50mb or 1gb')
  .transform((v) => {
    const m = /^(\d+)(b|kb|mb|gb)?$/i.exec(v)!;
    const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b']!;
    return Number(m[1]) * unit;
  })
  .refine((n) => Number.isSafeInteger(n), 'too large');

/** Which browser origins may call the API: none (the default), any (`*`), or exactly these. */
export type CorsOrigins = '*' | readonly string[];

const corsOrigins = z
  .string()
  .default('')
  .transform((value, ctx): CorsOrigins => {
    const entries = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (entries.includes('*')) {
      if (entries.length === 1) return '*';
      ctx.addIssue({ code: 'custom', message: '* allows every origin; give it alone, not beside other origins' });
      return z.NEVER;
    }
    for (const entry of entries) {
      const problem = originProblem(entry);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
    }
    return entries;
  });

/**
 * Why `value` is not an origin as browsers send it (scheme://host[:port], lower case, no path),
 * or null. Origins are compared exactly, so a near miss is refused here rather than never matching.
 */
export function originProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not an origin such as https://app.example.com`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `${value} is not an http(s) origin such as https://app.example.com`;
  if (url.origin !== value) return `${value} is not an origin (scheme://host[:port]); did you mean ${url.origin}?`;
  return null;
}

/** RATE_LIMIT, RATE_LIMIT_ADMIN: `off` or a rate (src/config/rate-limit.ts). */
const rateSetting = z.string().transform((value, ctx) => {
  const rate = parseRate(value);
  if (!isRateProblem(rate)) return rate;
  ctx.addIssue({ code: 'custom', message: rate.problem });
  return z.NEVER;
});

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .default('./.data/pglite')
    .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^(postgres|postgresql|memory):\/\//.test(v), {
      message: 'use a directory path for PGlite, memory:// or postgres://...',
    }),
  AMQP_URL: z.string().url().optional(),
  /** Publish attempts per outbox message before it is marked FAILED. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(20),
  /** The AMQP heartbeat asked of the broker: a connection that hears nothing this long is dropped and opened again. */
  AMQP_HEARTBEAT: durationMs
    .prefault('10s')
    .refine((ms) => ms >= 1_000 && ms % 1_000 === 0, 'whole seconds (AMQP counts heartbeats in seconds), at least 1s'),
  /** A publish whose confirm takes longer counts as failed and its connection as broken. */
  AMQP_CONFIRM_TIMEOUT: durationMs.prefault('10s').refine((ms) => ms > 0, 'more than 0'),
  /** An outbox row a relay claimed is claimable by another relay after this long (its relay died). */
  OUTBOX_LEASE: durationMs.prefault('30s'),
  BLOB_DIR: z.string().default('./.data/blobs'),
  /** The largest file one upload may carry (checked while the request is parsed and again while it is stored). */
  MAX_UPLOAD_BYTES: byteSize.prefault('50mb'),
  /** How many files one request may carry. */
  MAX_UPLOAD_FILES: z.coerce.number().int().min(1).max(10_000).default(200),
  /**
   * The largest GraphQL request body, uploads included. Yoga holds a multipart body in memory
   * until the request has run, so this bounds the memory one request takes.
   */
  MAX_REQUEST_BYTES: byteSize.prefault('100mb'),
  /**
   * The largest request body that is not a multipart upload: GraphQL JSON (its variables
   * included), the `operations` field of a multipart request, and any body sent to a REST route.
   */
  MAX_JSON_BYTES: byteSize.prefault('1mb'),
  /** How often blobs that no row references are removed, and how old such a blob must be. */
  BLOB_SWEEP_INTERVAL: durationMs.prefault('1h'),
  BLOB_SWEEP_MIN_AGE: durationMs.prefault('1h'),
  /** When the dataset purge runs (cron: minute hour day month weekday), in PURGE_TZ; `off`: only when asked. */
  PURGE_CRON: z.string().trim().default('0 3,15 * * *'),
  PURGE_TZ: z.string().trim().default('UTC'),
  /** How many rows (items, keys, vectors, the dataset) one purge transaction removes at most; a dataset is never split. */
  PURGE_BATCH_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Operation workers on this instance; 0: it runs none (it still queues them and answers for them). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(2),
  /** How long a `wait=true` delete waits for its operation before answering with it as it stands. */
  OPERATION_WAIT_TIMEOUT: durationMs.prefault('60s'),
  /** A claimed operation whose worker stopped renewing its lease (a crash) is taken by another after this long. */
  OPERATION_LEASE: durationMs.prefault('30s'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json`: one pino JSON object a line (production); `pretty`: short coloured lines for a developer's terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /**
   * GET /metrics (Prometheus). With METRICS_TOKEN set it is on and asks for `Authorization: Bearer
   * <token>`; without a token it is off unless METRICS=on (for a port only the scraper reaches).
   */
  METRICS: z.enum(['on', 'off']).optional(),
  METRICS_TOKEN: z
    .string()
    .min(16, 'METRICS_TOKEN must be at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces (it travels in an Authorization header)')
    .optional(),
  BOOTSTRAP_ADMIN_KEY: z.string().min(24, 'BOOTSTRAP_ADMIN_KEY must be at least 24 characters').optional(),
  INSTANCE_ID: z.string().min(1).default(`${os.hostname()}`),
  /** Wrapper kinds `createResource` may start (programs shipped in src/wrappers/programs). */
  WRAPPER_KINDS: z
    .string()
    .default('idle')
    .transform((v) =>
      v
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .refine((kinds) => kinds.every((k) => ['idle', 'stubborn'].includes(k)), {
      message: 'known wrapper kinds are idle and stubborn',
    }),
  WRAPPER_STOP_GRACE: durationMs.prefault('5s'),
  /** How long a deletion waits for another instance to stop a wrapper process it runs. */
  WRAPPER_REMOTE_STOP_TIMEOUT: durationMs.prefault('15s'),
  EVENT_RETENTION: durationMs.prefault('30d'),
  /** How often expired events are pruned (one instance at a time). */
  EVENT_PRUNE_INTERVAL: durationMs.prefault('1h'),
  /** How long a deletion's idempotency key holds: a retry within it gets the first answer again. */
  IDEMPOTENCY_TTL: durationMs.prefault('24h').refine((ms) => ms > 0, 'more than 0'),
  /** Live events one subscriber may have waiting before it counts as too slow and its stream ends (SLOW_CONSUMER / close 4008). */
  SUBSCRIBER_BUFFER_EVENTS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** Bytes one graphql-ws connection may have waiting in its socket before it counts as too slow (close 4008). */
  SUBSCRIBER_BUFFER_BYTES: byteSize.prefault('1mb'),
  /** How often the keys of open streams are checked (a revocation announced by NOTIFY is acted on at once). */
  KEY_RECHECK_INTERVAL: durationMs.prefault('2s'),
  /** How long a WebSocket may stay open without sending connection_init (then closed with 4408). */
  WS_INIT_TIMEOUT: durationMs.prefault('3s'),
  /** How long a SIGTERM/SIGINT lets requests in flight finish before they are cut. */
  SHUTDOWN_GRACE: durationMs.prefault('10s'),
  /** Test hook: names a point at which the process kills itself (see src/failpoints.ts). */
  FAILPOINT: z.string().optional(),
  /** Test hook: SQL run once after migrations (used to make the real database fail on purpose); not in production. */
  TEST_STARTUP_SQL: z.string().optional(),
  /** Requests per API key, shared by every instance; unset: off on PGlite, 100/s on PostgreSQL. */
  RATE_LIMIT: rateSetting.optional(),
  /** Requests a rested key may make at once; default: RATE_LIMIT's count (100/s: 100). */
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
  /** Keys with the admin or platform scope: their own rate (burst = its count) or off; unset: as RATE_LIMIT. */
  RATE_LIMIT_ADMIN: rateSetting.optional(),
  /** Adds `extensions.sqlStatements` to GraphQL responses (tests and benchmarks count statements). */
  EXPOSE_SQL_COUNT: booleanish.prefault('false'),
  /** Unset: on, but off when NODE_ENV=production. */
  INTROSPECTION: booleanish.optional(),
  /** Unset: on where it can work (introspection on, arbitrary documents allowed), but off when NODE_ENV=production. */
  GRAPHIQL: booleanish.optional(),
  /** A JSON manifest of document ids to documents (GraphQL Codegen's persisted-documents.json). */
  PERSISTED_DOCUMENTS: z
    .string()
    .transform((file, ctx): PersistedDocuments => {
      const documents = readPersistedDocuments(file);
      if (!isManifestProblem(documents)) return documents;
      ctx.addIssue({ code: 'custom', message: documents.problem });
      return z.NEVER;
    })
    .optional(),
  /** Only the manifest's documents run, sent by id; any other document is refused. */
  PERSISTED_DOCUMENTS_REQUIRED: booleanish.prefault('false'),
  /** The monitor page's bundle (`npm run build:monitor`); default: dist/monitor of this checkout. */
  MONITOR_DIR: z.string().optional(),
  /** Comma-separated browser origins allowed to call the API, or `*`; empty: no cross-origin access. */
  CORS_ORIGINS: corsOrigins,
  NODE_ENV: z.string().optional(),
});

/** The buckets of RATE_LIMIT, RATE_LIMIT_BURST and RATE_LIMIT_ADMIN on this database. */
function rateLimitsOf(config: z.infer<typeof configSchema>) {
  return resolveRateLimits({
    postgres: /^postgres(ql)?:\/\//.test(config.DATABASE_URL),
    rate: config.RATE_LIMIT,
    burst: config.RATE_LIMIT_BURST,
    adminRate: config.RATE_LIMIT_ADMIN,
  });
}
/** INTROSPECTION as set, else on except when NODE_ENV=production. */
const introspectionOn = (config: { INTROSPECTION?: boolean; NODE_ENV?: string }) =>
  config.INTROSPECTION ?? config.NODE_ENV !== 'production';

/** Rules that involve more than one variable. */
const checkedConfigSchema = configSchema.superRefine((config, ctx) => {
  if (config.PURGE_CRON !== PURGE_OFF) {
    const schedule = parseCronSchedule(config.PURGE_CRON, config.PURGE_TZ);
    if (isCronProblem(schedule)) {
      const path = [schedule.part === 'timezone' ? 'PURGE_TZ' : 'PURGE_CRON'];
      ctx.addIssue({ code: 'custom', path, message: schedule.message });
    }
  }
  // A lease that ends while its confirms may still come lets a second relay publish the rows again.
  if (config.OUTBOX_LEASE <= config.AMQP_CONFIRM_TIMEOUT) {
    ctx.addIssue({
      code: 'custom',
      path: ['OUTBOX_LEASE'],
      message: 'must be longer than AMQP_CONFIRM_TIMEOUT (a relay waits that long for its confirms)',
    });
  }
  // A burst without a rate would silently do nothing.
  if (config.RATE_LIMIT_BURST !== undefined && rateLimitsOf(config).keys === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['RATE_LIMIT_BURST'],
      message: 'rate limits are off (RATE_LIMIT=off, the default on the embedded database); set RATE_LIMIT too',
    });
  }
  if (config.PERSISTED_DOCUMENTS_REQUIRED && !config.PERSISTED_DOCUMENTS) {
    ctx.addIssue({
      code: 'custom',
      path: ['PERSISTED_DOCUMENTS_REQUIRED'],
      message: 'needs PERSISTED_DOCUMENTS, the manifest of the documents that may run',
    });
  }
  if (config.GRAPHIQL === true) {
    const conflict = !introspectionOn(config)
      ? `GraphiQL reads the schema by introspection, which ${config.INTROSPECTION === false ? 'INTROSPECTION=false' : 'NODE_ENV=production'} turns off; set INTROSPECTION=true as well, or GRAPHIQL=false`
      : config.PERSISTED_DOCUMENTS_REQUIRED
        ? 'GraphiQL sends documents of its own, which PERSISTED_DOCUMENTS_REQUIRED=true refuses; set GRAPHIQL=false'
        : null;
    if (conflict) ctx.addIssue({ code: 'custom', path: ['GRAPHIQL'], message: conflict });
  }
  // SQL run at every start is a test's tool; in production it is a mistake or an attack.
  if (config.NODE_ENV === 'production' && config.TEST_STARTUP_SQL !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['TEST_STARTUP_SQL'],
      message: 'a test hook, refused when NODE_ENV=production',
    });
  }
});

/** Settings whose default depends on others; explicit values win (a contradiction is refused above). */
const resolvedConfigSchema = checkedConfigSchema.transform((config) => ({
  ...config,
  /** the token buckets in force (the defaults depend on the database) */
  rateLimits: rateLimitsOf(config),
  INTROSPECTION: introspectionOn(config),
  // GraphiQL reads the schema by introspection and runs the documents typed into it.
  GRAPHIQL:
    config.GRAPHIQL ??
    (config.NODE_ENV !== 'production' && introspectionOn(config) && !config.PERSISTED_DOCUMENTS_REQUIRED),
}));

export type Config = z.output<typeof resolvedConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; every other module receives the result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = resolvedConfigSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
