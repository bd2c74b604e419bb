import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { databaseKind, skipDatabase, sqlOnce } from './support/database.js';
import { CreateResource as InstCreateResource } from './support/documents.js';
import { processAlive, useGateway } from './support/fixture.js';
import { gqlOk, wsClient } from './support/graphql.js';
import { type RunningServer, startServer } from './support/server.js';

// Two gateway processes on one PostgreSQL (issue 4, "Several instances"): events of deletions
// made through one reach subscribers of the other, and a wrapper process belongs to the
// instance that started it, which stops it when another instance deletes its resource.

const InstDeleteResource = graphql(`
  mutation InstDeleteResource($id: ID!) {
    deleteResource(id: $id) {
      __typename
      ... on DeleteResourcePayload {
        id
        deleted
        resource { id deleted }
        wrapper { id status pid executionLog(last: 50) { event message } }
      }
      ... on WrapperStopTimeoutError { code message resourceId wrapperId instanceId }
      ... on Error { code message }
    }
  }
`);

const InstCreateApiKey = graphql(`
  mutation InstCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id } }
  }
`);

const InstRevokeApiKey = graphql(`
  mutation InstRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

const InstResource = graphql(`
  query InstResource($id: ID!) {
    resource(id: $id) { id deleted }
  }
`);

const InstWrapper = graphql(`
  query InstWrapper($id: ID!) {
    wrapper(id: $id) { id status pid executionLog(last: 100) { event message } }
  }
`);

const InstEvents = graphql(`
  query InstEvents($filter: DeletionEventFilter) {
    deletionEvents(first: 10, filter: $filter) { edges { node { entityId kind } } }
  }
`);

const InstDeletionEvents = graphql(`
  subscription InstDeletionEvents($after: String) {
    deletionEvents(after: $after) { entityId cursor }
  }
`);

/** A cursor before every event: the subscription replays the whole log, then goes live. */
const FROM_THE_START = '0'.repeat(32);
/** How long instance B waits for the owner to record STOPPED before answering WrapperStopTimeoutError. */
const REMOTE_STOP_TIMEOUT_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(condition: () => boolean | Promise<boolean>, describeState: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describeState()}`);
    await sleep(10);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const resourceDeletedEntries = (log: Array<{ event: string; message: string }>) =>
  log.filter((e) => e.event === 'RESOURCE_DELETED');

