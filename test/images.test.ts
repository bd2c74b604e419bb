import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { CreateImagesMutation, ImageEventsQuery, OperationUpdatedSubscription } from './generated/graphql.js';
import { databaseKind, skipDatabase, sqlOnce } from './support/database.js';
import { createKey, createWorkspace, eventLogSettled } from './support/documents.js';
import { useGateway, waitUntil } from './support/fixture.js';
import { gql, gqlOk, subscribeSse, subscribeWs, wsClient } from './support/graphql.js';
import { type RunningServer, startServer } from './support/server.js';

// Seed 004 (Wesog): deleting images is an operation, queued and run by workers; the caller gets
// the operation's status object back (REST: `DELETE /imgs/{image_id}?wait=&urgent=&strict=`,
// `GET /ops/{op_id}`) or follows it live (`operationUpdated`).

const CreateImages = graphql(`
  mutation CreateImages($input: [CreateImageInput!]!) {
    createImages(input: $input) { id name size sha256 contentType createdAt }
  }
`);

const ImageById = graphql(`
  query ImageById($id: ID!) {
    image(id: $id) { id name size }
  }
`);

const DeleteImages = graphql(`
  mutation DeleteImages($ids: [ID!]!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {
    deleteImages(ids: $ids, wait: $wait, urgent: $urgent, strict: $strict) {
      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict
      idleMs execMs createdAt startedAt finishedAt errors { id msg } version
    }
  }
`);

const DeleteImage = graphql(`
  mutation DeleteImage($id: ID!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {
    deleteImage(id: $id, wait: $wait, urgent: $urgent, strict: $strict) { id numTotal numGood numBad errors { id msg } }
  }
`);

const OperationById = graphql(`
  query OperationById($id: ID!) {
    operation(id: $id) {
      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict
      idleMs execMs createdAt startedAt finishedAt errors { id msg } version
    }
  }
`);

const OperationUpdated = graphql(`
  subscription OperationUpdated($id: ID!) {
    operationUpdated(id: $id) { id numTotal numGood numBad isStarted isFinished allGood errors { id msg } version }
  }
`);

const ImageEvents = graphql(`
  query ImageEvents($filter: DeletionEventFilter, $after: String) {
    deletionEvents(first: 500, filter: $filter, after: $after) {
      edges { node { backend kind entityId workspaceId data } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const AfterCommitTasksOfImage = graphql(`
  query AfterCommitTasksOfImage($entityId: ID!) {
    afterCommitTasks(entityId: $entityId, first: 10) { edges { node { kind state backend } } }
  }
`);

type Server = Pick<RunningServer, 'url' | 'origin' | 'adminKey' | 'wsUrl'>;
type OperationState = { id: string; numGood: number; numBad: number; isFinished: boolean; version: number };

/** The seed's operation object, field for field, plus `id`, in this order. */
const REST_FIELDS = [
  'id',
  'method',
  'resource',
  'num_total',
  'num_good',
  'num_bad',
  'is_started',
  'is_finished',
  'all_good',
  'do_wait',
  'do_urgent',
  'do_strict',
  'idle_ms',
  'exec_ms',
  'created_at',
  'started_at',
  'finished_at',
  'errors',
];
const OP_ID = /^op_[A-Za-z0-9]{16}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// A real database failure for one image, not a mock: a trigger refuses to delete images whose
// name starts with 'explode-' (one DO block, as PGlite's protocol wants).
const EXPLODE_ON_DELETE = `
DO $setup$
BEGIN
  EXECUTE $fn$
    CREATE OR REPLACE FUNCTION test_explode_image_delete() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF OLD.name LIKE 'explode-%' THEN RAISE EXCEPTION 'kaboom_7f1d: refused %', OLD.id; END IF;
      RETURN OLD;
    END
    $body$
  $fn$;
  EXECUTE 'DROP TRIGGER IF EXISTS test_explode_image_delete ON image';
  EXECUTE 'CREATE TRIGGER test_explode_image_delete BEFORE DELETE ON image
             FOR EACH ROW EXECUTE FUNCTION test_explode_image_delete()';
END
$setup$`;

/** The REST operation object (or, for an error, `{detail}`). */
interface RestOperation {
  id: string;
  num_total: number;
  num_good: number;
  num_bad: number;
  is_started: boolean;
  is_finished: boolean;
  all_good: boolean | null;
  idle_ms: number | null;
  exec_ms: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  errors: Array<{ id: number; msg: string }>;
  [field: string]: unknown;
}

async function rest(server: Server, method: string, pathAndQuery: string, key: string | null = server.adminKey) {
  const res = await fetch(`${server.origin}${pathAndQuery}`, { method, headers: key ? { 'API-Key': key } : {} });
  return { status: res.status, location: res.headers.get('location'), body: (await res.json()) as RestOperation };
}

async function createImages(server: Server, count: number, prefix = 'img', key = server.adminKey) {
  const input = Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i}` }));
  const { createImages } = await gqlOk(server, CreateImages, { input }, { apiKey: key });
  return createImages.map((i) => i.id);
}

