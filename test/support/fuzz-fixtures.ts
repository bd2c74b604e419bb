import { createDataset } from './datasets.js';
import type { FuzzFixtures } from './fuzz.js';
import { gqlOk } from './graphql.js';
import type { RunningServer } from './server.js';

// The fuzz test's real data: a few things of every backend (and keys of every kind), so that
// some generated ids, paths and credentials name real things. No vitest here: scripts use it too.

const CREATE_RESOURCE = `mutation R($input: CreateResourceInput!) { createResource(input: $input) { id } }`;
const CONFIGURE = `mutation C($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }`;
const INSERT = `mutation I($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {
  insertEndpointRecords(path: $path, records: $records) { id } }`;
const RUN_TASK = `mutation T($path: EndpointPathInput!, $input: JSON) {
  runEndpointDeleteTask(path: $path, input: $input) { __typename ... on EndpointTaskRun { id } } }`;
const CREATE_IMAGES = `mutation M($input: [CreateImageInput!]!) { createImages(input: $input) { id } }`;
const DELETE_IMAGES = `mutation D($ids: [ID!]!) { deleteImages(ids: $ids, wait: true) { id isFinished } }`;
const CREATE_KEY = `mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`;
const CREATE_WORKSPACE = `mutation W($name: String!) { createWorkspace(name: $name) { id } }`;
const REVOKE_KEY = `mutation V($id: ID!) { revokeApiKey(id: $id) { id } }`;
const CREATE_PARSER_RESULT = `mutation P($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }`;

const TASK_ENDPOINT = { company: 'acme', group: 'fuzz', endpoint: 'task' };
const RECORDS_ENDPOINT = { company: 'acme', group: 'fuzz', endpoint: 'records' };
const CLOSED_ENDPOINT = { company: 'acme', group: 'fuzz', endpoint: 'closed' };

/** Real things of every backend, so that some generated ids and paths hit them. */
export async function createFuzzFixtures(server: RunningServer): Promise<FuzzFixtures> {
  const gql = <T>(query: string, variables?: Record<string, unknown>) =>
    gqlOk<T, Record<string, unknown>>(server, query, variables);
  const newKey = async (name: string, scopes: string[], workspaceId?: string) =>
    (
      await gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(CREATE_KEY, {
        input: { name, scopes, workspaceId },
      })
    ).createApiKey;
  const otherWorkspace = (await gql<{ createWorkspace: { id: string } }>(CREATE_WORKSPACE, { name: 'fuzz other' }))
    .createWorkspace.id;
  const resourceIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    resourceIds.push(
      (await gql<{ createResource: { id: string } }>(CREATE_RESOURCE, { input: { name: `fuzz ${i}` } })).createResource
        .id,
    );
  }
  await gql(CONFIGURE, {
    input: {
      path: TASK_ENDPOINT,
      allowDeleting: true,
      delete: {
        input: {
          schema: [
            { name: 'Name', type: 'STRING', required: true },
            { name: 'Age', type: 'NUMBER' },
            { name: 'Active', type: 'BOOLEAN' },
            { name: 'Id', type: 'GUID' },
            { name: 'Since', type: 'DATETIME' },
          ],
          queryParams: [
            { param: 'name', field: 'Name' },
            { param: 'age', field: 'Age' },
            { param: 'active', field: 'Active' },
            { param: 'id', field: 'Id' },
            { param: 'since', field: 'Since' },
          ],
        },
        task: {
          steps: [
            { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
            { name: 'delete', kind: 'DELETE_RECORDS' },
          ],
          saveInputData: 'ON_ERROR',
          failMessage: { rules: [{ conditions: [{ type: 'CONTAINS', value: 'locked' }], message: 'Locked' }] },
        },
        output: { saveOutputData: true },
      },
    },
  });
  await gql(CONFIGURE, { input: { path: RECORDS_ENDPOINT, allowDeleting: true } });
  await gql(CONFIGURE, { input: { path: CLOSED_ENDPOINT, allowDeleting: false } });
  const recordIds: string[] = [];
  for (const path of [TASK_ENDPOINT, RECORDS_ENDPOINT, CLOSED_ENDPOINT]) {
    const records = Array.from({ length: 10 }, (_, i) => ({ data: { name: `n${i % 3}`, i }, locked: i === 0 }));
    const { insertEndpointRecords } = await gql<{ insertEndpointRecords: Array<{ id: string }> }>(INSERT, {
      path,
      records,
    });
    recordIds.push(...insertEndpointRecords.map((r) => r.id));
  }
  const { runEndpointDeleteTask: run } = await gql<{ runEndpointDeleteTask: { id: string } }>(RUN_TASK, {
    path: TASK_ENDPOINT,
    input: { Name: 'nobody' },
  });

  const requestIds: string[] = [];
  for (let i = 0; i < 5; i++) {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: CREATE_PARSER_RESULT,
        variables: { input: { requestId: `fuzz-${i}`, files: [null], data: { pages: [1, 2] } } },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.input.files.0'] }));
    form.set('0', new Blob([`file ${i}`], { type: 'application/pdf' }), `f${i}.pdf`);
    const res = await fetch(server.url, { method: 'POST', body: form, headers: { 'x-api-key': server.adminKey } });
    const body = (await res.json()) as { data?: { createParserResult: { requestId: string } } };
    if (!body.data) throw new Error(`createParserResult failed: ${JSON.stringify(body)}`);
    requestIds.push(body.data.createParserResult.requestId);
  }

  const datasets = [];
  for (let i = 0; i < 5; i++) datasets.push(await createDataset(server, { share: true }));

  const { createImages } = await gql<{ createImages: Array<{ id: string }> }>(CREATE_IMAGES, {
    input: Array.from({ length: 30 }, (_, i) => ({ name: `fuzz ${i}` })),
  });
  const imageIds = createImages.map((i) => i.id);
  const operationIds: string[] = [];
  for (const ids of [[imageIds[0]!], [imageIds[1]!, '999999']]) {
    operationIds.push((await gql<{ deleteImages: { id: string } }>(DELETE_IMAGES, { ids })).deleteImages.id);
  }

  const scopedKeys = [];
  for (const scope of [
    'events:read',
    'images:delete',
    'datasets:delete',
    'endpoints:delete',
    'parser-results:delete',
  ]) {
    scopedKeys.push((await newKey(scope, [scope])).key);
  }
  scopedKeys.push((await newKey('other workspace', ['admin'], otherWorkspace)).key);
  const revoked = await newKey('revoked', ['events:read']);
  await gql(REVOKE_KEY, { id: revoked.apiKey.id });
  const revocableKeyIds = [];
  for (let i = 0; i < 3; i++) revocableKeyIds.push((await newKey(`revocable ${i}`, ['events:read'])).apiKey.id);

  return {
    adminKey: server.adminKey,
    scopedKeys,
    revokedKey: revoked.key,
    revocableKeyIds,
    workspaceIds: [otherWorkspace, datasets[0]!.workspaceId],
    resourceIds,
    datasetIds: datasets.map((d) => d.id),
    shares: datasets.map((d) => ({ id: /\/v1\/share\/([^?]+)/.exec(d.share!.url)![1]!, token: d.share!.token })),
    imageIds,
    operationIds,
    requestIds,
    runIds: [run.id],
    recordIds,
    endpoints: [TASK_ENDPOINT, RECORDS_ENDPOINT, CLOSED_ENDPOINT],
  };
}
