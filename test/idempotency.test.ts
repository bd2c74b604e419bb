import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { skipDatabase } from './support/database.js';
import { createDataset } from './support/datasets.js';
import { createKey, eventLogSettled } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';
import type { RunningServer } from './support/server.js';

// Safe retries (issue 14): every delete takes an idempotency key; a retry with the same key and
// request gets the first answer again with no second side effect; another request with the
// key is refused. Through real HTTP on both transports, for all five backends.

type Server = RunningServer;

const CREATE_RESOURCE = /* GraphQL */ `
  mutation IdemCreateResource($name: String!) { createResource(input: { name: $name, wrapperKind: "idle" }) { id wrapper { id } } }`;
const DELETE_RESOURCE = /* GraphQL */ `
  mutation IdemDeleteResource($id: ID!, $key: String) {
    deleteResource(id: $id, idempotencyKey: $key) {
      __typename
      ... on DeleteResourcePayload { id deleted resource { id name deletedAt } wrapper { id status statusChangedAt } }
      ... on Error { code message }
    }
  }`;
const EVENTS = /* GraphQL */ `
  query IdemEvents($entityId: ID) {
    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { backend kind entityId } } }
  }`;
const QUEUE = /* GraphQL */ `
  query IdemQueue { queueMessages(queue: "resource.deletion", first: 500) { edges { node { id body } } } }`;
const CREATE_IMAGES = /* GraphQL */ `
  mutation IdemCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }`;
const DELETE_IMAGES = /* GraphQL */ `
  mutation IdemDeleteImages($ids: [ID!]!, $key: String, $wait: Boolean) {
    deleteImages(ids: $ids, idempotencyKey: $key, wait: $wait) { id numTotal isFinished }
  }`;
const PURGE = /* GraphQL */ `mutation IdemPurge { purgeExpiredDatasets { datasets } }`;
const CONFIGURE = /* GraphQL */ `
  mutation IdemConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }`;
const INSERT = /* GraphQL */ `
  mutation IdemInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {
    insertEndpointRecords(path: $path, records: $records) { id }
  }`;
const DELETE_ALL = /* GraphQL */ `
  mutation IdemDeleteAll($path: EndpointPathInput!, $key: String) {
    deleteAllEndpointRecords(path: $path, idempotencyKey: $key) {
      __typename
      ... on DeleteAllEndpointRecordsPayload { deletedCount }
      ... on Error { code message }
    }
  }`;
const CREATE_PARSER_RESULT = /* GraphQL */ `
  mutation IdemCreateParserResult($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }`;

async function rest(server: Server, method: string, pathAndQuery: string, key: string | null, headers = {}) {
  const res = await fetch(`${server.origin}${pathAndQuery}`, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), ...headers },
  });
  const text = await res.text();
  return {
    status: res.status,
    location: res.headers.get('location'),
    body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> | undefined,
  };
}

async function events(server: Server, entityId: string) {
  await eventLogSettled(server);
  const { deletionEvents } = (await gqlOk(server, EVENTS, { entityId })) as {
    deletionEvents: { edges: { node: { kind: string } }[] };
  };
  return deletionEvents.edges.map((e) => e.node.kind);
}

async function createResource(server: Server) {
  const { createResource } = (await gqlOk(server, CREATE_RESOURCE, { name: `r-${randomUUID()}` })) as {
    createResource: { id: string };
  };
  return createResource.id;
}

