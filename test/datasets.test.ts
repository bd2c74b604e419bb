import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { DatasetListQuery } from './generated/graphql.js';
import { skipDatabase } from './support/database.js';
import { type CreateDatasetOptions, createDataset as createDatasetIn } from './support/datasets.js';
import { createKey, createWorkspace, eventLogSettled } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';

// Seed 003 (Subworkflow): `DELETE /v1/datasets/{id}` marks a dataset for deletion by setting its
// expiry to now; the scheduled purge removes it later (test/dataset-purge.test.ts).

const DatasetById = graphql(`
  query DatasetById($id: ID!) {
    dataset(id: $id) { id workspaceId type fileName fileExt fileSize itemCount mimeType createdAt updatedAt expiresAt
      markedForDeletion purgeAt share { url token expiresAt } }
  }
`);

const DatasetList = graphql(`
  query DatasetList($first: Int, $after: String, $showExpired: Boolean) {
    datasets(first: $first, after: $after, showExpired: $showExpired) {
      edges { cursor node { id markedForDeletion } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const DeleteDataset = graphql(`
  mutation DeleteDatasetOutcome($id: ID!) {
    deleteDataset(id: $id) {
      __typename
      ... on DeleteDatasetPayload { success total data { id expiresAt markedForDeletion updatedAt } }
      ... on Error { code message }
    }
  }
`);

const RestoreDataset = graphql(`
  mutation RestoreDatasetOutcome($id: ID!, $expiresAt: DateTime) {
    restoreDataset(id: $id, expiresAt: $expiresAt) {
      __typename
      ... on Dataset { id expiresAt markedForDeletion purgeAt }
      ... on ValidationError { field }
      ... on Error { code message }
    }
  }
`);

const NextPurgeAt = graphql(`
  query NextPurgeAt { nextPurgeAt }
`);

const Purge = graphql(`
  mutation PurgeNow { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }
`);

const DatasetEvents = graphql(`
  query DatasetEvents($entityId: ID!) {
    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [DATASET] }) {
      edges { node { backend kind entityId workspaceId data } }
    }
  }
