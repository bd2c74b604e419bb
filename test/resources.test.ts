import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { ListResourcesQuery } from './generated/graphql.js';
import { skipDatabase } from './support/database.js';
import { processAlive, useGateway, waitUntilIgnores } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';

const CreateResource = graphql(`
  mutation CreateResource($input: CreateResourceInput!) {
    createResource(input: $input) {
      id
      name
      deleted
      wrapper { id status pid statusChangedAt executionLog { event message } }
    }
  }
`);

const DeleteResource = graphql(`
  mutation DeleteResource($id: ID!) {
    deleteResource(id: $id) {
      __typename
      ... on DeleteResourcePayload {
        id
        deleted
        resource { id deleted deletedAt }
        wrapper { id status statusChangedAt pid executionLog { event message } }
      }
      ... on Error { code message }
    }
  }
`);

const GetResource = graphql(`
  query GetResource($id: ID!) {
    resource(id: $id) { id name }
  }
`);

const ListResources = graphql(`
  query ListResources($first: Int, $after: String) {
    resources(first: $first, after: $after) {
      edges { cursor node { id name wrapper { status executionLog { event } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const QueueMessages = graphql(`
  query ResourceQueueMessages($state: QueueMessageState) {
    queueMessages(queue: "resource.deletion", state: $state, first: 100) {
      edges { node { id queue body state attempts } }
    }
  }
`);

const Events = graphql(`
  query ResourceDeletionEvents($filter: DeletionEventFilter) {
    deletionEvents(first: 100, filter: $filter) {
      edges { cursor node { backend kind entityId workspaceId data } }
    }
  }
`);

const WrapperById = graphql(`
  query WrapperById($id: ID!) {
    wrapper(id: $id) { id status pid statusChangedAt executionLog(last: 100) { event message } }
  }
`);

describe.skipIf(skipDatabase())('resources (seed 000)', () => {
  const gw = useGateway();

  async function createResource(name: string, wrapperKind?: string) {
    const { createResource } = await gqlOk(gw.server, CreateResource, { input: { name, wrapperKind } });
    gw.trackPid(createResource.wrapper?.pid);
    return createResource;
  }

  it('createResource with a wrapper kind starts a real process and records RUNNING with its pid', async () => {
    const r = await createResource('with-wrapper', 'idle');
    expect(r.wrapper?.status).toBe('RUNNING');
    expect(r.wrapper?.pid).toBeGreaterThan(0);
    expect(processAlive(r.wrapper!.pid!)).toBe(true);
    expect(r.wrapper?.executionLog.map((e) => e.event)).toEqual(['WRAPPER_STARTED']);
  });

  it('createResource without a wrapper kind makes a resource with no wrapper', async () => {
    const r = await createResource('no-wrapper');
    expect(r.wrapper).toBeNull();
    expect(r.id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('an unknown wrapper kind is a VALIDATION_FAILED error and starts nothing', async () => {
    const res = await gql(gw.server, CreateResource, { input: { name: 'x', wrapperKind: 'rm -rf /' } });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/Unknown wrapper kind/);
  });

  it('deleteResource soft-deletes, stops the process, records STOPPED with a log entry, queues the message and emits the event', async () => {
    const r = await createResource('to-delete', 'idle');
    const pid = r.wrapper!.pid!;
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: r.id });
    expect(deleteResource.__typename).toBe('DeleteResourcePayload');
    if (deleteResource.__typename !== 'DeleteResourcePayload') throw new Error('unreachable');
    expect(deleteResource.id).toBe(r.id);
    expect(deleteResource.deleted).toBe(true);
    expect(deleteResource.resource.deleted).toBe(true);
    expect(deleteResource.resource.deletedAt).toBeTruthy();
    // The mutation answers after the process is gone and STOPPED is recorded.
    expect(processAlive(pid)).toBe(false);
    expect(deleteResource.wrapper?.status).toBe('STOPPED');
    expect(Date.parse(deleteResource.wrapper!.statusChangedAt!)).toBeGreaterThanOrEqual(
      Date.parse(deleteResource.resource.deletedAt!),
    );
    const log = deleteResource.wrapper!.executionLog;
    expect(log.map((e) => e.event)).toEqual(['WRAPPER_STARTED', 'RESOURCE_DELETED']);
    expect(log[1]!.message).toContain(`process ${pid} stopped with SIGTERM`);

    const { queueMessages } = await gqlOk(gw.server, QueueMessages, {});
    const bodies = queueMessages.edges.map((e) => e.node.body);
    expect(bodies).toContainEqual({ resource_id: r.id, wrapper_id: r.wrapper!.id });
    const message = queueMessages.edges.find(
      (e) => (e.node.body as { resource_id: string }).resource_id === r.id,
    )!.node;
    expect(message).toMatchObject({ queue: 'resource.deletion', state: 'PENDING', attempts: 0 });

    // Events are handed out once every older transaction of the database server has ended,
    // so on a busy server the event can trail the mutation's answer briefly.
    let deletionEvents!: Awaited<ReturnType<typeof readEvents>>;
    const readEvents = async () => (await gqlOk(gw.server, Events, { filter: { entityId: r.id } })).deletionEvents;
    await expect.poll(async () => (deletionEvents = await readEvents()).edges.length, { timeout: 30_000 }).toBe(1);
    expect(deletionEvents.edges).toHaveLength(1);
    expect(deletionEvents.edges[0]!.node).toMatchObject({
      backend: 'RESOURCE',
      kind: 'SOFT_DELETED',
      entityId: r.id,
      data: { resource_id: r.id, wrapper_id: r.wrapper!.id },
    });
  });

  it('a resource without a wrapper queues wrapper_id null', async () => {
    const r = await createResource('bare');
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: r.id });
    expect(deleteResource).toMatchObject({ __typename: 'DeleteResourcePayload', wrapper: null });
    const { queueMessages } = await gqlOk(gw.server, QueueMessages, {});
    expect(queueMessages.edges.map((e) => e.node.body)).toContainEqual({ resource_id: r.id, wrapper_id: null });
  });

  it('a wrapper that ignores SIGTERM is killed after the grace period', async () => {
    const r = await createResource('stubborn', 'stubborn');
    await waitUntilIgnores(r.wrapper!.pid!, 'SIGTERM');
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: r.id });
    if (deleteResource.__typename !== 'DeleteResourcePayload') throw new Error(JSON.stringify(deleteResource));
    expect(processAlive(r.wrapper!.pid!)).toBe(false);
    expect(deleteResource.wrapper?.status).toBe('STOPPED');
    expect(deleteResource.wrapper?.executionLog.at(-1)?.message).toContain('killed with SIGKILL');
  });

  it('deleted resources never appear in resource, resources or nested fields', async () => {
    const keep = await createResource('keep', 'idle');
    const gone = await createResource('gone', 'idle');
    await gqlOk(gw.server, DeleteResource, { id: gone.id });
    expect((await gqlOk(gw.server, GetResource, { id: gone.id })).resource).toBeNull();
    expect((await gqlOk(gw.server, GetResource, { id: keep.id })).resource?.name).toBe('keep');
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { resources }: ListResourcesQuery = await gqlOk(gw.server, ListResources, { first: 2, after });
      ids.push(...resources.edges.map((e) => e.node.id));
      if (!resources.pageInfo.hasNextPage) break;
      after = resources.pageInfo.endCursor ?? null;
    }
    expect(ids).toContain(keep.id);
    expect(ids).not.toContain(gone.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a second delete answers NotFoundError "Resource not found"', async () => {
    const r = await createResource('twice');
    await gqlOk(gw.server, DeleteResource, { id: r.id });
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: r.id });
    expect(deleteResource).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Resource not found' });
  });

  it('an id that never existed answers NotFoundError', async () => {
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: '507f1f77bcf86cd799439011' });
    expect(deleteResource).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Resource not found' });
  });

  it('a malformed id answers InvalidIdError "Invalid resource ID"', async () => {
    for (const id of ['nope', '507f1f77bcf86cd79943901', '507f1f77bcf86cd79943901z', '']) {
      const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id });
      expect(deleteResource).toEqual({
        __typename: 'InvalidIdError',
        code: 'INVALID_ID',
        message: 'Invalid resource ID',
      });
    }
  });

  it('the wrapper of a deleted resource stays readable for operators', async () => {
    const r = await createResource('audit', 'idle');
    await gqlOk(gw.server, DeleteResource, { id: r.id });
    const { wrapper } = await gqlOk(gw.server, WrapperById, { id: r.wrapper!.id });
    expect(wrapper?.status).toBe('STOPPED');
    expect(wrapper?.executionLog.filter((e) => e.event === 'RESOURCE_DELETED')).toHaveLength(1);
  });
});
