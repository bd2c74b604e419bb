import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseTokensSql, type Query, RateLimiter } from '../src/auth/rate-limiter.js';
import type { Principal, Scope } from '../src/auth/scopes.js';
import { ConfigError, loadConfig } from '../src/config/index.js';
import {
  isRateProblem,
  leaseSize,
  msUntilToken,
  parseRate,
  type RateLimits,
  retryAfterSeconds,
  type TokenBucket,
} from '../src/config/rate-limit.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { graphql } from './generated/gql.js';
import { createTestDatabase, databaseKind, skipDatabase, type TestDatabase } from './support/database.js';
import { CreateResource } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeWs, wsClient } from './support/graphql.js';
import { type RunningServer, startServer } from './support/server.js';

// Rate limits per API key (issue 14): a token bucket per key in the database, leased to each
// instance in small batches. Refusals are made deterministic by a refill of one token an hour;
// a refill is shown with a rate of one a second, by waiting for the success.

const RlCreateApiKey = graphql(`
  mutation RlCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id } }
  }
`);

const RlDeleteResource = graphql(`
  mutation RlDeleteResource($id: ID!) {
    deleteResource(id: $id) { __typename ... on Error { code } }
  }
`);

const RlResource = graphql(`
  query RlResource($id: ID!) {
    resource(id: $id) { id deleted }
  }
`);

const RlDeletionEvents = graphql(`
  subscription RlDeletionEvents($after: String) {
    deletionEvents(after: $after) { entityId }
  }
`);

/** A well-formed resource id that names nothing: a request that is answered 404 when admitted. */
const ABSENT_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';
/** A cursor before every event: a subscription replays the whole log, then goes live. */
const FROM_THE_START = '0'.repeat(32);
/** One token an hour: within a test, a drained bucket stays drained. */
const SLOW = { RATE_LIMIT: '1/h', RATE_LIMIT_ADMIN: 'off' };

// ---------------------------------------------------------------------------------------------
// Pure: the settings and the bucket arithmetic
// ---------------------------------------------------------------------------------------------

