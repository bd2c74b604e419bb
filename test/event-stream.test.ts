import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { databaseKind, skipDatabase, sqlOnce } from './support/database.js';
import { type Gateway, useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeSse, subscribeWs, wsClient } from './support/graphql.js';

// The deletion event stream (issue 4, "Event stream"): gap-free, exactly once and in hand-out
// (cursor) order while transactions commit out of id order; replay-then-live with no gap and no
// duplicate at the seam over graphql-ws and SSE; scope events:read and workspace isolation;
// retention with CURSOR_EXPIRED.

const StreamDeleteResource = graphql(`
  mutation StreamDeleteResource($id: ID!) {
    deleteResource(id: $id) {
      __typename
      ... on Error { code message }
    }
  }
`);

const StreamEvents = graphql(`
  query StreamEvents($first: Int, $after: String, $filter: DeletionEventFilter) {
    deletionEvents(first: $first, after: $after, filter: $filter) {
      edges { cursor node { id cursor entityId workspaceId kind backend occurredAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const StreamDeletionEvents = graphql(`
  subscription StreamDeletionEvents($after: String, $filter: DeletionEventFilter) {
    deletionEvents(after: $after, filter: $filter) { id cursor entityId workspaceId kind }
  }
`);

const StreamCreateWorkspace = graphql(`
  mutation StreamCreateWorkspace($name: String!) {
    createWorkspace(name: $name) { id }
  }
`);

const StreamCreateApiKey = graphql(`
  mutation StreamCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { workspaceId } }
  }
`);

/** A cursor before every event: a subscription with it replays the whole log, then goes live. */
const FROM_THE_START = '0'.repeat(32);

type StreamEvent = { id: string; cursor: string; entityId: string; workspaceId: string; kind: string };
type Server = Gateway['server'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(condition: () => boolean | Promise<boolean>, describeState: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describeState()}`);
    await sleep(20);
  }
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight. */
async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

const errorCode = (errors: unknown) =>
  (errors as Array<{ extensions?: { code?: string } }> | undefined)?.[0]?.extensions?.code;

/** `count` resources without wrappers, created 30 per request (the alias limit). */
async function createResources(server: Server, count: number, apiKey = server.adminKey): Promise<string[]> {
  const batches = Array.from({ length: Math.ceil(count / 30) }, (_, b) => Math.min(30, count - b * 30));
  const ids = await pool(batches, 4, async (size, b) => {
    const fields = Array.from(
      { length: size },
      (_, i) => `r${i}: createResource(input: { name: "stream-${b}-${i}" }) { id }`,
    );
    const data = await gqlOk<Record<string, { id: string }>, undefined>(
      server,
      `mutation { ${fields.join(' ')} }`,
      undefined,
      { apiKey },
    );
    return Array.from({ length: size }, (_, i) => data[`r${i}`]!.id);
  });
  return ids.flat();
}

async function deleteResource(server: Server, id: string, apiKey = server.adminKey) {
  const { deleteResource } = await gqlOk(server, StreamDeleteResource, { id }, { apiKey });
  if (deleteResource.__typename !== 'DeleteResourcePayload')
    throw new Error(`deleting ${id}: ${JSON.stringify(deleteResource)}`);
}

async function deleteResourceRest(server: Server, id: string, apiKey = server.adminKey) {
  const res = await fetch(`${server.origin}/resources/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${apiKey}` },
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`DELETE /resources/${id}: HTTP ${res.status} ${body}`);
}

/** Every event of the key's workspace after `after`, through the query, in its order. */
async function eventsAfter(server: Server, after: string | null, apiKey = server.adminKey) {
  const events: Array<StreamEvent & { occurredAt: string }> = [];
  let cursor = after;
  for (;;) {
    const { deletionEvents } = await gqlOk(server, StreamEvents, { first: 1000, after: cursor }, { apiKey });
    for (const edge of deletionEvents.edges) {
      expect(edge.cursor).toBe(edge.node.cursor);
      events.push(edge.node);
    }
    if (!deletionEvents.pageInfo.hasNextPage) return events;
    cursor = deletionEvents.pageInfo.endCursor!;
  }
}