describe.skipIf(skipDatabase())('idempotency keys on every delete', { timeout: 120_000 }, () => {
  const gw = useGateway();

  it('deleteResource: a retry with the key gets the first answer (GraphQL and REST), one event, one message', async () => {
    const id = await createResource(gw.server);
    const key = randomUUID();
    const first = await gqlOk(gw.server, DELETE_RESOURCE, { id, key });
    expect(first).toMatchObject({ deleteResource: { __typename: 'DeleteResourcePayload', id, deleted: true } });
    const again = await gqlOk(gw.server, DELETE_RESOURCE, { id, key });
    expect(again).toEqual(first);
    // The same key as a header, from REST: the same request (same caller, same resource).
    const viaRest = await rest(gw.server, 'DELETE', `/resources/${id}`, gw.server.adminKey, { 'idempotency-key': key });
    expect(viaRest).toMatchObject({ status: 200, body: { id, deleted: true } });
    // Without the key it is what it is: already deleted.
    expect((await rest(gw.server, 'DELETE', `/resources/${id}`, gw.server.adminKey)).status).toBe(404);
    expect(await events(gw.server, id)).toEqual(['SOFT_DELETED']);
    const { queueMessages } = (await gqlOk(gw.server, QUEUE)) as {
      queueMessages: { edges: { node: { body: { resource_id: string } } }[] };
    };
    expect(queueMessages.edges.filter((e) => e.node.body.resource_id === id)).toHaveLength(1);
  });

  it('concurrent retries with one key: every one gets the first answer, the resource is deleted once', async () => {
    const id = await createResource(gw.server);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => gqlOk(gw.server, DELETE_RESOURCE, { id, key })));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ deleteResource: { __typename: 'DeleteResourcePayload', id } });
    expect(await events(gw.server, id)).toEqual(['SOFT_DELETED']);
  });

  it('the same key for another request is refused: GraphQL CONFLICT, REST 422; nothing else is deleted', async () => {
    const [a, b] = [await createResource(gw.server), await createResource(gw.server)];
    const key = randomUUID();
    await gqlOk(gw.server, DELETE_RESOURCE, { id: a, key });
    const refused = await gql(gw.server, DELETE_RESOURCE, { id: b, key });
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    expect(refused.body.errors?.[0]?.message).toMatch(/already used for a different request/);
    const viaRest = await rest(gw.server, 'DELETE', `/resources/${b}`, gw.server.adminKey, { 'idempotency-key': key });
    expect(viaRest.status).toBe(422);
    expect(viaRest.body).toMatchObject({ detail: expect.stringMatching(/already used/) });
    expect(await events(gw.server, b)).toEqual([]);
    // b is still there to delete, with a fresh key.
    expect(await gqlOk(gw.server, DELETE_RESOURCE, { id: b, key: randomUUID() })).toMatchObject({
      deleteResource: { __typename: 'DeleteResourcePayload', id: b },
    });
  });

  it('keys belong to their caller: another key may use the same key text for its own request', async () => {
    const other = await createKey(gw.server, ['resources:delete']);
    const [a, b] = [await createResource(gw.server), await createResource(gw.server)];
    const key = randomUUID();
    await gqlOk(gw.server, DELETE_RESOURCE, { id: a, key });
    expect(await gqlOk(gw.server, DELETE_RESOURCE, { id: b, key }, { apiKey: other })).toMatchObject({
      deleteResource: { __typename: 'DeleteResourcePayload', id: b },
    });
  });

  it('a malformed key is a typed error and deletes nothing', async () => {
    const id = await createResource(gw.server);
    const bad = await gql(gw.server, DELETE_RESOURCE, { id, key: 'has spaces in it' });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'idempotencyKey' });
    const tooLong = await rest(gw.server, 'DELETE', `/resources/${id}`, gw.server.adminKey, {
      'idempotency-key': 'k'.repeat(256),
    });
    expect(tooLong).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/idempotency key/) } });
    // The argument and the header must agree.
    const both = await gql(gw.server, DELETE_RESOURCE, { id, key: 'one' }, { headers: { 'idempotency-key': 'two' } });
    expect(both.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await events(gw.server, id)).toEqual([]);
  });

  it('parser results (seed 002): REST retry gets 200 and the same body, the result was deleted once', async () => {
    const requestId = `req-${randomUUID()}`;
    await gqlOk(gw.server, CREATE_PARSER_RESULT, { input: { requestId, files: [], data: { rows: [1, 2, 3] } } });
    const key = randomUUID();
    const path = `/files?request_id=${encodeURIComponent(requestId)}`;
    const first = await rest(gw.server, 'DELETE', path, gw.server.adminKey, { 'idempotency-key': key });
    expect(first).toMatchObject({ status: 200, body: { success: true, message: 'File deleted successfully' } });
    const again = await rest(gw.server, 'DELETE', path, gw.server.adminKey, { 'idempotency-key': key });
    expect(again).toEqual(first);
    expect((await rest(gw.server, 'DELETE', path, gw.server.adminKey)).status).toBe(404);
    expect(await events(gw.server, requestId)).toEqual(['HARD_DELETED']);
  });

  it('datasets (seed 003): the first answer again, also after the purge removed the dataset', async () => {
    const dataset = await createDataset(gw.server);
    const key = randomUUID();
    const path = `/v1/datasets/${dataset.id}`;
    const first = await rest(gw.server, 'DELETE', path, gw.server.adminKey, { 'idempotency-key': key });
    expect(first).toMatchObject({ status: 200, body: { success: true, total: 1 } });
    await gqlOk(gw.server, PURGE);
    expect((await rest(gw.server, 'GET', path, gw.server.adminKey)).status).toBe(404);
    const again = await rest(gw.server, 'DELETE', path, gw.server.adminKey, { 'idempotency-key': key });
    expect(again).toEqual(first);
    expect((await rest(gw.server, 'DELETE', path, gw.server.adminKey)).status).toBe(404);
    expect(await events(gw.server, dataset.id)).toEqual(['MARKED_FOR_DELETION', 'PURGED']);
  });

  it('images (seed 004): a retry answers the same operation, never queues a second one', async () => {
    const { createImages } = (await gqlOk(gw.server, CREATE_IMAGES, { input: [{ name: 'a' }, { name: 'b' }] })) as {
      createImages: { id: string }[];
    };
    const [a, b] = createImages.map((i) => i.id);
    const key = randomUUID();
    const first = await rest(gw.server, 'DELETE', `/imgs/${a}?wait=true`, gw.server.adminKey, {
      'idempotency-key': key,
    });
    expect(first).toMatchObject({ status: 200, body: { is_finished: true, num_good: 1 } });
    const again = await rest(gw.server, 'DELETE', `/imgs/${a}?wait=true`, gw.server.adminKey, {
      'idempotency-key': key,
    });
    expect(again).toEqual(first);
    // Another option is another request.
    const other = await rest(gw.server, 'DELETE', `/imgs/${a}?wait=false`, gw.server.adminKey, {
      'idempotency-key': key,
    });
    expect(other.status).toBe(422);
    // GraphQL, queued: the retry is the same operation.
    const gKey = randomUUID();
    const q1 = (await gqlOk(gw.server, DELETE_IMAGES, { ids: [b], key: gKey, wait: false })) as {
      deleteImages: { id: string };
    };
    const q2 = (await gqlOk(gw.server, DELETE_IMAGES, { ids: [b], key: gKey, wait: false })) as {
      deleteImages: { id: string };
    };
    expect(q2.deleteImages.id).toBe(q1.deleteImages.id);
    // Queued, not waited for: it finishes once, as one operation.
    await expect.poll(() => events(gw.server, q1.deleteImages.id), { timeout: 30_000 }).toEqual(['OPERATION_FINISHED']);
    expect(await events(gw.server, (first.body as { id: string }).id)).toEqual(['OPERATION_FINISHED']);
  });

  it('endpoints (seed 001): delete-all, one record and a task run each answer the first answer again', async () => {
    const path = { company: 'acme', group: `idem-${randomUUID().slice(0, 8)}`, endpoint: 'people' };
    const base = `/${path.company}/${path.group}/${path.endpoint}`;
    await gqlOk(gw.server, CONFIGURE, { input: { path, allowDeleting: true, delete: null } });
    const records = (await gqlOk(gw.server, INSERT, {
      path,
      records: [{ data: { name: 'A' } }, { data: { name: 'B' } }, { data: { name: 'C' } }],
    })) as { insertEndpointRecords: { id: string }[] };
    const [one] = records.insertEndpointRecords;
    const recordKey = randomUUID();
    const h = { 'idempotency-key': recordKey };
    expect((await rest(gw.server, 'DELETE', `${base}/${one!.id}`, gw.server.adminKey, h)).status).toBe(204);
    expect((await rest(gw.server, 'DELETE', `${base}/${one!.id}`, gw.server.adminKey, h)).status).toBe(204);
    expect((await rest(gw.server, 'DELETE', `${base}/${one!.id}`, gw.server.adminKey)).status).toBe(404);

    const allKey = randomUUID();
    const first = await gqlOk(gw.server, DELETE_ALL, { path, key: allKey });
    expect(first).toEqual({
      deleteAllEndpointRecords: { __typename: 'DeleteAllEndpointRecordsPayload', deletedCount: 2 },
    });
    expect(await gqlOk(gw.server, DELETE_ALL, { path, key: allKey })).toEqual(first);
    const viaRest = await rest(gw.server, 'DELETE', `${base}/all`, gw.server.adminKey, { 'idempotency-key': allKey });
    expect(viaRest).toMatchObject({ status: 200, body: { deletedCount: 2 } });
    expect(await gqlOk(gw.server, DELETE_ALL, { path })).toMatchObject({
      deleteAllEndpointRecords: { deletedCount: 0 },
    });

    // A task: the retry is the same run (same ID), the records were deleted by the first.
    const taskPath = { ...path, endpoint: 'tasks' };
    const taskBase = `/${taskPath.company}/${taskPath.group}/${taskPath.endpoint}`;
    await gqlOk(gw.server, CONFIGURE, {
      input: {
        path: taskPath,
        allowDeleting: true,
        delete: {
          input: { schema: [{ name: 'Name', type: 'STRING', required: true }] },
          task: {
            steps: [
              { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
              { name: 'delete', kind: 'DELETE_RECORDS' },
            ],
          },
        },
      },
    });
    await gqlOk(gw.server, INSERT, {
      path: taskPath,
      records: [{ data: { name: 'John' } }, { data: { name: 'John' } }],
    });
    const runKey = { 'idempotency-key': randomUUID() };
    const run1 = await rest(gw.server, 'DELETE', `${taskBase}?Name=John`, gw.server.adminKey, runKey);
    expect(run1).toMatchObject({ status: 200, body: { ID: expect.any(String) } });
    const run2 = await rest(gw.server, 'DELETE', `${taskBase}?Name=John`, gw.server.adminKey, runKey);
    expect(run2.status).toBe(200);
    expect(run2.body?.ID).toBe(run1.body?.ID);
    expect((await rest(gw.server, 'DELETE', `${taskBase}?Name=Jane`, gw.server.adminKey, runKey)).status).toBe(422);
  });
});

describe.skipIf(skipDatabase())('IDEMPOTENCY_TTL', { timeout: 120_000 }, () => {
  const gw = useGateway({ env: { IDEMPOTENCY_TTL: '1ms' } });

  it('a key past its time is forgotten: the retry runs again (and finds the resource deleted)', async () => {
    const id = await createResource(gw.server);
    const key = randomUUID();
    expect(await gqlOk(gw.server, DELETE_RESOURCE, { id, key })).toMatchObject({
      deleteResource: { __typename: 'DeleteResourcePayload' },
    });
    expect(await gqlOk(gw.server, DELETE_RESOURCE, { id, key })).toMatchObject({
      deleteResource: { __typename: 'NotFoundError' },
    });
  });
});
