import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_ROUTES } from '../src/http/rest.js';
import * as bodies from '../src/http/rest-bodies.js';
import { defineRoute, detailShape } from '../src/http/rest-routes.js';
import { shareLinkOperation } from '../src/http/share.js';
import { InvalidIdError } from '../src/services/errors.js';
import { skipDatabase } from './support/database.js';
import { createDataset } from './support/datasets.js';
import { CreateResource, createKey } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gqlOk } from './support/graphql.js';
import {
  type JsonSchema,
  type OpenApiDocument,
  type OperationKey,
  operation,
  operations,
  refsOf,
  schemaProblems,
  validatorOf,
} from './support/openapi.js';

// GET /openapi.json is printed from the route table; here it is read as a client reads it, and
// every route is called for real: each status it answers must be documented, each body must
// match its documented schema, and each documented status must be seen (but the few listed).

const ROUTE_KEYS = [
  'DELETE /resources/{resource_id}',
  'DELETE /files',
  'GET /files',
  'DELETE /v1/datasets/{id}',
  'GET /v1/datasets/{id}',
  'DELETE /imgs/{image_id}',
  'GET /ops/{op_id}',
  'DELETE /{company}/{group}/{endpoint}',
  'DELETE /{company}/{group}/{endpoint}/{id}',
  'DELETE /{company}/{group}/{endpoint}/all',
  'GET /runs/{id}',
];

/** Statuses a route documents that no test provokes on demand, and why. */
const NOT_PROVOKED: Readonly<Record<string, string>> = {
  'DELETE /resources/{resource_id} 504':
    'the wrapper runs on another instance that does not confirm the stop in time (test/instances.test.ts)',
  ...Object.fromEntries(
    [
      'GET /files',
      'GET /v1/datasets/{id}',
      'DELETE /imgs/{image_id}',
      'GET /ops/{op_id}',
      'DELETE /{company}/{group}/{endpoint}',
      'DELETE /{company}/{group}/{endpoint}/{id}',
      'DELETE /{company}/{group}/{endpoint}/all',
      'GET /runs/{id}',
    ].map((route) => [
      `${route} 500`,
      'an unexpected failure: provoked by a database trigger on one route of each error shape (resources, files, datasets)',
    ]),
  ),
  // Every route answers these before its handler; their own tests provoke them route by route.
  ...Object.fromEntries(
    ROUTE_KEYS.flatMap((route) => [
      [`${route} 413`, 'a body over MAX_JSON_BYTES: test/request-body-limit.test.ts'],
      [`${route} 429`, 'a spent rate limit (RATE_LIMIT is off in this gateway): test/rate-limits.test.ts'],
    ]),
  ),
};

// Real database failures for the 500 rows, not mocks: triggers refuse the deletion of marked rows
// (one DO block, as PGlite's protocol wants).
const EXPLODE_ON_DELETE = `
DO $setup$
BEGIN
  EXECUTE $fn$
    CREATE OR REPLACE FUNCTION test_openapi_explode_resource() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF OLD.name LIKE 'explode-%' THEN RAISE EXCEPTION 'kaboom_openapi: resource %', OLD.id; END IF;
      RETURN NEW;
    END
    $body$
  $fn$;
  EXECUTE 'CREATE TRIGGER test_openapi_explode_resource BEFORE UPDATE ON resource
             FOR EACH ROW EXECUTE FUNCTION test_openapi_explode_resource()';
  EXECUTE $fn$
    CREATE OR REPLACE FUNCTION test_openapi_explode_parser_result() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF OLD.request_id LIKE 'explode-%' THEN RAISE EXCEPTION 'kaboom_openapi: result %', OLD.request_id; END IF;
      RETURN OLD;
    END
    $body$
  $fn$;
  EXECUTE 'CREATE TRIGGER test_openapi_explode_parser_result BEFORE DELETE ON parser_result
             FOR EACH ROW EXECUTE FUNCTION test_openapi_explode_parser_result()';
  EXECUTE $fn$
    CREATE OR REPLACE FUNCTION test_openapi_explode_dataset() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF OLD.type::text = 'AUDIO' THEN RAISE EXCEPTION 'kaboom_openapi: dataset %', OLD.id; END IF;
      RETURN NEW;
    END
    $body$
  $fn$;
  EXECUTE 'CREATE TRIGGER test_openapi_explode_dataset BEFORE UPDATE ON dataset
             FOR EACH ROW EXECUTE FUNCTION test_openapi_explode_dataset()';
END
$setup$`;