/** Follows the operation over graphql-ws until its stream completes; every state it received. */
async function followToTheEnd(server: Server, id: string) {
  const client = wsClient(server, { apiKey: server.adminKey });
  const sub = subscribeWs(client, OperationUpdated, { id });
  try {
    await waitUntil(
      () => sub.completed || sub.error !== null,
      () => `operation ${id}: ${JSON.stringify(sub.items)}`,
      120_000,
    );
    if (sub.error) throw new Error(JSON.stringify(sub.error));
    return sub.items.map((i) => i.data!.operationUpdated as OperationState & Record<string, unknown>);
  } finally {
    sub.dispose();
    await client.dispose();
  }
}

/** Every IMAGE event of a kind (all pages), once every earlier deletion's event is visible. */
async function imageEvents(server: Server, kind: 'HARD_DELETED' | 'OPERATION_FINISHED', entityId?: string) {
  await eventLogSettled(server);
  const nodes: Array<{
    entityId: string;
    workspaceId: string;
    data: { operationId?: string } & Record<string, unknown>;
  }> = [];
  let after: string | null = null;
  for (;;) {
    const { deletionEvents }: ImageEventsQuery = await gqlOk(server, ImageEvents, {
      filter: { backends: ['IMAGE'], kinds: [kind], ...(entityId ? { entityId } : {}) },
      after,
    });
    nodes.push(...deletionEvents.edges.map((e) => e.node as (typeof nodes)[number]));
    if (!deletionEvents.pageInfo.hasNextPage) return nodes;
    after = deletionEvents.pageInfo.endCursor ?? null;
  }
}

/** Every state a recorded sequence shows: consecutive versions, counters that never go backwards. */
function expectOrderedStates(states: OperationState[]) {
  for (let i = 1; i < states.length; i++) {
    expect(states[i]!.version).toBe(states[i - 1]!.version + 1);
    expect(states[i]!.numGood).toBeGreaterThanOrEqual(states[i - 1]!.numGood);
    expect(states[i]!.numBad).toBeGreaterThanOrEqual(states[i - 1]!.numBad);
  }
  expect(states.filter((s) => s.isFinished)).toHaveLength(1);
  expect(states.at(-1)!.isFinished).toBe(true);
}

const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');

