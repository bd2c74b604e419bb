import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { createKey, createWorkspace, eventLogSettled } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { type GraphQLResponse, gql, gqlOk } from './support/graphql.js';

// Seed 002 (DocumentPro): `DELETE /files?request_id=` removes a parsing result with all its data
// and files, irreversibly. The files are real blobs under BLOB_DIR, checked on disk.

const CreateParserResult = graphql(`
  mutation CreateParserResult($input: CreateParserResultInput!) {
    createParserResult(input: $input) { requestId files { name size sha256 contentType } data createdAt }
  }
`);

const ParserResultById = graphql(`
  query ParserResultById($requestId: ID!) {
    parserResult(requestId: $requestId) { requestId files { name size sha256 contentType } data createdAt }
  }
`);

const DeleteParserResult = graphql(`
  mutation DeleteParserResult($requestId: ID!) {
    deleteParserResult(requestId: $requestId) {
      __typename
      ... on DeleteParserResultPayload { success message requestId deletedFiles deletedRows deletedBytes }
      ... on Error { code message }
    }
  }
`);

const ParserResultEvents = graphql(`
  query ParserResultEvents($entityId: ID!) {
    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [PARSER_RESULT] }) {
      edges { node { backend kind entityId workspaceId data } }
    }
  }
`);

const AfterCommitTasksOf = graphql(`
  query AfterCommitTasksOf($entityId: ID!, $state: AfterCommitTaskState) {
    afterCommitTasks(entityId: $entityId, state: $state, first: 50) {
      edges { node { id kind state attempts lastError entityId backend payload createdAt runAt doneAt } }
    }
  }
`);

// A real database failure for the 500 row of the table, not a mock: a trigger refuses to delete
// results whose request id starts with 'explode-' (one DO block, as PGlite's protocol wants).
const SECRET = 'kaboom_2c9e: trigger refused the delete';
const EXPLODE_ON_DELETE = `
DO $setup$
BEGIN
  EXECUTE $fn$
    CREATE OR REPLACE FUNCTION test_explode_parser_result_delete() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF OLD.request_id LIKE 'explode-%' THEN
        RAISE EXCEPTION '${SECRET} of %', OLD.request_id USING ERRCODE = 'P0001';
      END IF;
      RETURN OLD;
    END
    $body$
  $fn$;
  EXECUTE 'DROP TRIGGER IF EXISTS test_explode_parser_result_delete ON parser_result';
  EXECUTE 'CREATE TRIGGER test_explode_parser_result_delete BEFORE DELETE ON parser_result
             FOR EACH ROW EXECUTE FUNCTION test_explode_parser_result_delete()';
END
$setup$`;

const NOT_FOUND = { success: false, error: 'not_found', message: 'Parser result not found' };
const DELETED = { success: true, message: 'File deleted successfully' };
/** MAX_UPLOAD_BYTES of this file's gateway: small, so the limit is easy to pass. */
const MAX_UPLOAD_BYTES = 1024;

interface Upload {
  name: string;
  content: string | Uint8Array<ArrayBuffer>;
  type?: string;
}

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');
const newRequestId = () => `req-${randomUUID()}`;
/** Distinct content, so a file's blob is found on disk by its sha256. */
const uniqueContent = (label: string) => `${label}:${randomUUID()}`;

