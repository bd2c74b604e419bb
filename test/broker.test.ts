import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { graphql } from './generated/gql.js';
import type { BrokerQueueMessagesQuery, QueueMessageState } from './generated/graphql.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { CreateResource, DeleteResource } from './support/documents.js';
import { type Gateway, useGateway } from './support/fixture.js';
import { gqlOk } from './support/graphql.js';
import {
  consumeQueue,
  createVhost,
  type QueueConsumer,
  type ReceivedMessage,
  rabbitmqctl,
  TcpProxy,
  type Vhost,
} from './support/rabbitmq.js';
import { type RunningServer, startServer } from './support/server.js';

// The resource deletion queue on the real RabbitMQ of this machine (issue 4): what the relay
// publishes, what happens while the broker is away or not configured, FAILED after the last
// attempt, and two relays on one PostgreSQL publishing every message once.

const QUEUE = 'resource.deletion';
const POLL = { timeout: 60_000, interval: 200 };

const QueueMessages = graphql(`
  query BrokerQueueMessages($state: QueueMessageState, $after: String) {
    queueMessages(queue: "resource.deletion", state: $state, first: 200, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id queue body rawBody state attempts lastError sentAt } }
    }
  }
`);

type Server = Pick<RunningServer, 'url' | 'adminKey' | 'origin'>;

interface Deleted {
  resourceId: string;
  wrapperId: string | null;
}

interface Ready {
  status: string;
  database: string;
  migrated: boolean;
  broker: { state: string; lastError: string | null; pendingMessages: number | null };
}

/** The body a consumer must receive, byte for byte (seed 000). */
const expectedBody = (d: Deleted) =>
  `{"resource_id":"${d.resourceId}","wrapper_id":${d.wrapperId === null ? 'null' : `"${d.wrapperId}"`}}`;

async function ready(server: Server): Promise<{ status: number; body: Ready }> {
  const res = await fetch(`${server.origin}/ready`);
  return { status: res.status, body: (await res.json()) as Ready };
}

const brokerState = async (server: Server) => (await ready(server)).body.broker.state;

type Node = BrokerQueueMessagesQuery['queueMessages']['edges'][number]['node'];

/** Every outbox message of the resource deletion queue (all pages), optionally of one state. */
async function queueMessages(server: Server, state?: QueueMessageState): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (;;) {
    const data: BrokerQueueMessagesQuery = await gqlOk(server, QueueMessages, { state: state ?? null, after });
    nodes.push(...data.queueMessages.edges.map((e) => e.node));
    if (!data.queueMessages.pageInfo.hasNextPage) return nodes;
    after = data.queueMessages.pageInfo.endCursor;
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

/**
 * Creates and deletes `count` resources (without wrappers), spreading the requests over
 * `servers`; fails unless every deletion succeeds.
 */
async function deleteResources(servers: Server[], count: number, label: string, concurrency = 8): Promise<Deleted[]> {
  return pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const server = servers[i % servers.length]!;
      const { createResource: r } = await gqlOk(server, CreateResource, { input: { name: `${label}-${i}` } });
      const { deleteResource } = await gqlOk(server, DeleteResource, { id: r.id });
      expect(deleteResource).toEqual({ __typename: 'DeleteResourcePayload', id: r.id, deleted: true, wrapper: null });
      return { resourceId: r.id, wrapperId: null };
    },
  );
}

/**
 * Checks what a consumer received against the outbox: every message once, with the
 * properties and the exact body of its row, and nothing else.
 */
function expectDeliveredOnce(received: ReceivedMessage[], rows: Node[], deleted: Deleted[]) {
  const perId = new Map<string, number>();
  for (const m of received)
    perId.set(String(m.properties.messageId), (perId.get(String(m.properties.messageId)) ?? 0) + 1);
  expect(
    [...perId].filter(([, n]) => n !== 1),
    'message ids received more than once',
  ).toEqual([]);
  expect(received).toHaveLength(deleted.length);
  expect(new Set(perId.keys())).toEqual(new Set(rows.map((r) => r.id)));
  const resourceIds = received.map(
    (m) => (JSON.parse(m.content.toString('utf8')) as { resource_id: string }).resource_id,
  );
  expect(new Set(resourceIds).size).toBe(deleted.length);
  expect(new Set(resourceIds)).toEqual(new Set(deleted.map((d) => d.resourceId)));

  const rowById = new Map(rows.map((r) => [r.id, r]));
  const byResource = new Map(deleted.map((d) => [d.resourceId, d]));
  for (const m of received) {
    const row = rowById.get(String(m.properties.messageId))!;
    const body = m.content.toString('utf8');
    const d = byResource.get((JSON.parse(body) as { resource_id: string }).resource_id)!;
    expect({ body, row: row.rawBody }).toEqual({ body: expectedBody(d), row: expectedBody(d) });
    expect(m.properties).toMatchObject({ deliveryMode: 2, contentType: 'application/json', messageId: row.id });
  }
}

