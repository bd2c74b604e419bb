import fs from 'node:fs';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql } from './generated/gql.js';
import { databaseKind, skipDatabase, sqlOnce } from './support/database.js';
import { type Gateway, useGateway, waitUntil } from './support/fixture.js';
import { gqlOk, subscribeSse, subscribeWs, wsClient } from './support/graphql.js';
import { type RunningServer, startServer } from './support/server.js';

// Issue 13: the stream's limits. A subscriber that stops reading is cut off at its buffer
// (graphql-ws close 4008, SSE error SLOW_CONSUMER) and resumes from its last cursor with nothing
// lost, while the others get every event; a revoked key (or one that lost events:read) ends its
// streams on every instance (4403; the SSE stream ends); sockets that never send
// connection_init are closed (4408) and leave no memory behind.

const LimitsCreateImages = graphql(`
  mutation LimitsCreateImages($input: [CreateImageInput!]!) {
    createImages(input: $input) { id }
  }
`);

const LimitsDeleteImages = graphql(`
  mutation LimitsDeleteImages($ids: [ID!]!) {
    deleteImages(ids: $ids, wait: true) { numGood numBad isFinished }
  }
`);

const LimitsCreateKey = graphql(`
  mutation LimitsCreateKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id } }
  }
`);

const LimitsRevokeKey = graphql(`
  mutation LimitsRevokeKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

const LimitsCreateResource = graphql(`
  mutation LimitsCreateResource { createResource(input: { name: "limits" }) { id } }
`);

const LimitsDeleteResource = graphql(`
  mutation LimitsDeleteResource($id: ID!) { deleteResource(id: $id) { __typename } }
`);

/** Image deletions, with a selection that makes every frame about 1 KB (so 20,000 exceed what the kernel buffers). */
const BULKY_IMAGE_EVENTS = `
  subscription LimitsBulky($after: String) {
    deletionEvents(after: $after, filter: { backends: [IMAGE], kinds: [HARD_DELETED] }) {
      cursor entityId
      ${Array.from({ length: 10 }, (_, i) => `c${i}: cursor w${i}: workspaceId o${i}: occurredAt`).join('\n      ')}
    }
  }`;

const ImageEvents = graphql(`
  subscription LimitsImageEvents($after: String) {
    deletionEvents(after: $after, filter: { backends: [IMAGE], kinds: [HARD_DELETED] }) { cursor entityId }
  }
`);

const AllEvents = graphql(`
  subscription LimitsAllEvents { deletionEvents { cursor entityId } }
`);

const DELETIONS = 20_000;
const BUFFER_BYTES = 1024 * 1024;

type Server = Gateway['server'];

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function createImages(server: Server, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let done = 0; done < count; done += 2000) {
    const input = Array.from({ length: Math.min(2000, count - done) }, (_, i) => ({ name: `slow-${done + i}` }));
    ids.push(...(await gqlOk(server, LimitsCreateImages, { input })).createImages.map((i) => i.id));
  }
  return ids;
}

/**
 * A graphql-ws client written against the protocol with `ws` directly, so that a test can stop
 * reading its socket: every frame it received, and how its connection closed.
 */
async function rawSubscriber(server: Pick<RunningServer, 'wsUrl'>, apiKey: string, query: string) {
  const socket = new WebSocket(server.wsUrl, ['graphql-transport-ws'], { perMessageDeflate: false });
  const frames: Array<{ id?: string; type: string; payload?: { data?: unknown; errors?: unknown[] } }> = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  socket.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString('utf8')));
    wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      wake();
    }),
  );
  let isClosed = false;
  void closed.then(() => (isClosed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const until = (condition: () => boolean, what: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (condition()) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        } else if (isClosed) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what} (${frames.length} frames)`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { apiKey } }));
  await until(() => frames.some((f) => f.type === 'connection_ack'), 'connection_ack');
  socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query } }));
  const events = () =>
    frames.filter((f) => f.type === 'next') as Array<{
      payload: { data: { deletionEvents: { cursor: string; entityId: string } } };
    }>;
  return { socket, frames, events, closed, until };
}