describe.skipIf(skipDatabase())('parser results (seed 002)', () => {
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-blobs-'));
  const gw = useGateway({
    env: { BLOB_DIR: blobDir, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), TEST_STARTUP_SQL: EXPLODE_ON_DELETE },
  });
  afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

  /** A key of the default workspace without parser-results:delete. */
  let eventsOnlyKey: string;
  /** A key of the default workspace that may delete results, and nothing else. */
  let deleterKey: string;
  /** An admin key of a second workspace. */
  let otherWorkspaceKey: string;

  beforeAll(async () => {
    if (skipDatabase()) return;
    eventsOnlyKey = await createKey(gw.server, ['events:read']);
    deleterKey = await createKey(gw.server, ['parser-results:delete']);
    const other = await createWorkspace(gw.server, 'parser results B');
    otherWorkspaceKey = await createKey(gw.server, ['admin', 'parser-results:delete', 'events:read'], other);
  });

  // ---- helpers ---------------------------------------------------------------------------

  async function rest(method: string, pathAndQuery: string, headers: Record<string, string> = {}, origin?: string) {
    const res = await fetch(`${origin ?? gw.server.origin}${pathAndQuery}`, { method, headers });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), body: JSON.parse(text) as unknown };
  }

  const apiKey = (key: string = gw.server.adminKey) => ({ 'x-api-key': key });
  const files = (requestId: string) => `/files?request_id=${encodeURIComponent(requestId)}`;

  /** The GraphQL multipart request spec: `operations`, a `map` from part names to variable paths, the file parts. */
  function multipart(uploads: Upload[], input: { requestId?: string; data: unknown }) {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: print(CreateParserResult),
        variables: { input: { ...input, files: uploads.map(() => null) } },
      }),
    );
    form.set(
      'map',
      JSON.stringify(Object.fromEntries(uploads.map((_, i) => [String(i), [`variables.input.files.${i}`]]))),
    );
    for (const [i, u] of uploads.entries()) form.set(String(i), new Blob([u.content], { type: u.type ?? '' }), u.name);
    return form;
  }

  type CreateResponse = GraphQLResponse<{ createParserResult: { requestId: string } & Record<string, unknown> }>;

  async function upload(uploads: Upload[], input: { requestId?: string; data: unknown }, key = gw.server.adminKey) {
    const res = await fetch(gw.server.url, { method: 'POST', body: multipart(uploads, input), headers: apiKey(key) });
    return { status: res.status, body: (await res.json()) as CreateResponse['body'] };
  }

  async function create(uploads: Upload[], data: unknown, requestId = newRequestId(), key = gw.server.adminKey) {
    const res = await upload(uploads, { requestId, data }, key);
    if (res.status !== 200 || res.body.errors?.length) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
    return res.body.data!.createParserResult;
  }

  /** Every blob file under BLOB_DIR: its key (relative path) and the sha256 of its bytes. */
  function blobsOnDisk(): Map<string, string> {
    const found = new Map<string, string>();
    for (const fanOut of fs.readdirSync(blobDir, { withFileTypes: true })) {
      if (!fanOut.isDirectory() || fanOut.name === '.tmp') continue;
      for (const entry of fs.readdirSync(path.join(blobDir, fanOut.name), { withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const key = `${fanOut.name}/${entry.name}`;
        found.set(key, sha256(fs.readFileSync(path.join(blobDir, key))));
      }
    }
    return found;
  }

  const blobKeysOf = (contents: Array<string | Uint8Array>) => {
    const wanted = new Set(contents.map(sha256));
    return [...blobsOnDisk()].filter(([, hash]) => wanted.has(hash)).map(([key]) => key);
  };

  async function eventsOf(requestId: string, key = gw.server.adminKey) {
    await eventLogSettled(gw.server);
    const { deletionEvents } = await gqlOk(gw.server, ParserResultEvents, { entityId: requestId }, { apiKey: key });
    return deletionEvents.edges.map((e) => e.node);
  }

  const readBack = async (requestId: string, key = gw.server.adminKey) =>
    (await gqlOk(gw.server, ParserResultById, { requestId }, { apiKey: key })).parserResult;

  // ---- the seed's table, through REST ----------------------------------------------------

  describe('DELETE /files?request_id= answers as the seed shows', () => {
    it('200 {"success":true,"message":"File deleted successfully"}: the result, its rows and its files are gone', async () => {
      const contents = [uniqueContent('a'), uniqueContent('b')];
      const r = await create(
        contents.map((content, i) => ({ name: `page-${i}.pdf`, content, type: 'application/pdf' })),
        { pages: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] },
      );
      expect(blobKeysOf(contents)).toHaveLength(2);

      const answer = await rest('DELETE', files(r.requestId), apiKey());
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual(DELETED);

      expect(blobKeysOf(contents)).toEqual([]);
      expect(await readBack(r.requestId)).toBeNull();
      expect(await rest('GET', files(r.requestId), apiKey())).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await eventsOf(r.requestId)).toEqual([
        {
          backend: 'PARSER_RESULT',
          kind: 'HARD_DELETED',
          entityId: r.requestId,
          workspaceId: expect.stringMatching(/^wks_/),
          data: { requestId: r.requestId, rows: 3, files: 2, bytes: contents.join('').length },
        },
      ]);
    });

    it.each([
      ['missing', '/files'],
      ['empty', '/files?request_id='],
    ])('400 invalid_request when request_id is %s', async (_what, pathAndQuery) => {
      const answer = await rest('DELETE', pathAndQuery, apiKey());
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual({
        success: false,
        error: 'invalid_request',
        message: "Query parameter 'request_id' is required",
      });
    });

    it('401 unauthorized without a key and with an unknown key; nothing is deleted', async () => {
      const r = await create([{ name: 'keep.txt', content: uniqueContent('keep') }], { rows: [1] });
      const missing = await rest('DELETE', files(r.requestId));
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ success: false, error: 'unauthorized', message: 'Not authenticated' });
      const unknown = await rest('DELETE', files(r.requestId), apiKey('dgw_this_key_was_never_issued_0000000000'));
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({ success: false, error: 'unauthorized', message: 'Invalid API key' });
      expect((await readBack(r.requestId))?.requestId).toBe(r.requestId);
    });

    it('403 forbidden for a key without parser-results:delete; nothing is deleted', async () => {
      const r = await create([{ name: 'keep.txt', content: uniqueContent('keep') }], { rows: [1] });
      const answer = await rest('DELETE', files(r.requestId), apiKey(eventsOnlyKey));
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        success: false,
        error: 'forbidden',
        message: 'This API key lacks the parser-results:delete scope',
      });
      expect((await readBack(r.requestId))?.requestId).toBe(r.requestId);
    });

    it('404 not_found for an unknown request id, one already deleted, and another workspace’s', async () => {
      expect(await rest('DELETE', files(newRequestId()), apiKey())).toMatchObject({ status: 404, body: NOT_FOUND });
      // ids no result can have (a NUL byte, too long) are unknown too, never a 500
      for (const id of ['a\u0000b', 'x'.repeat(300)]) {
        expect(await rest('DELETE', files(id), apiKey())).toMatchObject({ status: 404, body: NOT_FOUND });
      }

      const r = await create([], { rows: [] });
      expect(await rest('DELETE', files(r.requestId), apiKey(deleterKey))).toMatchObject({
        status: 200,
        body: DELETED,
      });
      expect(await rest('DELETE', files(r.requestId), apiKey(deleterKey))).toMatchObject({
        status: 404,
        body: NOT_FOUND,
      });

      // The same request id in two workspaces: two results; deleting through A never touches B's.
      const shared = newRequestId();
      const content = uniqueContent('theirs');
      await create([{ name: 'theirs.txt', content }], { owner: 'B' }, shared, otherWorkspaceKey);
      expect(await rest('DELETE', files(shared), apiKey())).toMatchObject({ status: 404, body: NOT_FOUND });
      expect((await readBack(shared, otherWorkspaceKey))?.data).toEqual({ owner: 'B' });
      expect(blobKeysOf([content])).toHaveLength(1);
      expect(await eventsOf(shared, otherWorkspaceKey)).toEqual([]);
    });

    it('500 internal_error when the database fails: masked, and nothing is deleted', async () => {
      const content = uniqueContent('explode');
      const r = await create([{ name: 'e.txt', content }], { rows: [1] }, `explode-${randomUUID()}`);
      const answer = await rest('DELETE', files(r.requestId), apiKey());
      expect(answer.status).toBe(500);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual({ success: false, error: 'internal_error', message: 'Internal server error' });
      expect(JSON.stringify(answer.body)).not.toContain('kaboom');
      expect((await rest('GET', files(r.requestId), apiKey())).status).toBe(200);
      expect(blobKeysOf([content])).toHaveLength(1);
      expect(await eventsOf(r.requestId)).toEqual([]);
    });

    it('GET /files answers the result before the deletion and 404 after', async () => {
      const content = uniqueContent('get');
      const data = { document: 'a.pdf', fields: [{ name: 'total', value: 3 }] };
      const r = await create([{ name: 'a.pdf', content, type: 'application/pdf' }], data);
      const before = await rest('GET', files(r.requestId), apiKey(deleterKey));
      expect(before.status).toBe(200);
      expect(before.body).toEqual({
        success: true,
        data: {
          requestId: r.requestId,
          files: [{ name: 'a.pdf', size: content.length, sha256: sha256(content), contentType: 'application/pdf' }],
          data,
        },
      });
      expect((await rest('GET', files(r.requestId), apiKey(eventsOnlyKey))).status).toBe(403);
      expect(await rest('DELETE', files(r.requestId), apiKey(deleterKey))).toMatchObject({ status: 200 });
      expect(await rest('GET', files(r.requestId), apiKey(deleterKey))).toMatchObject({ status: 404, body: NOT_FOUND });
    });

    it('405 with an Allow header for another method on /files', async () => {
      const res = await fetch(`${gw.server.origin}/files?request_id=x`, { method: 'PUT', headers: apiKey() });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('DELETE, GET');
      expect(await res.json()).toEqual({ success: false, error: 'method_not_allowed', message: 'Method Not Allowed' });
    });
  });

  // ---- GraphQL ---------------------------------------------------------------------------

  describe('GraphQL', () => {
    it('createParserResult stores multipart files and data; parserResult reads them back', async () => {
      const pdf = randomBytes(700);
      const text = uniqueContent('notes');
      const data = {
        document: 'invoice.pdf',
        pages: [{ number: 1, text: 'Invoice' }, { number: 2 }],
        tables: [[['a', 'b']], [['c']]],
        confidence: 0.97,
      };
      const created = await create(
        [
          { name: 'invoice.pdf', content: pdf, type: 'application/pdf' },
          { name: 'notes.txt', content: text, type: 'text/plain' },
        ],
        data,
      );
      const expectedFiles = [
        { name: 'invoice.pdf', size: 700, sha256: sha256(pdf), contentType: 'application/pdf' },
        { name: 'notes.txt', size: text.length, sha256: sha256(text), contentType: 'text/plain' },
      ];
      expect(created).toMatchObject({ files: expectedFiles, data });

      const stored = await readBack(created.requestId);
      expect(stored).toEqual({
        requestId: created.requestId,
        files: expectedFiles,
        data,
        createdAt: created.createdAt,
      });
      // key order too: data reads back as it was given
      expect(JSON.stringify(stored?.data)).toBe(JSON.stringify(data));
      expect(blobKeysOf([pdf, text])).toHaveLength(2);
    });

    it('a request id is generated when none is given: pr_ + 16 url-safe characters', async () => {
      const res = await upload([], { data: [1, 2, 3] });
      expect(res.body.data?.createParserResult.requestId).toMatch(/^pr_[A-Za-z0-9]{16}$/);
    });

    it('a request id already taken is a CONFLICT and stores nothing', async () => {
      const r = await create([], { first: true });
      const content = uniqueContent('second');
      const res = await upload([{ name: 'x', content }], { requestId: r.requestId, data: { first: false } });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect((await readBack(r.requestId))?.data).toEqual({ first: true });
      expect(blobKeysOf([content])).toEqual([]);
    });

    it('concurrent creates of one request id: one wins, the others leave no blob behind', async () => {
      const requestId = newRequestId();
      const contents = Array.from({ length: 6 }, (_, i) => [uniqueContent(`c${i}a`), uniqueContent(`c${i}b`)]);
      const outcomes = await Promise.all(
        contents.map((pair, i) =>
          upload(
            pair.map((content, j) => ({ name: `${i}-${j}`, content })),
            { requestId, data: { attempt: i } },
          ),
        ),
      );
      const winners = outcomes.flatMap((o, i) => (o.body.data?.createParserResult ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(outcomes.filter((o) => o.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(5);
      expect(blobKeysOf(contents.flat())).toHaveLength(2);
      expect(blobKeysOf(contents[winners[0]!]!)).toHaveLength(2);
    });

    it('deleteParserResult answers the payload, then NotFoundError; the files are gone from disk; one HARD_DELETED event', async () => {
      const contents = [uniqueContent('x'), uniqueContent('y'), uniqueContent('z')];
      const r = await create(
        contents.map((content, i) => ({ name: `f${i}`, content })),
        { rows: [{ a: 1 }, { a: 2 }], meta: { source: 'scan' } },
      );
      const { deleteParserResult } = await gqlOk(gw.server, DeleteParserResult, { requestId: r.requestId });
      const bytes = contents.join('').length;
      expect(deleteParserResult).toEqual({
        __typename: 'DeleteParserResultPayload',
        success: true,
        message: 'File deleted successfully',
        requestId: r.requestId,
        deletedFiles: 3,
        deletedRows: 2,
        deletedBytes: bytes,
      });
      // the answer comes after the unlink
      expect(blobKeysOf(contents)).toEqual([]);
      expect(await readBack(r.requestId)).toBeNull();

      const again = await gqlOk(gw.server, DeleteParserResult, { requestId: r.requestId });
      expect(again.deleteParserResult).toEqual({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        message: 'Parser result not found',
      });
      const events = await eventsOf(r.requestId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        backend: 'PARSER_RESULT',
        kind: 'HARD_DELETED',
        data: { requestId: r.requestId, rows: 2, files: 3, bytes },
      });
      const { afterCommitTasks } = await gqlOk(gw.server, AfterCommitTasksOf, { entityId: r.requestId });
      expect(afterCommitTasks.edges.map((e) => [e.node.kind, e.node.state, e.node.backend])).toEqual([
        ['blob.delete', 'DONE', 'PARSER_RESULT'],
        ['blob.delete', 'DONE', 'PARSER_RESULT'],
        ['blob.delete', 'DONE', 'PARSER_RESULT'],
      ]);
    });

    it('deleteParserResult needs parser-results:delete; createParserResult needs admin', async () => {
      const r = await create([], { x: 1 });
      const del = await gql(gw.server, DeleteParserResult, { requestId: r.requestId }, { apiKey: eventsOnlyKey });
      expect(del.status).toBe(403);
      expect(del.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const made = await upload([], { data: {} }, deleterKey);
      expect(made.status).toBe(403);
      expect((await readBack(r.requestId))?.requestId).toBe(r.requestId);
    });
  });

  it('20 concurrent DELETE /files of one result: exactly one 200, nineteen 404, one event', async () => {
    const contents = [uniqueContent('race-1'), uniqueContent('race-2')];
    const r = await create(
      contents.map((content, i) => ({ name: `r${i}`, content })),
      { rows: [1, 2, 3] },
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => rest('DELETE', files(r.requestId), apiKey(deleterKey))),
    );
    expect(answers.filter((a) => a.status === 200).map((a) => a.body)).toEqual([DELETED]);
    expect(answers.filter((a) => a.status === 404).map((a) => a.body)).toEqual(Array(19).fill(NOT_FOUND));
    expect(await eventsOf(r.requestId)).toHaveLength(1);
    expect(blobKeysOf(contents)).toEqual([]);
  });

  // ---- bad input -------------------------------------------------------------------------

  describe('bad input', () => {
    it('names such as ../../x or with a NUL byte are metadata only: blobs stay under BLOB_DIR with random keys', async () => {
      const contents = [uniqueContent('dots'), uniqueContent('nul'), uniqueContent('backslash')];
      const r = await create(
        [
          { name: '../../x', content: contents[0]! },
          { name: 'a\u0000b.pdf', content: contents[1]! },
          { name: '..\\..\\y', content: contents[2]! },
        ],
        { unsafe: true },
      );
      // The multipart parser keeps only the last segment of a name; a NUL byte is kept as given.
      const stored = await readBack(r.requestId);
      expect(stored?.files.map((f) => f.name)).toEqual(['x', 'a\u0000b.pdf', 'y']);
      expect(stored?.files.map((f) => f.sha256)).toEqual(contents.map(sha256));

      for (const key of blobsOnDisk().keys()) expect(key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{30}$/);
      expect(blobKeysOf(contents)).toHaveLength(3);
      for (const name of ['x', 'y', 'a\u0000b.pdf']) {
        for (const dir of [blobDir, path.dirname(blobDir), path.dirname(path.dirname(blobDir))]) {
          expect(fs.existsSync(path.join(dir, name.replace('\u0000', '')))).toBe(false);
        }
      }
      expect(fs.readdirSync(path.join(blobDir, '.tmp'))).toEqual([]);
      expect(await rest('DELETE', files(r.requestId), apiKey())).toMatchObject({ status: 200 });
      expect(blobKeysOf(contents)).toEqual([]);
    });

    it(`a file over MAX_UPLOAD_BYTES (${MAX_UPLOAD_BYTES}) is refused with 413 and nothing is stored; exactly the limit is accepted`, async () => {
      const before = blobsOnDisk().size;
      const requestId = newRequestId();
      const res = await upload(
        [
          { name: 'small', content: uniqueContent('small') },
          { name: 'big', content: 'x'.repeat(MAX_UPLOAD_BYTES + 1) },
        ],
        { requestId, data: {} },
      );
      expect(res.status).toBe(413);
      expect(res.body.errors).toEqual([
        {
          message: `An uploaded file is larger than ${MAX_UPLOAD_BYTES} bytes (MAX_UPLOAD_BYTES)`,
          extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' },
        },
      ]);
      expect(blobsOnDisk().size).toBe(before);
      expect(await readBack(requestId)).toBeNull();

      const exact = await create([{ name: 'exact', content: 'x'.repeat(MAX_UPLOAD_BYTES) }], {});
      expect(exact.files).toEqual([expect.objectContaining({ size: MAX_UPLOAD_BYTES })]);
    });

    it('more files than MAX_UPLOAD_FILES (200) are refused with 413 and nothing is stored', async () => {
      const before = blobsOnDisk().size;
      const requestId = newRequestId();
      const res = await upload(
        Array.from({ length: 201 }, (_, i) => ({ name: `f${i}`, content: `${i}` })),
        { requestId, data: {} },
      );
      expect(res.status).toBe(413);
      expect(res.body.errors?.[0]?.message).toBe('A request may carry at most 200 files (MAX_UPLOAD_FILES)');
      expect(blobsOnDisk().size).toBe(before);
      expect(await readBack(requestId)).toBeNull();
    });

    it.each<[string, () => { body: BodyInit; headers?: Record<string, string> }, RegExp]>([
      ['no operations field', () => ({ body: form({ map: '{}' }) }), /"operations" is missing/],
      ['operations that are not JSON', () => ({ body: form({ operations: '{nope' }) }), /"operations" must be/],
      ['a map that is an array', () => ({ body: form({ operations: createOps(), map: '[1]' }) }), /"map" must be/],
      [
        'a map whose paths are not a list',
        () => ({ body: form({ operations: createOps(), map: '{"0":"variables.input.files.0"}' }) }),
        /"map" must give part "0"/,
      ],
      [
        'a map naming a part that is no file',
        () => ({ body: form({ operations: createOps(), map: '{"0":["variables.input.files.0"]}', 0: 'text' }) }),
        /not a file part/,
      ],
      [
        'a map writing outside the variables',
        () => ({ body: form({ operations: createOps(), map: '{"0":["query"]}' }, true) }),
        /"variables\." paths/,
      ],
      [
        'a body that is not multipart at all',
        () => ({ body: 'this is not multipart', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } }),
        /could not be read/,
      ],
      ['no boundary', () => ({ body: 'x', headers: { 'content-type': 'multipart/form-data' } }), /could not be read/],
      [
        // the part check needs the boundary; without it busboy met the part below and stalled (fuzzer)
        'an empty boundary',
        () => ({
          body: `--\r\nContent-Dispositio: form-data; name="operations"\r\n\r\n${'A'.repeat(20_000)}\r\n----\r\n`,
          headers: { 'content-type': 'multipart/form-data; boundary=' },
        }),
        /^The multipart body could not be read: its Content-Type has no boundary$/,
      ],
      [
        // busboy skips such a part, and stalls for good on one past its 16 KB buffer: the request hung (fuzzer)
        'a part of 20 KB without Content-Disposition',
        () => ({
          body: `--xyz\r\nContent-Dispositio: form-data; name="operations"\r\n\r\n${'A'.repeat(20_000)}\r\n--xyz--\r\n`,
          headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        }),
        /^Multipart part 1 has no Content-Disposition header$/,
      ],
      [
        'a part of 20 KB that is not form-data',
        () => ({
          body: `--xyz\r\nContent-Disposition: attachment; name="x"\r\n\r\n${'A'.repeat(20_000)}\r\n--xyz--\r\n`,
          headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        }),
        /^Multipart part 1 is not Content-Disposition: form-data$/,
      ],
      [
        'a body cut off in the middle',
        () => ({
          body: '--xyz\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{__typename}"}',
          headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        }),
        /could not be read/,
      ],
    ])('a malformed multipart body (%s) answers 400, never 500', async (_what, request, message) => {
      const { body, headers } = request();
      const res = await fetch(gw.server.url, { method: 'POST', body, headers: { ...apiKey(), ...headers } });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as GraphQLResponse<unknown>['body'];
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(answer.errors?.[0]?.message).toMatch(message);
      // in our words, never the multipart parser's (found by the fuzzer)
      expect(answer.errors?.[0]?.message).not.toMatch(/Unexpected end|Malformed part|Boundary not found/i);
    });

    it('a File variable given as JSON text answers 400; a body of another content type 415', async () => {
      const res = await gql(gw.server, CreateParserResult, {
        input: { requestId: newRequestId(), data: {}, files: ['/etc/passwd'] as never },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.message).toMatch(/A File variable takes a file part of a multipart request/);
      const other = await fetch(gw.server.url, {
        method: 'POST',
        body: 'x',
        headers: { ...apiKey(), 'content-type': 'text/plain' },
      });
      expect(other.status).toBe(415);
    });

    function createOps() {
      return JSON.stringify({
        query: print(CreateParserResult),
        variables: { input: { requestId: newRequestId(), data: {}, files: [null] } },
      });
    }

    function form(fields: Record<string, string>, withFile = false) {
      const f = new FormData();
      for (const [name, value] of Object.entries(fields)) f.set(name, value);
      if (withFile) f.set('0', new Blob(['x']), 'x.txt');
      return f;
    }
  });

  // ---- crash, failure, scale -------------------------------------------------------------

  it('a server killed after the deletion committed but before the unlink removes the files at the next start; exactly one event', async () => {
    const contents = [uniqueContent('crash-1'), uniqueContent('crash-2')];
    const r = await create(
      contents.map((content, i) => ({ name: `c${i}`, content })),
      { rows: [1] },
    );
    const crashing = await gw.restart({ FAILPOINT: 'after-parser-result-delete-commit' });
    await expect(rest('DELETE', files(r.requestId), apiKey(), crashing.origin)).rejects.toThrow();
    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The crash happened at that exact point: committed, files still on disk.
    expect(blobKeysOf(contents)).toHaveLength(2);

    // The after-commit worker finishes what the crash left before the server serves.
    await gw.restart({ FAILPOINT: '' });
    expect(blobKeysOf(contents)).toEqual([]);
    expect(await readBack(r.requestId)).toBeNull();
    expect(await rest('GET', files(r.requestId), apiKey())).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await rest('DELETE', files(r.requestId), apiKey())).toMatchObject({ status: 404, body: NOT_FOUND });
    const events = await eventsOf(r.requestId);
    expect(events.map((e) => e.data)).toEqual([
      { requestId: r.requestId, rows: 1, files: 2, bytes: expect.any(Number) },
    ]);
    const { afterCommitTasks } = await gqlOk(gw.server, AfterCommitTasksOf, { entityId: r.requestId });
    expect(afterCommitTasks.edges.map((e) => e.node.state)).toEqual(['DONE', 'DONE']);
  });

  it('an unlink that fails answers 200 all the same, the data stays gone, and the worker finishes it once it can', async () => {
    const contents = [uniqueContent('stuck'), uniqueContent('fine')];
    const r = await create(
      contents.map((content, i) => ({ name: `s${i}`, content })),
      { rows: [1, 2] },
    );
    const [stuckKey] = blobKeysOf([contents[0]!]);
    // A non-empty directory where the blob file was: unlink fails with EISDIR.
    const stuckPath = path.join(blobDir, stuckKey!);
    fs.rmSync(stuckPath);
    fs.mkdirSync(stuckPath);
    fs.writeFileSync(path.join(stuckPath, 'keep'), 'x');

    expect(await rest('DELETE', files(r.requestId), apiKey())).toMatchObject({ status: 200, body: DELETED });
    expect(await readBack(r.requestId)).toBeNull();
    expect(blobKeysOf([contents[1]!])).toEqual([]);

    const pending = (await gqlOk(gw.server, AfterCommitTasksOf, { entityId: r.requestId, state: 'PENDING' }))
      .afterCommitTasks.edges;
    expect(pending).toHaveLength(1);
    expect(pending[0]!.node).toMatchObject({
      kind: 'blob.delete',
      state: 'PENDING',
      backend: 'PARSER_RESULT',
      payload: { key: stuckKey },
      lastError: expect.stringMatching(/EISDIR|directory/),
    });
    expect(pending[0]!.node.attempts).toBeGreaterThanOrEqual(1);
    expect(await rest('GET', files(r.requestId), apiKey())).toMatchObject({ status: 404 });

    fs.rmSync(stuckPath, { recursive: true });
    await expect
      .poll(
        async () =>
          (await gqlOk(gw.server, AfterCommitTasksOf, { entityId: r.requestId })).afterCommitTasks.edges.map(
            (e) => e.node.state,
          ),
        { timeout: 60_000, interval: 250 },
      )
      .toEqual(['DONE', 'DONE']);
    expect(await eventsOf(r.requestId)).toHaveLength(1);
  });

  it('the blob sweep removes blobs no row references, and keeps referenced ones however old', async () => {
    const content = uniqueContent('referenced');
    const r = await create([{ name: 'kept', content }], {});
    const [referenced] = blobKeysOf([content]);
    const strayKey = `ab/${randomBytes(15).toString('hex')}`;
    fs.mkdirSync(path.join(blobDir, 'ab'), { recursive: true });
    fs.writeFileSync(path.join(blobDir, strayKey), 'left behind by a crash between upload and commit');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    for (const key of [strayKey, referenced!]) fs.utimesSync(path.join(blobDir, key), twoHoursAgo, twoHoursAgo);

    // The sweep runs at start, then every BLOB_SWEEP_INTERVAL; blobs younger than BLOB_SWEEP_MIN_AGE (1h) stay.
    await gw.restart();
    await expect.poll(() => fs.existsSync(path.join(blobDir, strayKey)), { timeout: 30_000 }).toBe(false);
    expect(fs.existsSync(path.join(blobDir, referenced!))).toBe(true);
    expect((await readBack(r.requestId))?.files).toHaveLength(1);
  });

  it('a result of 10,000 rows and 200 files is deleted in one transaction: one event, every row and file gone', async () => {
    const pages = Array.from({ length: 10_000 }, (_, i) => ({ i, text: `row ${i}` }));
    const contents = Array.from({ length: 200 }, (_, i) => `${i}:${randomBytes(4).toString('hex')}`);
    const r = await create(
      contents.map((content, i) => ({ name: `page-${i}.png`, content, type: 'image/png' })),
      { document: 'big.pdf', pages },
    );
    const stored = await readBack(r.requestId);
    expect((stored!.data as { pages: unknown[] }).pages).toEqual(pages);
    expect(stored?.files).toHaveLength(200);
    expect(blobKeysOf(contents)).toHaveLength(200);

    const { deleteParserResult } = await gqlOk(gw.server, DeleteParserResult, { requestId: r.requestId });
    expect(deleteParserResult).toMatchObject({ deletedRows: 10_000, deletedFiles: 200 });
    expect(blobKeysOf(contents)).toEqual([]);
    expect(await readBack(r.requestId)).toBeNull();
    const events = await eventsOf(r.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      requestId: r.requestId,
      rows: 10_000,
      files: 200,
      bytes: contents.join('').length,
    });
    if (gw.db.kind === 'postgres') {
      const left = await gw.db.sql<{ rows: string; files: string }>(
        `SELECT (SELECT count(*) FROM parser_result_row WHERE request_id = $1) AS rows,
                (SELECT count(*) FROM parser_file WHERE request_id = $1) AS files`,
        [r.requestId],
      );
      expect(left).toEqual([{ rows: '0', files: '0' }]);
    }
  }, 180_000);
});