const resourceOf = (m: ReceivedMessage) =>
  (JSON.parse(m.content.toString('utf8')) as { resource_id: string }).resource_id;

/**
 * Waits for the `expected` messages, then shows that nothing more arrives with a trailing
 * marker: one more deletion through `server`, whose message the relay publishes after every
 * earlier one (they were all delivered before it was written). Once the marker arrived, a
 * duplicate or any other extra message published before it is in the list too, so the queue
 * must have held exactly `expected` + 1 distinct messages, the marker last. Returns the
 * messages before the marker, and the marker's outbox row id (once that row is SENT) so that
 * callers leave it out of their outbox checks.
 */
async function drained(
  consumer: QueueConsumer,
  expected: number,
  server: Server,
): Promise<{ received: ReceivedMessage[]; marker: string }> {
  await consumer.waitFor(expected);
  const [marker] = await deleteResources([server], 1, 'broker-marker');
  await expect.poll(() => consumer.messages.some((m) => resourceOf(m) === marker!.resourceId), POLL).toBe(true);
  const messages = [...consumer.messages];
  expect(messages.length, 'messages received, the marker included').toBe(expected + 1);
  expect(messages.map(resourceOf).indexOf(marker!.resourceId), 'the marker arrived last').toBe(expected);
  expect(new Set(messages.map((m) => String(m.properties.messageId))).size, 'distinct message ids').toBe(expected + 1);
  expect(await consumer.ready()).toBe(0);
  const markerId = String(messages[expected]!.properties.messageId);
  await expect.poll(async () => (await queueMessages(server)).find((r) => r.id === markerId)?.state, POLL).toBe('SENT');
  return { received: messages.slice(0, expected), marker: markerId };
}

/** A vhost of its own plus (optionally) a pausable proxy, created before the gateway starts. */
function useBroker(env: Record<string, string>, opts: { proxy?: boolean; configure?: boolean } = {}) {
  const broker = {
    vhost: undefined as unknown as Vhost,
    proxy: null as TcpProxy | null,
    consumers: [] as QueueConsumer[],
  };
  beforeAll(async () => {
    if (skipDatabase()) return;
    broker.vhost = await createVhost(databaseKind());
    if (opts.proxy) broker.proxy = await TcpProxy.start();
    if (opts.configure !== false) env.AMQP_URL = broker.vhost.url(broker.proxy?.port);
  });
  afterAll(async () => {
    for (const c of broker.consumers) await c.close();
    await broker.proxy?.close();
    await broker.vhost?.drop();
  });
  return {
    get vhost() {
      return broker.vhost;
    },
    get proxy() {
      return broker.proxy!;
    },
    /** A consumer for the current test (closed when it ends, so the next test sees every message). */
    async consume() {
      const c = await consumeQueue(broker.vhost.url(), QUEUE);
      broker.consumers.push(c);
      onTestFinished(() => c.close());
      return c;
    },
  };
}

