import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { CreateResource, createKey, createWorkspace, DeleteResource, eventLogSettled } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeWs, wsClient } from './support/graphql.js';
import { consumeQueue, createVhost, type Vhost } from './support/rabbitmq.js';
import type { RunningServer } from './support/server.js';

// What the deletion monitor page (/monitor) reads and does, as public GraphQL: the calling key,
// counts per backend that a live stream continues exactly, recent image operations, and giving
// FAILED outbox messages back to the relay.

const POLL = { timeout: 60_000, interval: 100 };
const QUEUE = 'resource.deletion';

const CurrentApiKey = graphql(`
  query MonitorApiCurrentKey { currentApiKey { id name prefix scopes workspaceId revokedAt } }
`);

const DeletionCounts = graphql(`
  query MonitorApiDeletionCounts { deletionCounts { cursor counts { backend kind count since } } }
`);

const CountOn = graphql(`
  subscription MonitorApiCountOn($after: String) { deletionEvents(after: $after) { backend kind entityId } }
`);

const CreateImages = graphql(`
  mutation MonitorApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }
`);

const DeleteImages = graphql(`
  mutation MonitorApiDeleteImages($ids: [ID!]!, $wait: Boolean) {
    deleteImages(ids: $ids, wait: $wait) { id isFinished numTotal numGood }
  }
`);

const Operations = graphql(`
  query MonitorApiOperations($first: Int, $after: String, $last: Int, $state: OperationState) {
    operations(first: $first, after: $after, last: $last, state: $state) {
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id numTotal numGood numBad isFinished } }
    }
  }
`);

const RetryFailed = graphql(`
  mutation MonitorApiRetryFailed($queue: String!, $ids: [ID!]) {
    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }
  }
`);

const QueueMessages = graphql(`
  query MonitorApiQueueMessages($state: QueueMessageState) {
    queueMessages(queue: "resource.deletion", state: $state, first: 100) {
      edges { node { id state attempts lastError body } }
    }
  }
`);

type Server = Pick<RunningServer, 'url' | 'adminKey'>;

async function deleteResource(server: Server, apiKey = server.adminKey): Promise<string> {
  const { createResource } = await gqlOk(server, CreateResource, { input: { name: 'monitored' } }, { apiKey });
  const { deleteResource } = await gqlOk(server, DeleteResource, { id: createResource.id }, { apiKey });
  expect(deleteResource.__typename).toBe('DeleteResourcePayload');
  return createResource.id;
}

const countOf = (data: { deletionCounts: { counts: { backend: string; kind: string; count: number }[] } }) =>
  Object.fromEntries(data.deletionCounts.counts.map((c) => [`${c.backend} ${c.kind}`, c.count]));