describe.skipIf(skipDatabase())('the stream under a subscriber that stops reading', () => {
  const gw = useGateway({
    env: { SUBSCRIBER_BUFFER_BYTES: String(BUFFER_BYTES), SUBSCRIBER_BUFFER_EVENTS: '5000' },
  });

  it(`${DELETIONS} deletions: the stalled graphql-ws and SSE subscribers are cut off at their buffers and resume with nothing lost; the others get every event`, {
    timeout: 300_000,
  }, async () => {
    const server = gw.server;
    const ids = await createImages(server, DELETIONS + 2);
    const marker = ids.pop()!;

    // Every subscriber is live once it has seen a first deletion: delete one image as a probe.
    const healthyClient = wsClient(server, { apiKey: server.adminKey });
    const healthy = subscribeWs(healthyClient, ImageEvents, {});
    const stalled = await rawSubscriber(server, server.adminKey, BULKY_IMAGE_EVENTS);
    const sse = await subscribeSse(server, BULKY_IMAGE_EVENTS, {});
    const probe = ids.shift()!;
    await gqlOk(server, LimitsDeleteImages, { ids: [probe] });
    await healthy.next(1);
    await stalled.until(() => stalled.events().length === 1, 'the probe');
    await sse.waitFor(1);
    const lastSeenByStalled = stalled.events()[0]!.payload.data.deletionEvents.cursor;

    // The graphql-ws subscriber stops reading its socket, the SSE one its response body.
    stalled.socket.pause();
    sse.pause();

    const result = await gqlOk(server, LimitsDeleteImages, { ids });
    expect(result.deleteImages).toEqual({ numGood: DELETIONS, numBad: 0, isFinished: true });
    // The marker after the 20,000: the healthy subscriber has everything once it sees it.
    await gqlOk(server, LimitsDeleteImages, { ids: [marker] });
    const got = await healthy.next(DELETIONS + 2, 120_000);
    const entities = got.map((r) => r.data!.deletionEvents.entityId);
    expect(entities[0]).toBe(probe);
    expect(new Set(entities.slice(1, -1))).toEqual(new Set(ids));
    expect(entities.at(-1)).toBe(marker);
    const cursors = got.map((r) => r.data!.deletionEvents.cursor);
    expect([...cursors].sort()).toEqual(cursors);

    // The gateway dropped the stalled connection when its socket held more than the buffer.
    await waitUntil(
      () => server.logs.some((l) => l.msg === 'closing a graphql-ws connection whose client reads too slowly'),
      () => 'no slow-consumer close in the log',
    );
    const cut = server.logs.find((l) => l.msg === 'closing a graphql-ws connection whose client reads too slowly')!;
    // It held no more than the buffer plus the one page of events written before the check
    // (500 frames of ~1 KB), not the ~20 MB of the 20,000 frames.
    expect(cut.bufferedBytes as number).toBeGreaterThan(BUFFER_BYTES);
    expect(cut.bufferedBytes as number).toBeLessThan(BUFFER_BYTES + 1024 * 1024);

    // Reading again, it gets what the kernel held, then the close with its documented code.
    stalled.socket.resume();
    const { code } = await stalled.closed;
    expect(code).toBe(4008);
    const partial = stalled.events().map((e) => e.payload.data.deletionEvents);
    expect(partial.length).toBeLessThan(DELETIONS);
    const lastCursor = partial.at(-1)?.cursor ?? lastSeenByStalled;

    // It resumes from its last cursor: the rest, without gap or duplicate, up to the marker.
    const resumedClient = wsClient(server, { apiKey: server.adminKey });
    const resumed = subscribeWs(resumedClient, ImageEvents, { after: lastCursor });
    const rest = await resumed.next(DELETIONS + 1 - (partial.length - 1), 120_000);
    const seen = [...partial.map((e) => e.entityId), ...rest.map((r) => r.data!.deletionEvents.entityId)];
    expect(seen[0]).toBe(probe);
    expect(seen.at(-1)).toBe(marker);
    expect(seen).toHaveLength(DELETIONS + 2);
    expect(new Set(seen.slice(1, -1))).toEqual(new Set(ids));

    // The SSE subscriber: reading again, it finds SLOW_CONSUMER after what it had, then the end.
    sse.resume();
    expect(await sse.ended).toBeNull();
    const sseEvents = sse.events.filter((e) => e.event === 'next');
    const last = sseEvents.at(-1)!.data as { errors?: Array<{ extensions: { code: string } }> };
    expect(last.errors?.[0]?.extensions.code).toBe('SLOW_CONSUMER');
    const sseData = sseEvents
      .slice(0, -1)
      .map((e) => (e.data as { data: { deletionEvents: { cursor: string; entityId: string } } }).data.deletionEvents);
    expect(sseData.length).toBeLessThan(DELETIONS);
    expect(sse.events.at(-1)!.event).toBe('complete');
    const sseResumed = await subscribeSse(server, print(ImageEvents), { after: sseData.at(-1)!.cursor });
    try {
      await sseResumed.waitFor(DELETIONS + 2 - sseData.length, 120_000);
      const sseSeen = [
        ...sseData.map((e) => e.entityId),
        ...sseResumed.events.map(
          (e) => (e.data as { data: { deletionEvents: { entityId: string } } }).data.deletionEvents.entityId,
        ),
      ];
      expect(sseSeen).toHaveLength(DELETIONS + 2);
      expect(new Set(sseSeen.slice(1, -1))).toEqual(new Set(ids));
    } finally {
      await sseResumed.close();
      healthy.dispose();
      resumed.dispose();
      await healthyClient.dispose();
      await resumedClient.dispose();
    }
  });
});