describe.skipIf(skipDatabase())('relaying the outbox to RabbitMQ', { timeout: 240_000 }, () => {
  const env: Record<string, string> = {};
  const broker = useBroker(env, { proxy: true });
  const gw: Gateway = useGateway({ env });

  it('declares the durable queue and publishes persistent JSON with message_id = the row id, then marks rows SENT after one attempt', async () => {
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    // Declared at start, before any message: durable.
    expect((await broker.vhost.queues()).get(QUEUE)).toEqual({ durable: true, messages: 0 });
    const consumer = await broker.consume();

    const { createResource: withWrapper } = await gqlOk(gw.server, CreateResource, {
      input: { name: 'broker-wrapped', wrapperKind: 'idle' },
    });
    gw.trackPid(withWrapper.wrapper?.pid);
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: withWrapper.id });
    expect(deleteResource).toMatchObject({
      __typename: 'DeleteResourcePayload',
      wrapper: { id: withWrapper.wrapper!.id, status: 'STOPPED' },
    });
    const deleted = [
      { resourceId: withWrapper.id, wrapperId: withWrapper.wrapper!.id },
      ...(await deleteResources([gw.server], 2, 'broker-plain')),
    ];

    const { received, marker } = await drained(consumer, deleted.length, gw.server);
    const notMarker = (r: Node) => r.id !== marker;
    await expect
      .poll(async () => (await queueMessages(gw.server, 'SENT')).filter(notMarker).length, POLL)
      .toBe(deleted.length);
    const rows = (await queueMessages(gw.server)).filter(notMarker);
    expect(rows).toHaveLength(deleted.length);
    for (const row of rows) {
      expect(row).toMatchObject({ queue: QUEUE, state: 'SENT', attempts: 1, lastError: null });
      expect(row.sentAt).toEqual(expect.any(String));
    }
    expectDeliveredOnce(received, rows, deleted);
    expect((await broker.vhost.queues()).get(QUEUE)?.durable).toBe(true);
  });

  it('broker unreachable during 200 deletions: all succeed, rows stay PENDING, /ready reports it; afterwards 200 distinct messages arrive', async () => {
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    const before = new Set((await queueMessages(gw.server)).map((r) => r.id));
    const consumer = await broker.consume();

    const outageStarted = Date.now();
    broker.proxy.pause();
    await expect.poll(() => brokerState(gw.server), POLL).toBe('disconnected');

    const deleted = await deleteResources([gw.server], 200, 'broker-outage');

    const pending = (await queueMessages(gw.server, 'PENDING')).filter((r) => !before.has(r.id));
    expect(pending).toHaveLength(200);
    expect(new Set(pending.map((r) => (r.body as { resource_id: string }).resource_id))).toEqual(
      new Set(deleted.map((d) => d.resourceId)),
    );
    const { status, body } = await ready(gw.server);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', database: 'up', broker: { state: 'disconnected' } });
    expect(body.broker.lastError).toEqual(expect.any(String));
    expect(body.broker.pendingMessages).toBeGreaterThanOrEqual(200);
    // Nothing reached the broker while it was away.
    expect(await consumer.ready()).toBe(0);
    expect(consumer.messages).toHaveLength(0);
    // The relay retries with backoff (capped at 10 s), not once per deletion: a few quick
    // attempts, then one every few seconds at most. The bound grows with the outage's length.
    const attempts = broker.proxy.refused;
    const seconds = Math.ceil((Date.now() - outageStarted) / 1000);
    console.info(`[broker] ${attempts} connection attempts in the ${seconds} s outage`);
    expect(attempts).toBeGreaterThan(0);
    expect(attempts).toBeLessThanOrEqual(10 + seconds);

    broker.proxy.resume();
    const { received, marker } = await drained(consumer, 200, gw.server);
    await expect.poll(async () => (await queueMessages(gw.server, 'PENDING')).length, POLL).toBe(0);
    const rows = (await queueMessages(gw.server)).filter((r) => !before.has(r.id) && r.id !== marker);
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'SENT'));
    expectDeliveredOnce(received, rows, deleted);
    await expect
      .poll(async () => (await ready(gw.server)).body.broker, POLL)
      .toMatchObject({
        state: 'connected',
        lastError: null,
        pendingMessages: 0,
      });
  });
});

describe.skipIf(skipDatabase())('without AMQP_URL', { timeout: 180_000 }, () => {
  const env: Record<string, string> = {};
  const broker = useBroker(env, { configure: false });
  const gw: Gateway = useGateway({ env });

  it('deletions wait in the outbox as PENDING, /ready says "not configured", and a restart with a broker delivers them all', async () => {
    const deleted = await deleteResources([gw.server], 5, 'broker-unconfigured');
    const rows = await queueMessages(gw.server);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(rows.map(() => ['PENDING', 0]));
    expect(rows).toHaveLength(5);
    const { status, body } = await ready(gw.server);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', database: 'up', migrated: true });
    expect(body.broker).toEqual({ state: 'not configured', lastError: null, pendingMessages: 5 });

    const server = await gw.restart({ AMQP_URL: broker.vhost.url() });
    await expect.poll(() => brokerState(server), POLL).toBe('connected');
    const consumer = await broker.consume();
    const { received, marker } = await drained(consumer, 5, server);
    const notMarker = (r: Node) => r.id !== marker;
    await expect.poll(async () => (await queueMessages(server, 'SENT')).filter(notMarker).length, POLL).toBe(5);
    const sent = (await queueMessages(server)).filter(notMarker);
    expect(sent).toHaveLength(5);
    expect(sent.map((r) => [r.state, r.attempts])).toEqual(sent.map(() => ['SENT', 1]));
    expectDeliveredOnce(received, sent, deleted);
    expect((await ready(server)).body.broker).toEqual({ state: 'connected', lastError: null, pendingMessages: 0 });
  });
});

