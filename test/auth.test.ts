import { beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { CreateResource } from './support/documents.js';
import { processAlive, useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeWs, wsClient } from './support/graphql.js';
import { runScript } from './support/server.js';

const CreateWorkspace = graphql(`
  mutation AuthCreateWorkspace($name: String!) {
    createWorkspace(name: $name) { id name }
  }
`);

const CreateApiKey = graphql(`
  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id workspaceId name prefix scopes revokedAt } }
  }
`);

const RevokeApiKey = graphql(`
  mutation AuthRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

const DeleteResource = graphql(`
  mutation AuthDeleteResource($id: ID!) {
    deleteResource(id: $id) {
      __typename
      ... on DeleteResourcePayload { id deleted }
      ... on Error { code message }
    }
  }
`);

const ResourceById = graphql(`
  query AuthResourceById($id: ID!) {
    resource(id: $id) { id deleted wrapper { status pid } }
  }
`);

const WrapperById = graphql(`
  query AuthWrapperById($id: ID!) {
    wrapper(id: $id) { id status }
  }
`);

const Resources = graphql(`
  query AuthResources {
    resources(first: 500) { edges { node { id } } pageInfo { hasNextPage } }
  }
`);

const FirstResource = graphql(`
  query AuthFirstResource {
    resources(first: 1) { edges { node { id } } }
  }
`);

const QueueMessages = graphql(`
  query AuthQueueMessages {
    queueMessages(queue: "resource.deletion", first: 1000) { edges { node { body } } }
  }
`);

const DeletionEvents = graphql(`
  query AuthDeletionEvents {
    deletionEvents(first: 1000) { edges { node { entityId workspaceId } } }
  }
`);

const DeletionEventStream = graphql(`
  subscription AuthDeletionEventStream($after: String) {
    deletionEvents(after: $after, filter: { backends: [RESOURCE] }) { entityId workspaceId kind }
  }
`);

/** A cursor before every event: a subscription with it replays the whole log, then goes live. */
const FROM_THE_START = '0'.repeat(32);

const errorCode = (res: { body: { errors?: Array<{ extensions?: Record<string, unknown> }> } }) =>
  res.body.errors?.[0]?.extensions?.code;

describe.skipIf(skipDatabase())('authentication and workspace isolation', () => {
  const gw = useGateway();

  /** Workspace A is the bootstrap workspace; its admin key (every scope) is the fixture's key. */
  let workspaceA: string;
  /** A second workspace with a key holding every scope except platform. */
  let workspaceB: string;
  let keyB: string;
  /** The oldest resource of workspace B, to tell which workspace a request ran in. */
  let markerB: string;

  async function newKey(scopes: string[], opts: { workspaceId?: string; as?: string } = {}) {
    const { createApiKey } = await gqlOk(
      gw.server,
      CreateApiKey,
      { input: { name: `key ${scopes.join(' ')}`, scopes, workspaceId: opts.workspaceId } },
      { apiKey: opts.as },
    );
    return { key: createApiKey.key, id: createApiKey.apiKey.id, workspaceId: createApiKey.apiKey.workspaceId };
  }

  async function newResource(as: string, wrapperKind?: string) {
    const { createResource } = await gqlOk(
      gw.server,
      CreateResource,
      { input: { name: 'r', wrapperKind } },
      { apiKey: as },
    );
    gw.trackPid(createResource.wrapper?.pid);
    return createResource;
  }

  async function resourceIds(as: string) {
    const { resources } = await gqlOk(gw.server, Resources, {}, { apiKey: as });
    expect(resources.pageInfo.hasNextPage).toBe(false);
    return resources.edges.map((e) => e.node.id);
  }

  beforeAll(async () => {
    if (skipDatabase()) return;
    workspaceA = (await newKey(['events:read'])).workspaceId;
    const { createWorkspace } = await gqlOk(gw.server, CreateWorkspace, { name: 'workspace B' });
    workspaceB = createWorkspace.id;
    keyB = (await newKey(['admin', 'resources:delete', 'events:read'], { workspaceId: workspaceB })).key;
    markerB = (await newResource(keyB)).id;
  });

  describe('API keys over HTTP', () => {
    it.each<[string, (key: string) => Record<string, string>]>([
      ['Authorization: Bearer', (key) => ({ Authorization: `Bearer ${key}` })],
      ['x-api-key', (key) => ({ 'x-api-key': key })],
      ['API-Key', (key) => ({ 'API-Key': key })],
    ])('the %s header authenticates as the key’s workspace', async (_style, headers) => {
      const { resources } = await gqlOk(gw.server, FirstResource, {}, { apiKey: null, headers: headers(keyB) });
      expect(resources.edges.map((e) => e.node.id)).toEqual([markerB]);
    });

    it('a request without a key is UNAUTHENTICATED with HTTP 401', async () => {
      const res = await gql(gw.server, FirstResource, {}, { apiKey: null });
      expect(res.status).toBe(401);
      expect(res.body.data ?? null).toBeNull();
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    });

    it('an unknown key is UNAUTHENTICATED with HTTP 401, in every header style', async () => {
      const unknown = `dgw_${'x'.repeat(40)}`;
      const styles: Array<Record<string, string>> = [
        { Authorization: `Bearer ${unknown}` },
        { 'x-api-key': unknown },
        { 'API-Key': unknown },
      ];
      for (const headers of styles) {
        const res = await gql(gw.server, FirstResource, {}, { apiKey: null, headers });
        expect(res.status).toBe(401);
        expect(res.body.data ?? null).toBeNull();
        expect(errorCode(res)).toBe('UNAUTHENTICATED');
      }
    });

    it('two different keys in one request are refused, naming the conflict (GraphQL 401 UNAUTHENTICATED, REST 400); the same key twice is one key', async () => {
      const other = (await newKey(['admin'])).key;
      const conflicting = { Authorization: `Bearer ${keyB}`, 'x-api-key': other };
      const res = await gql(gw.server, FirstResource, {}, { apiKey: null, headers: conflicting });
      expect(res.status).toBe(401);
      expect(res.body.data ?? null).toBeNull();
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(res.body.errors?.[0]?.message).toMatch(/Conflicting API keys/);
      // Nothing was deleted by a request with two keys.
      const target = (await newResource(other)).id;
      const withBoth = { Authorization: `Bearer ${other}`, 'x-api-key': keyB };
      const rest = await fetch(`${gw.server.origin}/resources/${target}`, { method: 'DELETE', headers: withBoth });
      expect(rest.status).toBe(400);
      expect(JSON.stringify(await rest.json())).toMatch(/Conflicting API keys/);
      const still = await gqlOk<{ resource: { deleted: boolean } | null }, { id: string }>(
        gw.server,
        'query AuthStillThere($id: ID!) { resource(id: $id) { deleted } }',
        { id: target },
        { apiKey: other },
      );
      expect(still.resource).toEqual({ deleted: false });

      const same = { Authorization: `Bearer ${keyB}`, 'x-api-key': keyB, 'API-Key': keyB };
      const ok = await gqlOk(gw.server, FirstResource, {}, { apiKey: null, headers: same });
      expect(ok.resources.edges.map((e) => e.node.id)).toEqual([markerB]);
    });

    it('Authorization needs the Bearer scheme: a bare key or another scheme is UNAUTHENTICATED (REST 401)', async () => {
      for (const authorization of [keyB, `Basic ${keyB}`, `Bearer ${keyB} extra`]) {
        const res = await gql(
          gw.server,
          FirstResource,
          {},
          { apiKey: null, headers: { Authorization: authorization } },
        );
        expect(res.status).toBe(401);
        expect(errorCode(res)).toBe('UNAUTHENTICATED');
        expect(res.body.errors?.[0]?.message).toMatch(/Bearer scheme/);
      }
      const rest = await fetch(`${gw.server.origin}/resources/${markerB}`, {
        method: 'DELETE',
        headers: { Authorization: keyB },
      });
      expect(rest.status).toBe(401);
      expect(rest.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('a revoked key stops working at once', async () => {
      const k = await newKey(['admin']);
      expect((await gql(gw.server, FirstResource, {}, { apiKey: k.key })).status).toBe(200);
      const { revokeApiKey } = await gqlOk(gw.server, RevokeApiKey, { id: k.id });
      expect(revokeApiKey.revokedAt).toBeTruthy();
      const res = await gql(gw.server, FirstResource, {}, { apiKey: k.key });
      expect(res.status).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    });

    it('a key of another workspace cannot be revoked, and keeps working', async () => {
      const k = await newKey(['events:read']);
      const res = await gql(gw.server, RevokeApiKey, { id: k.id }, { apiKey: keyB });
      expect(res.body.data ?? null).toBeNull();
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect((await gql(gw.server, FirstResource, {}, { apiKey: k.key })).status).toBe(200);
    });
  });

  describe('scopes', () => {
    it('a key with only events:read cannot delete a resource: FORBIDDEN with HTTP 403, and the resource lives on', async () => {
      const eventsOnly = await newKey(['events:read']);
      const r = await newResource(gw.server.adminKey, 'idle');
      const res = await gql(gw.server, DeleteResource, { id: r.id }, { apiKey: eventsOnly.key });
      expect(res.status).toBe(403);
      expect(res.body.data ?? null).toBeNull();
      expect(errorCode(res)).toBe('FORBIDDEN');
      const { resource } = await gqlOk(gw.server, ResourceById, { id: r.id });
      expect(resource).toMatchObject({ id: r.id, deleted: false, wrapper: { status: 'RUNNING' } });
      expect(processAlive(r.wrapper!.pid!)).toBe(true);
    });

    it('a key without admin cannot create resources or read queue messages: FORBIDDEN with HTTP 403', async () => {
      const deleter = await newKey(['resources:delete', 'events:read']);
      const before = await resourceIds(gw.server.adminKey);
      const create = await gql(gw.server, CreateResource, { input: { name: 'not allowed' } }, { apiKey: deleter.key });
      expect(create.status).toBe(403);
      expect(errorCode(create)).toBe('FORBIDDEN');
      expect(await resourceIds(gw.server.adminKey)).toEqual(before);
      const queue = await gql(gw.server, QueueMessages, {}, { apiKey: deleter.key });
      expect(queue.status).toBe(403);
      expect(errorCode(queue)).toBe('FORBIDDEN');
    });

    it('createWorkspace needs scope platform', async () => {
      const admin = await newKey(['admin']);
      const res = await gql(gw.server, CreateWorkspace, { name: 'not allowed' }, { apiKey: admin.key });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
      const { createWorkspace } = await gqlOk(gw.server, CreateWorkspace, { name: 'allowed' });
      expect(createWorkspace).toMatchObject({ id: expect.stringMatching(/^wks_/), name: 'allowed' });
    });

    it('createApiKey in another workspace needs platform; without it the answer is NOT_FOUND, never a key', async () => {
      const res = await gql(
        gw.server,
        CreateApiKey,
        { input: { name: 'into A', scopes: ['events:read'], workspaceId: workspaceA } },
        { apiKey: keyB },
      );
      expect(res.body.data ?? null).toBeNull();
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toContain('dgw_');

      const made = await newKey(['admin'], { workspaceId: workspaceB });
      expect(made.workspaceId).toBe(workspaceB);
      const { resources } = await gqlOk(gw.server, FirstResource, {}, { apiKey: made.key });
      expect(resources.edges.map((e) => e.node.id)).toEqual([markerB]);
    });

    it('a key cannot grant scopes it does not hold', async () => {
      const admin = await newKey(['admin']);
      const res = await gql(
        gw.server,
        CreateApiKey,
        { input: { name: 'escalate', scopes: ['admin', 'resources:delete'] } },
        { apiKey: admin.key },
      );
      expect(res.body.data ?? null).toBeNull();
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.message).toBe('A key cannot grant scopes it does not hold itself');
      // What it holds it may pass on, into its own workspace.
      const passed = await newKey(['admin'], { as: admin.key });
      expect(passed.workspaceId).toBe(workspaceA);
    });

    it('a key without admin or platform cannot create keys at all', async () => {
      const deleter = await newKey(['resources:delete']);
      const res = await gql(
        gw.server,
        CreateApiKey,
        { input: { name: 'x', scopes: ['resources:delete'] } },
        { apiKey: deleter.key },
      );
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    });

    it('unknown scope names are VALIDATION_FAILED', async () => {
      const res = await gql(gw.server, CreateApiKey, {
        input: { name: 'typo', scopes: ['resources:delete', 'resource:delete'] },
      });
      expect(res.body.data ?? null).toBeNull();
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.message).toMatch(/^Unknown scopes: resource:delete \(known: /);
    });
  });

  describe('workspace isolation', () => {
    it('a resource of workspace A is invisible to workspace B, and B cannot delete it', async () => {
      const a = await newResource(gw.server.adminKey, 'idle');
      // Something of A's in the queue and the event log, and something of B's beside it.
      const aDeleted = await newResource(gw.server.adminKey);
      await gqlOk(gw.server, DeleteResource, { id: aDeleted.id });
      const bDeleted = await newResource(keyB);
      expect(
        (await gqlOk(gw.server, DeleteResource, { id: bDeleted.id }, { apiKey: keyB })).deleteResource.__typename,
      ).toBe('DeleteResourcePayload');

      expect((await gqlOk(gw.server, ResourceById, { id: a.id }, { apiKey: keyB })).resource).toBeNull();
      const visibleToB = await resourceIds(keyB);
      expect(visibleToB).toContain(markerB);
      expect(visibleToB).not.toContain(a.id);
      expect(await resourceIds(gw.server.adminKey)).toContain(a.id);

      const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: a.id }, { apiKey: keyB });
      expect(deleteResource).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Resource not found' });
      const { resource } = await gqlOk(gw.server, ResourceById, { id: a.id });
      expect(resource).toMatchObject({ id: a.id, deleted: false, wrapper: { status: 'RUNNING', pid: a.wrapper!.pid } });
      expect(processAlive(a.wrapper!.pid!)).toBe(true);

      expect((await gqlOk(gw.server, WrapperById, { id: a.wrapper!.id }, { apiKey: keyB })).wrapper).toBeNull();
      expect((await gqlOk(gw.server, WrapperById, { id: a.wrapper!.id })).wrapper?.status).toBe('RUNNING');

      const { queueMessages } = await gqlOk(gw.server, QueueMessages, {}, { apiKey: keyB });
      const queued = queueMessages.edges.map((e) => (e.node.body as { resource_id: string }).resource_id);
      expect(queued).toContain(bDeleted.id);
      expect(queued).not.toContain(aDeleted.id);

      // Events are handed out once every older transaction of the server has ended: wait for both.
      const visibleTo = async (apiKey?: string) =>
        (await gqlOk(gw.server, DeletionEvents, {}, apiKey ? { apiKey } : {})).deletionEvents.edges.map(
          (e) => e.node.entityId,
        );
      await expect.poll(() => visibleTo(), { timeout: 30_000 }).toContain(aDeleted.id);
      await expect.poll(() => visibleTo(keyB), { timeout: 30_000 }).toContain(bDeleted.id);
      const { deletionEvents } = await gqlOk(gw.server, DeletionEvents, {}, { apiKey: keyB });
      const events = deletionEvents.edges.map((e) => e.node);
      expect(events.map((e) => e.entityId)).toContain(bDeleted.id);
      expect(events.every((e) => e.workspaceId === workspaceB)).toBe(true);
      // A's own key sees A's event, so the filter above is the workspace, not a missing event.
      const forA = await gqlOk(gw.server, DeletionEvents, {});
      expect(forA.deletionEvents.edges.map((e) => e.node.entityId)).toContain(aDeleted.id);
    });
  });

  describe('graphql-ws', () => {
    const query = (params?: Record<string, unknown>) => {
      const client = wsClient(gw.server, params);
      return { client, sub: subscribeWs(client, FirstResource) };
    };

    it.each([
      ['connectionParams.apiKey', () => ({ apiKey: keyB })],
      ['connectionParams.authorization', () => ({ authorization: `Bearer ${keyB}` })],
    ])('the key in %s authenticates as the key’s workspace', async (_where, params) => {
      const { client, sub } = query(params());
      try {
        const [result] = await sub.next(1);
        expect(result?.errors).toBeUndefined();
        expect(result?.data).toEqual({ resources: { edges: [{ node: { id: markerB } }] } });
      } finally {
        await client.dispose();
      }
    });

    it('an unknown key closes the connection with 4403 Forbidden', async () => {
      const client = wsClient(gw.server, { apiKey: `dgw_${'y'.repeat(40)}` });
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        client.on('closed', (event) => resolve(event as { code: number; reason: string })),
      );
      const sub = subscribeWs(client, FirstResource);
      try {
        await expect(sub.next(1)).rejects.toThrow();
        expect(sub.items).toEqual([]);
        expect(sub.error).toMatchObject({ code: 4403, reason: 'Forbidden' });
        expect(await closed).toMatchObject({ code: 4403, reason: 'Forbidden' });
      } finally {
        await client.dispose();
      }
    });

    it('a key revoked while its connection is open is refused at the next operation: the connection closes with 4403', async () => {
      const k = await newKey(['admin', 'events:read'], { workspaceId: workspaceB });
      const client = wsClient(gw.server, { apiKey: k.key });
      try {
        // The open subscription keeps this (lazy) connection up between the two queries.
        const stream = subscribeWs(client, DeletionEventStream, {});
        const before = subscribeWs(client, FirstResource);
        expect((await before.next(1))[0]?.data).toEqual({ resources: { edges: [{ node: { id: markerB } }] } });
        const closed = new Promise<{ code: number; reason: string }>((resolve) =>
          client.on('closed', (event) => resolve(event as { code: number; reason: string })),
        );
        await gqlOk(gw.server, RevokeApiKey, { id: k.id });

        const after = subscribeWs(client, FirstResource);
        await expect(after.next(1)).rejects.toThrow();
        expect(after.items).toEqual([]);
        expect(after.error).toMatchObject({ code: 4403, reason: 'Forbidden' });
        expect(await closed).toMatchObject({ code: 4403, reason: 'Forbidden' });
        // The subscription opened before the revocation ends with its connection.
        expect(stream.error).toMatchObject({ code: 4403 });
      } finally {
        await client.dispose();
      }
    });

    it('without a key the operation answers UNAUTHENTICATED', async () => {
      const { client, sub } = query({});
      try {
        const [result] = await sub.next(1);
        expect(result!.data ?? null).toBeNull();
        expect((result!.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code).toBe(
          'UNAUTHENTICATED',
        );
      } finally {
        await client.dispose();
      }
    });

    it('a deletionEvents subscription receives its workspace’s deletion made over HTTP, and nothing of another workspace', async () => {
      const first = await newResource(keyB);
      await gqlOk(gw.server, DeleteResource, { id: first.id }, { apiKey: keyB });
      const client = wsClient(gw.server, { apiKey: keyB });
      const sub = subscribeWs(client, DeletionEventStream, { after: FROM_THE_START });
      try {
        // Once the replay delivered the first deletion, the subscription is live.
        await waitUntil(() => sub.items.some((i) => i.data?.deletionEvents.entityId === first.id));
        const ofA = await newResource(gw.server.adminKey);
        await gqlOk(gw.server, DeleteResource, { id: ofA.id });
        const second = await newResource(keyB, 'idle');
        await gqlOk(gw.server, DeleteResource, { id: second.id }, { apiKey: keyB });
        // Events arrive in commit order, so A's deletion would have come before this one.
        await waitUntil(() => sub.items.some((i) => i.data?.deletionEvents.entityId === second.id));
        const events = sub.items.map((i) => i.data!.deletionEvents);
        expect(events.find((e) => e.entityId === second.id)).toEqual({
          entityId: second.id,
          workspaceId: workspaceB,
          kind: 'SOFT_DELETED',
        });
        expect(events.every((e) => e.workspaceId === workspaceB)).toBe(true);
        expect(events.map((e) => e.entityId)).not.toContain(ofA.id);
        expect(sub.error).toBeNull();
      } finally {
        sub.dispose();
        await client.dispose();
      }

      async function waitUntil(condition: () => boolean, timeoutMs = 15_000) {
        const deadline = Date.now() + timeoutMs;
        while (!condition()) {
          if (sub.error) throw new Error(`subscription failed: ${JSON.stringify(sub.error)}`);
          if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(sub.items)}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      }
    });
  });

  // A PGlite directory belongs to the running server, so the CLI runs beside it only on PostgreSQL.
  // Each run starts tsx and the WASM schema engine: seconds each, more on a busy machine.
  describe.skipIf(databaseKind() !== 'postgres')(
    'npm run apikey (beside a running server on PostgreSQL)',
    { timeout: 180_000 },
    () => {
      it('create prints a new key once, and the running server accepts it with exactly its scopes', async () => {
        const r = await newResource(keyB, 'idle');

        const run = await apikeyCli(gw.db.url, [
          'create',
          '--workspace',
          workspaceB,
          '--scopes',
          'resources:delete',
          '--name',
          'from cli',
        ]);
        expect(run.code, run.stderr).toBe(0);
        const key = run.stdout.trim();
        expect(key).toMatch(/^dgw_[A-Za-z0-9]{40}$/);
        expect(run.stderr).toContain(`in ${workspaceB} with scopes resources:delete`);

        const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: r.id }, { apiKey: key });
        expect(deleteResource).toEqual({ __typename: 'DeleteResourcePayload', id: r.id, deleted: true });
        expect(processAlive(r.wrapper!.pid!)).toBe(false);
        const create = await gql(gw.server, CreateResource, { input: { name: 'no admin' } }, { apiKey: key });
        expect(errorCode(create)).toBe('FORBIDDEN');
      });

      it('an unknown scope exits non-zero with one clear line and prints no key', async () => {
        const run = await apikeyCli(gw.db.url, [
          'create',
          '--workspace',
          workspaceB,
          '--scopes',
          'resources:delete,delete-everything',
        ]);
        expect(run.code).not.toBe(0);
        expect(run.stdout).toBe('');
        expect(run.stderr.trim()).toMatch(
          /^error: Unknown scopes: delete-everything \(known: resources:delete, .*platform\)$/,
        );
      });

      it('an unknown workspace and missing arguments exit non-zero with one clear line', async () => {
        const unknown = await apikeyCli(gw.db.url, ['create', '--workspace', 'wks_doesnotexist', '--scopes', 'admin']);
        expect(unknown.code).not.toBe(0);
        expect(unknown.stdout).toBe('');
        expect(unknown.stderr.trim()).toBe('error: workspace wks_doesnotexist not found');

        const missing = await apikeyCli(gw.db.url, ['create', '--workspace', workspaceB]);
        expect(missing.code).toBe(2);
        expect(missing.stderr.trim()).toBe('error: missing --scopes (see npm run apikey -- help)');
      });
    },
  );
});

/** Runs `scripts/apikey.ts` as its own process, the way `npm run apikey` does. */
const apikeyCli = (databaseUrl: string, args: string[]) =>
  runScript(['scripts/apikey.ts', ...args], { DATABASE_URL: databaseUrl });
