import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AfterCommitTasksDocument,
  DeleteImageDocument,
  DeleteResourceDocument,
  type DeleteResourceMutation,
  DeletionEventStreamDocument,
  NextPurgeAtDocument,
  OperationUpdatedDocument,
  PurgeExpiredDatasetsDocument,
  PurgeRunsDocument,
  QueueMessagesDocument,
  ResourceDocument,
} from '../client/generated/graphql.js';
import { skipDatabase } from './support/database.js';
import { CreateResource } from './support/documents.js';
import { useGateway, waitUntil } from './support/fixture.js';
import { gqlOk, subscribeWs, wsClient } from './support/graphql.js';

// The typed client a front-end imports (client/generated, from client/operations/*.graphql),
// sent as it is to the real gateway: over HTTP, and its subscriptions over graphql-ws.

/** The replay of every event, then live. */
const FROM_THE_START = '0'.repeat(32);

const CREATE_IMAGES = /* GraphQL */ `
  mutation ClientCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }`;

type DeleteResourceResult = DeleteResourceMutation['deleteResource'];

/** The payload member of the union, or the test fails with what came instead. */
function deleted(result: DeleteResourceResult) {
  if (result.__typename !== 'DeleteResourcePayload') throw new Error(`not deleted: ${JSON.stringify(result)}`);
  return result;
}

describe.skipIf(skipDatabase())('the typed client (client/generated) against the real gateway', () => {
  const gw = useGateway();

  async function createResource(name: string, wrapperKind?: string) {
    const { createResource } = await gqlOk(gw.server, CreateResource, { input: { name, wrapperKind } });
    gw.trackPid(createResource.wrapper?.pid);
    return createResource;
  }

  it('DeleteResource with an idempotency key: the retry gets the first answer; then Resource is null', async () => {
    const { id } = await createResource('client-delete');
    const idempotencyKey = randomUUID();
    const first = deleted((await gqlOk(gw.server, DeleteResourceDocument, { id, idempotencyKey })).deleteResource);
    expect(first).toMatchObject({ id, deleted: true, resource: { id, name: 'client-delete', deleted: true } });
    const retry = deleted((await gqlOk(gw.server, DeleteResourceDocument, { id, idempotencyKey })).deleteResource);
    expect(retry).toMatchObject({ id, deleted: true });
    const again = (await gqlOk(gw.server, DeleteResourceDocument, { id })).deleteResource;
    expect(again).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect((await gqlOk(gw.server, ResourceDocument, { id })).resource).toBeNull();
  });

  it('what an operator reads: the queued deletion message, the after-commit work, the purge schedule', async () => {
    const resource = await createResource('client-operator', 'idle');
    const { wrapper } = deleted((await gqlOk(gw.server, DeleteResourceDocument, { id: resource.id })).deleteResource);
    expect(wrapper?.status).toBe('STOPPED');

    const { queueMessages } = await gqlOk(gw.server, QueueMessagesDocument, { queue: 'resource.deletion', first: 100 });
    expect(queueMessages.edges.map((e) => e.node.body)).toContainEqual({
      resource_id: resource.id,
      wrapper_id: resource.wrapper!.id,
    });
    const { afterCommitTasks } = await gqlOk(gw.server, AfterCommitTasksDocument, { entityId: resource.id, first: 10 });
    expect(afterCommitTasks.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ backend: 'RESOURCE', entityId: resource.id, state: 'DONE' }),
    ]);

    const { nextPurgeAt } = await gqlOk(gw.server, NextPurgeAtDocument);
    expect(Date.parse(nextPurgeAt!)).toBeGreaterThan(Date.now());
    const { purgeExpiredDatasets } = await gqlOk(gw.server, PurgeExpiredDatasetsDocument);
    const { purgeRuns } = await gqlOk(gw.server, PurgeRunsDocument, { first: 5 });
    expect(purgeRuns.map((r) => r.id)).toContain(purgeExpiredDatasets.runId);
  });

  it('DeletionEventStream over graphql-ws: a deletion made with DeleteResource arrives', async () => {
    const { id } = await createResource('client-stream');
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    const sub = subscribeWs(client, DeletionEventStreamDocument, { filter: { entityId: id }, after: FROM_THE_START });
    try {
      deleted((await gqlOk(gw.server, DeleteResourceDocument, { id })).deleteResource);
      const [event] = await sub.next(1);
      expect(event!.errors).toBeUndefined();
      expect(event!.data!.deletionEvents).toMatchObject({ backend: 'RESOURCE', kind: 'SOFT_DELETED', entityId: id });
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('OperationUpdated over graphql-ws follows a DeleteImage operation to its end', async () => {
    const { createImages } = (await gqlOk(gw.server, CREATE_IMAGES, { input: [{ name: 'client' }] })) as {
      createImages: { id: string }[];
    };
    const { deleteImage } = await gqlOk(gw.server, DeleteImageDocument, { id: createImages[0]!.id });
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    const sub = subscribeWs(client, OperationUpdatedDocument, { id: deleteImage.id });
    try {
      await waitUntil(
        () => sub.completed || sub.error !== null,
        () => JSON.stringify(sub.items),
      );
      expect(sub.error).toBeNull();
      const last = sub.items.at(-1)!.data!.operationUpdated;
      expect(last).toMatchObject({ id: deleteImage.id, method: 'DEL', isFinished: true, numGood: 1, numBad: 0 });
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });
});