describe.skipIf(skipDatabase())('a queue that cannot be declared', { timeout: 180_000 }, () => {
  const env: Record<string, string> = {};
  const broker = useBroker(env, { proxy: true });
  beforeAll(async () => {
    if (skipDatabase()) return;
    // Someone declared the queue before the gateway, not durable: the relay's declaration fails.
    const connection = await amqp.connect(broker.vhost.url());
    const channel = await connection.createChannel();
    await channel.assertQueue(QUEUE, { durable: false });
    await connection.close();
  });
  const gw: Gateway = useGateway({ env });

  it('reports the error, keeps the messages and no connection per attempt; once the queue is fixed they are delivered', async () => {
    await expect
      .poll(async () => (await ready(gw.server)).body.broker, POLL)
      .toMatchObject({
        state: 'disconnected',
        lastError: expect.stringMatching(/PRECONDITION_FAILED/),
      });
    const deleted = await deleteResources([gw.server], 3, 'broker-undeclared');
    expect((await queueMessages(gw.server, 'PENDING')).length).toBe(3);
    // Several attempts, each of which must close the connection it opened.
    await expect.poll(() => broker.proxy.forwarded, POLL).toBeGreaterThanOrEqual(4);
    await expect.poll(() => broker.proxy.open, POLL).toBeLessThanOrEqual(1);
    expect((await ready(gw.server)).body.broker).toMatchObject({ state: 'disconnected', pendingMessages: 3 });

    const connection = await amqp.connect(broker.vhost.url());
    await (await connection.createChannel()).deleteQueue(QUEUE);
    await connection.close();
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    expect((await broker.vhost.queues()).get(QUEUE)?.durable).toBe(true);
    const consumer = await broker.consume();
    const { received, marker } = await drained(consumer, 3, gw.server);
    const notMarker = (r: Node) => r.id !== marker;
    await expect.poll(async () => (await queueMessages(gw.server, 'SENT')).filter(notMarker).length, POLL).toBe(3);
    expectDeliveredOnce(received, (await queueMessages(gw.server)).filter(notMarker), deleted);
    expect(broker.proxy.open).toBe(1);
  });
});

describe.skipIf(skipDatabase())('a broker that refuses messages', { timeout: 180_000 }, () => {
  const env: Record<string, string> = { OUTBOX_MAX_ATTEMPTS: '3' };
  const broker = useBroker(env);
  const gw: Gateway = useGateway({ env });

  it('marks a message FAILED after OUTBOX_MAX_ATTEMPTS nacked attempts and never publishes it; later ones are SENT', async () => {
    // A queue that holds nothing and nacks every publish (publisher confirms report the refusal).
    await broker.vhost.setPolicy('full', '^resource\\.deletion$', { 'max-length': 0, overflow: 'reject-publish' });
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');

    const [refused] = await deleteResources([gw.server], 1, 'broker-refused');
    await expect.poll(async () => (await queueMessages(gw.server, 'FAILED')).length, POLL).toBe(1);
    const [failed] = await queueMessages(gw.server, 'FAILED');
    expect(failed).toMatchObject({
      state: 'FAILED',
      attempts: 3,
      sentAt: null,
      body: { resource_id: refused!.resourceId },
    });
    expect(failed!.lastError).toMatch(/nack/i);
    expect(await queueMessages(gw.server, 'PENDING')).toEqual([]);
    expect(await queueMessages(gw.server, 'SENT')).toEqual([]);

    await broker.vhost.clearPolicy('full');
    const consumer = await broker.consume();
    const accepted = await deleteResources([gw.server], 1, 'broker-accepted');
    const { received, marker } = await drained(consumer, 1, gw.server);
    const notMarker = (r: Node) => r.id !== marker;
    await expect.poll(async () => (await queueMessages(gw.server, 'SENT')).filter(notMarker).length, POLL).toBe(1);

    const rows = (await queueMessages(gw.server)).filter(notMarker);
    const sent = rows.filter((r) => r.state === 'SENT');
    expectDeliveredOnce(received, sent, accepted);
    // The FAILED message stays FAILED with its 3 attempts: not retried, not published.
    expect(rows.map((r) => [r.id, r.state, r.attempts])).toEqual([
      [failed!.id, 'FAILED', 3],
      [sent[0]!.id, 'SENT', 1],
    ]);
    expect((await ready(gw.server)).body.broker).toMatchObject({ state: 'connected', pendingMessages: 0 });
  });
});