describe.skipIf(skipDatabase())('images (seed 004)', () => {
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-image-blobs-'));
  const gw = useGateway({ env: { BLOB_DIR: blobDir, TEST_STARTUP_SQL: EXPLODE_ON_DELETE } });
  afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

  /** May delete images and nothing else. */
  let deleterKey: string;
  /** May read events only. */
  let eventsKey: string;
  /** An admin and deleter key of a second workspace. */
  let otherKey: string;

  beforeAll(async () => {
    if (skipDatabase()) return;
    deleterKey = await createKey(gw.server, ['images:delete']);
    eventsKey = await createKey(gw.server, ['events:read']);
    otherKey = await createKey(gw.server, ['admin', 'images:delete'], await createWorkspace(gw.server, 'images B'));
  });

  describe('DELETE /imgs/{image_id} and GET /ops/{op_id} answer as the seed shows', () => {
    it('wait=true: 200 with the finished operation, field for field with its types; the image is gone', async () => {
      const [id] = await createImages(gw.server, 1);
      const answer = await rest(gw.server, 'DELETE', `/imgs/${id}?wait=true`, deleterKey);
      expect(answer.status).toBe(200);
      expect(answer.location).toBeNull();
      const op = answer.body;
      expect(Object.keys(op)).toEqual(REST_FIELDS);
      expect(op).toEqual({
        id: expect.stringMatching(OP_ID),
        method: 'del',
        resource: 'image',
        num_total: 1,
        num_good: 1,
        num_bad: 0,
        is_started: true,
        is_finished: true,
        all_good: true,
        do_wait: true,
        do_urgent: false,
        do_strict: false,
        idle_ms: expect.any(Number),
        exec_ms: expect.any(Number),
        created_at: expect.stringMatching(ISO),
        started_at: expect.stringMatching(ISO),
        finished_at: expect.stringMatching(ISO),
        errors: [],
      });
      // measured from the recorded times, never estimated
      expect(op.idle_ms).toBe(Date.parse(op.started_at!) - Date.parse(op.created_at));
      expect(op.exec_ms).toBe(Date.parse(op.finished_at!) - Date.parse(op.started_at!));
      expect(op.idle_ms).toBeGreaterThanOrEqual(0);
      expect(op.exec_ms).toBeGreaterThanOrEqual(0);

      expect((await gqlOk(gw.server, ImageById, { id: id! })).image).toBeNull();
      expect(await rest(gw.server, 'GET', `/ops/${op.id}`, deleterKey)).toEqual({
        status: 200,
        location: null,
        body: op,
      });
      const deleted = await imageEvents(gw.server, 'HARD_DELETED', id);
      expect(deleted).toEqual([
        {
          backend: 'IMAGE',
          kind: 'HARD_DELETED',
          entityId: id,
          workspaceId: expect.stringMatching(/^wks_/),
          data: { imageId: Number(id), name: 'img-0', size: 0, operationId: op.id },
        },
      ]);
      const finished = await imageEvents(gw.server, 'OPERATION_FINISHED', op.id);
      expect(finished.map((e) => e.data)).toEqual([
        {
          operationId: op.id,
          method: 'DEL',
          resource: 'IMAGE',
          numTotal: 1,
          numGood: 1,
          numBad: 0,
          allGood: true,
          doStrict: false,
          doUrgent: false,
        },
      ]);
    });

    it('without wait: 202 with Location /ops/{op_id} and the queued operation; GET /ops follows it to the end', async () => {
      const [id] = await createImages(gw.server, 1);
      const answer = await rest(gw.server, 'DELETE', `/imgs/${id}?urgent=1&strict=0`, deleterKey);
      expect(answer.status).toBe(202);
      expect(answer.location).toBe(`/ops/${answer.body.id}`);
      expect(Object.keys(answer.body)).toEqual(REST_FIELDS);
      expect(answer.body).toMatchObject({ num_total: 1, do_wait: false, do_urgent: true, do_strict: false });
      expect(answer.body.is_finished).toBe(false);
      expect(answer.body.exec_ms).toBeNull();
      expect(answer.body.finished_at).toBeNull();

      const states = await followToTheEnd(gw.server, answer.body.id);
      expect(states.at(-1)).toMatchObject({ numGood: 1, numBad: 0, isFinished: true, allGood: true });
      const later = await rest(gw.server, 'GET', answer.location!, deleterKey);
      expect(later.status).toBe(200);
      expect(later.body).toMatchObject({ id: answer.body.id, is_finished: true, num_good: 1, all_good: true });
    });

    it('an unknown image, and another workspace’s, are element errors: 200 with num_bad 1 and errors[].id a number', async () => {
      const [theirs] = await createImages(gw.server, 1, 'theirs', otherKey);
      for (const id of ['987654321012', theirs!]) {
        const answer = await rest(gw.server, 'DELETE', `/imgs/${id}?wait=true`, deleterKey);
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          num_total: 1,
          num_good: 0,
          num_bad: 1,
          is_finished: true,
          all_good: false,
          errors: [{ id: Number(id), msg: 'Image not found' }],
        });
      }
      expect((await gqlOk(gw.server, ImageById, { id: theirs! }, { apiKey: otherKey })).image?.id).toBe(theirs);
    });

    it.each([['abc'], ['1.5'], ['-1'], ['0'], ['007'], ['1e3'], ['99999999999999999999'], ['%20']])(
      'a non-integer image id (%s) is 400 {"detail"} and queues nothing',
      async (raw) => {
        const answer = await rest(gw.server, 'DELETE', `/imgs/${raw}?wait=true`, deleterKey);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ detail: expect.stringMatching(/^Invalid image ID .*positive integers/) });
      },
    );

    it.each([
      ['wait=yes', 'wait'],
      ['wait=', 'wait'],
      ['urgent=2', 'urgent'],
      ['strict=TRUE', 'strict'],
      ['wait=true&wait=false', 'wait'],
    ])('a query boolean that is not true/false/1/0 (%s) is 400 naming %s; the image stays', async (query, name) => {
      const [id] = await createImages(gw.server, 1);
      const answer = await rest(gw.server, 'DELETE', `/imgs/${id}?${query}`, deleterKey);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ detail: `Query parameter '${name}' must be one of true, false, 1, 0` });
      expect((await gqlOk(gw.server, ImageById, { id: id! })).image?.id).toBe(id);
    });

    it('GET /ops: 404 for an unknown operation and for another workspace’s', async () => {
      const notFound = { status: 404, location: null, body: { detail: 'Operation not found' } };
      expect(await rest(gw.server, 'GET', '/ops/op_0000000000000000', deleterKey)).toEqual(notFound);
      expect(await rest(gw.server, 'GET', '/ops/42', deleterKey)).toEqual(notFound);
      const [theirs] = await createImages(gw.server, 1, 'theirs', otherKey);
      const op = (await rest(gw.server, 'DELETE', `/imgs/${theirs}?wait=true`, otherKey)).body;
      expect(op.num_good).toBe(1);
      expect(await rest(gw.server, 'GET', `/ops/${op.id}`, deleterKey)).toEqual(notFound);
      expect((await rest(gw.server, 'GET', `/ops/${op.id}`, otherKey)).status).toBe(200);
    });

    it('401 without a key, 403 without images:delete; 405 for another method', async () => {
      const [id] = await createImages(gw.server, 1);
      expect(await rest(gw.server, 'DELETE', `/imgs/${id}`, null)).toMatchObject({
        status: 401,
        body: { detail: 'Not authenticated' },
      });
      expect(await rest(gw.server, 'DELETE', `/imgs/${id}`, eventsKey)).toMatchObject({
        status: 403,
        body: { detail: 'This API key lacks the images:delete scope' },
      });
      expect((await rest(gw.server, 'GET', `/imgs/${id}`)).status).toBe(405);
      expect((await gqlOk(gw.server, ImageById, { id: id! })).image?.id).toBe(id);
    });
  });

  describe('strict and best effort', () => {
    it('strict with an unknown id among 1,000: everything rolls back; num_good 0, num_bad 1000, the unknown listed', async () => {
      const ids = await createImages(gw.server, 999, 'strict');
      const unknown = String(Number(ids.at(-1)) + 1_000_000);
      const elements = [...ids.slice(0, 500), unknown, ...ids.slice(500)];
      const { deleteImages: op } = await gqlOk(gw.server, DeleteImages, { ids: elements, wait: true, strict: true });
      expect(op).toMatchObject({
        numTotal: 1000,
        numGood: 0,
        numBad: 1000,
        isFinished: true,
        allGood: false,
        doStrict: true,
        errors: [{ id: unknown, msg: 'Image not found' }],
      });
      // every image is still there: a second strict operation deletes all 999
      const again = await gqlOk(gw.server, DeleteImages, { ids, wait: true, strict: true });
      expect(again.deleteImages).toMatchObject({ numTotal: 999, numGood: 999, numBad: 0, allGood: true, errors: [] });
      // and each image was deleted once: by the second operation
      const events = await imageEvents(gw.server, 'HARD_DELETED', ids[0]);
      expect(events.map((e) => e.data.operationId)).toEqual([again.deleteImages.id]);
    });

    it('best effort: what can be deleted is, the rest are errors in element order', async () => {
      const [a, b] = await createImages(gw.server, 2);
      const [theirs] = await createImages(gw.server, 1, 'theirs', otherKey);
      const { deleteImages: op } = await gqlOk(gw.server, DeleteImages, {
        ids: [a!, '123456789', b!, theirs!],
        wait: true,
      });
      expect(op).toMatchObject({
        numTotal: 4,
        numGood: 2,
        numBad: 2,
        allGood: false,
        errors: [
          { id: '123456789', msg: 'Image not found' },
          { id: theirs, msg: 'Image not found' },
        ],
      });
      for (const id of [a!, b!]) expect((await gqlOk(gw.server, ImageById, { id })).image).toBeNull();
    });

    it('best effort: an image the database refuses to delete fails alone (its message masked); the others are deleted', async () => {
      const [a] = await createImages(gw.server, 1, 'fine');
      const [bad] = await createImages(gw.server, 1, 'explode');
      const [b] = await createImages(gw.server, 1, 'fine');
      const { deleteImages: op } = await gqlOk(gw.server, DeleteImages, { ids: [a!, bad!, b!], wait: true });
      expect(op).toMatchObject({
        numGood: 2,
        numBad: 1,
        errors: [{ id: bad, msg: 'Internal error: the image was not deleted' }],
      });
      expect(JSON.stringify(op)).not.toContain('kaboom');
      expect((await gqlOk(gw.server, ImageById, { id: bad! })).image?.id).toBe(bad);
      expect((await gqlOk(gw.server, ImageById, { id: a! })).image).toBeNull();
    });

    it('20 concurrent DELETE /imgs/{id}?wait=true of one image: exactly one element succeeds in total, one event', async () => {
      const [id] = await createImages(gw.server, 1);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => rest(gw.server, 'DELETE', `/imgs/${id}?wait=true`, deleterKey)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(answers.reduce((n, a) => n + a.body.num_good, 0)).toBe(1);
      expect(answers.filter((a) => a.body.num_bad === 1).map((a) => a.body.errors)).toEqual(
        Array(19).fill([{ id: Number(id), msg: 'Image not found' }]),
      );
      expect(await imageEvents(gw.server, 'HARD_DELETED', id)).toHaveLength(1);
    });

    it('an image’s file is unlinked after commit, before the waiting answer', async () => {
      const content = `pixels:${randomUUID()}`;
      const form = new FormData();
      form.set(
        'operations',
        JSON.stringify({ query: print(CreateImages), variables: { input: [{ name: 'with-file.png', file: null }] } }),
      );
      form.set('map', JSON.stringify({ 0: ['variables.input.0.file'] }));
      form.set('0', new Blob([content], { type: 'image/png' }), 'with-file.png');
      const res = await fetch(gw.server.url, {
        method: 'POST',
        body: form,
        headers: { 'x-api-key': gw.server.adminKey },
      });
      const created = ((await res.json()) as { data: CreateImagesMutation }).data.createImages[0]!;
      expect(created).toMatchObject({ size: content.length, sha256: sha256(content), contentType: 'image/png' });
      const onDisk = () =>
        fs
          .readdirSync(blobDir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && !e.parentPath.includes('.tmp'))
          .filter((e) => sha256(fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')) === sha256(content));
      expect(onDisk()).toHaveLength(1);

      const answer = await rest(gw.server, 'DELETE', `/imgs/${created.id}?wait=true`, deleterKey);
      expect(answer.body).toMatchObject({ num_good: 1, is_finished: true });
      expect(onDisk()).toEqual([]);
      const { afterCommitTasks } = await gqlOk(gw.server, AfterCommitTasksOfImage, { entityId: created.id });
      expect(afterCommitTasks.edges.map((e) => e.node)).toEqual([
        { kind: 'blob.delete', state: 'DONE', backend: 'IMAGE' },
      ]);
      const [event] = await imageEvents(gw.server, 'HARD_DELETED', created.id);
      expect(event!.data).toMatchObject({ size: content.length, name: 'with-file.png' });
    });
  });

  describe('GraphQL', () => {
    it('deleteImage and operation(id) give the same object as REST, in GraphQL names', async () => {
      const [id] = await createImages(gw.server, 1);
      const { deleteImage } = await gqlOk(gw.server, DeleteImage, { id: id!, wait: true }, { apiKey: deleterKey });
      expect(deleteImage).toEqual({ id: expect.stringMatching(OP_ID), numTotal: 1, numGood: 1, numBad: 0, errors: [] });
      const { operation } = await gqlOk(gw.server, OperationById, { id: deleteImage.id }, { apiKey: deleterKey });
      const viaRest = (await rest(gw.server, 'GET', `/ops/${deleteImage.id}`, deleterKey)).body;
      expect(operation).toEqual({
        id: viaRest.id,
        method: 'DEL',
        resource: 'IMAGE',
        numTotal: viaRest.num_total,
        numGood: viaRest.num_good,
        numBad: viaRest.num_bad,
        isStarted: viaRest.is_started,
        isFinished: viaRest.is_finished,
        allGood: viaRest.all_good,
        doWait: viaRest.do_wait,
        doUrgent: viaRest.do_urgent,
        doStrict: viaRest.do_strict,
        idleMs: viaRest.idle_ms,
        execMs: viaRest.exec_ms,
        createdAt: viaRest.created_at,
        startedAt: viaRest.started_at,
        finishedAt: viaRest.finished_at,
        errors: [],
        version: expect.any(Number),
      });
      expect(
        (await gqlOk(gw.server, OperationById, { id: deleteImage.id }, { apiKey: otherKey })).operation,
      ).toBeNull();
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an id that is no image id', { ids: ['1', 'x'] }, 'INVALID_ID'],
      ['an empty list', { ids: [] }, 'VALIDATION_FAILED'],
      ['a repeated id', { ids: ['5', '6', '5'] }, 'VALIDATION_FAILED'],
    ])('deleteImages refuses %s with a typed error and queues nothing', async (_what, variables, code) => {
      const res = await gql(gw.server, DeleteImages, variables as never, { apiKey: deleterKey });
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
    });

    it('createImages assigns increasing positive integer ids and refuses bad names; scopes are enforced', async () => {
      const { createImages } = await gqlOk(gw.server, CreateImages, { input: [{ name: 'x' }, { name: 'y' }] });
      expect(Number(createImages[1]!.id)).toBe(Number(createImages[0]!.id) + 1);
      expect(Number(createImages[0]!.id)).toBeGreaterThan(0);
      const bad = await gql(gw.server, CreateImages, { input: [{ name: 'ok' }, { name: 'a\u0000b' }] });
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
      const empty = await gql(gw.server, CreateImages, { input: [] });
      expect(empty.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
      expect((await gql(gw.server, CreateImages, { input: [{ name: 'z' }] }, { apiKey: deleterKey })).status).toBe(403);
      const del = await gql(gw.server, DeleteImages, { ids: [createImages[0]!.id] }, { apiKey: eventsKey });
      expect(del.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await gqlOk(gw.server, ImageById, { id: createImages[0]!.id })).image?.name).toBe('x');
    });
  });

  describe('operationUpdated', () => {
    it('sends the state at once, then every change with consecutive versions, and completes after the finished state (graphql-ws and SSE)', async () => {
      const ids = await createImages(gw.server, 2_500, 'live');
      const { deleteImages: queued } = await gqlOk(gw.server, DeleteImages, { ids });
      const sse = await subscribeSse(gw.server, print(OperationUpdated), { id: queued.id });
      const ws = await followToTheEnd(gw.server, queued.id);
      expect(await sse.ended).toBeNull();
      const viaSse = sse.events
        .filter((e) => e.event === 'next')
        .map((e) => (e.data as { data: OperationUpdatedSubscription }).data.operationUpdated);
      expect(sse.events.at(-1)!.event).toBe('complete');
      for (const states of [ws, viaSse]) {
        expectOrderedStates(states);
        expect(states.at(-1)).toMatchObject({ numTotal: 2_500, numGood: 2_500, numBad: 0, isFinished: true });
      }
      // The full sequence from version 1: queued, started, one state per batch of 1,000, finished.
      const { operation } = await gqlOk(gw.server, OperationById, { id: queued.id });
      expect(operation!.version).toBe(6);
      const late = await followToTheEnd(gw.server, queued.id);
      expect(late).toEqual([ws.at(-1)]);
    });

    it('another workspace’s operation, or an unknown one, is NOT_FOUND', async () => {
      const [theirs] = await createImages(gw.server, 1, 'theirs', otherKey);
      const op = (await rest(gw.server, 'DELETE', `/imgs/${theirs}?wait=true`, otherKey)).body;
      for (const id of [op.id, 'op_0000000000000000']) {
        const client = wsClient(gw.server, { apiKey: deleterKey });
        const sub = subscribeWs(client, OperationUpdated, { id });
        try {
          const [first] = await sub.next(1);
          expect(first!.data ?? null).toBeNull();
          expect((first!.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe('NOT_FOUND');
        } finally {
          sub.dispose();
          await client.dispose();
        }
      }
    });
  });

  describe('the queue', () => {
    it('wait=true past OPERATION_WAIT_TIMEOUT answers 202 with Location and the operation as it stands, never an error', async () => {
      // No worker anywhere: the operation waits in the queue.
      const idle = await gw.restart({ WORKER_CONCURRENCY: '0', OPERATION_WAIT_TIMEOUT: '300ms' });
      const [id] = await createImages(idle, 1);
      const answer = await rest(idle, 'DELETE', `/imgs/${id}?wait=true`, deleterKey);
      expect(answer.status).toBe(202);
      expect(answer.location).toBe(`/ops/${answer.body.id}`);
      expect(answer.body).toMatchObject({ do_wait: true, is_started: false, is_finished: false, all_good: null });
      expect(answer.body.idle_ms).toBeNull();
      expect(answer.body.started_at).toBeNull();
    });

    it('with one worker: an urgent operation queued after 30 normal ones starts before every one of them; the rest oldest first', async () => {
      const idle = await gw.restart({ WORKER_CONCURRENCY: '0' });
      const ids = await createImages(idle, 31, 'order');
      const normal: string[] = [];
      for (const id of ids.slice(0, 30)) normal.push((await rest(idle, 'DELETE', `/imgs/${id}`, deleterKey)).body.id);
      const urgent = (await rest(idle, 'DELETE', `/imgs/${ids[30]}?urgent=true`, deleterKey)).body.id;

      const one = await gw.restart({ WORKER_CONCURRENCY: '1' });
      const last = await followToTheEnd(one, normal.at(-1)!);
      expect(last.at(-1)!.isFinished).toBe(true);
      const ops = await Promise.all([urgent, ...normal].map(async (op) => (await rest(one, 'GET', `/ops/${op}`)).body));
      for (const op of ops) expect(op).toMatchObject({ is_finished: true, num_good: 1 });
      const [u, ...rest30] = ops;
      // One worker runs one operation at a time: the urgent one finished before the first normal one started.
      for (const n of rest30) expect(Date.parse(u!.finished_at!)).toBeLessThanOrEqual(Date.parse(n!.started_at!));
      for (let i = 1; i < rest30.length; i++) {
        expect(Date.parse(rest30[i - 1]!.finished_at!)).toBeLessThanOrEqual(Date.parse(rest30[i]!.started_at!));
      }
      await gw.restart({ WORKER_CONCURRENCY: '2' });
    });

    it('a worker killed mid-operation: after the lease another instance finishes it; each image deleted exactly once', async () => {
      const ids = await createImages(gw.server, 2_500, 'crash');
      // The first committed step (the first 1,000 images) kills the process, perhaps before it answered.
      const doomed = await gw.restart({ FAILPOINT: 'after-operation-step-commit', INSTANCE_ID: 'doomed' });
      await gql(doomed, DeleteImages, { ids }).catch(() => null);
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });

      // Another instance takes it once the lease (1 s) has expired.
      const rescuer = await gw.restart({ FAILPOINT: '', INSTANCE_ID: 'rescuer', OPERATION_LEASE: '1s' });
      const [first] = await imageEvents(rescuer, 'HARD_DELETED', ids[0]);
      const op = { id: first!.data.operationId as string };
      const states = await followToTheEnd(rescuer, op.id);
      expectOrderedStates(states);
      expect(states[0]!.numGood).toBeGreaterThanOrEqual(1_000);
      expect(states.at(-1)).toMatchObject({ numTotal: 2_500, numGood: 2_500, numBad: 0, errors: [] });

      const deleted = (await imageEvents(rescuer, 'HARD_DELETED')).filter((e) => e.data.operationId === op.id);
      expect(deleted).toHaveLength(2_500);
      expect(new Set(deleted.map((e) => e.entityId))).toEqual(new Set(ids));
      expect(await imageEvents(rescuer, 'OPERATION_FINISHED', op.id)).toHaveLength(1);
      if (gw.db.kind === 'postgres') {
        const history = await sqlOnce<{ version: number; num_good: number; num_bad: number }>(
          gw.db.url,
          'SELECT version, num_good, num_bad FROM operation_change WHERE operation_id = $1 ORDER BY version',
          [op.id],
        );
        expect(history.map((h) => h.version)).toEqual(history.map((_, i) => i + 1));
        expect(history.map((h) => h.num_good)).toEqual([...history.map((h) => h.num_good)].sort((x, y) => x - y));
        expect(history.at(-1)).toMatchObject({ num_good: 2_500, num_bad: 0 });
      }
    }, 180_000);
  });
});