`);

/** Far away (next in 2028), so nothing is purged behind a test's back, and known in advance. */
const PURGE_CRON = '0 3 29 2 *';
const NEXT_PURGE = '2028-02-29T03:00:00.000Z';
const SEED_FIELDS = [
  'id',
  'workspaceId',
  'type',
  'fileName',
  'fileExt',
  'fileSize',
  'itemCount',
  'mimeType',
  'createdAt',
  'updatedAt',
  'expiresAt',
  'share',
];

/** The seed's answer: `data` on success, `error` otherwise. */
interface SeedBody {
  success: boolean;
  total?: number;
  error?: string;
  data: {
    id: string;
    workspaceId: string;
    fileSize: number;
    createdAt: number;
    updatedAt: number | null;
    expiresAt: number | null;
    share: { url: string; token: string; expiresAt: number | null } | null;
  } & Record<string, unknown>;
}

describe.skipIf(skipDatabase())('datasets (seed 003)', () => {
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-datasets-'));
  const gw = useGateway({ env: { BLOB_DIR: blobDir, PURGE_CRON } });
  afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

  let deleterKey: string;
  let eventsOnlyKey: string;
  let otherWorkspaceKey: string;

  beforeAll(async () => {
    if (skipDatabase()) return;
    deleterKey = await createKey(gw.server, ['datasets:delete']);
    eventsOnlyKey = await createKey(gw.server, ['events:read']);
    const other = await createWorkspace(gw.server, 'datasets B');
    otherWorkspaceKey = await createKey(gw.server, ['admin', 'datasets:delete', 'events:read'], other);
  });

  // ---- helpers ---------------------------------------------------------------------------

  async function rest(method: string, pathAndQuery: string, key: string | null = gw.server.adminKey) {
    const res = await fetch(`${gw.server.origin}${pathAndQuery}`, {
      method,
      headers: key ? { 'x-api-key': key } : {},
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), body: JSON.parse(text) as SeedBody };
  }

  const createDataset = (opts: CreateDatasetOptions = {}, key = gw.server.adminKey) =>
    createDatasetIn(gw.server, opts, key);

  async function eventsOf(id: string) {
    await eventLogSettled(gw.server);
    const { deletionEvents } = await gqlOk(gw.server, DatasetEvents, { entityId: id });
    return deletionEvents.edges.map((e) => e.node);
  }

  const readBack = async (id: string) => (await gqlOk(gw.server, DatasetById, { id })).dataset;

  // ---- the seed's DELETE -----------------------------------------------------------------

  describe('DELETE /v1/datasets/{id} answers as the seed shows', () => {
    it('200 {"success":true,"total":1,"data":{...}} with exactly the seed fields, typed as the seed types them', async () => {
      const content = `%PDF-1.7 ${'x'.repeat(500)} ${randomUUID()}`;
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const created = await createDataset({ content, share: true, expiresAt: future, items: [1, 2, 3, 4] });
      const before = Date.now();
      const answer = await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const after = Date.now();

      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(Object.keys(answer.body)).toEqual(['success', 'total', 'data']);
      expect(answer.body.success).toBe(true);
      expect(answer.body.total).toBe(1);
      const data = answer.body.data;
      expect(Object.keys(data)).toEqual(SEED_FIELDS);
      expect(data).toEqual({
        id: created.id,
        workspaceId: created.workspaceId,
        type: 'doc',
        fileName: 'my_document',
        fileExt: 'pdf',
        fileSize: Buffer.byteLength(content),
        itemCount: 4,
        mimeType: 'application/pdf',
        createdAt: expect.any(Number),
        updatedAt: expect.any(Number),
        expiresAt: expect.any(Number),
        share: { url: created.share!.url, token: created.share!.token, expiresAt: null },
      });
      expect(data.id).toMatch(/^ds_[A-Za-z0-9_-]{16}$/);
      expect(data.workspaceId).toMatch(/^wks_/);
      expect(data.share!.url).toMatch(/^\/v1\/share\/dsx_[A-Za-z0-9_-]{16}\?token=/);
      // the expiry became now: the moment of the delete, to the millisecond
      expect(data.expiresAt).toBeGreaterThanOrEqual(before - 1000);
      expect(data.expiresAt).toBeLessThanOrEqual(after);
      expect(data.updatedAt).toBe(data.expiresAt);
      expect(data.createdAt).toBeLessThanOrEqual(data.expiresAt!);

      const marked = await readBack(created.id);
      expect(marked).toMatchObject({ markedForDeletion: true, purgeAt: NEXT_PURGE });
      expect(new Date(marked!.expiresAt!).getTime()).toBe(data.expiresAt);
      expect(await eventsOf(created.id)).toEqual([
        {
          backend: 'DATASET',
          kind: 'MARKED_FOR_DELETION',
          entityId: created.id,
          workspaceId: created.workspaceId,
          data: expect.objectContaining({ fileName: 'my_document', itemCount: 4 }),
        },
      ]);
    });

    it('deleting it again answers 200 with the same body and emits no second event', async () => {
      const created = await createDataset();
      const first = await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const second = await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      expect(first.status).toBe(200);
      expect(second).toEqual(first);
      expect((await eventsOf(created.id)).map((e) => e.kind)).toEqual(['MARKED_FOR_DELETION']);
    });

    it('an expiry already earlier than now is kept, not moved to now', async () => {
      const earlier = new Date(Date.now() - 3_600_000);
      earlier.setMilliseconds(123);
      const created = await createDataset({ expiresAt: earlier.toISOString() });
      expect(created.markedForDeletion).toBe(true);
      const answer = await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      expect(answer.status).toBe(200);
      expect(answer.body.data.expiresAt).toBe(earlier.getTime());
    });

    it.each([
      ['a malformed id', '/v1/datasets/not-a-dataset', 400, 'Invalid dataset id'],
      ['an id one character short', '/v1/datasets/ds_ar7e4PtGX7fGGnS', 400, 'Invalid dataset id'],
      ['an unknown id', '/v1/datasets/ds_ar7e4PtGX7fGGnSt', 404, 'Dataset not found'],
    ])('%s answers %i {"success":false,"error":"%s"}', async (_what, url, status, error) => {
      const answer = await rest('DELETE', url, deleterKey);
      expect(answer.status).toBe(status);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual({ success: false, error });
    });

    it("another workspace's dataset is not found, and stays as it was", async () => {
      const created = await createDataset();
      const answer = await rest('DELETE', `/v1/datasets/${created.id}`, otherWorkspaceKey);
      expect(answer).toMatchObject({ status: 404, body: { success: false, error: 'Dataset not found' } });
      expect(await readBack(created.id)).toMatchObject({ markedForDeletion: false, expiresAt: null });
    });

    it('401 without a key, 403 without datasets:delete; nothing is marked', async () => {
      const created = await createDataset();
      expect(await rest('DELETE', `/v1/datasets/${created.id}`, null)).toMatchObject({
        status: 401,
        body: { success: false, error: 'Not authenticated' },
      });
      expect(await rest('DELETE', `/v1/datasets/${created.id}`, eventsOnlyKey)).toMatchObject({
        status: 403,
        body: { success: false, error: 'This API key lacks the datasets:delete scope' },
      });
      expect(await readBack(created.id)).toMatchObject({ markedForDeletion: false });
    });
  });

  describe('deleteDataset (GraphQL) is the same service', () => {
    it('answers the payload, then the same again; typed errors for malformed and unknown ids', async () => {
      const created = await createDataset();
      const first = await gqlOk(gw.server, DeleteDataset, { id: created.id }, { apiKey: deleterKey });
      expect(first.deleteDataset).toMatchObject({
        __typename: 'DeleteDatasetPayload',
        success: true,
        total: 1,
        data: { id: created.id, markedForDeletion: true },
      });
      const again = await gqlOk(gw.server, DeleteDataset, { id: created.id }, { apiKey: deleterKey });
      expect(again).toEqual(first);
      expect((await gqlOk(gw.server, DeleteDataset, { id: 'nope' })).deleteDataset).toEqual({
        __typename: 'InvalidIdError',
        code: 'INVALID_ID',
        message: expect.stringContaining('ds_'),
      });
      expect((await gqlOk(gw.server, DeleteDataset, { id: 'ds_AAAAAAAAAAAAAAAA' })).deleteDataset).toEqual({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        message: 'Dataset not found',
      });
    });
  });

  // ---- reads -----------------------------------------------------------------------------

  describe('reads', () => {
    it('GET /v1/datasets/{id} answers the same body while live and while marked', async () => {
      const created = await createDataset();
      const live = await rest('GET', `/v1/datasets/${created.id}`);
      expect(live.status).toBe(200);
      expect(Object.keys(live.body.data)).toEqual(SEED_FIELDS);
      expect(live.body.data.expiresAt).toBeNull();
      const deleted = await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const marked = await rest('GET', `/v1/datasets/${created.id}`, deleterKey);
      expect(marked).toEqual(deleted);
    });

    it('datasets leaves marked and expired ones out unless showExpired: true', async () => {
      const key = await createKey(gw.server, ['admin', 'datasets:delete'], await createWorkspace(gw.server, 'list'));
      const live = await createDataset({}, key);
      const willExpire = await createDataset({ expiresAt: new Date(Date.now() + 86_400_000).toISOString() }, key);
      const expired = await createDataset({ expiresAt: new Date(Date.now() - 1000).toISOString() }, key);
      const deleted = await createDataset({}, key);
      await gqlOk(gw.server, DeleteDataset, { id: deleted.id }, { apiKey: key });

      const list = async (showExpired?: boolean) => {
        const ids: string[] = [];
        let after: string | null | undefined = null;
        for (;;) {
          const answer: DatasetListQuery = await gqlOk(
            gw.server,
            DatasetList,
            { first: 2, after, showExpired },
            { apiKey: key },
          );
          const page = answer.datasets;
          ids.push(...page.edges.map((e) => e.node.id));
          if (!page.pageInfo.hasNextPage) return ids;
          after = page.pageInfo.endCursor;
        }
      };
      expect(await list()).toEqual([live.id, willExpire.id]);
      expect(await list(false)).toEqual([live.id, willExpire.id]);
      expect(await list(true)).toEqual([live.id, willExpire.id, expired.id, deleted.id]);
    });

    it('a malformed cursor is a typed error', async () => {
      const res = await gql(gw.server, DatasetList, { after: 'garbage' });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'after' });
    });

    it('purgeAt: the next run when marked, the first run after the expiry otherwise, null without expiry', async () => {
      expect((await gqlOk(gw.server, NextPurgeAt, {})).nextPurgeAt).toBe(NEXT_PURGE);
      const live = await createDataset();
      expect((await readBack(live.id))!.purgeAt).toBeNull();
      const later = await createDataset({ expiresAt: '2028-03-01T00:00:00.000Z' });
      expect((await readBack(later.id))!.purgeAt).toBe('2032-02-29T03:00:00.000Z');
    });
  });

  // ---- share links -----------------------------------------------------------------------

  describe('the share link', () => {
    it('serves the file while the dataset is live, 404 once it is marked, again after a restore', async () => {
      const content = `shared bytes ${randomUUID()}`;
      const created = await createDataset({ content, share: true });
      const url = `${gw.server.origin}${created.share!.url}`;
      const before = await fetch(url);
      expect(before.status).toBe(200);
      expect(before.headers.get('content-type')).toBe('application/pdf');
      expect(before.headers.get('content-disposition')).toContain('my_document.pdf');
      expect(await before.text()).toBe(content);

      const wrongToken = await fetch(url.replace(/token=.*/, 'token=guess'));
      expect(wrongToken.status).toBe(404);
      expect(await wrongToken.json()).toEqual({ success: false, error: 'Not found' });

      await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const marked = await fetch(url);
      expect(marked.status).toBe(404);
      expect(await marked.json()).toEqual({ success: false, error: 'Not found' });

      await gqlOk(gw.server, RestoreDataset, { id: created.id });
      const restored = await fetch(url);
      expect(restored.status).toBe(200);
      expect(await restored.text()).toBe(content);
    });

    it('a dataset without share: true has no link', async () => {
      const created = await createDataset();
      expect(created.share).toBeNull();
      expect((await rest('GET', `/v1/datasets/${created.id}`)).body.data.share).toBeNull();
    });
  });

  // ---- restore ---------------------------------------------------------------------------

  describe('restoreDataset (undelete before the purge)', () => {
    it('clears the expiry of a marked dataset with one RESTORED event', async () => {
      const created = await createDataset();
      await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const restored = await gqlOk(gw.server, RestoreDataset, { id: created.id }, { apiKey: deleterKey });
      expect(restored.restoreDataset).toEqual({
        __typename: 'Dataset',
        id: created.id,
        expiresAt: null,
        markedForDeletion: false,
        purgeAt: null,
      });
      expect((await eventsOf(created.id)).map((e) => e.kind)).toEqual(['MARKED_FOR_DELETION', 'RESTORED']);
      expect((await rest('GET', `/v1/datasets/${created.id}`)).body.data.expiresAt).toBeNull();
    });

    it('sets the given future expiry', async () => {
      const created = await createDataset();
      await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const until = '2031-06-01T00:00:00.000Z';
      const restored = await gqlOk(gw.server, RestoreDataset, { id: created.id, expiresAt: until });
      expect(restored.restoreDataset).toMatchObject({ expiresAt: until, markedForDeletion: false });
    });

    it.each([
      ['a live dataset', 'live', undefined, { __typename: 'ConflictError', code: 'CONFLICT' }],
      [
        'a past expiry',
        'marked',
        '2001-01-01T00:00:00.000Z',
        { __typename: 'ValidationError', code: 'VALIDATION_FAILED', field: 'expiresAt' },
      ],
      ['a malformed id', 'malformed', undefined, { __typename: 'InvalidIdError', code: 'INVALID_ID' }],
    ])('%s is a typed error and changes nothing', async (_what, state, expiresAt, error) => {
      const created = await createDataset();
      if (state === 'marked') await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const id = state === 'malformed' ? 'ds_x' : created.id;
      const answer = await gqlOk(gw.server, RestoreDataset, { id, expiresAt });
      expect(answer.restoreDataset).toMatchObject(error);
      expect((await readBack(created.id))!.markedForDeletion).toBe(state === 'marked');
    });
  });

  describe('after the purge', () => {
    it('the dataset is gone: GET 404, delete 404, restore NotFoundError, the link 404', async () => {
      const created = await createDataset({ share: true });
      await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey);
      const report = (await gqlOk(gw.server, Purge, {})).purgeExpiredDatasets;
      expect(report.datasets).toBeGreaterThanOrEqual(1);
      expect(await rest('GET', `/v1/datasets/${created.id}`)).toMatchObject({
        status: 404,
        body: { success: false, error: 'Dataset not found' },
      });
      expect((await rest('DELETE', `/v1/datasets/${created.id}`, deleterKey)).status).toBe(404);
      expect((await gqlOk(gw.server, RestoreDataset, { id: created.id })).restoreDataset).toMatchObject({
        __typename: 'NotFoundError',
      });
      expect((await fetch(`${gw.server.origin}${created.share!.url}`)).status).toBe(404);
      expect(await readBack(created.id)).toBeNull();
    });
  });

  describe('createDataset refuses bad input with a typed error and stores nothing', () => {
    it.each([
      ['vectors of different dimensions', { vectors: [[1, 2], [3]] }, 'vectors'],
      ['duplicate keys', { keys: ['a', 'a'] }, 'keys'],
      ['an unknown type', { type: 'SPREADSHEET' }, null],
    ])('%s', async (_what, opts, field) => {
      const err = await createDataset(opts as CreateDatasetOptions).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(err).not.toBeNull();
      if (field) expect(err).toContain(`"field":"${field}"`);
    });
  });
});