describe.skipIf(skipDatabase() || databaseKind() !== 'postgres')(
  'several instances on one PostgreSQL (PostgreSQL only: a PGlite database can be opened by one process alone)',
  () => {
    const gw = useGateway({ env: { INSTANCE_ID: 'a' } });
    /** Instance B: a second process on A's database, with the same admin key. */
    let b: RunningServer;
    const a = () => gw.server;

    beforeAll(async () => {
      b = await startServer({
        databaseUrl: gw.db.url,
        adminKey: gw.server.adminKey,
        env: { INSTANCE_ID: 'b', WRAPPER_REMOTE_STOP_TIMEOUT: `${REMOTE_STOP_TIMEOUT_MS}ms` },
      });
    });

    afterAll(async () => {
      await b?.stop();
    });

    async function createOnA(wrapperKind?: string) {
      const { createResource } = await gqlOk(a(), InstCreateResource, { input: { name: 'instances', wrapperKind } });
      gw.trackPid(createResource.wrapper?.pid);
      return createResource;
    }

    async function ownerOf(wrapperId: string) {
      const [row] = await sqlOnce<{ instance_id: string | null; status: string }>(
        gw.db.url,
        'SELECT instance_id, status FROM wrapper WHERE id = $1',
        [wrapperId],
      );
      return row;
    }

    it('both instances run on the one database', async () => {
      expect(a().logs.find((l) => l.msg === 'deletion gateway listening')).toMatchObject({
        instance: 'a',
        database: 'postgres',
      });
      expect(b.logs.find((l) => l.msg === 'deletion gateway listening')).toMatchObject({
        instance: 'b',
        database: 'postgres',
      });
      const r = await createOnA();
      expect((await gqlOk(b, InstResource, { id: r.id })).resource).toEqual({ id: r.id, deleted: false });
    });

    it('a graphql-ws subscriber connected to A receives a deletion made through B within one second', async () => {
      const SAMPLES = 7;
      const client = wsClient(a(), { apiKey: a().adminKey });
      const arrivals = new Map<string, number>();
      let failure: unknown = null;
      const dispose = client.subscribe<{ deletionEvents: { entityId: string; cursor: string } }>(
        { query: print(InstDeletionEvents), variables: { after: FROM_THE_START } },
        {
          next: (value) => {
            if (value.errors) failure = value.errors;
            const id = value.data?.deletionEvents.entityId;
            if (id && !arrivals.has(id)) arrivals.set(id, performance.now());
          },
          error: (err) => (failure = err ?? 'error'),
          complete: () => (failure ??= 'completed'),
        },
      );
      const arrived = (id: string) => () => {
        if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
        return arrivals.has(id);
      };
      try {
        // Once the replay delivered this deletion made through B, the subscription on A is live.
        const { createResource: warmUp } = await gqlOk(b, InstCreateResource, { input: { name: 'warm-up' } });
        await gqlOk(b, InstDeleteResource, { id: warmUp.id });
        await waitUntil(arrived(warmUp.id), () => 'the warm-up deletion did not arrive');

        const sinceRequest: number[] = [];
        const sinceAnswer: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          const { createResource: r } = await gqlOk(b, InstCreateResource, { input: { name: `through-b-${i}` } });
          const sent = performance.now();
          const { deleteResource } = await gqlOk(b, InstDeleteResource, { id: r.id });
          const answered = performance.now();
          expect(deleteResource.__typename).toBe('DeleteResourcePayload');
          await waitUntil(arrived(r.id), () => `the deletion of ${r.id} made through B did not reach A`, 15_000);
          sinceRequest.push(arrivals.get(r.id)! - sent);
          sinceAnswer.push(arrivals.get(r.id)! - answered);
          await sleep(50);
        }
        const round = (v: number[]) => v.map((ms) => Math.round(ms));
        console.log(
          `[instances] B→A event latency (ms) since the request: ${round(sinceRequest).join(', ')} (median ${Math.round(median(sinceRequest))}); ` +
            `since B answered: ${round(sinceAnswer).join(', ')} (median ${Math.round(median(sinceAnswer))})`,
        );
        // The median of several, so that one scheduling hiccup of a busy 2-core machine does not decide.
        expect(median(sinceRequest)).toBeLessThan(1000);
      } finally {
        dispose();
        await client.dispose();
      }
    });

    /** Waits until the after-commit work of a resource's deletion (its wrapper stop) is DONE. */
    const stopWorkDone = (resourceId: string) =>
      waitUntil(
        async () =>
          (await gw.db.sql<{ state: string }>('SELECT state FROM after_commit_task WHERE entity_id = $1', [resourceId]))
            .map((t) => t.state)
            .join() === 'DONE',
        () => `the stop of ${resourceId} is not DONE`,
      );

    it('a resource whose wrapper runs on A, deleted through B: A stops the process and B answers once STOPPED is recorded', async () => {
      const r = await createOnA('idle');
      const pid = r.wrapper!.pid!;
      expect(r.wrapper!.status).toBe('RUNNING');
      expect(await ownerOf(r.wrapper!.id)).toEqual({ instance_id: 'a', status: 'RUNNING' });
      expect(processAlive(pid)).toBe(true);

      const { deleteResource } = await gqlOk(b, InstDeleteResource, { id: r.id });
      if (deleteResource.__typename !== 'DeleteResourcePayload') throw new Error(JSON.stringify(deleteResource));
      expect(deleteResource).toMatchObject({
        id: r.id,
        deleted: true,
        resource: { id: r.id, deleted: true },
        wrapper: { id: r.wrapper!.id, status: 'STOPPED', pid },
      });
      // STOPPED was recorded, with its log entry, before B answered.
      const entries = resourceDeletedEntries(deleteResource.wrapper!.executionLog);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.message).toMatch(new RegExp(`^Resource ${r.id} deleted; .* by instance a; status STOPPED$`));
      expect(processAlive(pid)).toBe(false);

      // Still exactly one entry once the stop's after-commit work is DONE (B recorded none of its own).
      await stopWorkDone(r.id);
      const { wrapper } = await gqlOk(a(), InstWrapper, { id: r.wrapper!.id });
      expect(wrapper!.status).toBe('STOPPED');
      expect(resourceDeletedEntries(wrapper!.executionLog)).toEqual(entries);
      expect((await ownerOf(r.wrapper!.id))!.status).toBe('STOPPED');
    });

    it('the same through B’s REST route: 200 once A has stopped the process', async () => {
      const r = await createOnA('idle');
      const pid = r.wrapper!.pid!;
      const res = await fetch(`${b.origin}/resources/${r.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${b.adminKey}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: r.id, deleted: true });
      expect(processAlive(pid)).toBe(false);
      const { wrapper } = await gqlOk(b, InstWrapper, { id: r.wrapper!.id });
      expect(wrapper!.status).toBe('STOPPED');
      const entries = resourceDeletedEntries(wrapper!.executionLog);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.message).toMatch(/ by instance a; status STOPPED$/);
    });

    it('owner instance down: B answers WrapperStopTimeoutError (GraphQL) and 504 (REST) after its bounded wait; the resources are deleted; A stops the processes when it is back, recording STOPPED once', async () => {
      const viaGraphQL = await createOnA('idle');
      const viaRest = await createOnA('idle');
      const pids = [viaGraphQL.wrapper!.pid!, viaRest.wrapper!.pid!];

      // A graceful stop leaves wrapper processes running: they are detached.
      await gw.server.stop();
      for (const pid of pids) expect(processAlive(pid)).toBe(true);

      const started = Date.now();
      const { deleteResource } = await gqlOk(b, InstDeleteResource, { id: viaGraphQL.id });
      const waited = Date.now() - started;
      expect(deleteResource).toEqual({
        __typename: 'WrapperStopTimeoutError',
        code: 'WRAPPER_STOP_TIMEOUT',
        message: expect.stringContaining(viaGraphQL.wrapper!.id),
        resourceId: viaGraphQL.id,
        wrapperId: viaGraphQL.wrapper!.id,
        instanceId: 'a',
      });
      // It did wait for the owner (a lower bound only: the upper one depends on the machine).
      expect(waited).toBeGreaterThanOrEqual(REMOTE_STOP_TIMEOUT_MS - 50);

      const rest = await fetch(`${b.origin}/resources/${viaRest.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${b.adminKey}` },
      });
      expect(rest.status).toBe(504);
      const body = (await rest.json()) as { detail?: unknown };
      expect(Object.keys(body)).toEqual(['detail']);
      expect(body.detail).toEqual(expect.stringContaining(viaRest.wrapper!.id));

      // The deletions committed: the resources are gone, their events exist, a retry finds nothing.
      for (const r of [viaGraphQL, viaRest]) {
        expect((await gqlOk(b, InstResource, { id: r.id })).resource).toBeNull();
        await waitUntil(
          async () => (await gqlOk(b, InstEvents, { filter: { entityId: r.id } })).deletionEvents.edges.length === 1,
          () => `no deletion event for ${r.id}`,
        );
        const again = await gqlOk(b, InstDeleteResource, { id: r.id });
        expect(again.deleteResource).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
        // Nobody stopped the process yet: B may not signal a process of A's.
        const { wrapper } = await gqlOk(b, InstWrapper, { id: r.wrapper!.id });
        expect(wrapper!.status).toBe('RUNNING');
        expect(resourceDeletedEntries(wrapper!.executionLog)).toEqual([]);
      }
      for (const pid of pids) expect(processAlive(pid)).toBe(true);
      // Their queue messages are held while the wrappers run: no consumer hears of a deletion
      // whose wrapper still runs (the seed lists the message after the stop).
      const messages = (r: { id: string }) =>
        gw.db.sql<{ held: boolean }>(
          `SELECT run_at = 'infinity' AS held FROM queue_message WHERE body::jsonb->>'resource_id' = $1`,
          [r.id],
        );
      for (const r of [viaGraphQL, viaRest]) expect(await messages(r)).toEqual([{ held: true }]);

      // A comes back and finishes the requested stops.
      await gw.restart();
      for (const pid of pids)
        await waitUntil(
          () => !processAlive(pid),
          () => `wrapper process ${pid} still runs`,
          15_000,
        );
      for (const r of [viaGraphQL, viaRest]) {
        await waitUntil(
          async () => (await gqlOk(b, InstWrapper, { id: r.wrapper!.id })).wrapper!.status === 'STOPPED',
          () => `wrapper ${r.wrapper!.id} not STOPPED`,
        );
      }
      for (const r of [viaGraphQL, viaRest]) {
        // The stop's after-commit work is DONE: nothing is left to record a second entry.
        await stopWorkDone(r.id);
        expect(await messages(r)).toEqual([{ held: false }]);
        const { wrapper } = await gqlOk(b, InstWrapper, { id: r.wrapper!.id });
        const entries = resourceDeletedEntries(wrapper!.executionLog);
        expect(entries).toHaveLength(1);
        expect(entries[0]!.message).toMatch(new RegExp(`^Resource ${r.id} deleted; .* by instance a; status STOPPED$`));
      }
    });

    it('a key revoked through A stops working on B, although B had it cached', async () => {
      const { createApiKey } = await gqlOk(a(), InstCreateApiKey, {
        input: { name: 'short-lived', scopes: ['admin'] },
      });
      const r = await createOnA();
      const asKey = { apiKey: createApiKey.key };
      // B authenticates (and caches) the key
      expect((await gqlOk(b, InstResource, { id: r.id }, asKey)).resource).toEqual({ id: r.id, deleted: false });
      await gqlOk(a(), InstRevokeApiKey, { id: createApiKey.apiKey.id });
      // A refuses it at once; B once the revocation's notification arrived (well within the cache's 30 s)
      const status = async (server: RunningServer) =>
        (
          await fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${createApiKey.key}` },
            body: JSON.stringify({ query: '{ __typename }' }),
          })
        ).status;
      expect(await status(a())).toBe(401);
      await waitUntil(
        async () => (await status(b)) === 401,
        () => 'B still accepts the revoked key',
        10_000,
      );
    });
  },
);
