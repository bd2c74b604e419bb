// The authorization matrix (issue 14): every root field of the schema and every REST route,
// each against every wrong caller (no key, a revoked key, a key without the scope it needs,
// another workspace's key) and the right ones, over every transport the operation travels on.
// Workspace A owns the data; B is the stranger. A row per operation, and a test that fails for
// an operation or a route without one.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../src/auth/scopes.js';
import { REST_ROUTES } from '../src/http/rest.js';
import { skipDatabase } from './support/database.js';
import { useGateway, waitUntil } from './support/fixture.js';
import { gql, gqlOk, subscribeSse, subscribeWs, wsClient } from './support/graphql.js';

type Transport = 'http' | 'graphql-ws' | 'sse';
type Vars = Record<string, unknown>;

interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** What one caller got: the HTTP status, the first result, the close of its graphql-ws connection, and all it received. */
interface Outcome {
  status: number | null;
  result: GraphQLResult | null;
  closed: { code: number; reason: string } | null;
  received: string;
}

/** The object of workspace A an operation is aimed at. */
interface Target {
  variables: Vars;
  /** the aimed object's id where the variables do not name it */
  id?: string;
  /** fails unless the object is as it was (for operations whose success would not show it) */
  intact?: () => Promise<void>;
}

type Call = (key: string | null, variables: Vars) => Promise<Outcome>;

type Stranger =
  /** answered without an error; `check` says it is nothing of A's */
  | { kind: 'answer'; check: (value: unknown, target: Target) => void | Promise<void> }
  /** refused with this top-level code */
  | { kind: 'error'; code: 'NOT_FOUND' | 'FORBIDDEN' }
  /** its own requests and checks */
  | { kind: 'custom'; run: (call: Call, transport: Transport) => Promise<void> };

interface GraphQLRow {
  /** any one of them grants the operation; [] = any valid key */
  scopes: readonly Scope[];
  document: string;
  /** aimed at A's object; an operation that consumes it gets a fresh one per call */
  target: () => Promise<Target>;
  /** the variable path of a file part: the operation needs a multipart request (HTTP only) */
  upload?: string;
  granted: (value: unknown, target: Target) => void | Promise<void>;
  stranger: Stranger;
}

interface RestAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  received: string;
}

interface RestRow {
  scopes: readonly Scope[];
  /** the seed's header style */
  header: 'authorization' | 'x-api-key' | 'api-key';
  /** the seed's error body */
  shape: 'detail' | 'success-error' | 'success-false';
  target: () => Promise<{ path: string; intact?: () => Promise<void> }>;
  granted: (answer: RestAnswer) => void;
  stranger: (answer: RestAnswer) => void | Promise<void>;
}

interface EndpointPath {
  company: string;
  group: string;
  endpoint: string;
}

const ALL_SCOPES: readonly Scope[] = SCOPES;
/** A cursor before every event: a subscription with it replays the whole log, then goes live. */
const FROM_THE_START = '0'.repeat(32);
/** In every name and datum of workspace A, so an answer that carries any of it is caught. */
const SECRET = 'secret-a';

const fieldOf = (row: string) => row.slice(row.indexOf('.') + 1);
const codesOf = (result: GraphQLResult | null) => result?.errors?.map((e) => e.extensions?.code) ?? [];

