import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipDatabase } from './support/database.js';
import { eventLogSettled } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';
import type { RunningServer } from './support/server.js';

// Seed 001 (Integray): an endpoint's DELETE in its three sections (Input, Task, Output), its
// three routes (task, by GUID, all) and "Allow deleting", through real HTTP.

type Server = Pick<RunningServer, 'url' | 'origin' | 'adminKey'>;
type Path = { company: string; group: string; endpoint: string };

const CONFIGURE = /* GraphQL */ `
  mutation Configure($input: ConfigureEndpointInput!) {
    configureEndpoint(input: $input) {
      path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount
    }
  }`;
const ENDPOINT = /* GraphQL */ `
  query Endpoint($path: EndpointPathInput!) {
    endpoint(path: $path) { path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount deleteMethod }
  }`;
const INSERT = /* GraphQL */ `
  mutation Insert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {
    insertEndpointRecords(path: $path, records: $records) { id data locked references createdAt }
  }`;
const DELETE_ONE = /* GraphQL */ `
  mutation DeleteOne($path: EndpointPathInput!, $id: ID!) {
    deleteEndpointRecord(path: $path, id: $id) {
      __typename
      ... on DeleteEndpointRecordPayload { id deleted }
      ... on Error { code message }
    }
  }`;
const DELETE_ALL = /* GraphQL */ `
  mutation DeleteAll($path: EndpointPathInput!) {
    deleteAllEndpointRecords(path: $path) {
      __typename
      ... on DeleteAllEndpointRecordsPayload { deletedCount }
      ... on Error { code message }
    }
  }`;
const RUN = /* GraphQL */ `
  mutation Run($path: EndpointPathInput!, $input: JSON) {
    runEndpointDeleteTask(path: $path, input: $input) {
      __typename
      ... on EndpointTaskRun { id status message result response savedInput savedOutput startedAt finishedAt }
      ... on Error { code errorMessage: message }
      ... on ValidationError { field }
    }
  }`;
const TASK_RUN = /* GraphQL */ `
  query TaskRun($id: ID!) {
    endpointTaskRun(id: $id) { id status message result response savedInput savedOutput startedAt finishedAt }
  }`;
const EVENTS = /* GraphQL */ `
  query EndpointEvents($entityId: ID) {
    deletionEvents(first: 500, filter: { backends: [ENDPOINT_RECORD], entityId: $entityId }) {
      edges { node { backend kind entityId workspaceId data } }
    }
  }`;
const CREATE_WORKSPACE = /* GraphQL */ `mutation W($name: String!) { createWorkspace(name: $name) { id } }`;
const CREATE_KEY = /* GraphQL */ `mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`;

interface RunBody {
  ID: string;
  Status: string;
  Link: string;
  Message: string[] | null;
  Result: unknown;
}

let pathCounter = 0;
const newPath = (endpoint = 'people'): Path => ({ company: 'acme', group: `g${++pathCounter}`, endpoint });
const url = (p: Path, rest = '') => `/${p.company}/${p.group}/${p.endpoint}${rest}`;

async function rest(server: Server, method: string, pathAndQuery: string, key: string | null = server.adminKey) {
  const res = await fetch(`${server.origin}${pathAndQuery}`, { method, headers: key ? { 'API-Key': key } : {} });
  const text = await res.text();
  return {
    status: res.status,
    allow: res.headers.get('allow'),
    body: (text === '' ? undefined : JSON.parse(text)) as unknown,
  };
}