describe.skipIf(skipDatabase())('what the monitor reads', () => {
  const gw = useGateway();

  it('currentApiKey: the calling key with its scopes; no key is UNAUTHENTICATED', async () => {
    const key = await createKey(gw.server, ['events:read']);
    const { currentApiKey } = await gqlOk(gw.server, CurrentApiKey, {}, { apiKey: key });
    expect(currentApiKey).toMatchObject({ scopes: ['events:read'], prefix: key.slice(0, currentApiKey.prefix.length) });
    expect(currentApiKey.revokedAt).toBeNull();
    const admin = await gqlOk(gw.server, CurrentApiKey);
    expect(admin.currentApiKey.scopes).toContain('admin');
    expect(admin.currentApiKey.workspaceId).toBe(currentApiKey.workspaceId);

    const anonymous = await gql(gw.server, CurrentApiKey, {}, { apiKey: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('deletionCounts counts by backend and kind; a stream after its cursor delivers each later event once', async () => {
    await deleteResource(gw.server);
    await deleteResource(gw.server);
    await eventLogSettled(gw.server); // deletes one more resource: 3 in all
    const before = await gqlOk(gw.server, DeletionCounts);
    expect(countOf(before)).toEqual({ 'RESOURCE SOFT_DELETED': 3 });
    expect(before.deletionCounts.counts[0]!.since).toEqual(expect.any(String));

    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    try {
      const live = subscribeWs(client, CountOn, { after: before.deletionCounts.cursor });
      const later = await deleteResource(gw.server);
      const [first] = await live.next(1);
      // Nothing counted came again: the first event after the cursor is the later deletion.
      expect(first!.data!.deletionEvents).toEqual({ backend: 'RESOURCE', kind: 'SOFT_DELETED', entityId: later });
    } finally {
      await client.dispose();
    }
    await eventLogSettled(gw.server);
    expect(countOf(await gqlOk(gw.server, DeletionCounts))).toEqual({ 'RESOURCE SOFT_DELETED': 5 });
  });

  it("deletionCounts counts only the caller's workspace and needs events:read", async () => {
    const other = await createWorkspace(gw.server, 'counted apart');
    const otherKey = await createKey(gw.server, ['resources:delete', 'admin', 'events:read'], other);
    await deleteResource(gw.server, otherKey);
    await eventLogSettled(gw.server);
    expect(countOf(await gqlOk(gw.server, DeletionCounts, {}, { apiKey: otherKey }))).toEqual({
      'RESOURCE SOFT_DELETED': 1,
    });

    const noEvents = await createKey(gw.server, ['resources:delete']);
    const refused = await gql(gw.server, DeletionCounts, {}, { apiKey: noEvents });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('operations lists the workspace operations oldest first, pages by cursor and filters by state', async () => {
    const { createImages } = await gqlOk(gw.server, CreateImages, {
      input: [{ name: 'a.png' }, { name: 'b.png' }, { name: 'c.png' }],
    });
    const [a, b, c] = createImages.map((i) => i.id);
    const first = (await gqlOk(gw.server, DeleteImages, { ids: [a!, b!], wait: true })).deleteImages;
    const second = (await gqlOk(gw.server, DeleteImages, { ids: [c!, '999999'], wait: true })).deleteImages;
    expect([first.isFinished, second.isFinished]).toEqual([true, true]);

    const newest = await gqlOk(gw.server, Operations, { last: 2 });
    expect(newest.operations.edges.map((e) => e.node)).toEqual([
      { id: first.id, numTotal: 2, numGood: 2, numBad: 0, isFinished: true },
      { id: second.id, numTotal: 2, numGood: 1, numBad: 1, isFinished: true },
    ]);
    const page1 = await gqlOk(gw.server, Operations, { first: 1 });
    expect(page1.operations.edges.map((e) => e.node.id)).toEqual([first.id]);
    expect(page1.operations.pageInfo.hasNextPage).toBe(true);
    const page2 = await gqlOk(gw.server, Operations, { first: 1, after: page1.operations.pageInfo.endCursor });
    expect(page2.operations.edges.map((e) => e.node.id)).toEqual([second.id]);

    const finished = await gqlOk(gw.server, Operations, { first: 10, state: 'FINISHED' });
    expect(finished.operations.edges.map((e) => e.node.id)).toEqual([first.id, second.id]);
    expect((await gqlOk(gw.server, Operations, { first: 10, state: 'QUEUED' })).operations.edges).toEqual([]);

    // images:delete reads them too; another workspace sees none of them; other scopes are refused.
    const imagesKey = await createKey(gw.server, ['images:delete']);
    expect((await gqlOk(gw.server, Operations, { last: 2 }, { apiKey: imagesKey })).operations.edges).toHaveLength(2);
    const other = await createWorkspace(gw.server, 'operations apart');
    const otherKey = await createKey(gw.server, ['images:delete'], other);
    expect((await gqlOk(gw.server, Operations, { last: 10 }, { apiKey: otherKey })).operations.edges).toEqual([]);
    const refused = await gql(
      gw.server,
      Operations,
      { last: 1 },
      { apiKey: await createKey(gw.server, ['events:read']) },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe.skipIf(skipDatabase())('retrying FAILED outbox messages', { timeout: 180_000 }, () => {
  // One attempt per message, against a queue that refuses every publish: each message FAILS at once.
  const env: Record<string, string> = { OUTBOX_MAX_ATTEMPTS: '1' };
  let vhost: Vhost;
  beforeAll(async () => {
    if (skipDatabase()) return;
    vhost = await createVhost('monitor_retry');
    await vhost.setPolicy('full', '^resource\\.deletion$', { 'max-length': 0, overflow: 'reject-publish' });
    env.AMQP_URL = vhost.url();
  });
  afterAll(async () => {
    await vhost?.drop();
  });
  const gw = useGateway({ env });

  const messages = async (server: Server, apiKey = server.adminKey) =>
    (await gqlOk(server, QueueMessages, {}, { apiKey })).queueMessages.edges.map((e) => e.node);
  const messageOf = async (resourceId: string, apiKey?: string) =>
    (await messages(gw.server, apiKey)).find((m) => (m.body as { resource_id: string }).resource_id === resourceId);

  it('moves FAILED messages back to PENDING with their attempts from 0; the relay publishes them; other workspaces and states are left alone', async () => {
    const other = await createWorkspace(gw.server, 'retried apart');
    const otherKey = await createKey(gw.server, ['resources:delete', 'admin'], other);
    const a = await deleteResource(gw.server);
    const b = await deleteResource(gw.server);
    const c = await deleteResource(gw.server, otherKey);
    for (const [id, key] of [
      [a, undefined],
      [b, undefined],
      [c, otherKey],
    ] as const) {
      await expect.poll(async () => (await messageOf(id, key))?.state, POLL).toBe('FAILED');
    }
    const failedA = (await messageOf(a))!;
    expect(failedA).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/nack/i) });

    // The broker takes messages again.
    await vhost.clearPolicy('full');
    const consumer = await consumeQueue(vhost.url(), QUEUE);
    try {
      const failedC = (await messageOf(c, otherKey))!;
      // Another workspace's message is skipped, not refused.
      const one = await gqlOk(gw.server, RetryFailed, { queue: QUEUE, ids: [failedA.id, failedC.id] });
      expect(one.retryFailedQueueMessages).toEqual({ queue: QUEUE, retried: 1 });
      await expect.poll(async () => (await messageOf(a))?.state, POLL).toBe('SENT');
      // attempts began again from 0: one more attempt, the one that succeeded
      expect(await messageOf(a)).toMatchObject({ attempts: 1, lastError: null });
      const [received] = await consumer.waitFor(1);
      expect(JSON.parse(received!.content.toString('utf8'))).toMatchObject({ resource_id: a });
      expect((await messageOf(b))?.state).toBe('FAILED');

      // No ids: every FAILED message of the queue in the workspace (a SENT one is not retried again).
      const rest = await gqlOk(gw.server, RetryFailed, { queue: QUEUE });
      expect(rest.retryFailedQueueMessages.retried).toBe(1);
      await expect.poll(async () => (await messageOf(b))?.state, POLL).toBe('SENT');
      await consumer.waitFor(2);
      expect((await messageOf(c, otherKey))?.state).toBe('FAILED');
      expect(
        (await gqlOk(gw.server, RetryFailed, { queue: QUEUE, ids: [failedA.id] })).retryFailedQueueMessages.retried,
      ).toBe(0);

      // The other workspace retries its own.
      const theirs = await gqlOk(gw.server, RetryFailed, { queue: QUEUE }, { apiKey: otherKey });
      expect(theirs.retryFailedQueueMessages.retried).toBe(1);
      await expect.poll(async () => (await messageOf(c, otherKey))?.state, POLL).toBe('SENT');
      await consumer.waitFor(3);
      expect(consumer.messages).toHaveLength(3);
    } finally {
      await consumer.close();
    }
  });

  it('needs admin, and refuses ids that are no message ids', async () => {
    const deleter = await createKey(gw.server, ['resources:delete', 'events:read']);
    const refused = await gql(gw.server, RetryFailed, { queue: QUEUE }, { apiKey: deleter });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const invalid = await gql(gw.server, RetryFailed, { queue: QUEUE, ids: ['not-a-message'] });
    expect(invalid.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'ids' });
    expect(invalid.body.data).toBeNull();
  });
});