describe.skipIf(skipDatabase())('queues the relay declares as it meets them', { timeout: 180_000 }, () => {
  // One attempt per message, so a failed attempt is the row's final state.
  const env: Record<string, string> = { OUTBOX_MAX_ATTEMPTS: '1' };
  const broker = useBroker(env);
  const FORBIDDEN = 'forbidden.queue';
  beforeAll(async () => {
    if (skipDatabase()) return;
    // Set before the gateway connects: the relay may declare any queue but this one.
    await rabbitmqctl('set_permissions', '-p', broker.vhost.name, 'guest', '^(?!forbidden\\.queue$).*', '.*', '.*');
  });
  const gw: Gateway = useGateway({ env });

  it('a message for a queue deleted after the relay declared it comes back unroutable and is not marked SENT; the next one declares the queue again and is delivered', async () => {
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    expect((await broker.vhost.queues()).get(QUEUE)).toEqual({ durable: true, messages: 0 });
    const connection = await amqp.connect(broker.vhost.url());
    await (await connection.createChannel()).deleteQueue(QUEUE);
    await connection.close();

    const [lost] = await deleteResources([gw.server], 1, 'broker-vanished');
    await expect.poll(async () => (await queueMessages(gw.server, 'FAILED')).length, POLL).toBe(1);
    const [failed] = await queueMessages(gw.server, 'FAILED');
    expect(failed).toMatchObject({ attempts: 1, sentAt: null, body: { resource_id: lost!.resourceId } });
    expect(failed!.lastError).toMatch(/^unroutable: .*NO_ROUTE.*resource\.deletion/);
    // The relay declares the queue again only for the next message it publishes.
    expect((await broker.vhost.queues()).has(QUEUE)).toBe(false);

    const accepted = await deleteResources([gw.server], 1, 'broker-redeclared');
    await expect.poll(async () => (await queueMessages(gw.server, 'SENT')).length, POLL).toBe(1);
    expect((await broker.vhost.queues()).get(QUEUE)).toEqual({ durable: true, messages: 1 });
    const consumer = await broker.consume();
    const { received, marker } = await drained(consumer, 1, gw.server);
    const sent = (await queueMessages(gw.server, 'SENT')).filter((r) => r.id !== marker);
    expect(sent).toHaveLength(1);
    expectDeliveredOnce(received, sent, accepted);
  });

  it.runIf(databaseKind() === 'postgres')(
    'rows for another queue are declared (durable) and delivered beside the deletion queue; a queue the relay may not declare fails its rows alone',
    async () => {
      await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
      const deletionQueue = await broker.consume();
      const [workspace] = await gw.db.sql<{ id: string }>('SELECT id FROM workspace LIMIT 1');
      const audit = { id: randomUUID(), body: '{"audit":"first"}' };
      const forbidden = { id: randomUUID(), body: '{"audit":"never"}' };
      // Written as a deletion writes the outbox: in one transaction, then NOTIFY.
      await gw.db.sql(
        `WITH rows AS (
           INSERT INTO queue_message (id, workspace_id, queue, body)
           VALUES ($1::uuid, $2, 'audit.deletion', $3), ($4::uuid, $2, $5, $6) RETURNING id)
         SELECT pg_notify('deletions_committed', '') FROM rows`,
        [audit.id, workspace!.id, audit.body, forbidden.id, FORBIDDEN, forbidden.body],
      );
      const deleted = await deleteResources([gw.server], 2, 'broker-beside-audit');

      const state = async (id: string) =>
        (
          await gw.db.sql<{ state: string; attempts: number; last_error: string | null }>(
            'SELECT state, attempts, last_error FROM queue_message WHERE id = $1::uuid',
            [id],
          )
        )[0];
      await expect.poll(() => state(audit.id), POLL).toEqual({ state: 'SENT', attempts: 1, last_error: null });
      await expect.poll(async () => (await state(forbidden.id))?.state, POLL).toBe('FAILED');
      expect((await state(forbidden.id))?.last_error).toMatch(
        /^could not declare queue "forbidden\.queue": .*ACCESS_REFUSED/,
      );

      const queues = await broker.vhost.queues();
      expect(queues.get('audit.deletion')).toEqual({ durable: true, messages: 1 });
      expect(queues.has(FORBIDDEN)).toBe(false);
      const auditConsumer = await consumeQueue(broker.vhost.url(), 'audit.deletion');
      onTestFinished(() => auditConsumer.close());
      const [received] = await auditConsumer.waitFor(1);
      expect(received!.content.toString('utf8')).toBe(audit.body);
      expect(received!.properties).toMatchObject({ deliveryMode: 2, messageId: audit.id });

      const ofDeleted = async () =>
        (await queueMessages(gw.server)).filter((r) =>
          deleted.some((d) => (r.body as { resource_id: string }).resource_id === d.resourceId),
        );
      await expect.poll(async () => (await ofDeleted()).map((r) => r.state), POLL).toEqual(['SENT', 'SENT']);
      const sent = await ofDeleted();
      expectDeliveredOnce((await drained(deletionQueue, 2, gw.server)).received, sent, deleted);
    },
  );
});

