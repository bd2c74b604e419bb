import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { eventLogSettled } from './support/documents.js';
import { processAlive, useGateway } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';

// A real database failure, not a mock: a trigger makes `UPDATE resource` raise for resources
// named 'explode'. One statement (a DO block) so that PGlite's extended protocol accepts it too.
const SECRET = 'kaboom_7f3a: trigger refused the update';
const EXPLODE_ON_UPDATE = `
DO $setup$
BEGIN
  EXECUTE $fn$
    CREATE OR REPLACE FUNCTION test_explode_resource_update() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF NEW.name = 'explode' THEN
        RAISE EXCEPTION '${SECRET} of resource %', OLD.id USING ERRCODE = 'P0001';
      END IF;
      RETURN NEW;
    END
    $body$
  $fn$;
  EXECUTE 'DROP TRIGGER IF EXISTS test_explode_resource_update ON resource';
  EXECUTE 'CREATE TRIGGER test_explode_resource_update BEFORE UPDATE ON resource
             FOR EACH ROW EXECUTE FUNCTION test_explode_resource_update()';
END
$setup$`;

const CreateResource = graphql(`
  mutation DbFailCreateResource($input: CreateResourceInput!) {
    createResource(input: $input) { id name wrapper { id pid status } }
  }
`);

const DeleteResource = graphql(`
  mutation DbFailDeleteResource($id: ID!) {
    deleteResource(id: $id) {
      __typename
      ... on DeleteResourcePayload { id deleted wrapper { status } }
      ... on Error { code message }
    }
  }
`);

const ResourceById = graphql(`
  query DbFailResourceById($id: ID!) {
    resource(id: $id) { id name deleted deletedAt wrapper { id status pid executionLog(last: 100) { event } } }
  }
`);

const WrapperById = graphql(`
  query DbFailWrapperById($id: ID!) {
    wrapper(id: $id) { id status pid executionLog(last: 100) { event } }
  }
`);

const QueueMessages = graphql(`
  query DbFailQueueMessages {
    queueMessages(queue: "resource.deletion", first: 1000) { edges { node { body } } }
  }
`);

const DeletionEvents = graphql(`
  query DbFailDeletionEvents($filter: DeletionEventFilter) {
    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }
  }
`);

describe.skipIf(skipDatabase())('a database failure during deletion', () => {
  const gw = useGateway({ env: { TEST_STARTUP_SQL: EXPLODE_ON_UPDATE } });

  async function createResource(name: string, wrapperKind?: string) {
    const { createResource } = await gqlOk(gw.server, CreateResource, { input: { name, wrapperKind } });
    gw.trackPid(createResource.wrapper?.pid);
    return createResource;
  }

  /** Nothing of the failed deletion is visible: resource live, wrapper RUNNING, no message, no event. */
  async function expectUntouched(r: Awaited<ReturnType<typeof createResource>>) {
    const { resource } = await gqlOk(gw.server, ResourceById, { id: r.id });
    expect(resource).toMatchObject({ id: r.id, name: 'explode', deleted: false, deletedAt: null });
    expect(resource?.wrapper).toMatchObject({ id: r.wrapper!.id, status: 'RUNNING', pid: r.wrapper!.pid });
    expect(resource?.wrapper?.executionLog.map((e) => e.event)).toEqual(['WRAPPER_STARTED']);
    const { wrapper } = await gqlOk(gw.server, WrapperById, { id: r.wrapper!.id });
    expect(wrapper?.status).toBe('RUNNING');
    expect(processAlive(r.wrapper!.pid!)).toBe(true);
    const { queueMessages } = await gqlOk(gw.server, QueueMessages);
    expect(queueMessages.edges.filter((e) => (e.node.body as { resource_id?: string }).resource_id === r.id)).toEqual(
      [],
    );
    await eventLogSettled(gw.server);
    const { deletionEvents } = await gqlOk(gw.server, DeletionEvents, { filter: { entityId: r.id } });
    expect(deletionEvents.edges).toEqual([]);
  }

  it('GraphQL deleteResource answers a masked INTERNAL_SERVER_ERROR and leaves nothing half done', async () => {
    const r = await createResource('explode', 'idle');
    expect(r.wrapper?.status).toBe('RUNNING');

    const res = await gql(gw.server, DeleteResource, { id: r.id });
    // deleteResource is non-null, so the error nulls the whole data (a present `data: null` is HTTP 200)
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.message).toBe('Internal server error');
    expect(res.body.errors![0]!.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(res.body.errors![0]!.path).toEqual(['deleteResource']);
    const raw = JSON.stringify(res.body);
    for (const leak of ['kaboom', 'trigger', 'P0001', 'plpgsql', 'UPDATE', 'prisma', 'stack', 'resource %']) {
      expect(raw.toLowerCase(), `response leaks "${leak}": ${raw}`).not.toContain(leak.toLowerCase());
    }
    // The details go to the server log instead.
    await expect.poll(() => JSON.stringify(gw.server.logs), { timeout: 10_000 }).toContain('kaboom_7f3a');

    await expectUntouched(r);
  });

  it('REST DELETE answers 500 {"detail":"Internal server error"} and leaves nothing half done', async () => {
    const r = await createResource('explode', 'idle');
    const res = await fetch(`${gw.server.origin}/resources/${r.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${gw.server.adminKey}` },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ detail: 'Internal server error' });
    expect(text).not.toContain('kaboom');

    await expectUntouched(r);
  });

  it('other resources still delete fine, over GraphQL and REST', async () => {
    const failing = await createResource('explode', 'idle');
    expect((await gql(gw.server, DeleteResource, { id: failing.id })).body.errors?.[0]?.extensions?.code).toBe(
      'INTERNAL_SERVER_ERROR',
    );

    const viaGraphQL = await createResource('fine', 'idle');
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: viaGraphQL.id });
    expect(deleteResource).toEqual({
      __typename: 'DeleteResourcePayload',
      id: viaGraphQL.id,
      deleted: true,
      wrapper: { status: 'STOPPED' },
    });
    expect(processAlive(viaGraphQL.wrapper!.pid!)).toBe(false);

    const viaRest = await createResource('also fine', 'idle');
    const res = await fetch(`${gw.server.origin}/resources/${viaRest.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${gw.server.adminKey}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: viaRest.id, deleted: true });
    expect(processAlive(viaRest.wrapper!.pid!)).toBe(false);

    await eventLogSettled(gw.server);
    const { deletionEvents } = await gqlOk(gw.server, DeletionEvents, {});
    const deleted = deletionEvents.edges.map((e) => e.node.entityId);
    expect(deleted).toContain(viaGraphQL.id);
    expect(deleted).toContain(viaRest.id);
    expect(deleted).not.toContain(failing.id);

    // and the failed one is still there, untouched
    await expectUntouched(failing);
  });
});

describe.skipIf(skipDatabase())('a database missing a migration this build ships', () => {
  // As if the newest migration were rolled back behind the gateway's back once it had started.
  const gw = useGateway({
    env: {
      TEST_STARTUP_SQL:
        'DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)',
    },
  });

  it('GET /ready answers 503 "not ready" with migrated: false while the database is up', async () => {
    const res = await fetch(`${gw.server.origin}/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not ready',
      database: 'up',
      migrated: false,
      broker: { state: 'not configured', lastError: null, pendingMessages: 0 },
    });
  });
});