describe('rate settings', () => {
  it.each([
    ['100', { count: 100, unit: 's', perSecond: 100 }],
    ['100/s', { count: 100, unit: 's', perSecond: 100 }],
    ['600/min', { count: 600, unit: 'min', perSecond: 10 }],
    ['36/h', { count: 36, unit: 'h', perSecond: 0.01 }],
    ['0.5/s', { count: 0.5, unit: 's', perSecond: 0.5 }],
    [' 20 / min ', { count: 20, unit: 'min', perSecond: 20 / 60 }],
  ])('%s is a rate', (value, rate) => {
    expect(parseRate(value)).toEqual(rate);
  });

  it('off (any case) is no limit', () => {
    expect(parseRate('off')).toBe('off');
    expect(parseRate('OFF')).toBe('off');
  });

  it.each(['fast', '0', '0/min', '-5', '10/day', '1e3', '100/', '/s', '5000000000'])('%s is refused', (value) => {
    const parsed = parseRate(value);
    expect(isRateProblem(parsed)).toBe(true);
  });

  it('unset: off on the embedded database, 100/s with a burst of 100 on PostgreSQL, admin keys as every key', () => {
    expect(loadConfig({}).rateLimits).toEqual({ keys: null, adminKeys: null });
    expect(loadConfig({ DATABASE_URL: 'memory://' }).rateLimits).toEqual({ keys: null, adminKeys: null });
    const postgres = loadConfig({ DATABASE_URL: 'postgres://db.example/gateway' }).rateLimits;
    expect(postgres).toEqual({ keys: { perSecond: 100, burst: 100 }, adminKeys: { perSecond: 100, burst: 100 } });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db.example/gateway', RATE_LIMIT: 'off' }).rateLimits).toEqual({
      keys: null,
      adminKeys: null,
    });
  });

  it('RATE_LIMIT_BURST sets the burst; the default burst is the rate’s own count', () => {
    expect(loadConfig({ RATE_LIMIT: '600/min' }).rateLimits.keys).toEqual({ perSecond: 10, burst: 600 });
    expect(loadConfig({ RATE_LIMIT: '600/min', RATE_LIMIT_BURST: '50' }).rateLimits.keys).toEqual({
      perSecond: 10,
      burst: 50,
    });
    expect(loadConfig({ RATE_LIMIT: '0.5' }).rateLimits.keys).toEqual({ perSecond: 0.5, burst: 1 });
  });

  it('RATE_LIMIT_ADMIN: off exempts admin keys; a rate gives them their own bucket', () => {
    expect(loadConfig({ RATE_LIMIT: '10/s', RATE_LIMIT_ADMIN: 'off' }).rateLimits).toEqual({
      keys: { perSecond: 10, burst: 10 },
      adminKeys: null,
    });
    expect(loadConfig({ RATE_LIMIT: '10/s', RATE_LIMIT_ADMIN: '1200/min' }).rateLimits).toEqual({
      keys: { perSecond: 10, burst: 10 },
      adminKeys: { perSecond: 20, burst: 1200 },
    });
    // admin keys may be limited while the others are not
    expect(loadConfig({ RATE_LIMIT_ADMIN: '5/s' }).rateLimits).toEqual({
      keys: null,
      adminKeys: { perSecond: 5, burst: 5 },
    });
  });

  it.each([
    [{ RATE_LIMIT: 'fast' }, 'RATE_LIMIT'],
    [{ RATE_LIMIT: '0' }, 'RATE_LIMIT'],
    [{ RATE_LIMIT: '10/day' }, 'RATE_LIMIT'],
    [{ RATE_LIMIT: '10', RATE_LIMIT_BURST: '0' }, 'RATE_LIMIT_BURST'],
    [{ RATE_LIMIT: '10', RATE_LIMIT_BURST: '1.5' }, 'RATE_LIMIT_BURST'],
    [{ RATE_LIMIT: '10', RATE_LIMIT_BURST: 'lots' }, 'RATE_LIMIT_BURST'],
    [{ RATE_LIMIT_BURST: '10' }, 'RATE_LIMIT_BURST'],
    [{ RATE_LIMIT: 'off', RATE_LIMIT_BURST: '10' }, 'RATE_LIMIT_BURST'],
    [{ RATE_LIMIT_ADMIN: 'sometimes' }, 'RATE_LIMIT_ADMIN'],
  ])('%o is refused with one line naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${name}: `));
  });
});

