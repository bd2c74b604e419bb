import { afterAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { DeleteResourceTypename as DeleteResource } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gqlOk, subscribeWs, wsClient } from './support/graphql.js';

// The gateway executes a deletionEvents document once per event and shares the result among
// the subscribers with the same document, variables and workspace. These tests pin down that
// sharing never mixes up what different subscribers asked for.

const CreateWorkspace = graphql(`
  mutation ShareCreateWorkspace($name: String!) {
    createWorkspace(name: $name) { id }
  }
`);

const CreateApiKey = graphql(`
  mutation ShareCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key }
  }
`);

const CreateResource = graphql(`
  mutation ShareCreateResource($name: String!) {
    createResource(input: { name: $name }) { id }
  }
`);

const ByEntity = graphql(`
  subscription ShareByEntity($filter: DeletionEventFilter) {
    deletionEvents(filter: $filter) { entityId kind }
  }
`);

const WithCursor = graphql(`
  subscription ShareWithCursor {
    deletionEvents { cursor entityId workspaceId }
  }
`);

describe.skipIf(skipDatabase())('deletionEvents subscribers sharing one execution per event', () => {
  const gw = useGateway();
  const clients: Array<{ dispose(): void | Promise<void> }> = [];
  afterAll(async () => {
    for (const c of clients) await c.dispose();
  });

  function client(apiKey: string) {
    const c = wsClient(gw.server, { apiKey });
    clients.push(c);
    return c;
  }

  it('each subscriber gets its own selection, its own filter and its own workspace only', async () => {
    const { createWorkspace } = await gqlOk(gw.server, CreateWorkspace, { name: 'other' });
    const { createApiKey } = await gqlOk(gw.server, CreateApiKey, {
      input: {
        name: 'other reader',
        scopes: ['events:read', 'resources:delete', 'admin'],
        workspaceId: createWorkspace.id,
      },
    });
    const otherKey = createApiKey.key;

    const { createResource: x } = await gqlOk(gw.server, CreateResource, { name: 'x' });
    const { createResource: y } = await gqlOk(gw.server, CreateResource, { name: 'y' });
    const { createResource: z } = await gqlOk(gw.server, CreateResource, { name: 'z' }, { apiKey: otherKey });

    const admin = client(gw.server.adminKey);
    // One with its own variables, and (below) two subscribers with the same document and
    // variables, which share one execution per event; one with another selection and one in
    // another workspace do not share with them.
    const onlyX = subscribeWs(admin, ByEntity, { filter: { entityId: x.id } });
    const all1 = subscribeWs(admin, ByEntity, {});
    const all2 = subscribeWs(client(gw.server.adminKey), ByEntity, {});
    const cursors = subscribeWs(admin, WithCursor);
    const other = subscribeWs(client(otherKey), ByEntity, {});
    // A subscription without `after` is live from the moment the server registered it, which
    // the client cannot see: delete warm-up resources until every subscriber has seen one.
    const warmUps: string[] = [];
    const otherWarmUps: string[] = [];
    for (let round = 0; ; round++) {
      if (all1.items.length && all2.items.length && cursors.items.length && other.items.length) break;
      if (round === 100) throw new Error('subscriptions never went live');
      const { createResource: mine } = await gqlOk(gw.server, CreateResource, { name: 'warm-up' });
      const { createResource: theirs } = await gqlOk(
        gw.server,
        CreateResource,
        { name: 'warm-up' },
        { apiKey: otherKey },
      );
      await gqlOk(gw.server, DeleteResource, { id: mine.id });
      await gqlOk(gw.server, DeleteResource, { id: theirs.id }, { apiKey: otherKey });
      warmUps.push(mine.id);
      otherWarmUps.push(theirs.id);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500)); // onlyX, subscribed first on the same socket, is live too
    const seen = (items: Array<{ data?: { deletionEvents: { entityId: string } } | null }>) =>
      items.map((i) => i.data!.deletionEvents.entityId);
    // every warm-up a subscriber saw is one of its workspace's, in order, with no gap after the first
    for (const sub of [all1, all2, cursors]) {
      const ids = seen(sub.items);
      expect(ids).toEqual(warmUps.slice(warmUps.indexOf(ids[0]!), warmUps.indexOf(ids[0]!) + ids.length));
    }
    const base = {
      all1: all1.items.length,
      all2: all2.items.length,
      cursors: cursors.items.length,
      other: other.items.length,
    };

    await gqlOk(gw.server, DeleteResource, { id: x.id });
    await gqlOk(gw.server, DeleteResource, { id: y.id });
    await gqlOk(gw.server, DeleteResource, { id: z.id }, { apiKey: otherKey });

    const expected = [x.id, y.id].map((entityId) => ({ entityId, kind: 'SOFT_DELETED' }));
    expect((await all1.next(base.all1 + 2, 30_000)).slice(base.all1).map((i) => i.data?.deletionEvents)).toEqual(
      expected,
    );
    expect((await all2.next(base.all2 + 2, 30_000)).slice(base.all2).map((i) => i.data?.deletionEvents)).toEqual(
      expected,
    );
    expect((await onlyX.next(1, 30_000)).map((i) => i.data?.deletionEvents)).toEqual([
      { entityId: x.id, kind: 'SOFT_DELETED' },
    ]);
    const withCursors = (await cursors.next(base.cursors + 2, 30_000)).map((i) => i.data!.deletionEvents);
    expect(withCursors.slice(base.cursors).map((e) => e.entityId)).toEqual([x.id, y.id]);
    expect(withCursors.every((e) => /^[0-9a-f]{32}$/.test(e.cursor) && !('kind' in e))).toBe(true);
    expect(new Set(withCursors.map((e) => e.workspaceId)).size).toBe(1);
    const otherItems = (await other.next(base.other + 1, 30_000)).map((i) => i.data!.deletionEvents.entityId);
    expect(otherItems.at(-1)).toBe(z.id);
    expect(otherItems.every((id) => id === z.id || otherWarmUps.includes(id))).toBe(true);

    // nothing more arrives for anyone: no event leaked across filters or workspaces
    await new Promise((r) => setTimeout(r, 500));
    expect([
      all1.items.length,
      all2.items.length,
      onlyX.items.length,
      cursors.items.length,
      other.items.length,
    ]).toEqual([base.all1 + 2, base.all2 + 2, 1, base.cursors + 2, base.other + 1]);
  });
});
