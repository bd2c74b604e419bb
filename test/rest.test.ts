import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { CreateResource, eventLogSettled } from './support/documents.js';
import { processAlive, useGateway } from './support/fixture.js';
import { gqlOk } from './support/graphql.js';

// Seed 000 through its own HTTP shape: `DELETE /resources/{resource_id}` with `Authorization: Bearer`.

const CreateApiKey = graphql(`
  mutation RestCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id scopes } }
  }
`);

const ResourceById = graphql(`
  query RestResourceById($id: ID!) {
    resource(id: $id) { id deleted }
  }
`);

const WrapperById = graphql(`
  query RestWrapperById($id: ID!) {
    wrapper(id: $id) { id status statusChangedAt pid executionLog(last: 100) { event message } }
  }
`);

const QueueMessages = graphql(`
  query RestQueueMessages {
    queueMessages(queue: "resource.deletion", first: 1000) { edges { node { queue body } } }
  }
`);

const DeletionEvents = graphql(`
  query RestDeletionEvents($filter: DeletionEventFilter) {
    deletionEvents(first: 100, filter: $filter) { edges { node { backend kind entityId data } } }
  }
`);

interface RestAnswer {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: unknown;
}

describe.skipIf(skipDatabase())('REST DELETE /resources/{resource_id} (seed 000)', () => {
  const gw = useGateway();

  async function rest(method: string, path: string, headers: Record<string, string> = {}): Promise<RestAnswer> {
    const res = await fetch(`${gw.server.origin}${path}`, { method, headers });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      headers: res.headers,
      body: JSON.parse(text),
    };
  }

  const bearer = (key: string = gw.server.adminKey) => ({ authorization: `Bearer ${key}` });

  async function createResource(name: string, wrapperKind?: string) {
    const { createResource } = await gqlOk(gw.server, CreateResource, { input: { name, wrapperKind } });
    gw.trackPid(createResource.wrapper?.pid);
    return createResource;
  }

  it('200 {"id", "deleted": true} and every side effect of the seed happened', async () => {
    const r = await createResource('rest-delete', 'idle');
    const pid = r.wrapper!.pid!;
    expect(processAlive(pid)).toBe(true);

    const answer = await rest('DELETE', `/resources/${r.id}`, bearer());
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ id: r.id, deleted: true });

    // 1. the wrapper process is stopped (the route answers after it is gone)
    expect(processAlive(pid)).toBe(false);
    // 2. STOPPED with a timestamp, 3. one execution-log entry for the deletion
    const { wrapper } = await gqlOk(gw.server, WrapperById, { id: r.wrapper!.id });
    expect(wrapper?.status).toBe('STOPPED');
    expect(wrapper?.statusChangedAt).toBeTruthy();
    expect(wrapper?.executionLog.map((e) => e.event)).toEqual(['WRAPPER_STARTED', 'RESOURCE_DELETED']);
    // 4. the message on the resource deletion queue
    const { queueMessages } = await gqlOk(gw.server, QueueMessages);
    const mine = queueMessages.edges.filter((e) => (e.node.body as { resource_id?: string }).resource_id === r.id);
    expect(mine.map((e) => e.node)).toEqual([
      { queue: 'resource.deletion', body: { resource_id: r.id, wrapper_id: r.wrapper!.id } },
    ]);
    // the deletion event, exactly once
    await eventLogSettled(gw.server);
    const { deletionEvents } = await gqlOk(gw.server, DeletionEvents, { filter: { entityId: r.id } });
    expect(deletionEvents.edges.map((e) => e.node)).toEqual([
      {
        backend: 'RESOURCE',
        kind: 'SOFT_DELETED',
        entityId: r.id,
        data: { resource_id: r.id, wrapper_id: r.wrapper!.id },
      },
    ]);
    // soft delete: gone from reads
    expect((await gqlOk(gw.server, ResourceById, { id: r.id })).resource).toBeNull();
  });

  it('400 {"detail":"Invalid resource ID"} for a malformed id', async () => {
    for (const id of ['nope', '507f1f77bcf86cd79943901', '507f1f77bcf86cd79943901z', 'wrapper_123']) {
      const answer = await rest('DELETE', `/resources/${id}`, bearer());
      expect(answer.status, id).toBe(400);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual({ detail: 'Invalid resource ID' });
    }
  });

  it('400 {"detail":"Invalid resource ID"} for a malformed percent-escape in the id, never a 500', async () => {
    for (const id of ['%ZZ', '%', '507f1f77bcf86cd79943901%E0%A4%A']) {
      const answer = await rest('DELETE', `/resources/${id}`, bearer());
      expect(answer.status, id).toBe(400);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual({ detail: 'Invalid resource ID' });
    }
  });

  it('404 {"detail":"Resource not found"} for a well-formed id that does not exist (the seed\'s example id)', async () => {
    const answer = await rest('DELETE', '/resources/507f1f77bcf86cd799439011', bearer());
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ detail: 'Resource not found' });
  });

  it('404 {"detail":"Resource not found"} for an already deleted resource, with no second side effect', async () => {
    const r = await createResource('rest-twice', 'idle');
    expect((await rest('DELETE', `/resources/${r.id}`, bearer())).status).toBe(200);
    const again = await rest('DELETE', `/resources/${r.id}`, bearer());
    expect(again.status).toBe(404);
    expect(again.contentType).toMatch(/^application\/json/);
    expect(again.body).toEqual({ detail: 'Resource not found' });

    await eventLogSettled(gw.server);
    const { deletionEvents } = await gqlOk(gw.server, DeletionEvents, { filter: { entityId: r.id } });
    expect(deletionEvents.edges).toHaveLength(1);
    const { queueMessages } = await gqlOk(gw.server, QueueMessages);
    expect(
      queueMessages.edges.filter((e) => (e.node.body as { resource_id?: string }).resource_id === r.id),
    ).toHaveLength(1);
    const { wrapper } = await gqlOk(gw.server, WrapperById, { id: r.wrapper!.id });
    expect(wrapper?.executionLog.filter((e) => e.event === 'RESOURCE_DELETED')).toHaveLength(1);
  });

  it('401 without an API key, and nothing is deleted', async () => {
    const r = await createResource('rest-anonymous');
    const answer = await rest('DELETE', `/resources/${r.id}`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ detail: expect.any(String) });
    expect((await gqlOk(gw.server, ResourceById, { id: r.id })).resource).toEqual({ id: r.id, deleted: false });
  });

  it('401 with an unknown API key, and nothing is deleted', async () => {
    const r = await createResource('rest-unknown-key');
    const answer = await rest('DELETE', `/resources/${r.id}`, bearer('dgw_this_key_was_never_issued_0000000000'));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ detail: expect.any(String) });
    expect((await gqlOk(gw.server, ResourceById, { id: r.id })).resource).toEqual({ id: r.id, deleted: false });
  });

  it('403 for a key without resources:delete, and nothing is deleted', async () => {
    const { createApiKey } = await gqlOk(gw.server, CreateApiKey, {
      input: { name: 'rest-reader', scopes: ['events:read'] },
    });
    expect(createApiKey.apiKey.scopes).not.toContain('resources:delete');
    const r = await createResource('rest-forbidden', 'idle');
    const answer = await rest('DELETE', `/resources/${r.id}`, bearer(createApiKey.key));
    expect(answer.status).toBe(403);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ detail: expect.stringContaining('resources:delete') });
    expect((await gqlOk(gw.server, ResourceById, { id: r.id })).resource).toEqual({ id: r.id, deleted: false });
    expect(processAlive(r.wrapper!.pid!)).toBe(true);
  });

  it('405 with an Allow header for other methods on /resources/{resource_id}', async () => {
    const r = await createResource('rest-wrong-method');
    for (const method of ['GET', 'POST', 'PUT', 'PATCH']) {
      const answer = await rest(method, `/resources/${r.id}`, bearer());
      expect(answer.status, method).toBe(405);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.headers.get('allow')).toBe('DELETE');
      expect(answer.body).toEqual({ detail: expect.any(String) });
    }
    expect((await gqlOk(gw.server, ResourceById, { id: r.id })).resource).toEqual({ id: r.id, deleted: false });
  });
});
