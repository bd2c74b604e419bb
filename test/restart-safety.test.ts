import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { processAlive, useGateway } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';

const CreateWithWrapper = graphql(`
  mutation CreateWithWrapperForCrash($name: String!) {
    createResource(input: { name: $name, wrapperKind: "idle" }) { id wrapper { id pid status } }
  }
`);

const DeleteForCrash = graphql(`
  mutation DeleteForCrash($id: ID!) {
    deleteResource(id: $id) { __typename }
  }
`);

const AfterCrash = graphql(`
  query AfterCrash($resourceId: ID!, $wrapperId: ID!) {
    resource(id: $resourceId) { id }
    wrapper(id: $wrapperId) { status statusChangedAt executionLog(last: 100) { event message } }
    queueMessages(queue: "resource.deletion", first: 100) { edges { node { body } } }
    deletionEvents(first: 100, filter: { entityId: $resourceId }) { edges { node { kind } } }
  }
`);

describe.skipIf(skipDatabase())('restart safety', () => {
  const gw = useGateway();

  it('a server killed after the deletion committed but before the wrapper stopped finishes the stop at the next start, exactly once', async () => {
    const { createResource } = await gqlOk(gw.server, CreateWithWrapper, { name: 'crash-me' });
    const pid = createResource.wrapper!.pid!;
    const wrapperId = createResource.wrapper!.id;
    gw.trackPid(pid);

    // The failpoint makes the server SIGKILL itself right after the deletion's transaction commits.
    const crashing = await gw.restart({ FAILPOINT: 'after-resource-delete-commit' });
    await expect(gql(crashing, DeleteForCrash, { id: createResource.id })).rejects.toThrow();
    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The crash happened at that exact point: committed, process not yet stopped.
    expect(processAlive(pid)).toBe(true);

    const restarted = await gw.restart({ FAILPOINT: '' });
    expect(processAlive(pid)).toBe(false);
    const after = await gqlOk(restarted, AfterCrash, { resourceId: createResource.id, wrapperId });
    expect(after.resource).toBeNull();
    expect(after.wrapper?.status).toBe('STOPPED');
    expect(after.wrapper?.statusChangedAt).toBeTruthy();
    const deletedEntries = after.wrapper!.executionLog.filter((e) => e.event === 'RESOURCE_DELETED');
    expect(deletedEntries).toHaveLength(1);
    expect(deletedEntries[0]!.message).toContain(`process ${pid} stopped with SIGTERM`);
    expect(
      after.queueMessages.edges.filter(
        (e) => (e.node.body as { resource_id: string }).resource_id === createResource.id,
      ),
    ).toHaveLength(1);
    expect(after.deletionEvents.edges.map((e) => e.node.kind)).toEqual(['SOFT_DELETED']);

    // Another restart finds nothing left to do: still one entry.
    const again = await gw.restart();
    const second = await gqlOk(again, AfterCrash, { resourceId: createResource.id, wrapperId });
    expect(second.wrapper!.executionLog.filter((e) => e.event === 'RESOURCE_DELETED')).toHaveLength(1);
  }, 180_000); // three PGlite starts, each several seconds on a busy 2-core machine

  it('a wrapper that outlived a graceful restart is still stopped by a later delete', async () => {
    const { createResource } = await gqlOk(gw.server, CreateWithWrapper, { name: 'survivor' });
    const pid = createResource.wrapper!.pid!;
    gw.trackPid(pid);
    const restarted = await gw.restart();
    expect(processAlive(pid)).toBe(true);
    const { deleteResource } = await gqlOk(restarted, DeleteForCrash, { id: createResource.id });
    expect(deleteResource.__typename).toBe('DeleteResourcePayload');
    expect(processAlive(pid)).toBe(false);
  });
});