describe.skipIf(skipDatabase())('authorization matrix', () => {
  const gw = useGateway({ env: { PURGE_CRON: 'off' } });

  /** Workspace A's objects, made with the bootstrap key (every scope) in beforeAll. */
  const A = {
    workspace: '',
    resource: '',
    /** deleted: its wrapper stopped, its event, queue message and after-commit task exist */
    deletedResource: '',
    wrapper: '',
    dataset: '',
    requestId: '',
    image: '',
    operation: '',
    run: '',
    /** with a DELETE task that deletes the records whose `name` is the `Name` input */
    endpoint: { company: SECRET, group: 'matrix', endpoint: 'main' } as EndpointPath,
    /** without a task: for delete-all */
    wipeEndpoint: { company: SECRET, group: 'matrix', endpoint: 'wipe' } as EndpointPath,
    /** configured by configureEndpoint's row */
    configEndpoint: { company: SECRET, group: 'matrix', endpoint: 'config' } as EndpointPath,
  };
  let workspaceB = '';
  /** every scope but platform, in workspace B */
  let strangerKey = '';
  /** every scope, in A, revoked */
  let revokedKey = '';
  /** strings that only data of A contains */
  let secretsOfA: string[] = [];

  const keys = new Map<string, Promise<string>>();
  /** A key of workspace A with exactly these scopes (one per set, made when first asked for). */
  function keyWith(scopes: readonly Scope[]): Promise<string> {
    const id = [...scopes].sort().join(',');
    let key = keys.get(id);
    if (!key) {
      key = newKey(scopes);
      keys.set(id, key);
    }
    return key;
  }
  const without = (excluded: readonly Scope[]) => ALL_SCOPES.filter((s) => !excluded.includes(s));

  async function newKey(scopes: readonly Scope[], workspaceId?: string) {
    const { createApiKey } = await gqlOk<{ createApiKey: { key: string; apiKey: { id: string } } }, Vars>(
      gw.server,
      'mutation MatrixKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }',
      { input: { name: `matrix ${scopes.join(' ')}`, scopes, workspaceId } },
    );
    return createApiKey.key;
  }

  // --- workspace A's objects ---------------------------------------------------------------

  const admin = () => gw.server.adminKey;

  async function newResource(name = `${SECRET}-resource`, wrapperKind?: string) {
    const { createResource } = await gqlOk<
      { createResource: { id: string; wrapper: { id: string; pid: number } } },
      Vars
    >(
      gw.server,
      'mutation MatrixResource($input: CreateResourceInput!) { createResource(input: $input) { id wrapper { id pid } } }',
      { input: { name, wrapperKind } },
    );
    gw.trackPid(createResource.wrapper?.pid);
    return createResource;
  }

  async function newParserResult(requestId = `${SECRET}-${randomUUID()}`) {
    await gqlOk(
      gw.server,
      'mutation MatrixParserResult($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }',
      { input: { requestId, files: [], data: { owner: SECRET } } },
    );
    return requestId;
  }

  const CREATE_DATASET = `mutation MatrixDataset($input: CreateDatasetInput!) {
    createDataset(input: $input) { id workspaceId fileName markedForDeletion }
  }`;
  const datasetInput = (fileName: string, expiresAt: string | null = null) => ({
    type: 'DOC',
    fileName,
    fileExt: 'pdf',
    mimeType: 'application/pdf',
    items: [{ page: 1 }],
    expiresAt,
  });

  /** A GraphQL multipart request (the upload spec) carrying one file at `filePath`. */
  async function multipart(key: string | null, document: string, variables: Vars, filePath: string): Promise<Outcome> {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: document, variables }));
    form.set('map', JSON.stringify({ 0: [filePath] }));
    form.set('0', new Blob(['%PDF-1.7 matrix'], { type: 'application/pdf' }), 'matrix.pdf');
    const res = await fetch(gw.server.url, {
      method: 'POST',
      body: form,
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });
    const received = await res.text();
    return { status: res.status, result: JSON.parse(received) as GraphQLResult, closed: null, received };
  }

  async function newDataset(expiresAt: string | null = null, key = admin()) {
    const o = await multipart(
      key,
      CREATE_DATASET,
      { input: datasetInput(key === admin() ? `${SECRET}-doc` : 'matrix-doc', expiresAt) },
      'variables.input.file',
    );
    const created = o.result?.data?.createDataset as { id: string } | undefined;
    if (!created) throw new Error(`createDataset failed: ${o.received}`);
    return created.id;
  }

  const DATASET = 'query MatrixDatasetOfA($id: ID!) { dataset(id: $id) { id markedForDeletion } }';
  const datasetOfA = async (id: string) =>
    (await gqlOk<{ dataset: { id: string; markedForDeletion: boolean } | null }, Vars>(gw.server, DATASET, { id }))
      .dataset;

  async function newImage(name = `${SECRET}-image`) {
    const { createImages } = await gqlOk<{ createImages: Array<{ id: string }> }, Vars>(
      gw.server,
      'mutation MatrixImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }',
      { input: [{ name }] },
    );
    return createImages[0]!.id;
  }

  const ENDPOINT_TASK = {
    input: { schema: [{ name: 'Name', type: 'STRING', required: true }] },
    task: {
      steps: [
        { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
        { name: 'delete', kind: 'DELETE_RECORDS' },
      ],
    },
  };

  async function configureEndpoint(path: EndpointPath, task: unknown) {
    await gqlOk(
      gw.server,
      'mutation MatrixConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }',
      { input: { path, allowDeleting: true, delete: task } },
    );
  }

  async function newRecords(path: EndpointPath, names: string[]) {
    const { insertEndpointRecords } = await gqlOk<{ insertEndpointRecords: Array<{ id: string }> }, Vars>(
      gw.server,
      'mutation MatrixRecords($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) { insertEndpointRecords(path: $path, records: $records) { id } }',
      { path, records: names.map((name) => ({ data: { name, owner: SECRET } })) },
    );
    return insertEndpointRecords.map((r) => r.id);
  }

  const ENDPOINT =
    'query MatrixEndpointOfA($path: EndpointPathInput!) { endpoint(path: $path) { allowDeleting recordCount } }';
  const endpointOfA = async (path: EndpointPath) =>
    (
      await gqlOk<{ endpoint: { allowDeleting: boolean; recordCount: number } | null }, Vars>(gw.server, ENDPOINT, {
        path,
      })
    ).endpoint;

  const endpointUrl = (path: EndpointPath) => `/${path.company}/${path.group}/${path.endpoint}`;

  beforeAll(async () => {
    if (skipDatabase()) return;
    const { createApiKey } = await gqlOk<
      { createApiKey: { key: string; apiKey: { id: string; workspaceId: string } } },
      Vars
    >(
      gw.server,
      'mutation MatrixRevoked($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id workspaceId } } }',
      { input: { name: 'to be revoked', scopes: ALL_SCOPES } },
    );
    A.workspace = createApiKey.apiKey.workspaceId;
    revokedKey = createApiKey.key;
    await gqlOk(gw.server, 'mutation MatrixRevoke($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', {
      id: createApiKey.apiKey.id,
    });
    workspaceB = (
      await gqlOk<{ createWorkspace: { id: string } }, Vars>(
        gw.server,
        'mutation MatrixWorkspace($name: String!) { createWorkspace(name: $name) { id } }',
        { name: 'stranger' },
      )
    ).createWorkspace.id;
    strangerKey = await newKey(without(['platform']), workspaceB);

    A.resource = (await newResource()).id;
    const withWrapper = await newResource(`${SECRET}-wrapped`, 'idle');
    A.deletedResource = withWrapper.id;
    A.wrapper = withWrapper.wrapper.id;
    await gqlOk(gw.server, 'mutation MatrixDeleteResource($id: ID!) { deleteResource(id: $id) { __typename } }', {
      id: A.deletedResource,
    });
    A.dataset = await newDataset();
    A.requestId = await newParserResult();
    A.image = await newImage();
    A.operation = (
      await gqlOk<{ deleteImage: { id: string } }, Vars>(
        gw.server,
        'mutation MatrixOperation($id: ID!) { deleteImage(id: $id, wait: true) { id } }',
        { id: await newImage() },
      )
    ).deleteImage.id;
    await configureEndpoint(A.endpoint, ENDPOINT_TASK);
    await configureEndpoint(A.wipeEndpoint, null);
    await configureEndpoint(A.configEndpoint, null);
    await newRecords(A.configEndpoint, [`${SECRET}-config`]);
    const { runEndpointDeleteTask } = await gqlOk<{ runEndpointDeleteTask: { id: string } }, Vars>(
      gw.server,
      'mutation MatrixRun($path: EndpointPathInput!, $input: JSON) { runEndpointDeleteTask(path: $path, input: $input) { ... on EndpointTaskRun { id } } }',
      { path: A.endpoint, input: { Name: 'nobody' } },
    );
    A.run = runEndpointDeleteTask.id;
    secretsOfA = [SECRET, A.workspace, A.resource, A.deletedResource, A.wrapper, A.dataset, A.operation, A.run];
    // A deletion event is handed out once every older transaction has ended: wait for it.
    const eventsOf = async (entityId: string) =>
      (
        await gqlOk<{ deletionEvents: { edges: unknown[] } }, Vars>(
          gw.server,
          'query ($entityId: ID) { deletionEvents(first: 10, filter: { entityId: $entityId }) { edges { cursor } } }',
          { entityId },
        )
      ).deletionEvents.edges.length;
    await waitUntil(
      async () => (await eventsOf(A.deletedResource)) === 1,
      () => `the deletion event of ${A.deletedResource} is not visible`,
    );
  });

  // --- executing one operation over one transport --------------------------------------------

  const closeOf = (error: unknown) =>
    error && typeof error === 'object' && 'code' in error && 'reason' in error
      ? { code: (error as { code: number }).code, reason: (error as { reason: string }).reason }
      : null;

  /** A subscription (or any operation) over graphql-ws or SSE, read as its results arrive. */
  async function openStream(transport: 'graphql-ws' | 'sse', key: string | null, document: string, variables: Vars) {
    if (transport === 'graphql-ws') {
      const client = wsClient(gw.server, key ? { apiKey: key } : {});
      const sub = subscribeWs(client, document, variables);
      return {
        status: null,
        results: () => sub.items as GraphQLResult[],
        ended: () => sub.completed || sub.error !== null,
        closed: () => closeOf(sub.error),
        close: async () => {
          sub.dispose();
          await client.dispose();
        },
      };
    }
    const stream = await subscribeSse(gw.server, document, variables, key);
    let over = false;
    void stream.ended.then(() => (over = true));
    return {
      status: stream.status,
      results: () => stream.events.filter((e) => e.event === 'next').map((e) => e.data as GraphQLResult),
      ended: () => over || stream.events.some((e) => e.event === 'complete'),
      closed: () => null,
      close: () => stream.close().then(() => {}),
    };
  }

  type Stream = Awaited<ReturnType<typeof openStream>>;

  async function until(stream: Stream, condition: () => boolean, what: string) {
    await waitUntil(
      () => condition() || stream.ended(),
      () => `${what}; received ${JSON.stringify(stream.results())}`,
      15_000,
    );
  }

  async function execute(transport: Transport, row: GraphQLRow, key: string | null, variables: Vars): Promise<Outcome> {
    if (transport === 'http') {
      if (row.upload) return multipart(key, row.document, variables, row.upload);
      const res = await gql(gw.server, row.document, variables, { apiKey: key });
      return {
        status: res.status,
        result: res.body as GraphQLResult,
        closed: null,
        received: JSON.stringify(res.body),
      };
    }
    const stream = await openStream(transport, key, row.document, variables);
    try {
      await until(stream, () => stream.results().length > 0, 'waiting for a first result');
      return {
        status: stream.status,
        result: stream.results()[0] ?? null,
        closed: stream.closed(),
        received: JSON.stringify(stream.results()),
      };
    } finally {
      await stream.close();
    }
  }

  function expectNothingOfA(received: string, label: string) {
    for (const secret of secretsOfA) expect(received, `${label}: the answer carries ${secret}`).not.toContain(secret);
  }

  type Refusal = 'unauthenticated' | 'revoked' | 'forbidden';

  function expectRefused(o: Outcome, transport: Transport, kind: Refusal, field: string, label: string) {
    expectNothingOfA(o.received, label);
    if (kind === 'revoked' && transport === 'graphql-ws') {
      // the connection's key is checked at connect: refused with 4403, no operation runs
      expect(o.closed, label).toEqual({ code: 4403, reason: 'Forbidden' });
      expect(o.result, label).toBeNull();
      return;
    }
    if (transport !== 'graphql-ws') expect(o.status, label).toBe(kind === 'forbidden' ? 403 : 401);
    expect(codesOf(o.result), label).toEqual([kind === 'forbidden' ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
    expect(o.result?.data?.[field] ?? null, label).toBeNull();
  }

  function expectAnswered(o: Outcome, transport: Transport, field: string, label: string) {
    expect(o.result?.errors, `${label}: ${o.received}`).toBeUndefined();
    if (transport !== 'graphql-ws') expect(o.status, label).toBe(200);
    expect(o.result?.data ?? {}, label).toHaveProperty(field);
  }

  /** Keys that must be refused for lack of a scope, and keys that must be granted. */
  async function scopeCases(
    scopes: readonly Scope[],
  ): Promise<{ refused: Array<[string, string]>; granted: Array<[string, string]> }> {
    if (scopes.length === 0) return { refused: [], granted: [['a key without any scope', await keyWith([])]] };
    const refused: Array<[string, string]> = [];
    const granted: Array<[string, string]> = [];
    for (const scope of scopes) {
      // "every scope but s": refused when s is the only scope that grants, granted otherwise
      (scopes.length === 1 ? refused : granted).push([
        `a key with every scope but ${scope}`,
        await keyWith(without([scope])),
      ]);
      granted.push([`a key with only ${scope}`, await keyWith([scope])]);
    }
    if (scopes.length > 1) {
      refused.push([`a key with every scope but ${scopes.join(' and ')}`, await keyWith(without(scopes))]);
    }
    return { refused, granted };
  }

  async function checkGraphQLRow(name: string, row: GraphQLRow, transport: Transport) {
    const field = fieldOf(name);
    const call: Call = (key, variables) => execute(transport, row, key, variables);
    const cases = await scopeCases(row.scopes);
    const aimed = await row.target();
    const refusals: Array<[string, string | null, Refusal]> = [
      ['no key', null, 'unauthenticated'],
      ['a revoked key', revokedKey, 'revoked'],
      ...cases.refused.map(([label, key]): [string, string, Refusal] => [label, key, 'forbidden']),
    ];
    await Promise.all(
      refusals.map(async ([label, key, kind]) =>
        expectRefused(await call(key, aimed.variables), transport, kind, field, `${name} over ${transport}, ${label}`),
      ),
    );

    const label = `${name} over ${transport}, another workspace's key`;
    const stranger = row.stranger;
    if (stranger.kind === 'custom') {
      await stranger.run(call, transport);
    } else {
      const o = await call(strangerKey, aimed.variables);
      expectNothingOfA(o.received, label);
      if (stranger.kind === 'answer') {
        expectAnswered(o, transport, field, label);
        await stranger.check(o.result!.data![field], aimed);
      } else {
        expect(codesOf(o.result), `${label}: ${o.received}`).toEqual([stranger.code]);
        expect(o.result?.data?.[field] ?? null, label).toBeNull();
        if (stranger.code === 'FORBIDDEN' && transport !== 'graphql-ws') expect(o.status, label).toBe(403);
      }
    }
    // Nothing above changed A's object; the first granted call below uses it too.
    await aimed.intact?.();

    for (const [i, [keyLabel, key]] of cases.granted.entries()) {
      const target = i === 0 ? aimed : await row.target();
      const o = await call(key, target.variables);
      const label = `${name} over ${transport}, ${keyLabel}`;
      expectAnswered(o, transport, field, label);
      await row.granted(o.result!.data![field], target);
    }
  }

  // --- the GraphQL rows ------------------------------------------------------------------------

  const same = (variables: () => Vars) => async (): Promise<Target> => ({ variables: variables() });
  const answers = (check: (value: unknown, target: Target) => void | Promise<void>): Stranger => ({
    kind: 'answer',
    check,
  });
  const invisible: Stranger = answers((value) => expect(value).toBeNull());
  const notFoundMember: Stranger = answers((value) =>
    expect(value).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' }),
  );
  const refused = (code: 'NOT_FOUND' | 'FORBIDDEN'): Stranger => ({ kind: 'error', code });
  const custom = (run: (call: Call, transport: Transport) => Promise<void>): Stranger => ({ kind: 'custom', run });
  const nodesOf = <T>(value: unknown) => (value as { edges: Array<{ node: T }> }).edges.map((e) => e.node);

  const OUTCOME = '__typename ... on Error { code message }';

  const GRAPHQL_ROWS: Record<string, GraphQLRow> = {
    'Query.afterCommitTasks': {
      scopes: ['admin'],
      document:
        'query ($entityId: ID) { afterCommitTasks(first: 100, entityId: $entityId) { edges { node { kind entityId payload } } } }',
      target: same(() => ({ entityId: A.deletedResource })),
      granted: (value) =>
        expect(nodesOf<{ entityId: string }>(value).map((n) => n.entityId)).toContain(A.deletedResource),
      stranger: answers((value) => expect(nodesOf(value)).toEqual([])),
    },
    'Query.currentApiKey': {
      scopes: [],
      document: '{ currentApiKey { workspaceId scopes } }',
      target: same(() => ({})),
      granted: (value) => expect(value).toMatchObject({ workspaceId: A.workspace }),
      // the caller's own key: B's workspace, never A's
      stranger: answers((value) => expect(value).toMatchObject({ workspaceId: workspaceB })),
    },
    'Query.dataset': {
      scopes: ['datasets:delete', 'admin'],
      document: 'query ($id: ID!) { dataset(id: $id) { id workspaceId fileName } }',
      target: same(() => ({ id: A.dataset })),
      granted: (value) => expect(value).toMatchObject({ id: A.dataset, workspaceId: A.workspace }),
      stranger: invisible,
    },
    'Query.datasets': {
      scopes: ['datasets:delete', 'admin'],
      document: '{ datasets(first: 500, showExpired: true) { edges { node { id workspaceId fileName } } } }',
      target: same(() => ({})),
      granted: (value) => expect(nodesOf<{ id: string }>(value).map((n) => n.id)).toContain(A.dataset),
      stranger: answers((value) =>
        expect(nodesOf<{ workspaceId: string }>(value).every((n) => n.workspaceId === workspaceB)).toBe(true),
      ),
    },
    'Query.deletionCounts': {
      scopes: ['events:read'],
      document: '{ deletionCounts { cursor counts { backend kind count } } }',
      target: same(() => ({})),
      granted: (value) =>
        expect((value as { counts: { backend: string }[] }).counts.map((c) => c.backend)).toContain('RESOURCE'),
      // B's own counts: no ids of A (expectNothingOfA)
      stranger: answers((value) => expect(Array.isArray((value as { counts: unknown[] }).counts)).toBe(true)),
    },
    'Query.deletionEvents': {
      scopes: ['events:read'],
      document: '{ deletionEvents(first: 500) { edges { node { entityId workspaceId kind } } } }',
      target: same(() => ({})),
      granted: (value) =>
        expect(nodesOf(value)).toContainEqual(
          expect.objectContaining({ entityId: A.deletedResource, workspaceId: A.workspace }),
        ),
      stranger: answers((value) =>
        expect(nodesOf<{ workspaceId: string }>(value).every((n) => n.workspaceId === workspaceB)).toBe(true),
      ),
    },
    'Query.endpoint': {
      scopes: ['endpoints:delete', 'admin'],
      document:
        'query ($path: EndpointPathInput!) { endpoint(path: $path) { path { company group endpoint } allowDeleting recordCount } }',
      target: same(() => ({ path: A.endpoint })),
      granted: (value) => expect(value).toMatchObject({ path: A.endpoint, allowDeleting: true }),
      stranger: invisible,
    },
    'Query.endpointTaskRun': {
      scopes: ['endpoints:delete', 'admin'],
      document: 'query ($id: ID!) { endpointTaskRun(id: $id) { id status response } }',
      target: same(() => ({ id: A.run })),
      granted: (value) => expect(value).toMatchObject({ id: A.run }),
      stranger: invisible,
    },
    'Query.image': {
      scopes: ['images:delete', 'admin'],
      document: 'query ($id: ID!) { image(id: $id) { id name } }',
      target: same(() => ({ id: A.image })),
      granted: (value) => expect(value).toEqual({ id: A.image, name: `${SECRET}-image` }),
      stranger: invisible,
    },
    'Query.nextPurgeAt': {
      scopes: ['admin'],
      document: '{ nextPurgeAt }',
      target: same(() => ({})),
      granted: (value) => expect(value).toBeNull(), // PURGE_CRON=off
      // the gateway's schedule, no workspace's data: the same answer
      stranger: answers((value) => expect(value).toBeNull()),
    },
    'Query.operation': {
      scopes: ['images:delete', 'admin'],
      document: 'query ($id: ID!) { operation(id: $id) { id numTotal numGood errors { id msg } } }',
      target: same(() => ({ id: A.operation })),
      granted: (value) => expect(value).toMatchObject({ id: A.operation, numGood: 1 }),
      stranger: invisible,
    },
    'Query.operations': {
      scopes: ['images:delete', 'admin'],
      document: '{ operations(last: 500) { edges { node { id } } } }',
      target: same(() => ({})),
      granted: (value) => expect(nodesOf<{ id: string }>(value).map((n) => n.id)).toContain(A.operation),
      stranger: answers((value) => expect(nodesOf<{ id: string }>(value).map((n) => n.id)).not.toContain(A.operation)),
    },
    'Query.parserResult': {
      scopes: ['parser-results:delete', 'admin'],
      document: 'query ($requestId: ID!) { parserResult(requestId: $requestId) { requestId data files { name } } }',
      target: same(() => ({ requestId: A.requestId })),
      granted: (value) => expect(value).toMatchObject({ requestId: A.requestId, data: { owner: SECRET } }),
      stranger: invisible,
    },
    'Query.purgeRuns': {
      // DESIGN.md: admin. The gateway's runs: counts and times, no workspace's ids or names.
      scopes: ['admin'],
      document: '{ purgeRuns(first: 50) { id datasets items blobBytes } }',
      target: same(() => ({})),
      granted: (value) => expect(Array.isArray(value)).toBe(true),
      stranger: answers((value) => expect(Array.isArray(value)).toBe(true)), // nothing of A: expectNothingOfA
    },
    'Query.queueMessages': {
      scopes: ['admin'],
      document: '{ queueMessages(queue: "resource.deletion", first: 1000) { edges { node { body } } } }',
      target: same(() => ({})),
      granted: (value) =>
        expect(nodesOf<{ body: { resource_id: string } }>(value).map((n) => n.body.resource_id)).toContain(
          A.deletedResource,
        ),
      stranger: answers(() => {}), // nothing of A: expectNothingOfA
    },
    'Query.resource': {
      scopes: [],
      document: 'query ($id: ID!) { resource(id: $id) { id name } }',
      target: same(() => ({ id: A.resource })),
      granted: (value) => expect(value).toEqual({ id: A.resource, name: `${SECRET}-resource` }),
      stranger: invisible,
    },
    'Query.resources': {
      scopes: [],
      document: '{ resources(first: 500) { edges { node { id name } } } }',
      target: same(() => ({})),
      granted: (value) => expect(nodesOf<{ id: string }>(value).map((n) => n.id)).toContain(A.resource),
      stranger: answers(() => {}), // nothing of A: expectNothingOfA
    },
    'Query.wrapper': {
      scopes: ['admin'],
      document: 'query ($id: ID!) { wrapper(id: $id) { id status } }',
      target: same(() => ({ id: A.wrapper })),
      granted: (value) => expect(value).toEqual({ id: A.wrapper, status: 'STOPPED' }),
      stranger: invisible,
    },

    'Mutation.configureEndpoint': {
      scopes: ['admin'],
      document:
        'mutation ($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { path { company } allowDeleting recordCount } }',
      target: same(() => ({ input: { path: A.configEndpoint, allowDeleting: true, delete: null } })),
      granted: (value) => expect(value).toMatchObject({ allowDeleting: true, recordCount: 1 }),
      // the same path in B is B's own endpoint; A's keeps its setting and its record
      stranger: custom(async (call) => {
        const o = await call(strangerKey, { input: { path: A.configEndpoint, allowDeleting: false, delete: null } });
        expect(o.result?.errors).toBeUndefined();
        expect(o.result?.data?.configureEndpoint).toMatchObject({ allowDeleting: false, recordCount: 0 });
        expect(await endpointOfA(A.configEndpoint)).toEqual({ allowDeleting: true, recordCount: 1 });
      }),
    },
    'Mutation.createApiKey': {
      scopes: ['admin', 'platform'],
      document:
        'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { workspaceId scopes } } }',
      target: same(() => ({ input: { name: 'matrix', scopes: [] } })),
      granted: (value) =>
        expect(value).toMatchObject({ key: expect.stringMatching(/^dgw_/), apiKey: { workspaceId: A.workspace } }),
      stranger: custom(async (call) => {
        const o = await call(strangerKey, { input: { name: 'into A', scopes: [], workspaceId: A.workspace } });
        expect(codesOf(o.result)).toEqual(['NOT_FOUND']);
        expect(o.received).not.toContain('dgw_');
      }),
    },
    'Mutation.createDataset': {
      scopes: ['admin'],
      document: CREATE_DATASET,
      upload: 'variables.input.file',
      target: same(() => ({ input: datasetInput('matrix') })),
      granted: (value) => expect(value).toMatchObject({ workspaceId: A.workspace }),
      stranger: answers((value) => expect(value).toMatchObject({ workspaceId: workspaceB })),
    },
    'Mutation.createImages': {
      scopes: ['admin'],
      document: 'mutation ($input: [CreateImageInput!]!) { createImages(input: $input) { id name } }',
      target: same(() => ({ input: [{ name: 'matrix' }] })),
      granted: (value) => expect(value).toEqual([{ id: expect.any(String), name: 'matrix' }]),
      // created in B: A does not see it
      stranger: answers(async (value) => {
        const [image] = value as Array<{ id: string }>;
        const seen = await gqlOk<{ image: unknown }, Vars>(gw.server, 'query ($id: ID!) { image(id: $id) { id } }', {
          id: image!.id,
        });
        expect(seen.image).toBeNull();
      }),
    },
    'Mutation.createParserResult': {
      scopes: ['admin'],
      document: 'mutation ($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId data } }',
      target: same(() => ({ input: { files: [], data: { n: 1 } } })),
      granted: (value) => expect(value).toMatchObject({ requestId: expect.any(String), data: { n: 1 } }),
      // A's request id is free in B (no CONFLICT that would betray it), and A's result stays A's
      stranger: custom(async (call) => {
        const requestId = await newParserResult();
        const o = await call(strangerKey, { input: { requestId, files: [], data: { owner: 'b' } } });
        expect(o.result?.errors).toBeUndefined();
        expect(o.result?.data).toEqual({ createParserResult: { requestId, data: { owner: 'b' } } });
        const ofA = await gqlOk<{ parserResult: unknown }, Vars>(
          gw.server,
          'query ($requestId: ID!) { parserResult(requestId: $requestId) { data } }',
          { requestId },
        );
        expect(ofA.parserResult).toEqual({ data: { owner: SECRET } });
      }),
    },
    'Mutation.createResource': {
      scopes: ['admin'],
      document: 'mutation ($input: CreateResourceInput!) { createResource(input: $input) { id name } }',
      target: same(() => ({ input: { name: 'matrix' } })),
      granted: (value) => expect(value).toMatchObject({ name: 'matrix' }),
      stranger: answers(async (value) => {
        const seen = await gqlOk<{ resource: unknown }, Vars>(
          gw.server,
          'query ($id: ID!) { resource(id: $id) { id } }',
          { id: (value as { id: string }).id },
        );
        expect(seen.resource).toBeNull();
      }),
    },
    'Mutation.createWorkspace': {
      scopes: ['platform'],
      document: 'mutation ($name: String!) { createWorkspace(name: $name) { id name } }',
      target: same(() => ({ name: 'matrix' })),
      granted: (value) => expect(value).toMatchObject({ id: expect.stringMatching(/^wks_/), name: 'matrix' }),
      stranger: refused('FORBIDDEN'),
    },
    'Mutation.deleteAllEndpointRecords': {
      scopes: ['endpoints:delete'],
      document: `mutation ($path: EndpointPathInput!) { deleteAllEndpointRecords(path: $path) {
        ${OUTCOME} ... on DeleteAllEndpointRecordsPayload { deletedCount } } }`,
      target: async () => {
        await newRecords(A.wipeEndpoint, [`${SECRET}-1`, `${SECRET}-2`]);
        return { variables: { path: A.wipeEndpoint } };
      },
      granted: (value) => expect(value).toEqual({ __typename: 'DeleteAllEndpointRecordsPayload', deletedCount: 2 }),
      stranger: notFoundMember,
    },
    'Mutation.deleteDataset': {
      scopes: ['datasets:delete'],
      document: `mutation ($id: ID!) { deleteDataset(id: $id) {
        ${OUTCOME} ... on DeleteDatasetPayload { success data { id markedForDeletion } } } }`,
      target: async () => {
        const id = await newDataset();
        return {
          variables: { id },
          intact: async () => expect(await datasetOfA(id)).toEqual({ id, markedForDeletion: false }),
        };
      },
      granted: (value, t) =>
        expect(value).toMatchObject({ success: true, data: { id: t.variables.id, markedForDeletion: true } }),
      stranger: notFoundMember,
    },
    'Mutation.deleteEndpointRecord': {
      scopes: ['endpoints:delete'],
      document: `mutation ($path: EndpointPathInput!, $id: ID!) { deleteEndpointRecord(path: $path, id: $id) {
        ${OUTCOME} ... on DeleteEndpointRecordPayload { id deleted } } }`,
      target: async () => {
        const [id] = await newRecords(A.endpoint, [`${SECRET}-record`]);
        return { variables: { path: A.endpoint, id } };
      },
      granted: (value, t) =>
        expect(value).toEqual({ __typename: 'DeleteEndpointRecordPayload', id: t.variables.id, deleted: true }),
      stranger: notFoundMember,
    },
    'Mutation.deleteImage': {
      scopes: ['images:delete'],
      document:
        'mutation ($id: ID!) { deleteImage(id: $id, wait: true) { numTotal numGood numBad errors { id msg } } }',
      target: async () => ({ variables: { id: await newImage() } }),
      granted: (value) => expect(value).toEqual({ numTotal: 1, numGood: 1, numBad: 0, errors: [] }),
      // A's image is an unknown image in B's operation
      stranger: answers((value, t) =>
        expect(value).toEqual({
          numTotal: 1,
          numGood: 0,
          numBad: 1,
          errors: [{ id: t.variables.id, msg: 'Image not found' }],
        }),
      ),
    },
    'Mutation.deleteImages': {
      scopes: ['images:delete'],
      document:
        'mutation ($ids: [ID!]!) { deleteImages(ids: $ids, wait: true) { numTotal numGood numBad errors { id msg } } }',
      target: async () => ({ variables: { ids: [await newImage()] } }),
      granted: (value) => expect(value).toEqual({ numTotal: 1, numGood: 1, numBad: 0, errors: [] }),
      stranger: answers((value, t) =>
        expect(value).toEqual({
          numTotal: 1,
          numGood: 0,
          numBad: 1,
          errors: [{ id: (t.variables.ids as string[])[0], msg: 'Image not found' }],
        }),
      ),
    },
    'Mutation.deleteParserResult': {
      scopes: ['parser-results:delete'],
      document: `mutation ($requestId: ID!) { deleteParserResult(requestId: $requestId) {
        ${OUTCOME} ... on DeleteParserResultPayload { success requestId } } }`,
      target: async () => ({ variables: { requestId: await newParserResult() } }),
      granted: (value, t) =>
        expect(value).toEqual({
          __typename: 'DeleteParserResultPayload',
          success: true,
          requestId: t.variables.requestId,
        }),
      stranger: notFoundMember,
    },
    'Mutation.deleteResource': {
      scopes: ['resources:delete'],
      document: `mutation ($id: ID!) { deleteResource(id: $id) { ${OUTCOME} ... on DeleteResourcePayload { id deleted } } }`,
      target: async () => ({ variables: { id: (await newResource()).id } }),
      granted: (value, t) =>
        expect(value).toEqual({ __typename: 'DeleteResourcePayload', id: t.variables.id, deleted: true }),
      stranger: notFoundMember,
    },
    'Mutation.insertEndpointRecords': {
      scopes: ['admin'],
      document:
        'mutation ($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) { insertEndpointRecords(path: $path, records: $records) { id data } }',
      target: same(() => ({ path: A.endpoint, records: [{ data: { name: 'matrix-insert' } }] })),
      granted: (value) => expect(value).toEqual([{ id: expect.any(String), data: { name: 'matrix-insert' } }]),
      stranger: refused('NOT_FOUND'),
    },
    'Mutation.purgeExpiredDatasets': {
      scopes: ['admin'],
      document: 'mutation { purgeExpiredDatasets { runId datasets } }',
      target: async () => {
        const id = await newDataset(new Date(Date.now() - 60_000).toISOString());
        return {
          variables: {},
          id,
          intact: async () => expect(await datasetOfA(id)).toEqual({ id, markedForDeletion: true }),
        };
      },
      granted: async (value, t) => {
        expect((value as { datasets: number }).datasets).toBeGreaterThanOrEqual(1);
        expect(await datasetOfA(t.id!)).toBeNull();
      },
      // B's admin purges B's marked datasets (none), never A's: A's stays until its own purge
      stranger: answers((value) => expect(value).toMatchObject({ datasets: 0 })),
    },
    'Mutation.restoreDataset': {
      scopes: ['datasets:delete'],
      document: `mutation ($id: ID!) { restoreDataset(id: $id) { ${OUTCOME} ... on Dataset { id markedForDeletion } } }`,
      target: async () => ({ variables: { id: await newDataset(new Date(Date.now() - 60_000).toISOString()) } }),
      // a dataset B had restored would answer ConflictError here
      granted: (value, t) =>
        expect(value).toEqual({ __typename: 'Dataset', id: t.variables.id, markedForDeletion: false }),
      stranger: notFoundMember,
    },
    'Mutation.retryFailedQueueMessages': {
      scopes: ['admin'],
      document: 'mutation { retryFailedQueueMessages(queue: "resource.deletion") { queue retried } }',
      target: same(() => ({})),
      // no broker here, so nothing is FAILED: the answer is the count, and B's never touches A's rows
      granted: (value) => expect(value).toMatchObject({ queue: 'resource.deletion', retried: expect.any(Number) }),
      stranger: answers((value) => expect(value).toMatchObject({ retried: 0 })),
    },
    'Mutation.revokeApiKey': {
      scopes: ['admin', 'platform'],
      document: 'mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
      target: async () => {
        const { createApiKey } = await gqlOk<{ createApiKey: { key: string; apiKey: { id: string } } }, Vars>(
          gw.server,
          'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }',
          { input: { name: `${SECRET}-victim`, scopes: [] } },
        );
        const stillWorks = async () =>
          expect(
            (await gql(gw.server, '{ resources(first: 1) { edges { cursor } } }', {}, { apiKey: createApiKey.key }))
              .status,
          ).toBe(200);
        return { variables: { id: createApiKey.apiKey.id }, intact: stillWorks };
      },
      granted: (value, t) => expect(value).toEqual({ id: t.variables.id, revokedAt: expect.any(String) }),
      stranger: refused('NOT_FOUND'),
    },
    'Mutation.runEndpointDeleteTask': {
      scopes: ['endpoints:delete'],
      document: `mutation ($path: EndpointPathInput!, $input: JSON) { runEndpointDeleteTask(path: $path, input: $input) {
        ${OUTCOME} ... on EndpointTaskRun { status result } } }`,
      target: async () => {
        const name = `${SECRET}-${randomUUID()}`;
        await newRecords(A.endpoint, [name]);
        return { variables: { path: A.endpoint, input: { Name: name } } };
      },
      granted: (value) =>
        expect(value).toMatchObject({
          __typename: 'EndpointTaskRun',
          status: 'FINISHED_SUCCESS',
          result: { deletedCount: 1 },
        }),
      stranger: notFoundMember,
    },

    'Subscription.deletionEvents': {
      scopes: ['events:read'],
      document:
        'subscription ($after: String, $filter: DeletionEventFilter) { deletionEvents(after: $after, filter: $filter) { entityId workspaceId kind } }',
      target: same(() => ({ after: FROM_THE_START, filter: { entityId: A.deletedResource } })),
      granted: (value) =>
        expect(value).toEqual({ entityId: A.deletedResource, workspaceId: A.workspace, kind: 'SOFT_DELETED' }),
      // B's subscriber, from the start of the log: a deletion of A, then one of B's own as the
      // trailing marker; events come in commit order, so A's would have come before the marker
      stranger: custom(async (_call, transport) => {
        const stream = await openStream(
          transport as 'graphql-ws' | 'sse',
          strangerKey,
          GRAPHQL_ROWS['Subscription.deletionEvents']!.document,
          {
            after: FROM_THE_START,
          },
        );
        try {
          const ofA = await newResource();
          await gqlOk(gw.server, 'mutation ($id: ID!) { deleteResource(id: $id) { __typename } }', { id: ofA.id });
          const { createResource: marker } = await gqlOk<{ createResource: { id: string } }, Vars>(
            gw.server,
            'mutation ($input: CreateResourceInput!) { createResource(input: $input) { id } }',
            { input: { name: 'marker of B' } },
            { apiKey: strangerKey },
          );
          await gqlOk(
            gw.server,
            'mutation ($id: ID!) { deleteResource(id: $id) { __typename } }',
            { id: marker.id },
            { apiKey: strangerKey },
          );
          const events = () =>
            stream
              .results()
              .map((r) => r.data?.deletionEvents as { entityId: string; workspaceId: string } | undefined);
          await until(stream, () => events().some((e) => e?.entityId === marker.id), 'waiting for the marker of B');
          expect(stream.results().flatMap((r) => r.errors ?? [])).toEqual([]);
          expect(events().map((e) => e?.workspaceId)).toEqual(events().map(() => workspaceB));
          const received = JSON.stringify(stream.results());
          expect(received).not.toContain(ofA.id);
          expectNothingOfA(received, `deletionEvents over ${transport}, another workspace's subscriber`);
        } finally {
          await stream.close();
        }
      }),
    },
    'Subscription.operationUpdated': {
      scopes: ['images:delete', 'admin'],
      document: 'subscription ($id: ID!) { operationUpdated(id: $id) { id isFinished numGood } }',
      target: same(() => ({ id: A.operation })),
      granted: (value) => expect(value).toEqual({ id: A.operation, isFinished: true, numGood: 1 }),
      stranger: refused('NOT_FOUND'),
    },
  };

  const transportsOf = (name: string, row: GraphQLRow): Transport[] =>
    name.startsWith('Subscription.') ? ['graphql-ws', 'sse'] : row.upload ? ['http'] : ['http', 'graphql-ws'];

  // --- the REST rows -----------------------------------------------------------------------------

  async function rest(method: string, path: string, row: RestRow, key: string | null): Promise<RestAnswer> {
    const header = row.header === 'authorization' ? `Bearer ${key}` : key;
    const res = await fetch(`${gw.server.origin}${path}`, {
      method,
      headers: key ? { [row.header]: header! } : {},
    });
    const received = await res.text();
    return { status: res.status, headers: res.headers, body: received ? JSON.parse(received) : null, received };
  }

  const errorBody = (shape: RestRow['shape'], code: string, message: string) =>
    shape === 'detail'
      ? { detail: message }
      : shape === 'success-error'
        ? { success: false, error: code, message }
        : { success: false, error: message };

  const status =
    (expected: number, body?: unknown) =>
    (answer: RestAnswer): void => {
      expect(answer.status, answer.received).toBe(expected);
      if (body !== undefined) expect(answer.body).toEqual(body);
    };

  const REST_ROWS: Record<string, RestRow> = {
    'DELETE /resources/{resource_id}': {
      scopes: ['resources:delete'],
      header: 'authorization',
      shape: 'detail',
      target: async () => ({ path: `/resources/${(await newResource()).id}` }),
      granted: (a) => {
        status(200)(a);
        expect(a.body).toEqual({ id: expect.any(String), deleted: true });
      },
      stranger: status(404, { detail: 'Resource not found' }),
    },
    'DELETE /files': {
      scopes: ['parser-results:delete'],
      header: 'x-api-key',
      shape: 'success-error',
      target: async () => ({ path: `/files?request_id=${encodeURIComponent(await newParserResult())}` }),
      granted: status(200, { success: true, message: 'File deleted successfully' }),
      stranger: status(404, { success: false, error: 'not_found', message: 'Parser result not found' }),
    },
    'GET /files': {
      scopes: ['parser-results:delete', 'admin'],
      header: 'x-api-key',
      shape: 'success-error',
      target: async () => ({ path: `/files?request_id=${encodeURIComponent(A.requestId)}` }),
      granted: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({ success: true, data: { requestId: A.requestId, data: { owner: SECRET } } });
      },
      stranger: status(404, { success: false, error: 'not_found', message: 'Parser result not found' }),
    },
    'DELETE /v1/datasets/{id}': {
      scopes: ['datasets:delete'],
      header: 'x-api-key',
      shape: 'success-false',
      target: async () => {
        const id = await newDataset();
        return {
          path: `/v1/datasets/${id}`,
          intact: async () => expect(await datasetOfA(id)).toEqual({ id, markedForDeletion: false }),
        };
      },
      granted: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({ success: true, total: 1, data: { workspaceId: A.workspace } });
      },
      stranger: status(404, { success: false, error: 'Dataset not found' }),
    },
    'GET /v1/datasets/{id}': {
      scopes: ['datasets:delete', 'admin'],
      header: 'x-api-key',
      shape: 'success-false',
      target: async () => ({ path: `/v1/datasets/${A.dataset}` }),
      granted: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({ success: true, total: 1, data: { id: A.dataset, workspaceId: A.workspace } });
      },
      stranger: status(404, { success: false, error: 'Dataset not found' }),
    },
    'DELETE /imgs/{image_id}': {
      scopes: ['images:delete'],
      header: 'api-key',
      shape: 'detail',
      target: async () => ({ path: `/imgs/${await newImage()}?wait=true` }),
      granted: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({ num_total: 1, num_good: 1, num_bad: 0, errors: [] });
      },
      // A's image is an unknown image in B's operation
      stranger: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({
          num_total: 1,
          num_good: 0,
          num_bad: 1,
          errors: [{ id: expect.any(Number), msg: 'Image not found' }],
        });
      },
    },
    'GET /ops/{op_id}': {
      scopes: ['images:delete', 'admin'],
      header: 'api-key',
      shape: 'detail',
      target: async () => ({ path: `/ops/${A.operation}` }),
      granted: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({ id: A.operation, method: 'del', num_good: 1 });
      },
      stranger: status(404, { detail: 'Operation not found' }),
    },
    'DELETE /{company}/{group}/{endpoint}': {
      scopes: ['endpoints:delete'],
      header: 'authorization',
      shape: 'detail',
      target: async () => {
        const name = `${SECRET}-${randomUUID()}`;
        await newRecords(A.endpoint, [name]);
        return { path: `${endpointUrl(A.endpoint)}?Name=${name}` };
      },
      granted: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({ Status: 'FinishedSuccess', Result: { deletedCount: 1 } });
      },
      stranger: status(404, { detail: 'Endpoint not found' }),
    },
    'DELETE /{company}/{group}/{endpoint}/{id}': {
      scopes: ['endpoints:delete'],
      header: 'authorization',
      shape: 'detail',
      target: async () => {
        const [id] = await newRecords(A.endpoint, [`${SECRET}-record`]);
        return { path: `${endpointUrl(A.endpoint)}/${id}` };
      },
      granted: (a) => {
        status(204)(a);
        expect(a.received).toBe('');
      },
      stranger: status(404, { detail: 'Endpoint not found' }),
    },
    'DELETE /{company}/{group}/{endpoint}/all': {
      scopes: ['endpoints:delete'],
      header: 'authorization',
      shape: 'detail',
      target: async () => {
        await newRecords(A.wipeEndpoint, [`${SECRET}-1`, `${SECRET}-2`]);
        return { path: `${endpointUrl(A.wipeEndpoint)}/all` };
      },
      granted: status(200, { deletedCount: 2 }),
      stranger: status(404, { detail: 'Endpoint not found' }),
    },
    'GET /runs/{id}': {
      scopes: ['endpoints:delete', 'admin'],
      header: 'authorization',
      shape: 'detail',
      target: async () => ({ path: `/runs/${A.run}` }),
      granted: (a) => {
        status(200)(a);
        expect(a.body).toMatchObject({ ID: A.run, Status: 'FinishedSuccess' });
      },
      stranger: status(404, { detail: 'Task run not found' }),
    },
  };

  async function checkRestRow(name: string, row: RestRow) {
    const method = name.slice(0, name.indexOf(' '));
    const cases = await scopeCases(row.scopes);
    const aimed = await row.target();
    const lacking = `This API key lacks the ${row.scopes.join(' or ')} scope`;
    const refusals: Array<[string, string | null, number, string, string]> = [
      ['no key', null, 401, 'unauthorized', 'Not authenticated'],
      ['a revoked key', revokedKey, 401, 'unauthorized', 'Invalid API key'],
      ...cases.refused.map(([label, key]): [string, string, number, string, string] => [
        label,
        key,
        403,
        'forbidden',
        lacking,
      ]),
    ];
    await Promise.all(
      refusals.map(async ([label, key, expected, code, message]) => {
        const answer = await rest(method, aimed.path, row, key);
        const what = `${name}, ${label}`;
        expect(answer.status, what).toBe(expected);
        expect(answer.body, what).toEqual(errorBody(row.shape, code, message));
        if (expected === 401) expect(answer.headers.get('www-authenticate'), what).toBe('Bearer');
        expectNothingOfA(answer.received, what);
      }),
    );
    const answer = await rest(method, aimed.path, row, strangerKey);
    expectNothingOfA(answer.received, `${name}, another workspace's key`);
    await row.stranger(answer);
    await aimed.intact?.();
    for (const [i, [, key]] of cases.granted.entries()) {
      const target = i === 0 ? aimed : await row.target();
      row.granted(await rest(method, target.path, row, key));
    }
  }

  // --- the matrix ------------------------------------------------------------------------------

  it('has a row for every root field the gateway serves and for every REST route', async () => {
    const roots = await gqlOk<Record<string, { fields: Array<{ name: string }> } | null>, Vars>(
      gw.server,
      `{ query: __type(name: "Query") { fields { name } }
         mutation: __type(name: "Mutation") { fields { name } }
         subscription: __type(name: "Subscription") { fields { name } } }`,
    );
    const served = Object.entries({ Query: roots.query, Mutation: roots.mutation, Subscription: roots.subscription })
      .flatMap(([type, t]) => (t?.fields ?? []).map((f) => `${type}.${f.name}`))
      .sort();
    expect(served.length).toBeGreaterThan(30);
    expect(Object.keys(GRAPHQL_ROWS).sort()).toEqual(served);
    const routes = REST_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(Object.keys(REST_ROWS).sort()).toEqual(routes);
  });

  it('purgeExpiredDatasets: a workspace admin purges its own marked datasets only, a platform key every workspace’s', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const ofA = await newDataset(past);
    const ofB = await newDataset(past, strangerKey);
    const PURGE = 'mutation { purgeExpiredDatasets { datasets } }';
    const byB = await gqlOk<{ purgeExpiredDatasets: { datasets: number } }, Vars>(
      gw.server,
      PURGE,
      {},
      { apiKey: strangerKey },
    );
    expect(byB.purgeExpiredDatasets.datasets).toBe(1);
    const ofBNow = await gqlOk<{ dataset: unknown }, Vars>(gw.server, DATASET, { id: ofB }, { apiKey: strangerKey });
    expect(ofBNow.dataset).toBeNull();
    expect(await datasetOfA(ofA)).toEqual({ id: ofA, markedForDeletion: true });
    // the bootstrap key holds platform: the run the schedule makes, over every workspace
    const byPlatform = await gqlOk<{ purgeExpiredDatasets: { datasets: number } }, Vars>(gw.server, PURGE, {});
    expect(byPlatform.purgeExpiredDatasets.datasets).toBeGreaterThanOrEqual(1);
    expect(await datasetOfA(ofA)).toBeNull();
  });

  describe('GraphQL: no key, a revoked key, each missing scope, another workspace, each granting scope', () => {
    for (const [name, row] of Object.entries(GRAPHQL_ROWS)) {
      for (const transport of transportsOf(name, row)) {
        it(`${name} over ${transport}`, () => checkGraphQLRow(name, row, transport));
      }
    }
  });

  describe('REST: no key, a revoked key, each missing scope, another workspace, each granting scope', () => {
    for (const [name, row] of Object.entries(REST_ROWS)) {
      it(name, () => checkRestRow(name, row));
    }
  });
});