describe.skipIf(skipDatabase() || databaseKind() !== 'postgres')(
  'two relays on one PostgreSQL',
  { timeout: 300_000 },
  () => {
    const env: Record<string, string> = { INSTANCE_ID: 'broker-relay-a', LOG_LEVEL: 'debug' };
    const broker = useBroker(env, { proxy: true });
    const gw: Gateway = useGateway({ env });
    let b: RunningServer;
    beforeAll(async () => {
      b = await startServer({
        databaseUrl: gw.db.url,
        adminKey: gw.server.adminKey,
        env: { ...env, INSTANCE_ID: 'broker-relay-b' },
      });
    });
    afterAll(async () => {
      await b?.stop();
    });

    /** What each relay says it published (confirmed by the broker), from its debug log. */
    const published = (server: RunningServer) =>
      server.logs
        .filter((l) => l.msg === 'published outbox messages')
        .map((l) => ({ time: Number(l.time), ids: l.messages as string[] }));

    it('each message is published exactly once while both relay the same outbox', async () => {
      const servers = [gw.server, b];
      for (const s of servers) await expect.poll(() => brokerState(s), POLL).toBe('connected');
      const consumer = await broker.consume();

      // A backlog both relays find when the broker comes back...
      broker.proxy.pause();
      for (const s of servers) await expect.poll(() => brokerState(s), POLL).toBe('disconnected');
      const backlog = await deleteResources(servers, 150, 'broker-backlog');
      expect((await ready(b)).body.broker.pendingMessages).toBe(150);
      broker.proxy.resume();
      for (const s of servers) await expect.poll(() => brokerState(s), POLL).toBe('connected');
      // ...then deletions through both instances while both relays are connected: every commit
      // wakes both relays (NOTIFY), which race to claim the same new rows.
      const live = await deleteResources(servers, 150, 'broker-live');
      const deleted = [...backlog, ...live];

      await expect
        .poll(
          async () =>
            (
              await gw.db.sql<{ sent: number; locked: number }>(
                `SELECT count(*) FILTER (WHERE state = 'SENT')::int AS sent, count(*) FILTER (WHERE locked_by IS NOT NULL)::int AS locked FROM queue_message`,
              )
            )[0],
          POLL,
        )
        .toEqual({ sent: 300, locked: 0 });
      const { received, marker } = await drained(consumer, 300, gw.server);
      const rows = (await queueMessages(b)).filter((r) => r.id !== marker);
      expect(rows).toHaveLength(300);
      expectDeliveredOnce(received, rows, deleted);

      // Both relays took part, and no message was published by both (nor twice by one).
      // The marker, published after all of them, is left out.
      const withoutMarker = (batches: ReturnType<typeof published>) =>
        batches.map((p) => ({ ...p, ids: p.ids.filter((id) => id !== marker) })).filter((p) => p.ids.length > 0);
      // log lines reach stdout in chunks, shortly after they are logged
      await expect
        .poll(() => [gw.server, b].flatMap((s) => withoutMarker(published(s))).flatMap((p) => p.ids).length)
        .toBeGreaterThanOrEqual(300);
      const byA = withoutMarker(published(gw.server));
      const byB = withoutMarker(published(b));
      const idsA = byA.flatMap((p) => p.ids);
      const idsB = byB.flatMap((p) => p.ids);
      console.info(
        `[broker] relay a published ${idsA.length} in ${byA.length} batches, relay b ${idsB.length} in ${byB.length}`,
      );
      expect(idsA.length).toBeGreaterThan(0);
      expect(idsB.length).toBeGreaterThan(0);
      expect(idsA.length + idsB.length).toBe(300);
      expect(new Set([...idsA, ...idsB])).toEqual(new Set(rows.map((r) => r.id)));
      // They were publishing at the same time, not one after the other.
      const span = (p: typeof byA) => [Math.min(...p.map((x) => x.time)), Math.max(...p.map((x) => x.time))] as const;
      const [firstA, lastA] = span(byA);
      const [firstB, lastB] = span(byB);
      expect(firstA < lastB && firstB < lastA).toBe(true);
    });
  },
);

/** How many times each message id arrived. */
function countById(received: ReceivedMessage[]): Map<string, number> {
  const perId = new Map<string, number>();
  for (const m of received)
    perId.set(String(m.properties.messageId), (perId.get(String(m.properties.messageId)) ?? 0) + 1);
  return perId;
}

/**
 * Waits until every row of `ids` arrived at least once, then for a trailing marker (one more
 * deletion through `server`, published after all of them); returns what arrived except the
 * marker. Only a copy of a row in `late` may arrive after the marker: a publish the network held
 * during an outage reaches the broker on its own connection, in no order with the new one's.
 */