/** The event of a deleted entity once it is handed out (events wait for older transactions to end). */
async function eventOf(server: Server, entityId: string, apiKey = server.adminKey) {
  let found: (StreamEvent & { occurredAt: string }) | undefined;
  await waitUntil(
    async () => {
      const { deletionEvents } = await gqlOk(server, StreamEvents, { first: 10, filter: { entityId } }, { apiKey });
      expect(deletionEvents.edges.length).toBeLessThanOrEqual(1);
      found = deletionEvents.edges[0]?.node;
      return found !== undefined;
    },
    () => `no event for ${entityId}`,
  );
  return found!;
}

function expectStrictlyIncreasing(cursors: string[]) {
  for (let i = 1; i < cursors.length; i++) {
    if (!(cursors[i - 1]! < cursors[i]!))
      throw new Error(`cursor ${i} (${cursors[i]}) does not follow ${cursors[i - 1]}`);
  }
}

/** Equal sequences, reported briefly (thousands of cursors make a useless diff). */
function expectSameSequence(query: string[], stream: string[]) {
  const first = query.findIndex((c, i) => c !== stream[i]);
  const at = first >= 0 ? first : query.length === stream.length ? -1 : Math.min(query.length, stream.length);
  if (at >= 0) {
    const inStream = new Set(stream);
    const inQuery = new Set(query);
    throw new Error(
      `the query (${query.length} events) and the stream (${stream.length}) differ from index ${at}: ` +
        `query ${JSON.stringify(query.slice(at, at + 3))}, stream ${JSON.stringify(stream.slice(at, at + 3))}; ` +
        `only in the query: ${query.filter((c) => !inStream.has(c)).length}, only in the stream: ${stream.filter((c) => !inQuery.has(c)).length}`,
    );
  }
}

async function newWorkspaceKey(server: Server, scopes: string[]) {
  const { createWorkspace } = await gqlOk(server, StreamCreateWorkspace, { name: `stream ${Math.random()}` });
  const { createApiKey } = await gqlOk(server, StreamCreateApiKey, {
    input: { name: 'stream', scopes, workspaceId: createWorkspace.id },
  });
  return { key: createApiKey.key, workspaceId: createWorkspace.id };
}

async function newKey(server: Server, scopes: string[]) {
  const { createApiKey } = await gqlOk(server, StreamCreateApiKey, { input: { name: 'stream', scopes } });
  return createApiKey.key;
}