describe.skipIf(skipDatabase())('streams of a revoked key', () => {
  const gw = useGateway({ env: { KEY_RECHECK_INTERVAL: '500ms' } });

  async function newKey(server: Server, scopes: string[]) {
    const { createApiKey } = await gqlOk(server, LimitsCreateKey, { input: { name: 'stream reader', scopes } });
    return { key: createApiKey.key, id: createApiKey.apiKey.id };
  }

  async function liveEverywhere(server: Server, streams: Array<() => number>) {
    // Each stream has seen a deletion once it is live: delete until all have.
    for (;;) {
      const { createResource } = await gqlOk(server, LimitsCreateResource);
      const before = streams.map((count) => count());
      await gqlOk(server, LimitsDeleteResource, { id: createResource.id });
      try {
        await waitUntil(
          () => streams.every((count, i) => count() > before[i]!),
          () => 'not every stream is live',
          2_000,
        );
        return;
      } catch {
        // a stream was not registered yet: another deletion
      }
    }
  }

  it('revoking the key closes its graphql-ws connection with 4403 and ends its SSE stream with FORBIDDEN; other keys stream on', async () => {
    const server = gw.server;
    const doomed = await newKey(server, ['events:read']);
    const other = await newKey(server, ['events:read']);
    const ws = await rawSubscriber(server, doomed.key, print(AllEvents));
    const sse = await subscribeSse(server, print(AllEvents), {}, doomed.key);
    const otherClient = wsClient(server, { apiKey: other.key });
    const survivor = subscribeWs(otherClient, AllEvents, {});
    await liveEverywhere(server, [() => ws.events().length, () => sse.events.length, () => survivor.items.length]);

    await gqlOk(server, LimitsRevokeKey, { id: doomed.id });
    const { code } = await ws.closed;
    expect(code).toBe(4403);
    expect(await sse.ended).toBeNull();
    const sseNext = sse.events.filter((e) => e.event === 'next');
    const final = sseNext.at(-1)!.data as { errors?: Array<{ extensions: { code: string } }> };
    expect(final.errors?.[0]?.extensions.code).toBe('FORBIDDEN');

    // The other key's subscription still gets events.
    const seen = survivor.items.length;
    const { createResource } = await gqlOk(server, LimitsCreateResource);
    await gqlOk(server, LimitsDeleteResource, { id: createResource.id });
    const after = await survivor.next(seen + 1);
    expect(after.at(-1)!.data!.deletionEvents.entityId).toBe(createResource.id);
    survivor.dispose();
    await otherClient.dispose();
  });

  it.skipIf(databaseKind() !== 'postgres')(
    'a key that loses events:read has its subscriptions ended at the next check',
    async () => {
      const server = gw.server;
      const key = await newKey(server, ['events:read', 'resources:delete']);
      const ws = await rawSubscriber(server, key.key, print(AllEvents));
      await liveEverywhere(server, [() => ws.events().length]);
      // No mutation changes a key's scopes; an operator editing the row is what this stands for.
      await sqlOnce(gw.db.url, `UPDATE api_key SET scopes = ARRAY['resources:delete'] WHERE id = $1`, [key.id]);
      const { code } = await ws.closed;
      expect(code).toBe(4403);
    },
  );

  it.skipIf(databaseKind() !== 'postgres')(
    'a revocation on one instance ends the key’s streams on another',
    async () => {
      const server = gw.server;
      const second = await startServer({
        databaseUrl: gw.db.url,
        adminKey: server.adminKey,
        env: { KEY_RECHECK_INTERVAL: '1h' },
      });
      try {
        const key = await newKey(server, ['events:read']);
        const ws = await rawSubscriber(second, key.key, print(AllEvents));
        await liveEverywhere(server, [() => ws.events().length]);
        // With a check every hour there, the announcement of the revocation is what ends it.
        await gqlOk(server, LimitsRevokeKey, { id: key.id });
        const { code } = await ws.closed;
        expect(code).toBe(4403);
      } finally {
        await second.stop();
      }
    },
  );
});