/** A task that deletes the records whose `name` equals the `Name` input (the seed's ?Name=John). */
const selectAndDelete = {
  input: { schema: [{ name: 'Name', type: 'STRING', required: true }] },
  task: {
    steps: [
      { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
      { name: 'delete', kind: 'DELETE_RECORDS' },
    ],
  },
};

describe.skipIf(skipDatabase())('Integray endpoints (seed 001)', () => {
  const gw = useGateway();
  let deleterKey: string;
  let otherKey: string;
  /** a local HTTP server for HTTP_REQUEST steps: /fail answers 500 with the sent `msg`, /hang never answers */
  let hooks: http.Server;
  let hooksUrl: string;
  const hookBodies: unknown[] = [];

  const configure = async (path: Path, allowDeleting: boolean, del: unknown) =>
    (await gqlOk(gw.server, CONFIGURE, { input: { path, allowDeleting, delete: del } })) as {
      configureEndpoint: { failMessageStatus: string; hasDeleteTask: boolean; recordCount: number };
    };
  const insert = async (path: Path, records: unknown[]) =>
    (
      (await gqlOk(gw.server, INSERT, { path, records })) as {
        insertEndpointRecords: { id: string; references: string[] }[];
      }
    ).insertEndpointRecords;
  const recordCount = async (path: Path) =>
    ((await gqlOk(gw.server, ENDPOINT, { path })) as { endpoint: { recordCount: number } }).endpoint.recordCount;
  const run = async (path: Path, input: unknown) =>
    ((await gqlOk(gw.server, RUN, { path, input })) as { runEndpointDeleteTask: Record<string, unknown> })
      .runEndpointDeleteTask;
  const events = async (entityId?: string) => {
    await eventLogSettled(gw.server);
    const { deletionEvents } = (await gqlOk(gw.server, EVENTS, { entityId })) as {
      deletionEvents: { edges: { node: { kind: string; entityId: string; data: Record<string, unknown> } }[] };
    };
    return deletionEvents.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    if (skipDatabase()) return;
    const key = async (scopes: string[], workspaceId?: string) =>
      (
        (await gqlOk(gw.server, CREATE_KEY, { input: { name: scopes.join(' '), scopes, workspaceId } })) as {
          createApiKey: { key: string };
        }
      ).createApiKey.key;
    deleterKey = await key(['endpoints:delete']);
    const { createWorkspace } = (await gqlOk(gw.server, CREATE_WORKSPACE, { name: 'endpoints B' })) as {
      createWorkspace: { id: string };
    };
    otherKey = await key(['admin', 'endpoints:delete'], createWorkspace.id);
    hooks = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const data = JSON.parse(body || 'null') as { msg?: string } | null;
        hookBodies.push(data);
        if (req.url === '/hang') return; // never answers: the step's time-out fails it
        if (req.url === '/fail') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(data?.msg ?? 'failed');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: 'Bob', got: data }));
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    hooks?.closeAllConnections();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  describe('configuration', () => {
    it('configureEndpoint creates, endpoint(path) reads it back, a second call replaces it and keeps the records', async () => {
      const path = newPath();
      const first = await configure(path, true, selectAndDelete);
      expect(first.configureEndpoint).toMatchObject({
        hasDeleteTask: true,
        failMessageStatus: 'NOT_SET',
        recordCount: 0,
      });
      await insert(path, [{ data: { name: 'John' } }]);
      const second = await configure(path, false, {
        ...selectAndDelete,
        task: { ...selectAndDelete.task, failMessage: { rules: [], defaultMessage: 'Sorry' } },
      });
      expect(second.configureEndpoint).toMatchObject({ failMessageStatus: 'CONFIGURED', recordCount: 1 });
      const read = (await gqlOk(gw.server, ENDPOINT, { path })) as { endpoint: Record<string, unknown> };
      expect(read.endpoint).toMatchObject({ path, allowDeleting: false, hasDeleteTask: true, recordCount: 1 });
    });

    it.each([
      ['a bad slug', { company: 'Acme!', group: 'g', endpoint: 'e' }, selectAndDelete, 'path.company'],
      ['a reserved company', { company: 'imgs', group: 'g', endpoint: 'e' }, selectAndDelete, 'path.company'],
      [
        'a mapping to a field not in the schema',
        null,
        { input: { schema: [{ name: 'A', type: 'STRING' }], queryParams: [{ param: 'a', field: 'B' }] } },
        'delete.input.queryParams[0].field',
      ],
      [
        'an output step that does not exist',
        null,
        { ...selectAndDelete, output: { outputStep: 'nope' } },
        'delete.output.outputStep',
      ],
      [
        'an empty condition',
        null,
        {
          ...selectAndDelete,
          task: { ...selectAndDelete.task, failMessage: { rules: [{ conditions: [], message: 'm' }] } },
        },
        'delete.task.failMessage.rules[0].conditions',
      ],
    ])('%s answers VALIDATION_FAILED naming the field and changes nothing', async (_what, badPath, del, field) => {
      const path = newPath();
      await configure(path, true, null);
      const res = await gql(gw.server, CONFIGURE, {
        input: { path: badPath ?? path, allowDeleting: false, delete: del },
      });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field });
      const read = (await gqlOk(gw.server, ENDPOINT, { path })) as { endpoint: Record<string, unknown> };
      expect(read.endpoint).toMatchObject({ allowDeleting: true, hasDeleteTask: false });
    });

    it('an unknown step kind is refused by the schema', async () => {
      const res = await gql(gw.server, CONFIGURE, {
        input: { path: newPath(), allowDeleting: true, delete: { task: { steps: [{ name: 'x', kind: 'EVAL' }] } } },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain('TaskStepKind');
    });

    it('insertEndpointRecords refuses a reference to a record that is not of the endpoint, storing nothing', async () => {
      const path = newPath();
      await configure(path, true, null);
      const res = await gql(gw.server, INSERT, {
        path,
        records: [{ data: { a: 1 } }, { data: { b: 2 }, references: [randomUUID()] }],
      });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'references' });
      expect(await recordCount(path)).toBe(0);
    });
  });

  describe('the routes x Allow deleting x task x record state', () => {
    /** four endpoints: allow on/off x with/without a task, each with a free, a locked and a referenced record */
    const setUp = async (allow: boolean, task: boolean) => {
      const path = newPath();
      await configure(path, allow, task ? selectAndDelete : null);
      const [free, locked, referenced] = await insert(path, [
        { data: { name: 'free' } },
        { data: { name: 'locked' }, locked: true },
        { data: { name: 'referenced' } },
      ]);
      await insert(path, [{ data: { name: 'referrer' }, references: [referenced!.id] }]);
      return { path, free: free!.id, locked: locked!.id, referenced: referenced!.id };
    };

    describe.each([
      [true, true],
      [true, false],
    ])('Allow deleting on, task %s / %s', (_allow, task) => {
      it(`DELETE /{guid}: 204 once, then 404; locked 409; referenced 409; absent 404; not a GUID 400`, async () => {
        const e = await setUp(true, task);
        expect(await rest(gw.server, 'DELETE', url(e.path, `/${e.free}`), deleterKey)).toEqual({
          status: 204,
          allow: null,
          body: undefined,
        });
        expect((await rest(gw.server, 'DELETE', url(e.path, `/${e.free}`), deleterKey)).body).toEqual({
          detail: 'Record not found',
        });
        const locked = await rest(gw.server, 'DELETE', url(e.path, `/${e.locked}`), deleterKey);
        expect(locked).toMatchObject({ status: 409, body: { detail: `Record ${e.locked} is locked` } });
        const referenced = await rest(gw.server, 'DELETE', url(e.path, `/${e.referenced}`), deleterKey);
        expect(referenced.status).toBe(409);
        expect((referenced.body as { detail: string }).detail).toContain('is referenced by record');
        expect((await rest(gw.server, 'DELETE', url(e.path, `/${randomUUID()}`), deleterKey)).status).toBe(404);
        const bad = await rest(gw.server, 'DELETE', url(e.path, '/12345'), deleterKey);
        expect(bad.status).toBe(400);
        expect(await recordCount(e.path)).toBe(3);
      });

      it('DELETE /all with a locked record: 409 and nothing deleted; unlocked: 200 {"deletedCount": N}', async () => {
        const e = await setUp(true, task);
        const refused = await rest(gw.server, 'DELETE', url(e.path, '/all'), deleterKey);
        expect(refused.status).toBe(409);
        expect(await recordCount(e.path)).toBe(4);
        const path = newPath();
        await configure(path, true, task ? selectAndDelete : null);
        await insert(path, [{ data: { name: 'a' } }, { data: { name: 'b' }, references: [] }]);
        expect(await rest(gw.server, 'DELETE', url(path, '/all'), deleterKey)).toMatchObject({
          status: 200,
          body: { deletedCount: 2 },
        });
        expect(await rest(gw.server, 'DELETE', url(path, '/all'), deleterKey)).toMatchObject({
          status: 200,
          body: { deletedCount: 0 },
        });
      });

      it(
        task ? 'DELETE base path with a task: 200, the run output' : 'DELETE base path without a task: 404',
        async () => {
          const e = await setUp(true, task);
          const res = await rest(gw.server, 'DELETE', url(e.path, '?Name=free'), deleterKey);
          if (task) {
            expect(res.status).toBe(200);
            expect(res.body).toMatchObject({ Status: 'FinishedSuccess', Message: null, Result: { deletedCount: 1 } });
            expect(await recordCount(e.path)).toBe(3);
          } else {
            expect(res).toMatchObject({ status: 404, body: { detail: 'This endpoint has no DELETE task' } });
          }
        },
      );
    });

    it.each([true, false])(
      'Allow deleting off (task %s): 405 with an Allow header on every route, whatever the record, nothing deleted',
      async (task) => {
        const e = await setUp(false, task);
        for (const suffix of [
          '',
          '?Name=free',
          `/${e.free}`,
          `/${e.locked}`,
          `/${e.referenced}`,
          `/${randomUUID()}`,
          '/all',
        ]) {
          const res = await rest(gw.server, 'DELETE', url(e.path, suffix), deleterKey);
          expect(res.status, suffix).toBe(405);
          expect(res.allow, suffix).not.toBeNull();
          expect(res.body).toEqual({
            detail: `Deleting is not allowed on endpoint ${url(e.path).slice(1)} (Allow deleting is off)`,
          });
        }
        expect(await recordCount(e.path)).toBe(4);
        const gq = (await gqlOk(gw.server, DELETE_ONE, { path: e.path, id: e.free })) as {
          deleteEndpointRecord: { __typename: string };
        };
        expect(gq.deleteEndpointRecord.__typename).toBe('DeletionNotAllowedError');
      },
    );

    it('no key 401, a bad key 401, a key without endpoints:delete 403, another workspace 404, an unknown endpoint 404', async () => {
      const e = await setUp(true, true);
      expect((await rest(gw.server, 'DELETE', url(e.path, `/${e.free}`), null)).status).toBe(401);
      expect((await rest(gw.server, 'DELETE', url(e.path, `/${e.free}`), 'nope')).status).toBe(401);
      const eventsOnly = (
        (await gqlOk(gw.server, CREATE_KEY, { input: { name: 'ev', scopes: ['events:read'] } })) as {
          createApiKey: { key: string };
        }
      ).createApiKey.key;
      expect((await rest(gw.server, 'DELETE', url(e.path, `/${e.free}`), eventsOnly)).status).toBe(403);
      for (const suffix of ['?Name=free', `/${e.free}`, '/all']) {
        expect((await rest(gw.server, 'DELETE', url(e.path, suffix), otherKey)).status, suffix).toBe(404);
      }
      expect((await rest(gw.server, 'DELETE', url(newPath(), '/all'), deleterKey)).status).toBe(404);
      expect(await recordCount(e.path)).toBe(4);
    });

    it('the GraphQL mutations answer the same table as union members', async () => {
      const e = await setUp(true, false);
      const one = async (id: string) =>
        (
          (await gqlOk(gw.server, DELETE_ONE, { path: e.path, id }, { apiKey: deleterKey })) as {
            deleteEndpointRecord: Record<string, unknown>;
          }
        ).deleteEndpointRecord;
      expect(await one(e.free)).toEqual({ __typename: 'DeleteEndpointRecordPayload', id: e.free, deleted: true });
      expect(await one(e.free)).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
      expect(await one(e.locked)).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
      expect(await one(e.referenced)).toMatchObject({ __typename: 'ConflictError' });
      expect(await one('x')).toMatchObject({ __typename: 'InvalidIdError', code: 'INVALID_ID' });
      const all = (await gqlOk(gw.server, DELETE_ALL, { path: e.path }, { apiKey: deleterKey })) as {
        deleteAllEndpointRecords: Record<string, unknown>;
      };
      expect(all.deleteAllEndpointRecords).toMatchObject({ __typename: 'ConflictError' });
    });
  });

  it('the stored DELETE tab (connector scripts, URLs) is shown to admin keys only', async () => {
    const path = newPath();
    await configure(path, true, {
      task: { steps: [{ name: 's', kind: 'SCRIPT', config: { language: 'sql', source: 'x' } }] },
    });
    const asDeleter = await gql(gw.server, ENDPOINT, { path }, { apiKey: deleterKey });
    expect(asDeleter.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asAdmin = (await gqlOk(gw.server, ENDPOINT, { path })) as { endpoint: { deleteMethod: unknown } };
    expect(JSON.stringify(asAdmin.endpoint.deleteMethod)).toContain('"source":"x"');
  });

  describe('events', () => {
    it('a deleted record writes one ENDPOINT_RECORD HARD_DELETED event; delete-all writes ONE event with the count and the path', async () => {
      const path = newPath();
      await configure(path, true, null);
      const [a, b, c] = await insert(path, [{ data: { n: 1 } }, { data: { n: 2 } }, { data: { n: 3 } }]);
      expect((await rest(gw.server, 'DELETE', url(path, `/${a!.id}`), deleterKey)).status).toBe(204);
      expect(await events(a!.id)).toEqual([
        expect.objectContaining({
          kind: 'HARD_DELETED',
          entityId: a!.id,
          data: expect.objectContaining({ endpoint: url(path).slice(1) }),
        }),
      ]);
      expect((await rest(gw.server, 'DELETE', url(path, '/all'), deleterKey)).body).toEqual({ deletedCount: 2 });
      const all = (await events()).filter((e) => e.data.all === true && e.data.endpoint === url(path).slice(1));
      expect(all).toEqual([
        expect.objectContaining({ kind: 'HARD_DELETED', data: expect.objectContaining({ deletedCount: 2 }) }),
      ]);
      expect(await events(b!.id)).toEqual([]);
      expect(await events(c!.id)).toEqual([]);
    });

    it('20 concurrent deletes of one record: one 204 and nineteen 404, one event', async () => {
      const path = newPath();
      await configure(path, true, null);
      const [r] = await insert(path, [{ data: { n: 1 } }]);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => rest(gw.server, 'DELETE', url(path, `/${r!.id}`), deleterKey)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([204, ...Array(19).fill(404)]);
      expect(await events(r!.id)).toHaveLength(1);
    });

    it('a delete racing the insert of a record that references it: either the delete wins and the insert is refused, or the reference wins and the delete is 409', async () => {
      const path = newPath();
      await configure(path, true, null);
      const targets = await insert(
        path,
        Array.from({ length: 20 }, (_, i) => ({ data: { i } })),
      );
      const outcomes = await Promise.all(
        targets.map(async (t) => {
          const [inserted, deleted] = await Promise.all([
            gql(gw.server, INSERT, { path, records: [{ data: { of: t.id }, references: [t.id] }] }),
            rest(gw.server, 'DELETE', url(path, `/${t.id}`), deleterKey),
          ]);
          const referrerStored = !inserted.body.errors;
          // never both: no record may reference one that is gone
          expect(referrerStored ? deleted.status : 204, JSON.stringify(inserted.body)).toBe(referrerStored ? 409 : 204);
          return referrerStored;
        }),
      );
      expect(await recordCount(path)).toBe(20 + outcomes.filter(Boolean).length - outcomes.filter((o) => !o).length);
    });

    it("a task's deletions write their events with the run id; a failed run deletes nothing and writes none", async () => {
      const path = newPath();
      await configure(path, true, {
        ...selectAndDelete,
        output: { schema: [{ name: 'deletedCount', type: 'NUMBER', required: true }] },
      });
      const [john] = await insert(path, [{ data: { name: 'John' } }, { data: { name: 'Ann' } }]);
      const ok = await run(path, { Name: 'John' });
      expect(ok).toMatchObject({
        __typename: 'EndpointTaskRun',
        status: 'FINISHED_SUCCESS',
        result: { deletedCount: 1 },
      });
      expect(await events(john!.id)).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ taskRunId: ok.id }) }),
      ]);
      // The output schema now wants a field the result lacks: the run fails and its deletion is rolled back.
      await configure(path, true, {
        ...selectAndDelete,
        output: { schema: [{ name: 'missing', type: 'STRING', required: true }] },
      });
      const failed = await rest(gw.server, 'DELETE', url(path, '?Name=Ann'), deleterKey);
      expect(failed.status).toBe(422);
      expect(failed.body).toMatchObject({
        Status: 'Failed',
        Message: [
          'The task output failed: does not match the output schema: result.missing is required by the output schema',
        ],
        Result: null,
      });
      expect(await recordCount(path)).toBe(1);
      const all = await events();
      expect(all.filter((e) => e.data.taskRunId === (failed.body as RunBody).ID)).toEqual([]);
    });

    it('deleting the referrer releases the record it referenced', async () => {
      const path = newPath();
      await configure(path, true, null);
      const [target] = await insert(path, [{ data: { n: 1 } }]);
      const [referrer] = await insert(path, [{ data: { n: 2 }, references: [target!.id, target!.id] }]);
      expect((await rest(gw.server, 'DELETE', url(path, `/${target!.id}`), deleterKey)).status).toBe(409);
      expect((await rest(gw.server, 'DELETE', url(path, `/${referrer!.id}`), deleterKey)).status).toBe(204);
      expect((await rest(gw.server, 'DELETE', url(path, `/${target!.id}`), deleterKey)).status).toBe(204);
    });

    it('DELETE_RECORDS over a locked record fails the run (Failed, 422) and deletes none of the selection', async () => {
      const path = newPath();
      await configure(path, true, selectAndDelete);
      await insert(path, [{ data: { name: 'x' } }, { data: { name: 'x' }, locked: true }]);
      const res = await rest(gw.server, 'DELETE', url(path, '?Name=x'), deleterKey);
      expect(res.status).toBe(422);
      expect((res.body as RunBody).Status).toBe('Failed');
      expect((res.body as RunBody).Message![0]).toMatch(
        /^Step "delete" \(DELETE_RECORDS\) failed: Record .* is locked; no record was deleted$/,
      );
      expect(await recordCount(path)).toBe(2);
    });
  });

  describe('Input: query parameters mapped and converted', () => {
    const typed = {
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
      task: { steps: [{ name: 'echo', kind: 'SELECT_RECORDS', config: { where: {} } }], saveInputData: 'ALWAYS' },
    };

    it.each([
      ['age=old&name=a', 'Age', "Query parameter 'age' (field 'Age'): \"old\" is not a NUMBER (a decimal number)"],
      [
        'active=maybe&name=a',
        'Active',
        "Query parameter 'active' (field 'Active'): \"maybe\" is not a BOOLEAN (true, false, 1 or 0)",
      ],
      ['id=42&name=a', 'Id', "Query parameter 'id' (field 'Id'): \"42\" is not a GUID (8-4-4-4-12 hex digits)"],
      [
        'since=yesterday&name=a',
        'Since',
        "Query parameter 'since' (field 'Since'): \"yesterday\" is not a DATETIME (ISO 8601 with a time zone, e.g. 2026-01-31T12:00:00Z)",
      ],
      ['age=3', 'Name', "Query parameter 'name' (field 'Name') is required"],
    ])('?%s: 400 naming %s, no run', async (query, _field, detail) => {
      const path = newPath();
      await configure(path, true, typed);
      expect(await rest(gw.server, 'DELETE', url(path, `?${query}`), deleterKey)).toMatchObject({
        status: 400,
        body: { detail },
      });
    });

    it('converted values are the saved input (schema field names); GraphQL names the field of a bad value', async () => {
      const path = newPath();
      await configure(path, true, typed);
      const id = randomUUID().toUpperCase();
      const res = await rest(
        gw.server,
        'DELETE',
        url(path, `?name=Bob&age=41&active=true&id=${id}&since=2026-01-01T00:00:00Z`),
        deleterKey,
      );
      expect(res.status).toBe(200);
      const saved = (await gqlOk(gw.server, TASK_RUN, { id: (res.body as RunBody).ID })) as {
        endpointTaskRun: { savedInput: unknown };
      };
      expect(saved.endpointTaskRun.savedInput).toEqual({
        Name: 'Bob',
        Age: 41,
        Active: true,
        Id: id.toLowerCase(),
        Since: '2026-01-01T00:00:00.000Z',
      });
      expect(await run(path, { Name: 'a', Age: 'x' })).toMatchObject({ __typename: 'ValidationError', field: 'Age' });
    });
  });

  describe('Task: save input data x success / failure', () => {
    it.each([
      ['NEVER', false, null],
      ['NEVER', true, null],
      ['ON_ERROR', false, null],
      ['ON_ERROR', true, { Name: 'John' }],
      ['ALWAYS', false, { Name: 'John' }],
      ['ALWAYS', true, { Name: 'John' }],
    ])('%s, failing %s: savedInput %j', async (saveInputData, failing, expected) => {
      const path = newPath();
      const steps = failing
        ? [{ name: 'stop', kind: 'FAIL', config: { message: 'stopped' } }]
        : selectAndDelete.task.steps;
      await configure(path, true, { input: selectAndDelete.input, task: { steps, saveInputData } });
      const res = await rest(gw.server, 'DELETE', url(path, '?Name=John'), deleterKey);
      expect(res.status).toBe(failing ? 422 : 200);
      const { endpointTaskRun } = (await gqlOk(gw.server, TASK_RUN, { id: (res.body as RunBody).ID })) as {
        endpointTaskRun: Record<string, unknown>;
      };
      expect(endpointTaskRun.savedInput).toEqual(expected);
      expect(endpointTaskRun.status).toBe(failing ? 'FAILED_CONNECTOR' : 'FINISHED_SUCCESS');
      expect(endpointTaskRun.finishedAt).not.toBeNull();
    });
  });

  describe('Task: fail-message rules', () => {
    /** An HTTP step that fails with the `msg` input as its message. */
    const failing = (failMessage: unknown) => ({
      input: { schema: [{ name: 'msg', type: 'STRING', required: true }] },
      task: { steps: [{ name: 'call', kind: 'HTTP_REQUEST', config: { url: `${hooksUrl}/fail` } }], failMessage },
    });
    const rules = [
      {
        conditions: [
          { type: 'CONTAINS', value: 'Attempt' },
          { type: 'CONTAINS', value: 'timeout' },
        ],
        message: 'Attempt timed out',
      },
      { conditions: [{ type: 'EQUALS', value: 'exactly this' }], message: 'Equals matched' },
      {
        conditions: [{ type: 'CONTAINS', value: 'Attempt' }],
        message: "Custom message triggered when the word 'Attempt' is found.",
      },
    ];

    it.each([
      ['CONTAINS and CONTAINS (AND)', 'Attempt 3: timeout', { rules, defaultMessage: 'Default' }, 'Attempt timed out'],
      ['EQUALS', 'exactly this', { rules, defaultMessage: 'Default' }, 'Equals matched'],
      [
        'AND with one condition false: the next rule',
        'Attempt 3',
        { rules, defaultMessage: 'Default' },
        "Custom message triggered when the word 'Attempt' is found.",
      ],
      ['no rule matches: the default action', 'nothing', { rules, defaultMessage: 'Default' }, 'Default'],
      [
        'no rule matches, no default: the platform message',
        'nothing',
        { rules },
        'Step "call" (HTTP_REQUEST) failed: nothing',
      ],
      ['no fail message configured: the platform message', 'boom', null, 'Step "call" (HTTP_REQUEST) failed: boom'],
    ])('%s', async (_what, msg, failMessage, expected) => {
      const path = newPath();
      await configure(path, true, failing(failMessage));
      const res = await rest(gw.server, 'DELETE', url(path, `?msg=${encodeURIComponent(msg)}`), deleterKey);
      expect(res.status).toBe(422);
      const body = res.body as RunBody;
      expect(Object.keys(body)).toEqual(['ID', 'Status', 'Link', 'Message', 'Result']);
      expect(body).toEqual({
        ID: body.ID,
        Status: 'FailedConnector',
        Link: `/runs/${body.ID}`,
        Message: [expected],
        Result: null,
      });
    });

    it.each([
      [
        'a SCRIPT step',
        { name: 'script', kind: 'SCRIPT', config: { language: 'javascript', source: "db.drop('Attempt-secret-77')" } },
      ],
      [
        'a FAIL step marked sensitive',
        { name: 'script', kind: 'FAIL', config: { message: 'Attempt-secret-77', sensitive: true } },
      ],
    ])(
      '%s is sensitive: rules never apply, the client gets a generic message, the text is only logged',
      async (_what, step) => {
        const path = newPath();
        await configure(path, true, { task: { steps: [step], failMessage: { rules, defaultMessage: 'Default' } } });
        const res = await rest(gw.server, 'DELETE', url(path), deleterKey);
        expect(res.status).toBe(422);
        expect(JSON.stringify(res.body)).not.toContain('secret');
        expect((res.body as RunBody).Message).toEqual([
          `Step "script" (${step.kind}) failed; the details are sensitive and were logged, not returned`,
        ]);
        const { endpointTaskRun } = (await gqlOk(gw.server, TASK_RUN, { id: (res.body as RunBody).ID })) as {
          endpointTaskRun: unknown;
        };
        expect(JSON.stringify(endpointTaskRun)).not.toContain('secret');
        // log lines reach stdout in chunks, shortly after they are logged
        await expect.poll(() => gw.server.logs.some((l) => JSON.stringify(l).includes('Attempt-secret-77'))).toBe(true);
      },
    );

    it('an HTTP step that gets no answer in time fails', async () => {
      const path = newPath();
      await configure(path, true, {
        task: { steps: [{ name: 'call', kind: 'HTTP_REQUEST', config: { url: `${hooksUrl}/hang`, timeoutMs: 200 } }] },
      });
      const res = await rest(gw.server, 'DELETE', url(path), deleterKey);
      expect(res.status).toBe(422);
      expect((res.body as RunBody).Message).toEqual([
        `Step "call" (HTTP_REQUEST) failed: no answer from ${hooksUrl}/hang within 200 ms`,
      ]);
    });
  });

  describe('Output', () => {
    const withOutput = (output: unknown) => ({
      input: { schema: [{ name: 'Name', type: 'STRING' }] },
      task: {
        steps: [
          { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
          { name: 'call', kind: 'HTTP_REQUEST', config: { url: `${hooksUrl}/ok` } },
        ],
      },
      output,
    });

    it('system data ON: {ID, Status, Link, Message, Result} with the HTTP answer as the result', async () => {
      const path = newPath();
      await configure(path, true, withOutput(null));
      const res = await rest(gw.server, 'DELETE', url(path, '?Name=Bob'), deleterKey);
      const body = res.body as RunBody;
      expect(res.status).toBe(200);
      expect(body).toEqual({
        ID: body.ID,
        Status: 'FinishedSuccess',
        Link: `/runs/${body.ID}`,
        Message: null,
        Result: { hello: 'Bob', got: [] },
      });
    });

    it('system data OFF: the bare result (the seed: {"hello": "Bob"}), mapping picks and renames', async () => {
      const path = newPath();
      await configure(path, true, withOutput({ includeSystemData: false, mapping: [{ from: 'hello', to: 'hello' }] }));
      expect(await rest(gw.server, 'DELETE', url(path, '?Name=Bob'), deleterKey)).toMatchObject({
        status: 200,
        body: { hello: 'Bob' },
      });
    });

    it('output step: the data of that step becomes the result; save output data keeps it on the run', async () => {
      const path = newPath();
      await configure(
        path,
        true,
        withOutput({ outputStep: 'select', saveOutputData: true, mapping: [{ from: 'name', to: 'who' }] }),
      );
      const [r] = await insert(path, [{ data: { name: 'Bob', age: 3 } }]);
      const res = await rest(gw.server, 'DELETE', url(path, '?Name=Bob'), deleterKey);
      expect((res.body as RunBody).Result).toEqual([{ who: 'Bob' }]);
      expect(hookBodies.at(-1)).toEqual([{ id: r!.id, name: 'Bob', age: 3 }]);
      const { endpointTaskRun } = (await gqlOk(gw.server, TASK_RUN, { id: (res.body as RunBody).ID })) as {
        endpointTaskRun: Record<string, unknown>;
      };
      expect(endpointTaskRun).toMatchObject({ savedOutput: [{ who: 'Bob' }], result: [{ who: 'Bob' }] });
      // The response's Link: the run, with what it kept.
      const link = await rest(gw.server, 'GET', (res.body as RunBody).Link, deleterKey);
      expect(link).toMatchObject({
        status: 200,
        body: {
          ID: (res.body as RunBody).ID,
          Status: 'FinishedSuccess',
          Message: null,
          Result: [{ who: 'Bob' }],
          Input: null,
        },
      });
      expect((await rest(gw.server, 'GET', (res.body as RunBody).Link, otherKey)).status).toBe(404);
      expect((await rest(gw.server, 'GET', `/runs/${randomUUID()}`, deleterKey)).status).toBe(404);
    });

    it('without save output data the run keeps no result', async () => {
      const path = newPath();
      await configure(path, true, withOutput(null));
      const res = await rest(gw.server, 'DELETE', url(path, '?Name=Bob'), deleterKey);
      const { endpointTaskRun } = (await gqlOk(gw.server, TASK_RUN, { id: (res.body as RunBody).ID })) as {
        endpointTaskRun: Record<string, unknown>;
      };
      expect(endpointTaskRun).toMatchObject({ status: 'FINISHED_SUCCESS', savedOutput: null, result: null });
      expect(JSON.stringify(endpointTaskRun.response)).not.toContain('Bob');
    });

    it('an output schema mismatch is a failed run (422, Failed)', async () => {
      const path = newPath();
      await configure(path, true, withOutput({ schema: [{ name: 'hello', type: 'NUMBER', required: true }] }));
      const res = await rest(gw.server, 'DELETE', url(path, '?Name=Bob'), deleterKey);
      expect(res).toMatchObject({
        status: 422,
        body: {
          Status: 'Failed',
          Message: ['The task output failed: does not match the output schema: result.hello is not a NUMBER'],
        },
      });
    });
  });

  describe('delete-all at scale', () => {
    it('100,000 records: one statement, one event, the server memory stays bounded', async () => {
      const path = newPath('bulk');
      await configure(path, true, null);
      const batch = 10_000;
      for (let i = 0; i < 100_000; i += batch) {
        await gqlOk(gw.server, INSERT, {
          path,
          records: Array.from({ length: batch }, (_, j) => ({ data: { n: i + j, text: 'x'.repeat(64) } })),
        });
      }
      expect(await recordCount(path)).toBe(100_000);
      const peakBefore = peakRssKb(gw.server.process.pid);
      expect(await rest(gw.server, 'DELETE', url(path, '/all'), deleterKey)).toEqual({
        status: 200,
        allow: null,
        body: { deletedCount: 100_000 },
      });
      const peakAfter = peakRssKb(gw.server.process.pid);
      // Loading 100,000 rows as objects would cost well over this; a set-based delete costs little.
      if (peakBefore !== null && peakAfter !== null) expect(peakAfter - peakBefore).toBeLessThan(96 * 1024);
      const all = (await events()).filter((e) => e.data.endpoint === url(path).slice(1));
      expect(all).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ deletedCount: 100_000, all: true }) }),
      ]);
      expect(await recordCount(path)).toBe(0);
    });
  });
});

/** The process's peak resident set (VmHWM) in kB; null where /proc is not there. */
function peakRssKb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