describe.skipIf(skipDatabase() || databaseKind() !== 'postgres')(
  'images on several instances (PostgreSQL only: a PGlite database can be opened by one process alone)',
  () => {
    // A runs no operations (WORKER_CONCURRENCY=0): whatever finishes, B ran.
    const gw = useGateway({ env: { INSTANCE_ID: 'a', WORKER_CONCURRENCY: '0' } });
    let b: RunningServer | null = null;
    afterAll(async () => {
      await b?.stop();
    });

    it('a subscriber on A receives every change B makes, in order; a wait=true on A answers when B finished', async () => {
      const ids = await createImages(gw.server, 2_500, 'remote');
      const { deleteImages: queued } = await gqlOk(gw.server, DeleteImages, { ids });
      const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
      const sub = subscribeWs(client, OperationUpdated, { id: queued.id });
      const sse = await subscribeSse(gw.server, print(OperationUpdated), { id: queued.id });
      try {
        const [first] = await sub.next(1);
        expect(first!.data!.operationUpdated).toMatchObject({ version: 1, isStarted: false, numGood: 0 });
        await sse.waitFor(1);

        const [one] = await createImages(gw.server, 1, 'remote-wait');
        const waiting = rest(gw.server, 'DELETE', `/imgs/${one}?wait=true`);
        b = await startServer({ databaseUrl: gw.db.url, adminKey: gw.server.adminKey, env: { INSTANCE_ID: 'b' } });
        const answer = await waiting;
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ is_finished: true, num_good: 1 });

        await waitUntil(
          () => sub.completed || sub.error !== null,
          () => JSON.stringify(sub.items),
        );
        const states = sub.items.map((i) => i.data!.operationUpdated);
        // queued, started, after each batch of 1,000, finished: each change, none coalesced away
        expect(states.map((s) => [s.version, s.isStarted, s.numGood, s.isFinished])).toEqual([
          [1, false, 0, false],
          [2, true, 0, false],
          [3, true, 1000, false],
          [4, true, 2000, false],
          [5, true, 2500, false],
          [6, true, 2500, true],
        ]);
        expect(await sse.ended).toBeNull();
        const viaSse = sse.events
          .filter((e) => e.event === 'next')
          .map((e) => (e.data as { data: OperationUpdatedSubscription }).data.operationUpdated);
        expect(viaSse).toEqual(states);
      } finally {
        sub.dispose();
        await client.dispose();
        await sse.close();
      }
    }, 120_000);

    it('on shutdown a delete waiting for its operation answers at once: 202 with Location and the operation as it stands', async () => {
      await b?.stop();
      b = null;
      const [id] = await createImages(gw.server, 1, 'shutdown');
      const waiting = rest(gw.server, 'DELETE', `/imgs/${id}?wait=true`);
      // No worker runs anywhere now: the operation stays queued while the request waits (60 s by default).
      await waitUntil(
        async () =>
          (await sqlOnce(gw.db.url, 'SELECT 1 FROM operation WHERE elements = ARRAY[$1]::bigint[]', [id])).length > 0,
        () => 'the operation was not queued',
      );
      gw.server.process.kill('SIGTERM');
      // Answered, not cut when SHUTDOWN_GRACE expires (a cut request would reject here).
      const answer = await waiting;
      expect(answer.status).toBe(202);
      expect(answer.location).toBe(`/ops/${answer.body.id}`);
      expect(answer.body).toMatchObject({ do_wait: true, is_finished: false });
      expect(await gw.server.exited).toEqual({ code: 0, signal: null });
    });
  },
);