describe.skipIf(skipDatabase())('deletion event stream', () => {
  const gw = useGateway();

  describe(`gap-free, exactly once, in cursor order while transactions commit out of id order`, () => {
    const WRITERS = 8;
    const PER_WRITER = 500;

    it(`${WRITERS} concurrent writers × ${PER_WRITER} deletions: a graphql-ws subscriber receives every event exactly once, cursors only increase`, {
      timeout: 300_000,
    }, async () => {
      const postgres = databaseKind() === 'postgres';
      const t0 = Date.now();
      const ids = await createResources(gw.server, WRITERS * PER_WRITER);
      const created = Date.now();
      expect(new Set(ids).size).toBe(WRITERS * PER_WRITER);
      const [startMarker, endMarker, tailMarker] = await createResources(gw.server, 3);

      if (postgres) {
        // Jitter so that transactions commit out of id order and out of transaction-id order:
        // a sleep between the transaction's first write (its xid) and the event's id (drawn at
        // the event insert, after the outbox insert), and a sleep at commit (a deferred
        // constraint trigger), which also records the commit order of each event.
        await sqlOnce(
          gw.db.url,
          `
          CREATE SEQUENCE test_commit_seq;
          CREATE TABLE test_commit_order (event_id bigint PRIMARY KEY, commit_seq bigint NOT NULL);
          CREATE FUNCTION test_jitter() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(random() * 0.004); RETURN NEW; END $$;
          CREATE FUNCTION test_commit_jitter() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              PERFORM pg_sleep(random() * 0.004);
              INSERT INTO test_commit_order VALUES (NEW.id, nextval('test_commit_seq'));
              RETURN NULL;
            END $$;
          CREATE TRIGGER test_jitter BEFORE INSERT ON queue_message FOR EACH ROW EXECUTE FUNCTION test_jitter();
          CREATE CONSTRAINT TRIGGER test_commit_jitter AFTER INSERT ON deletion_event
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_commit_jitter();
        `,
        );
      }
      const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
      const sub = subscribeWs(client, StreamDeletionEvents, { after: FROM_THE_START });
      try {
        const received = () => sub.items.map((i) => i.data?.deletionEvents);
        const has = (entityId: string) => () => {
          if (sub.error || sub.completed) throw new Error(`subscription ended: ${JSON.stringify(sub.error)}`);
          return sub.items.some((i) => i.data?.deletionEvents.entityId === entityId);
        };
        const state = () => `${sub.items.length} events received`;

        // Once the replay delivered the start marker, the subscription is live.
        await deleteResource(gw.server, startMarker!);
        await waitUntil(has(startMarker!), state);

        // Half the writers delete through GraphQL, half through REST: one service, one event each.
        const t1 = Date.now();
        await Promise.all(
          Array.from({ length: WRITERS }, async (_, w) => {
            for (const id of ids.slice(w * PER_WRITER, (w + 1) * PER_WRITER)) {
              await (w % 2 ? deleteResourceRest(gw.server, id) : deleteResource(gw.server, id));
            }
          }),
        );
        const deleted = Date.now();
        await deleteResource(gw.server, endMarker!);
        await waitUntil(has(endMarker!), state, 120_000);
        const streamed = Date.now();
        console.log(
          `[event-stream ${databaseKind()}] created ${ids.length} in ${created - t0} ms; ${WRITERS}×${PER_WRITER} deletions in ` +
            `${deleted - t1} ms; last event streamed ${streamed - deleted} ms after the last deletion`,
        );

        for (const item of sub.items) expect(item.errors).toBeUndefined();
        const events = received() as StreamEvent[];
        expectStrictlyIncreasing(events.map((e) => e.cursor));
        const start = events.findIndex((e) => e.entityId === startMarker);
        const end = events.findIndex((e) => e.entityId === endMarker);
        expect(start).toBeGreaterThanOrEqual(0);
        const between = events.slice(start + 1, end);
        // Exactly once: as many events as deletions, and every deleted id among them.
        expect(between).toHaveLength(ids.length);
        expect(new Set(between.map((e) => e.entityId))).toEqual(new Set(ids));
        expect(events.slice(end + 1)).toEqual([]);
        for (const e of between)
          expect(e).toMatchObject({ kind: 'SOFT_DELETED', workspaceId: events[start]!.workspaceId });

        // The stream and the query hand out one order.
        const queried = await eventsAfter(gw.server, events[start]!.cursor);
        expectSameSequence(
          queried.map((e) => e.cursor),
          [...between, events[end]!].map((e) => e.cursor),
        );

        // No late duplicate: one more deletion as a trailing marker. Once it arrived, a duplicate
        // of an earlier event (or any other extra one) would have arrived before it, so the
        // stream must be exactly the events above followed by the marker.
        await deleteResource(gw.server, tailMarker!);
        await waitUntil(has(tailMarker!), state);
        for (const item of sub.items) expect(item.errors).toBeUndefined();
        const all = received() as StreamEvent[];
        expect(all.slice(events.length).map((e) => e.entityId)).toEqual([tailMarker]);
        expect(new Set(all.map((e) => e.cursor)).size).toBe(all.length);
        expect(new Set(all.map((e) => e.entityId)).size).toBe(all.length);
        expectStrictlyIncreasing(all.map((e) => e.cursor));

        const descents = between.filter((e, i) => i > 0 && BigInt(e.id) < BigInt(between[i - 1]!.id)).length;
        if (postgres) {
          // Proof that the scenario happened: the stream's order is not the id order, and
          // transactions committed out of id order and out of transaction-id order.
          expect(descents, 'event ids in stream order never decrease').toBeGreaterThan(0);
          const [order] = await sqlOnce<{ rows: string; by_id: string; by_txid: string }>(
            gw.db.url,
            `
            SELECT count(*) AS rows,
                   count(*) FILTER (WHERE prev_id > id) AS by_id,
                   count(*) FILTER (WHERE prev_txid > txid) AS by_txid
              FROM (SELECT e.id, e.txid,
                           lag(e.id) OVER (ORDER BY c.commit_seq) AS prev_id,
                           lag(e.txid) OVER (ORDER BY c.commit_seq) AS prev_txid
                      FROM test_commit_order c JOIN deletion_event e ON e.id = c.event_id) o`,
          );
          console.log(
            `[event-stream postgres] ${descents} id descents in stream order; commits out of order: ${order!.by_id} by id, ` +
              `${order!.by_txid} by transaction id (of ${order!.rows})`,
          );
          expect(Number(order!.rows)).toBeGreaterThanOrEqual(ids.length);
          expect(Number(order!.by_id)).toBeGreaterThan(0);
          expect(Number(order!.by_txid)).toBeGreaterThan(0);
          // And the stream's order is the table's (txid, id) order.
          const table = await sqlOnce<{ entity_id: string }>(
            gw.db.url,
            `SELECT entity_id FROM deletion_event WHERE entity_id = ANY($1) ORDER BY txid, id`,
            [ids],
          );
          expect(table.map((r) => r.entity_id)).toEqual(between.map((e) => e.entityId));
        } else {
          console.log(`[event-stream pglite] ${descents} id descents (PGlite runs one transaction at a time)`);
        }
      } finally {
        sub.dispose();
        await client.dispose();
        if (postgres) {
          await sqlOnce(
            gw.db.url,
            `
            DROP TRIGGER IF EXISTS test_jitter ON queue_message;
            DROP TRIGGER IF EXISTS test_commit_jitter ON deletion_event;`,
          );
        }
      }
    });
  });

  describe('replay after a cursor, then live: no gap and no duplicate at the seam', () => {
    const ROUNDS = 3;
    /** Events replayed before the stream goes live: several pages, so that the replay takes a while. */
    const BACKLOG = 1500;
    /** Deletions available to the concurrent writer of a round. */
    const WRITES = 80;

    beforeAll(async () => {
      if (skipDatabase()) return;
      // The 4000 deletions above leave a long log; run alone, this file makes one.
      const missing = BACKLOG + 10 - (await eventsAfter(gw.server, null)).length;
      if (missing > 0) await pool(await createResources(gw.server, missing), 8, (id) => deleteResource(gw.server, id));
    }, 300_000);

    /**
     * Subscribes with a cursor BACKLOG events back while a writer keeps deleting, so that events
     * commit during the replay: the live tail hands them to the subscriber while the replay's last
     * pages read them too. The writer stops once the stream is live; then the stream must be
     * exactly the query's sequence after the cursor.
     */
    async function seamRound(
      open: (after: string) => Promise<{ events(): StreamEvent[]; failure(): string | null; close(): Promise<void> }>,
    ) {
      const [candidates, [marker]] = await Promise.all([
        createResources(gw.server, WRITES),
        createResources(gw.server, 1),
      ]);
      const log = await eventsAfter(gw.server, null);
      const from = log[log.length - BACKLOG]!;

      const deleted: string[] = [];
      let stop = false;
      const writer = pool(candidates, 4, async (id) => {
        if (stop) return;
        await deleteResource(gw.server, id);
        deleted.push(id);
      });
      await waitUntil(
        () => deleted.length >= 4,
        () => `${deleted.length} deletions`,
      );
      const stream = await open(from.cursor);
      const check = () => {
        const failure = stream.failure();
        if (failure) throw new Error(failure);
      };
      try {
        let writerDone = false;
        void writer.finally(() => (writerDone = true));
        await waitUntil(
          () => {
            check();
            return writerDone || stream.events().length >= BACKLOG + 10;
          },
          () => `${stream.events().length} events`,
          60_000,
        );
        stop = true;
        await writer;
        await deleteResource(gw.server, marker!);
        await waitUntil(
          () => {
            check();
            return stream.events().some((e) => e.entityId === marker);
          },
          () => `${stream.events().length} events`,
          60_000,
        );
        // The marker is the trailing proof: a late duplicate would have arrived before it, and
        // the comparison with the query below (which ends with the marker) would see it.
        check();
        const expected = await eventsAfter(gw.server, from.cursor);
        const got = stream.events();
        expectSameSequence(
          expected.map((e) => e.cursor),
          got.map((e) => e.cursor),
        );
        expect(got.map((e) => e.entityId)).toEqual(expected.map((e) => e.entityId));
        expect(got.length).toBeGreaterThanOrEqual(BACKLOG + deleted.length);
        const streamed = new Set(got.map((e) => e.entityId));
        for (const id of [...deleted, marker!]) expect(streamed.has(id), `${id} streamed`).toBe(true);
      } finally {
        stop = true;
        await writer;
        await stream.close();
      }
    }

    for (let round = 1; round <= ROUNDS; round++) {
      it(`graphql-ws, round ${round}`, async () => {
        await seamRound(async (after) => {
          const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
          const sub = subscribeWs(client, StreamDeletionEvents, { after });
          return {
            events: () => sub.items.map((i) => i.data!.deletionEvents),
            failure: () =>
              sub.error || sub.completed || sub.items.some((i) => i.errors)
                ? `subscription failed: ${JSON.stringify({ error: sub.error, completed: sub.completed, items: sub.items.filter((i) => i.errors) })}`
                : null,
            close: async () => {
              sub.dispose();
              await client.dispose();
            },
          };
        });
      });
    }

    for (let round = 1; round <= ROUNDS; round++) {
      it(`SSE, round ${round}`, async () => {
        await seamRound(async (after) => {
          const stream = await subscribeSse(gw.server, print(StreamDeletionEvents), { after });
          expect(stream.status).toBe(200);
          expect(stream.contentType).toMatch(/^text\/event-stream/);
          const next = () =>
            stream.events
              .filter((e) => e.event === 'next')
              .map((e) => e.data as { data?: { deletionEvents: StreamEvent }; errors?: unknown });
          return {
            events: () => next().map((d) => d.data!.deletionEvents),
            failure: () =>
              stream.events.some((e) => e.event !== 'next') || next().some((d) => d.errors)
                ? `stream failed: ${JSON.stringify(stream.events.filter((e) => e.event !== 'next' || (e.data as { errors?: unknown }).errors))}`
                : null,
            close: () => stream.close(),
          };
        });
      });
    }
  });

  describe('scope events:read and workspace isolation', () => {
    it('a key without events:read is FORBIDDEN for the query and the subscription (graphql-ws and SSE); a key with only events:read reads', async () => {
      const withoutEvents = await newKey(gw.server, ['admin', 'resources:delete']);
      const eventsOnly = await newKey(gw.server, ['events:read']);

      const query = await gql(gw.server, StreamEvents, { first: 5 }, { apiKey: withoutEvents });
      expect(query.body.data ?? null).toBeNull();
      expect(errorCode(query.body.errors)).toBe('FORBIDDEN');
      expect(query.status).toBe(403);

      const client = wsClient(gw.server, { apiKey: withoutEvents });
      const sub = subscribeWs(client, StreamDeletionEvents, { after: FROM_THE_START });
      try {
        const [result] = await sub.next(1);
        expect(result!.data ?? null).toBeNull();
        expect(errorCode(result!.errors)).toBe('FORBIDDEN');
      } finally {
        sub.dispose();
        await client.dispose();
      }

      const sse = await subscribeSse(gw.server, print(StreamDeletionEvents), { after: FROM_THE_START }, withoutEvents);
      try {
        // Refused before streaming: one error result (Yoga also sets HTTP 403 on the stream).
        expect(sse.contentType).toMatch(/^text\/event-stream/);
        const [first] = await sse.waitFor(1);
        expect(first!.event).toBe('next');
        expect((first!.data as { data?: unknown }).data ?? null).toBeNull();
        expect(errorCode((first!.data as { errors?: unknown }).errors)).toBe('FORBIDDEN');
      } finally {
        await sse.close();
      }

      // The same requests with events:read succeed, so the refusals above are the scope.
      const [id] = await createResources(gw.server, 1);
      await deleteResource(gw.server, id!);
      await eventOf(gw.server, id!, eventsOnly);
      const okClient = wsClient(gw.server, { apiKey: eventsOnly });
      const ok = subscribeWs(okClient, StreamDeletionEvents, { after: FROM_THE_START, filter: { entityId: id } });
      try {
        const [result] = await ok.next(1);
        expect(result).toEqual({
          data: { deletionEvents: expect.objectContaining({ entityId: id, kind: 'SOFT_DELETED' }) },
        });
      } finally {
        ok.dispose();
        await okClient.dispose();
      }
    });

    it('another workspace’s events are invisible to the query and the subscription', async () => {
      const admin = gw.server.adminKey;
      const other = await newWorkspaceKey(gw.server, ['admin', 'resources:delete', 'events:read']);
      const [mine] = await createResources(gw.server, 1, admin);
      await deleteResource(gw.server, mine!, admin);
      const myWorkspace = (await eventOf(gw.server, mine!)).workspaceId;
      expect(myWorkspace).not.toBe(other.workspaceId);

      const subscribe = (apiKey: string) => {
        const client = wsClient(gw.server, { apiKey });
        const sub = subscribeWs(client, StreamDeletionEvents, { after: FROM_THE_START });
        return {
          sub,
          close: async () => {
            sub.dispose();
            await client.dispose();
          },
        };
      };
      const a = subscribe(admin);
      const b = subscribe(other.key);
      try {
        const [aIds, bIds] = await Promise.all([
          createResources(gw.server, 5, admin),
          createResources(gw.server, 5, other.key),
        ]);
        // Interleaved, so that events of both workspaces alternate in the log.
        for (let i = 0; i < 5; i++) {
          await deleteResource(gw.server, aIds![i]!, admin);
          await deleteResource(gw.server, bIds![i]!, other.key);
        }
        const lastA = aIds![4]!;
        const lastB = bIds![4]!;
        for (const [s, last] of [
          [a.sub, lastA],
          [b.sub, lastB],
        ] as const) {
          await waitUntil(
            () => s.items.some((i) => i.data?.deletionEvents.entityId === last),
            () => JSON.stringify(s.items.slice(-3)),
          );
        }
        // A late event of the other workspace would arrive after a later one of one's own.
        const [lastOfA] = await createResources(gw.server, 1, admin);
        await deleteResource(gw.server, lastOfA!, admin);
        const [lastOfB] = await createResources(gw.server, 1, other.key);
        await deleteResource(gw.server, lastOfB!, other.key);
        await waitUntil(
          () => b.sub.items.some((i) => i.data?.deletionEvents.entityId === lastOfB),
          () => 'B',
        );

        const bEvents = b.sub.items.map((i) => i.data!.deletionEvents);
        expect(bEvents.map((e) => e.entityId)).toEqual([...bIds!, lastOfB]);
        expect(bEvents.every((e) => e.workspaceId === other.workspaceId)).toBe(true);
        const aEvents = a.sub.items.map((i) => i.data!.deletionEvents);
        expect(aEvents.every((e) => e.workspaceId === myWorkspace)).toBe(true);
        expect(aEvents.map((e) => e.entityId)).toEqual(expect.arrayContaining(aIds!));
        expect(aEvents.map((e) => e.entityId).filter((id) => [...bIds!, lastOfB].includes(id))).toEqual([]);

        const queriedB = await eventsAfter(gw.server, null, other.key);
        expect(queriedB.map((e) => e.entityId)).toEqual([...bIds!, lastOfB]);
        const queriedA = await eventsAfter(gw.server, null, admin);
        expect(queriedA.every((e) => e.workspaceId === myWorkspace)).toBe(true);
        expect(queriedA.map((e) => e.entityId)).toEqual(expect.arrayContaining([...aIds!, lastOfA]));
        // Asking for another workspace's entity by id finds nothing.
        const { deletionEvents } = await gqlOk(
          gw.server,
          StreamEvents,
          { first: 10, filter: { entityId: aIds![0]! } },
          { apiKey: other.key },
        );
        expect(deletionEvents.edges).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});

describe.skipIf(skipDatabase())('event retention (EVENT_RETENTION=2s, pruned every 300 ms)', () => {
  const RETENTION_MS = 2000;
  const gw = useGateway({ env: { EVENT_RETENTION: '2s', EVENT_PRUNE_INTERVAL: '300ms' } });

  let expired: { cursor: string; entityId: string };
  const sseStreams: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    if (skipDatabase()) return;
    const [old, later] = await createResources(gw.server, 2);
    await deleteResource(gw.server, old!);
    await deleteResource(gw.server, later!);
    const event = await eventOf(gw.server, old!);
    expired = { cursor: event.cursor, entityId: old! };
    // Pruned once older than the retention: gone from the query.
    await waitUntil(
      async () => (await eventsAfter(gw.server, null)).every((e) => e.entityId !== old && e.entityId !== later),
      () => 'the old events are still there',
      30_000,
    );
  });

  afterAll(async () => {
    for (const s of sseStreams) await s.close();
  });

  it('pruned events are gone from the query', async () => {
    const all = await eventsAfter(gw.server, null);
    expect(all.map((e) => e.entityId)).not.toContain(expired.entityId);
    const { deletionEvents } = await gqlOk(gw.server, StreamEvents, {
      first: 10,
      filter: { entityId: expired.entityId },
    });
    expect(deletionEvents.edges).toEqual([]);
  });

  it('the query with a pruned cursor answers CURSOR_EXPIRED', async () => {
    const res = await gql(gw.server, StreamEvents, { first: 10, after: expired.cursor });
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'CURSOR_EXPIRED' } });
    expect(res.body.errors?.[0]?.message).toContain(expired.cursor);
  });

  it('a graphql-ws subscription with a pruned cursor is refused with CURSOR_EXPIRED before any event', async () => {
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    const sub = subscribeWs(client, StreamDeletionEvents, { after: expired.cursor });
    try {
      const [result] = await sub.next(1);
      expect(result!.data ?? null).toBeNull();
      expect(errorCode(result!.errors)).toBe('CURSOR_EXPIRED');
      await waitUntil(
        () => sub.completed || sub.error !== null,
        () => 'not completed',
      );
      expect(sub.items).toHaveLength(1);
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('an SSE subscription with a pruned cursor is refused with CURSOR_EXPIRED before any event', async () => {
    const stream = await subscribeSse(gw.server, print(StreamDeletionEvents), { after: expired.cursor });
    sseStreams.push(stream);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const [first] = await stream.waitFor(1);
    expect(first!.event).toBe('next');
    expect((first!.data as { data?: unknown }).data ?? null).toBeNull();
    expect(errorCode((first!.data as { errors?: unknown }).errors)).toBe('CURSOR_EXPIRED');
    // The server ends the stream after the error: nothing but the error, then `complete`.
    expect(await stream.ended).toBeNull();
    expect(stream.events.map((e) => e.event)).toEqual(['next', 'complete']);
  });

  it('a fresh cursor still works for the query and the subscription', async () => {
    // The fresh cursor itself expires RETENTION_MS after its deletion; on a very busy machine an
    // attempt may take that long, and is then repeated with a new one (an early refusal fails).
    for (let attempt = 1; ; attempt++) {
      const [fresh, next] = await createResources(gw.server, 2);
      await deleteResource(gw.server, fresh!);
      const event = await eventOf(gw.server, fresh!);
      const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
      const sub = subscribeWs(client, StreamDeletionEvents, { after: event.cursor });
      try {
        await deleteResource(gw.server, next!);
        await waitUntil(
          () => sub.items.length > 0 || sub.completed || sub.error !== null,
          () => 'nothing received',
        );
        const [result] = sub.items;
        if (result?.errors && errorCode(result.errors) === 'CURSOR_EXPIRED') {
          const age = Date.now() - Date.parse(event.occurredAt);
          expect(age, 'a cursor younger than EVENT_RETENTION was refused').toBeGreaterThanOrEqual(RETENTION_MS - 100);
          expect(attempt).toBeLessThan(5);
          continue;
        }
        expect(result).toEqual({
          data: { deletionEvents: expect.objectContaining({ entityId: next, kind: 'SOFT_DELETED' }) },
        });
        const res = await gql(gw.server, StreamEvents, { first: 10, after: event.cursor });
        if (res.body.errors) {
          expect(Date.now() - Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(RETENTION_MS - 100);
          continue;
        }
        expect(res.body.data!.deletionEvents.edges.map((e) => e.node.entityId)).toEqual([next]);
        return;
      } finally {
        sub.dispose();
        await client.dispose();
      }
    }
  });
});