const CREATE_PARSER_RESULT = /* GraphQL */ `
  mutation OpenApiCreateParserResult($input: CreateParserResultInput!) {
    createParserResult(input: $input) { requestId }
  }`;
const CREATE_IMAGES = /* GraphQL */ `
  mutation OpenApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }`;
const CONFIGURE = /* GraphQL */ `
  mutation OpenApiConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { allowDeleting } }`;
const INSERT = /* GraphQL */ `
  mutation OpenApiInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {
    insertEndpointRecords(path: $path, records: $records) { id }
  }`;

/** A task that deletes the records whose `name` equals the `Name` query parameter (a NUMBER `Age` too). */
const SELECT_AND_DELETE = {
  input: {
    schema: [
      { name: 'Name', type: 'STRING', required: true },
      { name: 'Age', type: 'NUMBER' },
    ],
  },
  task: {
    steps: [
      { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
      { name: 'delete', kind: 'DELETE_RECORDS' },
    ],
  },
};
const FAILING_TASK = { task: { steps: [{ name: 'fail', kind: 'FAIL', config: { message: 'Attempt failed' } }] } };

/** A value for each path parameter, for calls that never reach the handler. */
const SAMPLE_PARAMS: Readonly<Record<string, string>> = {
  resource_id: '507f1f77bcf86cd799439011',
  id: '0b9e4c1a-7d7b-4f4e-9a57-2f4a2b1c9d10',
  image_id: '1',
  op_id: 'op_0000000000000000',
  company: 'acme',
  group: 'billing',
  endpoint: 'invoices',
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

describe.skipIf(skipDatabase())('GET /openapi.json: the REST routes as OpenAPI 3.1', () => {
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-openapi-blobs-'));
  const gw = useGateway({ env: { BLOB_DIR: blobDir, TEST_STARTUP_SQL: EXPLODE_ON_DELETE } });
  afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

  let doc: OpenApiDocument;
  /** A key of the workspace that may read events only: no route's scope. */
  let readerKey: string;
  /** Every status each operation answered, as `DELETE /files 404`. */
  const seen = new Set<string>();

  beforeAll(async () => {
    if (skipDatabase()) return;
    const res = await fetch(`${gw.server.origin}/openapi.json`);
    doc = (await res.json()) as OpenApiDocument;
    readerKey = await createKey(gw.server, ['events:read']);
  });

  /** The key header each seed shows. */
  const keyHeader = (template: string, key: string): Record<string, string> =>
    template.startsWith('/resources')
      ? { authorization: `Bearer ${key}` }
      : template.startsWith('/files') || template.startsWith('/v1')
        ? { 'x-api-key': key }
        : { 'API-Key': key };

  /**
   * Calls `url` as operation `key` and checks the answer against the document: its status is
   * documented, the headers that status documents are there, its body matches the schema.
   */
  async function call(
    key: OperationKey,
    url: string,
    opts: { apiKey?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const [method, template] = key.split(' ') as [string, string];
    const apiKey = opts.apiKey === undefined ? gw.server.adminKey : opts.apiKey;
    const res = await fetch(`${gw.server.origin}${url}`, {
      method,
      headers: { ...(apiKey ? keyHeader(template, apiKey) : {}), ...opts.headers },
    });
    const text = await res.text();
    const documented = operation(doc, key);
    expect(documented, `${key} is in the document`).toBeDefined();
    const response = documented!.responses[String(res.status)];
    expect(response, `${key} answered ${res.status}, which it does not document: ${text}`).toBeDefined();
    seen.add(`${key} ${res.status}`);
    for (const name of Object.keys(response!.headers ?? {})) {
      expect(res.headers.get(name), `${key} ${res.status} has its ${name} header`).not.toBeNull();
    }
    const json = response!.content?.['application/json'];
    let body: unknown;
    if (!response!.content) {
      expect(text, `${key} ${res.status} has no body`).toBe('');
    } else if (json && res.headers.get('content-type')?.startsWith('application/json')) {
      body = JSON.parse(text);
      expect(schemaProblems(doc, json.schema!, body), `${key} ${res.status}: ${text}`).toBeNull();
    } else {
      expect(response!.content['*/*'], `${key} ${res.status} answers ${res.headers.get('content-type')}`).toBeDefined();
    }
    return { status: res.status, headers: res.headers, text, body };
  }

  /** `call`, expecting `status`. */
  async function expectAnswer(status: number, key: OperationKey, url: string, opts?: Parameters<typeof call>[2]) {
    const answer = await call(key, url, opts);
    expect(answer.status, `${key} ${url}: ${answer.text}`).toBe(status);
    return answer;
  }

  const createResource = async (name: string) =>
    (await gqlOk(gw.server, CreateResource, { input: { name } })).createResource.id;

  async function createParserResult(requestId: string) {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: CREATE_PARSER_RESULT,
        variables: { input: { requestId, files: [null], data: { a: 1 } } },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.input.files.0'] }));
    form.set('0', new Blob(['%PDF parsed'], { type: 'application/pdf' }), 'invoice.pdf');
    const res = await fetch(gw.server.url, {
      method: 'POST',
      body: form,
      headers: { 'x-api-key': gw.server.adminKey },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { createParserResult: { requestId } } });
  }

  const createImage = async () =>
    ((await gqlOk(gw.server, CREATE_IMAGES, { input: [{ name: 'openapi' }] })) as { createImages: { id: string }[] })
      .createImages[0]!.id;

  let endpointCounter = 0;
  /** A configured endpoint with these records; its URL. */
  async function createEndpoint(allowDeleting: boolean, del: unknown, records: unknown[] = []) {
    const endpointPath = { company: 'acme', group: `openapi${++endpointCounter}`, endpoint: 'people' };
    await gqlOk(gw.server, CONFIGURE, { input: { path: endpointPath, allowDeleting, delete: del } });
    const inserted = records.length
      ? (
          (await gqlOk(gw.server, INSERT, { path: endpointPath, records })) as {
            insertEndpointRecords: { id: string }[];
          }
        ).insertEndpointRecords
      : [];
    return { url: `/acme/${endpointPath.group}/people`, ids: inserted.map((r) => r.id) };
  }

  describe('the document', () => {
    it('is public and cacheable: no key, an ETag, 304 when it did not change, HEAD without a body', async () => {
      const res = await fetch(`${gw.server.origin}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toMatch(/public/);
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^".+"$/);
      expect(await res.json()).toEqual(doc);

      const again = await fetch(`${gw.server.origin}/openapi.json`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      const head = await fetch(`${gw.server.origin}/openapi.json`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe(etag);
      const post = await fetch(`${gw.server.origin}/openapi.json`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
    });

    it('is an OpenAPI 3.1 document in structure', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info.title).toEqual(expect.any(String));
      expect(doc.info.version).toEqual(expect.any(String));
      const tags = new Set(doc.tags?.map((t) => t.name));
      const schemes = doc.components.securitySchemes;
      const ids = new Set<string>();
      for (const { key, path: template, operation: op } of operations(doc)) {
        expect(op.operationId, key).toEqual(expect.any(String));
        expect(ids.has(op.operationId), `${key}: operationId ${op.operationId} is unique`).toBe(false);
        ids.add(op.operationId);
        for (const tag of op.tags ?? []) expect(tags, `${key} tag ${tag}`).toContain(tag);
        // every {name} of the template is a required path parameter, and nothing else is one
        const inPath = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(pathParams.map((p) => p.name).sort(), key).toEqual(inPath.sort());
        for (const p of op.parameters ?? []) {
          expect(['path', 'query', 'header', 'cookie'], `${key} ${p.name}`).toContain(p.in);
          if (p.in === 'path') expect(p.required, `${key} ${p.name}`).toBe(true);
          expect(p.schema, `${key} ${p.name}`).toBeDefined();
        }
        for (const requirement of op.security ?? []) {
          for (const scheme of Object.keys(requirement)) expect(Object.keys(schemes), key).toContain(scheme);
        }
        const statuses = Object.keys(op.responses);
        expect(statuses.length, `${key} has responses`).toBeGreaterThan(0);
        for (const status of statuses) {
          expect(status, key).toMatch(/^[1-5]\d\d$/);
          expect(op.responses[status]!.description, `${key} ${status}`).toEqual(expect.any(String));
        }
      }
      for (const ref of refsOf(doc)) {
        expect(ref, 'a reference into the components').toMatch(/^#\/components\/schemas\//);
        expect(Object.keys(doc.components.schemas), ref).toContain(ref.split('/').pop());
      }
    });

    it('has every route of the route table, and the share link', () => {
      const declared = [...REST_ROUTES, shareLinkOperation].map((r) => `${r.method} ${r.path}`);
      expect(operations(doc).map((o) => o.key)).toEqual(declared);
    });

    it('every JSON schema in it is one a validator reads', () => {
      for (const schema of Object.values(doc.components.schemas)) expect(validatorOf(doc, schema)).toBeDefined();
      for (const { operation: op } of operations(doc)) {
        for (const p of op.parameters ?? []) expect(validatorOf(doc, p.schema!)).toBeDefined();
      }
    });

    it('its schemas are exact: a missing, extra or mistyped field fails', () => {
      const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });
      const dataset = {
        id: 'ds_ar7e4PtGX7fGGnSt',
        workspaceId: 'wks_1',
        type: 'doc',
        fileName: 'my_document',
        fileExt: 'pdf',
        fileSize: 777678,
        itemCount: 44,
        mimeType: 'application/pdf',
        createdAt: 1761933149632,
        updatedAt: 1761933149632,
        expiresAt: 1762019549632,
        share: { url: '/v1/share/dsx_iCAA1uoowAFi9rcu?token=OFWb98', token: 'OFWb98', expiresAt: null },
      };
      const answer = { success: true, total: 1, data: dataset };
      expect(schemaProblems(doc, ref('DatasetAnswer'), answer)).toBeNull();
      expect(schemaProblems(doc, ref('DatasetAnswer'), { ...answer, data: { ...dataset, extra: 1 } })).not.toBeNull();
      const { itemCount: _, ...missing } = dataset;
      expect(schemaProblems(doc, ref('DatasetAnswer'), { ...answer, data: missing })).not.toBeNull();
      expect(
        schemaProblems(doc, ref('DatasetAnswer'), { ...answer, data: { ...dataset, type: 'DOC' } }),
      ).not.toBeNull();
      expect(schemaProblems(doc, ref('ErrorDetail'), { detail: 'x' })).toBeNull();
      expect(schemaProblems(doc, ref('ErrorDetail'), { detail: 1 })).not.toBeNull();
      expect(
        schemaProblems(doc, ref('ErrorCodeMessage'), { success: false, error: 'gone', message: 'x' }),
      ).not.toBeNull();
    });
  });

  describe('every route, called for real', () => {
    const authenticated = () =>
      operations(doc).filter((o) => (o.operation.security ?? []).length > 0 && !o.key.includes('{share_id}'));
    const sampleUrl = (key: OperationKey) => {
      const template = key.split(' ')[1]!;
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name]!);
      return template === '/files' ? `${url}?request_id=req-sample` : url;
    };

    it('every authenticated route: 401 without a key, 401 with an unknown one, 403 without its scope, 400 for two keys', async () => {
      expect(authenticated()).toHaveLength(REST_ROUTES.length);
      for (const { key } of authenticated()) {
        const url = sampleUrl(key);
        const anonymous = await expectAnswer(401, key, url, { apiKey: null });
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
        await expectAnswer(401, key, url, { apiKey: 'dgw_this_key_was_never_issued_0000000000' });
        await expectAnswer(403, key, url, { apiKey: readerKey });
        await expectAnswer(400, key, url, {
          headers: { 'x-api-key': readerKey, authorization: `Bearer ${gw.server.adminKey}` },
        });
      }
    });

    it('every deleting route: 400 for a malformed Idempotency-Key', async () => {
      for (const { key } of authenticated().filter((o) => o.key.startsWith('DELETE'))) {
        await expectAnswer(400, key, sampleUrl(key), { headers: { 'idempotency-key': 'not a key' } });
      }
    });

    it('DELETE /resources/{resource_id} (seed 000)', async () => {
      const key = 'DELETE /resources/{resource_id}';
      const id = await createResource('openapi');
      expect((await expectAnswer(200, key, `/resources/${id}`)).body).toEqual({ id, deleted: true });
      await expectAnswer(404, key, `/resources/${id}`);
      await expectAnswer(400, key, '/resources/nope');
      await expectAnswer(400, key, '/resources/%ZZ');
      const [first, second] = [await createResource('openapi-a'), await createResource('openapi-b')];
      const idempotencyKey = randomUUID();
      await expectAnswer(200, key, `/resources/${first}`, { headers: { 'idempotency-key': idempotencyKey } });
      await expectAnswer(422, key, `/resources/${second}`, { headers: { 'idempotency-key': idempotencyKey } });
      const exploding = await expectAnswer(500, key, `/resources/${await createResource('explode-openapi')}`);
      expect(exploding.body).toEqual({ detail: 'Internal server error' });
    });

    it('DELETE /files and GET /files (seed 002)', async () => {
      const [del, get] = ['DELETE /files', 'GET /files'] as const;
      const requestId = `req-${randomUUID()}`;
      await createParserResult(requestId);
      const read = await expectAnswer(200, get, `/files?request_id=${requestId}`);
      expect(read.body).toMatchObject({ success: true, data: { requestId, data: { a: 1 } } });
      expect((await expectAnswer(200, del, `/files?request_id=${requestId}`)).body).toEqual({
        success: true,
        message: 'File deleted successfully',
      });
      await expectAnswer(404, get, `/files?request_id=${requestId}`);
      await expectAnswer(404, del, `/files?request_id=${requestId}`);
      await expectAnswer(400, get, '/files');
      await expectAnswer(400, del, '/files?request_id=');
      const [first, second] = [`req-${randomUUID()}`, `req-${randomUUID()}`];
      await createParserResult(first);
      await createParserResult(second);
      const idempotencyKey = randomUUID();
      await expectAnswer(200, del, `/files?request_id=${first}`, { headers: { 'idempotency-key': idempotencyKey } });
      await expectAnswer(422, del, `/files?request_id=${second}`, { headers: { 'idempotency-key': idempotencyKey } });
      const exploding = `explode-${randomUUID()}`;
      await createParserResult(exploding);
      const failed = await expectAnswer(500, del, `/files?request_id=${exploding}`);
      expect(failed.body).toEqual({ success: false, error: 'internal_error', message: 'Internal server error' });
    });

    it('DELETE /v1/datasets/{id}, GET /v1/datasets/{id} and the share link (seed 003)', async () => {
      const [del, get, share] = [
        'DELETE /v1/datasets/{id}',
        'GET /v1/datasets/{id}',
        'GET /v1/share/{share_id}',
      ] as const;
      const content = `shared ${randomUUID()}`;
      const dataset = await createDataset(gw.server, { share: true, content });
      const shareUrl = dataset.share!.url;
      expect((await expectAnswer(200, share, shareUrl, { apiKey: null })).text).toBe(content);
      await expectAnswer(200, get, `/v1/datasets/${dataset.id}`);
      const deleted = await expectAnswer(200, del, `/v1/datasets/${dataset.id}`);
      expect(deleted.body).toMatchObject({ success: true, total: 1, data: { id: dataset.id } });
      await expectAnswer(404, share, shareUrl, { apiKey: null });
      // marked, not yet purged: still readable
      await expectAnswer(200, get, `/v1/datasets/${dataset.id}`);
      for (const route of [del, get]) {
        await expectAnswer(400, route, '/v1/datasets/not-a-dataset');
        await expectAnswer(404, route, '/v1/datasets/ds_ar7e4PtGX7fGGnSt');
      }
      const [first, second] = [await createDataset(gw.server), await createDataset(gw.server)];
      const idempotencyKey = randomUUID();
      await expectAnswer(200, del, `/v1/datasets/${first.id}`, { headers: { 'idempotency-key': idempotencyKey } });
      await expectAnswer(422, del, `/v1/datasets/${second.id}`, { headers: { 'idempotency-key': idempotencyKey } });
      const exploding = await createDataset(gw.server, { type: 'AUDIO' });
      const failed = await expectAnswer(500, del, `/v1/datasets/${exploding.id}`);
      expect(failed.body).toEqual({ success: false, error: 'Internal server error' });
    });

    it('DELETE /imgs/{image_id} and GET /ops/{op_id} (seed 004)', async () => {
      const [del, get] = ['DELETE /imgs/{image_id}', 'GET /ops/{op_id}'] as const;
      const finished = await expectAnswer(200, del, `/imgs/${await createImage()}?wait=true`);
      expect(finished.body).toMatchObject({ method: 'del', resource: 'image', is_finished: true, num_good: 1 });
      const queued = await expectAnswer(202, del, `/imgs/${await createImage()}?urgent=1`);
      const location = queued.headers.get('location')!;
      expect(location).toBe(`/ops/${(queued.body as { id: string }).id}`);
      await expectAnswer(200, get, location);
      await expectAnswer(400, del, '/imgs/abc');
      await expectAnswer(400, del, `/imgs/${await createImage()}?wait=yes`);
      await expectAnswer(404, get, '/ops/op_0000000000000000');
      await expectAnswer(400, get, '/ops/%ZZ');
      const idempotencyKey = randomUUID();
      await expectAnswer(200, del, `/imgs/${await createImage()}?wait=true`, {
        headers: { 'idempotency-key': idempotencyKey },
      });
      await expectAnswer(422, del, `/imgs/${await createImage()}?wait=true`, {
        headers: { 'idempotency-key': idempotencyKey },
      });
    });

    it('DELETE /{company}/{group}/{endpoint} and GET /runs/{id} (seed 001, with a task)', async () => {
      const [run, getRun] = ['DELETE /{company}/{group}/{endpoint}', 'GET /runs/{id}'] as const;
      const withTask = await createEndpoint(true, SELECT_AND_DELETE, [
        { data: { name: 'John' } },
        { data: { name: 'Ann' } },
      ]);
      const ran = await expectAnswer(200, run, `${withTask.url}?Name=John`);
      expect(ran.body).toMatchObject({ Status: 'FinishedSuccess', Result: { deletedCount: 1 } });
      const link = (ran.body as { Link: string }).Link;
      expect((await expectAnswer(200, getRun, link)).body).toMatchObject({ Status: 'FinishedSuccess' });
      await expectAnswer(404, getRun, `/runs/${randomUUID()}`);
      await expectAnswer(400, getRun, '/runs/%ZZ');
      await expectAnswer(400, run, `${withTask.url}?Name=John&Age=old`);
      const failing = await createEndpoint(true, FAILING_TASK);
      const failed = await expectAnswer(422, run, failing.url);
      expect(failed.body).toMatchObject({
        Status: 'FailedConnector',
        Message: ['Step "fail" (FAIL) failed: Attempt failed'],
      });
      await expectAnswer(404, run, (await createEndpoint(true, null)).url);
      await expectAnswer(404, run, '/acme/nowhere/people');
      const off = await expectAnswer(405, run, `${(await createEndpoint(false, SELECT_AND_DELETE)).url}?Name=John`);
      expect(off.headers.get('allow')).not.toBeNull();
      const idempotencyKey = randomUUID();
      await expectAnswer(200, run, `${withTask.url}?Name=Ann`, { headers: { 'idempotency-key': idempotencyKey } });
      await expectAnswer(422, run, `${withTask.url}?Name=Bob`, { headers: { 'idempotency-key': idempotencyKey } });
    });

    it('DELETE /{company}/{group}/{endpoint}/{id} and /all (seed 001, without a task)', async () => {
      const [one, all] = [
        'DELETE /{company}/{group}/{endpoint}/{id}',
        'DELETE /{company}/{group}/{endpoint}/all',
      ] as const;
      const records = await createEndpoint(true, null, [
        { data: { name: 'free' } },
        { data: { name: 'locked' }, locked: true },
        { data: { name: 'other' } },
        { data: { name: 'another' } },
      ]);
      const [free, locked, other, another] = records.ids as [string, string, string, string];
      await expectAnswer(204, one, `${records.url}/${free}`);
      await expectAnswer(404, one, `${records.url}/${free}`);
      await expectAnswer(400, one, `${records.url}/12345`);
      await expectAnswer(409, one, `${records.url}/${locked}`);
      await expectAnswer(409, all, `${records.url}/all`);
      const idempotencyKey = randomUUID();
      await expectAnswer(204, one, `${records.url}/${other}`, { headers: { 'idempotency-key': idempotencyKey } });
      await expectAnswer(422, one, `${records.url}/${another}`, { headers: { 'idempotency-key': idempotencyKey } });

      const unlocked = await createEndpoint(true, null, [{ data: { name: 'a' } }, { data: { name: 'b' } }]);
      // the key is recorded with what the delete-all deleted
      const allKey = randomUUID();
      const deletedAll = await expectAnswer(200, all, `${unlocked.url}/all`, {
        headers: { 'idempotency-key': allKey },
      });
      expect(deletedAll.body).toEqual({ deletedCount: 2 });
      await expectAnswer(422, all, `${records.url}/all`, { headers: { 'idempotency-key': allKey } });
      await expectAnswer(404, all, '/acme/nowhere/people/all');
      await expectAnswer(404, one, `/acme/nowhere/people/${randomUUID()}`);
      const off = await createEndpoint(false, null, [{ data: { name: 'kept' } }]);
      const refused = await expectAnswer(405, one, `${off.url}/${off.ids[0]}`);
      expect(refused.headers.get('allow')).not.toBeNull();
      await expectAnswer(405, all, `${off.url}/all`);
    });

    it('every documented status was answered, but those listed as not provoked', () => {
      const documented = operations(doc).flatMap(({ key, operation: op }) =>
        Object.keys(op.responses).map((status) => `${key} ${status}`),
      );
      for (const pair of Object.keys(NOT_PROVOKED)) expect(documented, 'a listed status is documented').toContain(pair);
      const missing = documented.filter((pair) => !seen.has(pair) && !(pair in NOT_PROVOKED));
      expect(missing).toEqual([]);
    });
  });
});

describe('a route is its documentation: the compiler refuses one that is not (npm run typecheck)', () => {
  const base = { operationId: 'x', tag: 'resources', summary: 'x', scope: 'admin', shape: detailShape } as const;

  it('a path parameter without its description', () => {
    const undocumented = () =>
      // @ts-expect-error: {id} is not documented
      defineRoute({
        ...base,
        method: 'GET',
        path: '/x/{id}',
        responses: { 204: { description: 'No content' } },
        errors: {},
        handle: async () => ({ status: 204 }),
      });
    expect(undocumented).toThrow(/does not document \{id\}/);
  });

  it('a status, a body or a domain error the route does not declare', () => {
    defineRoute({
      ...base,
      method: 'GET',
      path: '/x',
      responses: { 204: { description: 'No content' } },
      errors: {},
      // @ts-expect-error: 200 is not a documented answer
      handle: async () => ({ status: 200 }),
    });
    defineRoute({
      ...base,
      method: 'GET',
      path: '/x',
      responses: { 200: { description: 'Counted', body: bodies.DeletedCount } },
      errors: {},
      // @ts-expect-error: deletedCount is a number
      handle: async () => ({ status: 200, body: { deletedCount: 'two' } }),
    });
    defineRoute({
      ...base,
      method: 'GET',
      path: '/x',
      responses: { 204: { description: 'No content' } },
      errors: { NOT_FOUND: 'never' },
      // @ts-expect-error: INVALID_ID is not among the route's errors
      handle: async () => new InvalidIdError('bad'),
    });
    defineRoute({
      ...base,
      method: 'GET',
      path: '/x',
      responses: { 202: { description: 'Queued', headers: { Location: { description: 'where' } } } },
      errors: {},
      // @ts-expect-error: the documented Location header is missing
      handle: async () => ({ status: 202 }),
    });
  });
});