describe('bucket arithmetic', () => {
  it.each([
    [{ perSecond: 100, burst: 100 }, 10],
    [{ perSecond: 1000, burst: 1000 }, 100],
    [{ perSecond: 1000, burst: 10 }, 1],
    [{ perSecond: 100, burst: 5 }, 1],
    [{ perSecond: 1 / 3600, burst: 5 }, 1],
    [{ perSecond: 10, burst: 1000 }, 1],
  ])('a lease of %o is %i tokens: at most 100 ms of refill and a tenth of the burst, at least one', (bucket, size) => {
    expect(leaseSize(bucket)).toBe(size);
  });

  it('the wait for the next whole token, and Retry-After in whole seconds (at least one)', () => {
    expect(msUntilToken({ perSecond: 1, burst: 1 }, 0)).toBe(1000);
    expect(msUntilToken({ perSecond: 0.1, burst: 1 }, 0.5)).toBe(5000);
    expect(msUntilToken({ perSecond: 1 / 3600, burst: 1 }, 0)).toBeCloseTo(3_600_000);
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// The lease statement and the limiter on this project's real database
// ---------------------------------------------------------------------------------------------

const principal = (keyId: string, scopes: Scope[] = ['resources:delete']): Principal => ({
  keyId,
  workspaceId: 'wks_rl',
  scopes: new Set(scopes),
});

describe.skipIf(skipDatabase())('leases from the bucket in the database', () => {
  let testDb: TestDatabase;
  let db: Database;
  let statements = 0;
  let keyCount = 0;
  /** Runs a statement as the gateway does (prepared on PostgreSQL) and counts it. */
  const query: Query = (sql) => {
    statements++;
    return db.prepared ? db.prepared.query(sql) : db.prisma.$queryRaw(sql);
  };
  const silent = pino({ level: 'silent' });
  const lease = async (keyId: string, want: number, bucket: TokenBucket) =>
    (await query(leaseTokensSql(keyId, want, bucket)))[0] as { granted: number; tokens: number };

  /** A key of its own for each test: buckets are per key. */
  async function newKey(): Promise<string> {
    const id = `key_rl_${++keyCount}`;
    await db.prisma.apiKey.create({
      data: { id, workspaceId: 'wks_rl', name: id, hash: `hash_${id}`, prefix: id, scopes: ['resources:delete'] },
    });
    return id;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    await applyMigrations(db.adapter);
    await db.prisma.workspace.create({ data: { id: 'wks_rl', name: 'rate limits' } });
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('a first lease finds the bucket full; leases take whole tokens until it is empty', async () => {
    const key = await newKey();
    const bucket = { perSecond: 1 / 3600, burst: 5 };
    const grants = [];
    for (let i = 0; i < 4; i++) grants.push((await lease(key, 2, bucket)).granted);
    expect(grants).toEqual([2, 2, 1, 0]);
    const empty = await lease(key, 2, bucket);
    expect(empty.granted).toBe(0);
    expect(empty.tokens).toBeGreaterThanOrEqual(0);
    expect(empty.tokens).toBeLessThan(1);
  });

  it('the bucket refills by the time the database’s clock says passed, up to the burst', async () => {
    const key = await newKey();
    const bucket = { perSecond: 1 / 3600, burst: 5 };
    expect((await lease(key, 5, bucket)).granted).toBe(5);
    const wind = (hours: number) =>
      db.prisma
        .$executeRaw`UPDATE rate_limit_bucket SET refilled_at = refilled_at - make_interval(hours => ${hours}::int) WHERE key_id = ${key}`;
    await wind(2); // two hours: two tokens
    expect((await lease(key, 5, bucket)).granted).toBe(2);
    await wind(100); // a hundred hours: a full bucket, never more
    expect((await lease(key, 10, bucket)).granted).toBe(5);
  });

  it('concurrent leases never grant more than the bucket holds', async () => {
    const key = await newKey();
    const bucket = { perSecond: 1 / 3600, burst: 5 };
    const grants = await Promise.all(Array.from({ length: 20 }, () => lease(key, 1, bucket)));
    expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(5);
  });

  it('one instance, concurrent requests: exactly the burst is admitted, the rest refused with Retry-After; refusals cost no statement', async () => {
    const key = await newKey();
    const limits: RateLimits = { keys: { perSecond: 1 / 3600, burst: 5 }, adminKeys: null };
    const limiter = new RateLimiter(limits, query, silent);
    const answers = await Promise.all(Array.from({ length: 20 }, () => limiter.admit(principal(key))));
    expect(answers.filter((a) => a.admitted)).toHaveLength(5);
    for (const a of answers.filter((a) => !a.admitted)) {
      expect(a).toEqual({ admitted: false, retryAfterSeconds: expect.any(Number) });
      if (!a.admitted) expect(a.retryAfterSeconds).toBeGreaterThanOrEqual(3000); // about an hour for one token
    }
    const before = statements;
    for (let i = 0; i < 50; i++) expect((await limiter.admit(principal(key))).admitted).toBe(false);
    expect(statements).toBe(before);
  });

  it('the hot path spends leased tokens: 100 requests cost about 100 / lease statements, not 100', async () => {
    const key = await newKey();
    const bucket = { perSecond: 100, burst: 100 };
    const limiter = new RateLimiter({ keys: bucket, adminKeys: null }, query, silent);
    const before = statements;
    for (let i = 0; i < 100; i++) expect((await limiter.admit(principal(key))).admitted).toBe(true);
    const used = statements - before;
    console.log(`[rate limits] 100 admissions with leases of ${leaseSize(bucket)}: ${used} lease statements`);
    expect(used).toBeLessThanOrEqual(100 / leaseSize(bucket) + 2);
  });

  it('two instances on one bucket admit at most burst + refill + two leases each', async () => {
    const key = await newKey();
    const bucket = { perSecond: 100, burst: 100 };
    const a = new RateLimiter({ keys: bucket, adminKeys: null }, query, silent);
    const b = new RateLimiter({ keys: bucket, adminKeys: null }, query, silent);
    const admitted = { a: 0, b: 0 };
    const started = performance.now();
    for (let i = 0; i < 400; i++) {
      const [name, limiter] = i % 2 ? (['b', b] as const) : (['a', a] as const);
      if ((await limiter.admit(principal(key))).admitted) admitted[name]++;
    }
    const seconds = (performance.now() - started) / 1000;
    const bound = bucket.burst + bucket.perSecond * seconds + 2 * 2 * leaseSize(bucket);
    console.log(
      `[rate limits] two instances, 400 requests in ${seconds.toFixed(2)} s: admitted ${admitted.a} + ${admitted.b}, bound ${Math.floor(bound)}`,
    );
    expect(admitted.a + admitted.b).toBeLessThanOrEqual(bound);
    expect(admitted.a).toBeGreaterThan(0);
    expect(admitted.b).toBeGreaterThan(0);
  });

  it('admin and platform keys are held to RATE_LIMIT_ADMIN (here: off), the others to RATE_LIMIT', async () => {
    const key = await newKey();
    const limiter = new RateLimiter({ keys: { perSecond: 1 / 3600, burst: 1 }, adminKeys: null }, query, silent);
    expect(limiter.bucketFor(principal(key, ['admin']))).toBeNull();
    expect(limiter.bucketFor(principal(key, ['platform']))).toBeNull();
    expect(limiter.bucketFor(principal(key))).toEqual({ perSecond: 1 / 3600, burst: 1 });
    const before = statements;
    for (let i = 0; i < 10; i++)
      expect((await limiter.admit(principal(key, ['admin', 'events:read']))).admitted).toBe(true);
    expect(statements).toBe(before);
  });

  it('a database it cannot reach: the request is admitted and the failure logged', async () => {
    // nothing listens on port 1: every statement fails at once
    const unreachable = await openDatabase('postgres://postgres@127.0.0.1:1/none');
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    try {
      const limiter = new RateLimiter(
        { keys: { perSecond: 1 / 3600, burst: 1 }, adminKeys: null },
        (sql) => unreachable.prepared!.query(sql),
        log,
      );
      expect(await limiter.admit(principal('key_unreachable'))).toEqual({ admitted: true });
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['could not lease rate-limit tokens; admitting the request']);
    } finally {
      await unreachable.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The gateway: REST, GraphQL over HTTP, graphql-ws
// ---------------------------------------------------------------------------------------------

async function newApiKey(server: RunningServer, scopes: Scope[], name = 'rate-limited'): Promise<string> {
  const { createApiKey } = await gqlOk(server, RlCreateApiKey, { input: { name, scopes } });
  return createApiKey.key;
}

async function rest(server: RunningServer, key: string | null, path = `/resources/${ABSENT_ID}`) {
  const res = await fetch(`${server.origin}${path}`, {
    method: 'DELETE',
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
}

/** Sends requests with `key` until one is refused (at most `most`): how many were admitted, and the refusal. */
async function drain(server: RunningServer, key: string, most = 50) {
  for (let admitted = 0; admitted < most; admitted++) {
    const answer = await rest(server, key);
    if (answer.status === 429) return { admitted, refusal: answer };
  }
  throw new Error(`no 429 after ${most} requests`);
}

const messagePattern = /^Rate limit exceeded for this API key: retry after \d+ seconds?$/;

describe.skipIf(skipDatabase())('rate limits per API key, one instance', () => {
  const gw = useGateway({ env: { ...SLOW, RATE_LIMIT_BURST: '3' } });
  let limited: string;

  beforeAll(async () => {
    limited = await newApiKey(gw.server, ['resources:delete']);
  });

  it('past the burst REST answers 429 with Retry-After in seconds and the route’s own error shape', async () => {
    for (let i = 0; i < 3; i++) expect((await rest(gw.server, limited)).status).toBe(404);
    const refused = await rest(gw.server, limited);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    // one token an hour
    expect(Number(refused.retryAfter)).toBeGreaterThan(3000);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
    expect(refused.body).toEqual({ detail: expect.stringMatching(messagePattern) });

    // Every seed's shape: 000/001/004 `detail`, 002 `success/error code/message`, 003 `success/error`.
    const files = await rest(gw.server, limited, '/files?request_id=r1');
    expect(files).toMatchObject({ status: 429, retryAfter: expect.stringMatching(/^\d+$/) });
    expect(files.body).toEqual({
      success: false,
      error: 'rate_limited',
      message: expect.stringMatching(messagePattern),
    });
    const dataset = await rest(gw.server, limited, '/v1/datasets/ds_aaaaaaaaaaaaaaaa');
    expect(dataset.status).toBe(429);
    expect(dataset.body).toEqual({ success: false, error: expect.stringMatching(messagePattern) });
    const image = await rest(gw.server, limited, '/imgs/1');
    expect(image.status).toBe(429);
    expect(image.body).toEqual({ detail: expect.stringMatching(messagePattern) });
    const endpoint = await rest(gw.server, limited, '/acme/hr/people/all');
    expect(endpoint.status).toBe(429);
    expect(endpoint.body).toEqual({ detail: expect.stringMatching(messagePattern) });
  });

  it('GraphQL answers RATE_LIMITED with HTTP 429, Retry-After and extensions.retryAfter', async () => {
    const res = await fetch(gw.server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${limited}`,
      },
      body: JSON.stringify({ query: 'mutation { deleteResource(id: "aaaaaaaaaaaaaaaaaaaaaaaa") { __typename } }' }),
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3000);
    const body = (await res.json()) as { data?: unknown; errors: Array<{ message: string; extensions: object }> };
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: expect.stringMatching(messagePattern),
        extensions: { code: 'RATE_LIMITED', retryAfter },
      },
    ]);
    // application/json too
    const plain = await gql(gw.server, RlResource, { id: ABSENT_ID }, { apiKey: limited });
    expect(plain.status).toBe(429);
    expect(plain.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });

  it('a refused deletion deletes nothing', async () => {
    const { createResource } = await gqlOk(gw.server, CreateResource, { input: { name: 'kept' } });
    expect((await rest(gw.server, limited, `/resources/${createResource.id}`)).status).toBe(429);
    const viaGraphQL = await gql(gw.server, RlDeleteResource, { id: createResource.id }, { apiKey: limited });
    expect(viaGraphQL.status).toBe(429);
    expect((await gqlOk(gw.server, RlResource, { id: createResource.id })).resource).toEqual({
      id: createResource.id,
      deleted: false,
    });
  });

  it('another key is unaffected; requests without a key are 401, not limited', async () => {
    const other = await newApiKey(gw.server, ['resources:delete']);
    expect((await rest(gw.server, other)).status).toBe(404);
    expect((await gql(gw.server, RlDeleteResource, { id: ABSENT_ID }, { apiKey: other })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await rest(gw.server, null)).status).toBe(401);
  });

  it('admin keys follow RATE_LIMIT_ADMIN: off here, so the admin key is never refused', async () => {
    for (let i = 0; i < 10; i++) expect((await rest(gw.server, gw.server.adminKey)).status).toBe(404);
  });

  it('graphql-ws: a subscribe over the limit fails that operation only; the connection and its other subscriptions go on', async () => {
    const key = await newApiKey(gw.server, ['events:read', 'resources:delete']);
    // a deletion in the log, so the first subscription shows it is live by replaying it
    const { createResource: first } = await gqlOk(gw.server, CreateResource, { input: { name: 'ws-1' } });
    await gqlOk(gw.server, RlDeleteResource, { id: first.id });

    const client = wsClient(gw.server, { apiKey: key });
    try {
      const live = subscribeWs(client, RlDeletionEvents, { after: FROM_THE_START }); // takes a token
      await expect.poll(() => live.items.some((i) => i.data?.deletionEvents.entityId === first.id)).toBe(true);
      expect((await drain(gw.server, key)).admitted).toBe(2); // the burst's other two tokens

      const refused = subscribeWs(client, RlDeletionEvents, { after: FROM_THE_START });
      await expect.poll(() => refused.error).toBeTruthy();
      expect(refused.error).toEqual([
        {
          message: expect.stringMatching(messagePattern),
          extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
        },
      ]);

      // The first subscription still receives what happens next.
      const { createResource: second } = await gqlOk(gw.server, CreateResource, { input: { name: 'ws-2' } });
      await gqlOk(gw.server, RlDeleteResource, { id: second.id });
      await expect.poll(() => live.items.some((i) => i.data?.deletionEvents.entityId === second.id)).toBe(true);
      expect(live.error).toBeNull();
      expect(live.completed).toBe(false);
      live.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('a refill lets requests through again (one token a second: refused, then admitted)', async () => {
    const server = await gw.restart({ RATE_LIMIT: '60/min', RATE_LIMIT_BURST: '1' });
    const key = await newApiKey(server, ['resources:delete']);
    const { admitted, refusal } = await drain(server, key);
    expect(admitted).toBeGreaterThanOrEqual(1);
    expect(refusal.retryAfter).toBe('1');
    await expect.poll(async () => (await rest(server, key)).status, { timeout: 10_000, interval: 100 }).toBe(404);
  });

  it(`unset RATE_LIMIT: ${databaseKind() === 'pglite' ? 'off on the embedded database' : '100/s on PostgreSQL'}`, async () => {
    const server = await gw.restart({ RATE_LIMIT: '', RATE_LIMIT_BURST: '', RATE_LIMIT_ADMIN: '' });
    const line = server.logs.find((l) => l.msg === 'rate limits per API key (tokens per second, burst; null: none)');
    if (databaseKind() === 'pglite') {
      expect(line).toMatchObject({ keys: null, adminKeys: null });
      // off means off: a key far past any burst
      const key = await newApiKey(server, ['resources:delete']);
      const statuses = await Promise.all(Array.from({ length: 150 }, () => rest(server, key).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([404]));
    } else {
      expect(line).toMatchObject({ keys: { perSecond: 100, burst: 100 }, adminKeys: { perSecond: 100, burst: 100 } });
    }
  });
});

describe.skipIf(skipDatabase() || databaseKind() !== 'postgres')(
  'rate limits per API key, two instances on one PostgreSQL (PostgreSQL only)',
  () => {
    const env = { ...SLOW, RATE_LIMIT_BURST: '5' };
    const gw = useGateway({ env: { ...env, INSTANCE_ID: 'a' } });
    let b: RunningServer;
    const a = () => gw.server;

    beforeAll(async () => {
      b = await startServer({
        databaseUrl: gw.db.url,
        adminKey: gw.server.adminKey,
        env: { ...env, INSTANCE_ID: 'b' },
      });
    });

    afterAll(async () => {
      await b?.stop();
    });

    it('they share one budget: the burst is admitted once across both, then both refuse', async () => {
      const key = await newApiKey(a(), ['resources:delete']);
      const statuses: Array<{ instance: string; status: number }> = [];
      for (let i = 0; i < 10; i++) {
        const [instance, server] = i % 2 ? ['b', b] : ['a', a()];
        statuses.push({ instance, status: (await rest(server, key)).status });
      }
      const admitted = statuses.filter((s) => s.status === 404);
      expect(admitted).toHaveLength(5);
      expect(new Set(admitted.map((s) => s.instance))).toEqual(new Set(['a', 'b']));
      expect(statuses.slice(5).map((s) => s.status)).toEqual([429, 429, 429, 429, 429]);
      expect((await gql(b, RlResource, { id: ABSENT_ID }, { apiKey: key })).status).toBe(429);
      expect((await gql(a(), RlResource, { id: ABSENT_ID }, { apiKey: key })).status).toBe(429);

      // another key, on either instance: its own bucket
      const other = await newApiKey(b, ['resources:delete']);
      expect((await rest(b, other)).status).toBe(404);
      expect((await rest(a(), other)).status).toBe(404);
    });
  },
);