async function deliveredAtLeastOnce(
  consumer: QueueConsumer,
  ids: Set<string>,
  server: Server,
  late: Set<string> = new Set(),
) {
  await expect.poll(() => [...ids].filter((id) => !countById(consumer.messages).has(id)).length, POLL).toBe(0);
  const [marker] = await deleteResources([server], 1, 'broker-marker');
  await expect.poll(() => consumer.messages.some((m) => resourceOf(m) === marker!.resourceId), POLL).toBe(true);
  const messages = [...consumer.messages];
  const at = messages.findIndex((m) => resourceOf(m) === marker!.resourceId);
  const after = messages.slice(at + 1).map((m) => String(m.properties.messageId));
  expect(
    after.filter((id) => !late.has(id)),
    'after the marker, only a late copy of a held publish',
  ).toEqual([]);
  expect(await consumer.ready()).toBe(0);
  return messages.filter((_, i) => i !== at);
}

describe.skipIf(skipDatabase())('a silent broker outage (packets dropped, sockets open)', { timeout: 240_000 }, () => {
  const env: Record<string, string> = { AMQP_HEARTBEAT: '2s' };
  const broker = useBroker(env, { proxy: true });
  const gw: Gateway = useGateway({ env });

  it('/ready leaves "connected" within the heartbeat; deletions meanwhile stay PENDING and are all delivered once the network is back', async () => {
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    const consumer = await broker.consume();

    const stalledAt = Date.now();
    broker.proxy.stall();
    await expect.poll(() => brokerState(gw.server), { timeout: 10_000, interval: 50 }).not.toBe('connected');
    const detectedMs = Date.now() - stalledAt;
    console.info(`[broker] silent outage noticed after ${detectedMs} ms (AMQP_HEARTBEAT 2s)`);
    // Nothing for a whole heartbeat (two of the broker's beats missed), checked every tenth of it:
    // about 2.2 s. The poll's bound above is generous, so a loaded machine does not fail it;
    // the error below shows which mechanism noticed.
    const { body } = await ready(gw.server);
    expect(body.broker).toMatchObject({ state: 'disconnected', lastError: expect.stringMatching(/heartbeat/) });

    const deleted = await deleteResources([gw.server], 20, 'broker-silent');
    expect((await queueMessages(gw.server, 'PENDING')).length).toBe(20);
    // Reconnecting reaches the proxy but never the broker: still not connected.
    expect(await brokerState(gw.server)).toBe('disconnected');
    expect(consumer.messages).toHaveLength(0);

    broker.proxy.resume();
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    const { received, marker } = await drained(consumer, 20, gw.server);
    const rows = (await queueMessages(gw.server)).filter((r) => r.id !== marker);
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'SENT'));
    expectDeliveredOnce(received, rows, deleted);
  });
});

describe.skipIf(skipDatabase())('confirms that stop coming', { timeout: 240_000 }, () => {
  // A heartbeat far longer than the confirm time-out: the time-out alone breaks the connection.
  const env: Record<string, string> = { AMQP_HEARTBEAT: '60s', AMQP_CONFIRM_TIMEOUT: '2s', OUTBOX_LEASE: '5s' };
  const broker = useBroker(env, { proxy: true });
  const gw: Gateway = useGateway({ env });

  it('count the connection as broken after AMQP_CONFIRM_TIMEOUT: rows back to PENDING, delivered after the outage', async () => {
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    const consumer = await broker.consume();

    broker.proxy.stall();
    // Published into the stall: no confirm comes back.
    const publishedAt = Date.now();
    const deleted = await deleteResources([gw.server], 5, 'broker-unconfirmed');
    await expect.poll(() => brokerState(gw.server), { timeout: 10_000, interval: 50 }).not.toBe('connected');
    const detectedMs = Date.now() - publishedAt;
    console.info(`[broker] missing confirms noticed after ${detectedMs} ms (AMQP_CONFIRM_TIMEOUT 2s)`);
    // About 2 s; the poll's bound above is generous, and the error below names the time-out.
    expect((await ready(gw.server)).body.broker).toMatchObject({
      state: 'disconnected',
      lastError: expect.stringMatching(/no confirm from the broker within 2 s/),
    });
    // The row published into the stall failed its attempt; the ones after it wait untried.
    await expect
      .poll(async () => (await queueMessages(gw.server)).filter((r) => r.attempts > 0 && !r.lastError).length, POLL)
      .toBe(0);
    const rows = await queueMessages(gw.server);
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'PENDING'));
    const tried = rows.filter((r) => r.attempts === 1);
    expect(tried.length).toBeGreaterThan(0);
    expect(tried.map((r) => r.lastError)).toEqual(tried.map(() => 'no confirm from the broker within 2 s'));
    expect(rows.filter((r) => r.attempts === 0).map((r) => r.lastError)).toEqual(
      rows.filter((r) => r.attempts === 0).map(() => null),
    );

    broker.proxy.resume();
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    const ids = new Set(rows.map((r) => r.id));
    const triedIds = new Set(tried.map((r) => r.id));
    const received = await deliveredAtLeastOnce(consumer, ids, gw.server, triedIds);
    await expect.poll(async () => (await queueMessages(gw.server, 'PENDING')).length, POLL).toBe(0);
    // The first publishes reach the broker once the network delivers what it held, so a message
    // may arrive twice (consumers deduplicate by message_id); none is lost, none is foreign.
    const perId = countById(received);
    expect(new Set(perId.keys())).toEqual(ids);
    expect(Math.max(...perId.values())).toBeLessThanOrEqual(2);
    expect([...perId].filter(([id, n]) => n > 1 && !triedIds.has(id))).toEqual([]);
    expect(new Set(received.map(resourceOf))).toEqual(new Set(deleted.map((d) => d.resourceId)));
    console.info(
      `[broker] after the confirm time-out: ${received.length} messages for ${ids.size} rows (${received.length - ids.size} republished)`,
    );
  });
});