describe.skipIf(skipDatabase())('sockets that never send connection_init', () => {
  const gw = useGateway({ env: { WS_INIT_TIMEOUT: '1s' } });

  it('3,000 of them are closed with 4408 after WS_INIT_TIMEOUT, and the memory they took is given back', {
    timeout: 120_000,
  }, async () => {
    const server = gw.server;
    const pid = server.process.pid!;
    // Warm up what the first sockets allocate once (ws, graphql-ws), so the comparison is of the sockets.
    const warm = await rawSubscriber(server, server.adminKey, print(AllEvents));
    warm.socket.close();
    await warm.closed;
    const before = rssMb(pid);

    const codes: number[] = [];
    let open = 0;
    let peak = before;
    const closed = Array.from(
      { length: 3000 },
      () =>
        new Promise<void>((resolve, reject) => {
          const s = new WebSocket(server.wsUrl, ['graphql-transport-ws'], { perMessageDeflate: false });
          s.once('open', () => {
            if (++open === 3000) peak = rssMb(pid);
          });
          s.once('error', reject);
          s.once('close', (code) => {
            codes.push(code);
            resolve();
          });
        }),
    );
    await Promise.all(closed);
    expect(open).toBe(3000);
    expect(codes).toHaveLength(3000);
    expect(new Set(codes)).toEqual(new Set([4408]));

    // The server still answers, and once it has let go of the sockets its memory is back near where it was.
    await gqlOk(server, LimitsCreateResource);
    await waitUntil(
      () => rssMb(pid) - before < 40,
      () => `RSS ${rssMb(pid)} MB, ${before} MB before, ${peak} MB with the sockets open`,
      30_000,
    );
  });
});