describe.skipIf(skipDatabase())('a relay that dies between confirms', { timeout: 300_000 }, () => {
  // A short lease: each restart takes over the rows its dead predecessor had claimed.
  const env: Record<string, string> = { AMQP_CONFIRM_TIMEOUT: '2s', OUTBOX_LEASE: '3s' };
  const broker = useBroker(env, { proxy: true });
  const gw: Gateway = useGateway({ env });

  it('republishes at most the messages whose confirms were in flight at each crash', async () => {
    await expect.poll(() => brokerState(gw.server), POLL).toBe('connected');
    const consumer = await broker.consume();
    // A backlog, so that each crash happens in a full batch.
    broker.proxy.pause();
    await expect.poll(() => brokerState(gw.server), POLL).toBe('disconnected');
    const deleted = await deleteResources([gw.server], 300, 'broker-crash');

    // Read through the next gateway before the proxy lets its relay reach the broker: a row the
    // dead relay claimed (attempts went up) and left PENDING was in flight at the crash.
    const snapshot = async (server: Server) => new Map((await queueMessages(server)).map((r) => [r.id, r]));
    let before = await snapshot(gw.server);
    const crashes: { recorded: number; inFlight: Set<string> }[] = [];
    let doomed = await gw.restart({ FAILPOINT: 'relay-between-confirms' });
    for (let k = 1; k <= 3; k++) {
      broker.proxy.resume();
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
      broker.proxy.pause();
      const next = await gw.restart(k < 3 ? { FAILPOINT: 'relay-between-confirms' } : { FAILPOINT: '' });
      const after = await snapshot(next);
      const claimed = [...after.values()].filter((r) => r.attempts > before.get(r.id)!.attempts);
      const recorded = claimed.filter((r) => r.state === 'SENT').length;
      const inFlight = new Set(claimed.filter((r) => r.state === 'PENDING').map((r) => r.id));
      crashes.push({ recorded, inFlight });
      before = after;
      // The failpoint fires with part of a batch recorded and the rest in flight.
      expect(recorded).toBeGreaterThan(0);
      expect(inFlight.size).toBeGreaterThan(0);
      doomed = next;
    }

    const server = doomed;
    broker.proxy.resume();
    await expect.poll(async () => (await queueMessages(server, 'SENT')).length, POLL).toBe(300);
    const rows = await queueMessages(server);
    const received = await deliveredAtLeastOnce(consumer, new Set(rows.map((r) => r.id)), server);
    const perId = countById(received);
    expect(new Set(perId.keys())).toEqual(new Set(rows.map((r) => r.id)));
    expect(new Set(received.map(resourceOf))).toEqual(new Set(deleted.map((d) => d.resourceId)));

    const republished = [...perId].filter(([, n]) => n > 1);
    const extra = received.length - perId.size;
    for (const [k, crash] of crashes.entries()) {
      const dups = republished.filter(([id]) => crash.inFlight.has(id)).length;
      console.info(
        `[broker] crash ${k + 1}: ${crash.recorded} recorded SENT before it, ${crash.inFlight.size} in flight; ${dups} of those arrived twice`,
      );
    }
    console.info(`[broker] ${extra} duplicates for 300 deletions across ${crashes.length} crashes`);
    // Only messages in flight at a crash arrive again, and no more often than they were in flight.
    const inFlightAnywhere = new Set(crashes.flatMap((c) => [...c.inFlight]));
    expect(republished.filter(([id]) => !inFlightAnywhere.has(id))).toEqual([]);
    expect(extra).toBeLessThanOrEqual(crashes.reduce((n, c) => n + c.inFlight.size, 0));
  });
});
