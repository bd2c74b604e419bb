import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type { PurgedEventsQuery } from './generated/graphql.js';
import { databaseKind, skipDatabase, sqlOnce } from './support/database.js';
import { type CreatedDataset, createDataset } from './support/datasets.js';
import { createKey, eventLogSettled } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeWs, wsClient } from './support/graphql.js';
import { type RunningServer, startServer } from './support/server.js';

// Seed 003's purge: "all records, key, binary data and vectors related to the dataset are hard
// deleted". Each test file's gateway has its own database, so the counts here are exact.

const Purge = graphql(`
  mutation PurgeExpired { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }
`);

const PurgeRuns = graphql(`
  query PurgeRunList {
    purgeRuns(first: 50) { id instanceId startedAt finishedAt datasets items keys vectors blobBytes error }
    nextPurgeAt
  }
`);

const MarkDataset = graphql(`
  mutation MarkDataset($id: ID!) { deleteDataset(id: $id) { __typename } }
`);

const PurgedEvents = graphql(`
  query PurgedEvents($after: String) {
    deletionEvents(first: 500, after: $after, filter: { backends: [DATASET], kinds: [PURGED] }) {
      edges { node { entityId workspaceId data } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const PurgedStream = graphql(`
  subscription PurgedStream($entityId: ID!, $after: String) {
    deletionEvents(after: $after, filter: { entityId: $entityId, kinds: [PURGED] }) { kind entityId }
  }
`);

const DatasetGone = graphql(`
  query DatasetGone($id: ID!) { dataset(id: $id) { id } }
`);

/** Rows per purge transaction: a dataset of createDataset's default size is 8 rows (3 items, 2 keys, 2 vectors, itself). */
const ONE_DATASET_PER_BATCH = '8';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.skipIf(skipDatabase())('the dataset purge (seed 003)', () => {
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-purge-'));
  const gw = useGateway({
    env: { BLOB_DIR: blobDir, PURGE_CRON: 'off', PURGE_BATCH_ROWS: ONE_DATASET_PER_BATCH, INSTANCE_ID: 'a' },
  });
  afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

  /** sha256 of every blob under BLOB_DIR */
  function blobHashes(): Set<string> {
    const found = new Set<string>();
    for (const fanOut of fs.readdirSync(blobDir, { withFileTypes: true })) {
      if (!fanOut.isDirectory() || fanOut.name === '.tmp') continue;
      for (const entry of fs.readdirSync(path.join(blobDir, fanOut.name))) {
        found.add(sha256(fs.readFileSync(path.join(blobDir, fanOut.name, entry), 'utf8')));
      }
    }
    return found;
  }

  async function markedDatasets(n: number, opts: Parameters<typeof createDataset>[1] = {}, server = gw.server) {
    const made: { dataset: CreatedDataset; content: string }[] = [];
    for (let i = 0; i < n; i++) {
      const content = `purge me ${i} ${Math.random()}`;
      const dataset = await createDataset(server, { ...opts, content });
      await gqlOk(server, MarkDataset, { id: dataset.id });
      made.push({ dataset, content });
    }
    return made;
  }

  async function purgedEvents(server: RunningServer = gw.server) {
    await eventLogSettled(server);
    const events: { entityId: string; data: unknown }[] = [];
    let after: string | null | undefined = null;
    for (;;) {
      const page: PurgedEventsQuery = await gqlOk(server, PurgedEvents, { after });
      events.push(...page.deletionEvents.edges.map((e) => e.node));
      if (!page.deletionEvents.pageInfo.hasNextPage) return events;
      after = page.deletionEvents.pageInfo.endCursor;
    }
  }

  const isGone = async (id: string, server: RunningServer = gw.server) =>
    (await gqlOk(server, DatasetGone, { id })).dataset === null;

  it('removes marked and expired datasets with their items, keys, vectors and files, and nothing else', async () => {
    const marked = await markedDatasets(2);
    const expired = await createDataset(gw.server, {
      content: `expired on its own ${Math.random()}`,
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
      items: [1, 2, 3, 4, 5],
      keys: ['k'],
      vectors: [[1, 2, 3]],
    });
    const liveContent = `live ${Math.random()}`;
    const live = await createDataset(gw.server, {
      content: liveContent,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const before = blobHashes();
    for (const { content } of marked) expect(before.has(sha256(content))).toBe(true);

    const report = (await gqlOk(gw.server, Purge, {})).purgeExpiredDatasets;
    const fileBytes = marked.reduce((n, m) => n + m.dataset.fileSize, 0) + expired.fileSize;
    expect(report).toMatchObject({
      datasets: 3,
      items: 3 + 3 + 5,
      keys: 2 + 2 + 1,
      vectors: 2 + 2 + 1,
      blobBytes: fileBytes,
    });

    for (const { dataset, content } of marked) {
      expect(await isGone(dataset.id)).toBe(true);
      expect(blobHashes().has(sha256(content))).toBe(false);
    }
    expect(await isGone(expired.id)).toBe(true);
    expect(await isGone(live.id)).toBe(false);
    expect(blobHashes().has(sha256(liveContent))).toBe(true);

    const events = await purgedEvents();
    expect(events.filter((e) => e.entityId === expired.id)).toEqual([
      {
        entityId: expired.id,
        workspaceId: expired.workspaceId,
        data: { runId: report.runId, items: 5, keys: 1, vectors: 1, blobBytes: expired.fileSize },
      },
    ]);
    for (const { dataset } of marked) expect(events.filter((e) => e.entityId === dataset.id)).toHaveLength(1);

    const { purgeRuns, nextPurgeAt } = await gqlOk(gw.server, PurgeRuns, {});
    expect(nextPurgeAt).toBeNull(); // PURGE_CRON=off
    expect(purgeRuns[0]).toMatchObject({
      id: report.runId,
      instanceId: 'a',
      finishedAt: expect.any(String),
      datasets: 3,
      items: 11,
      keys: 5,
      vectors: 5,
      blobBytes: fileBytes,
      error: null,
    });

    if (databaseKind() === 'postgres') {
      const [left] = await sqlOnce<{ items: string; keys: string; vectors: string }>(
        gw.db.url,
        `SELECT (SELECT count(*) FROM dataset_item WHERE dataset_id = ANY($1)) AS items,
                (SELECT count(*) FROM dataset_key WHERE dataset_id = ANY($1)) AS keys,
                (SELECT count(*) FROM dataset_vector WHERE dataset_id = ANY($1)) AS vectors`,
        [[...marked.map((m) => m.dataset.id), expired.id]],
      );
      expect(left).toEqual({ items: '0', keys: '0', vectors: '0' });
    }
  });

  it('a run with nothing to purge is recorded with zero counts', async () => {
    const report = (await gqlOk(gw.server, Purge, {})).purgeExpiredDatasets;
    expect(report).toMatchObject({ datasets: 0, items: 0, keys: 0, vectors: 0, blobBytes: 0 });
    expect((await gqlOk(gw.server, PurgeRuns, {})).purgeRuns[0]).toMatchObject({ id: report.runId, error: null });
  });

  it('a key without admin may not purge', async () => {
    const res = await gql(gw.server, Purge, {}, { apiKey: await createKey(gw.server, ['datasets:delete']) });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a crash between batches: nothing is half-deleted, the next run finishes, the interrupted run keeps its error', async () => {
    const marked = await markedDatasets(3);
    const ids = marked.map((m) => m.dataset.id);

    // The failpoint SIGKILLs the server right after the run's first batch committed.
    const crashing = await gw.restart({ FAILPOINT: 'between-purge-batches' });
    await expect(gql(crashing, Purge, {})).rejects.toThrow();
    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });

    if (databaseKind() === 'postgres') {
      // Each dataset is there whole or gone whole: one batch went, the others wait untouched.
      const rows = await sqlOnce<{ id: string; present: boolean; items: string; keys: string; vectors: string }>(
        gw.db.url,
        `SELECT x.id, EXISTS (SELECT 1 FROM dataset d WHERE d.id = x.id) AS present,
                (SELECT count(*) FROM dataset_item i WHERE i.dataset_id = x.id) AS items,
                (SELECT count(*) FROM dataset_key k WHERE k.dataset_id = x.id) AS keys,
                (SELECT count(*) FROM dataset_vector v WHERE v.dataset_id = x.id) AS vectors
           FROM unnest($1::text[]) AS x(id) ORDER BY x.id`,
        [ids],
      );
      for (const r of rows) {
        expect([r.items, r.keys, r.vectors]).toEqual(r.present ? ['3', '2', '2'] : ['0', '0', '0']);
      }
      expect(rows.filter((r) => !r.present)).toHaveLength(1);
    }

    // Started again, the gateway sees the unfinished run and purges at once; an asked-for run
    // waits for it (or runs first), so after it everything is gone.
    const restarted = await gw.restart({ FAILPOINT: '' });
    await gqlOk(restarted, Purge, {});
    for (const id of ids) expect(await isGone(id, restarted)).toBe(true);
    for (const { content } of marked) expect(blobHashes().has(sha256(content))).toBe(false);

    const events = await purgedEvents(restarted);
    for (const id of ids) expect(events.filter((e) => e.entityId === id)).toHaveLength(1);

    const { purgeRuns } = await gqlOk(restarted, PurgeRuns, {});
    const interrupted = purgeRuns.filter((r) => r.error?.startsWith('interrupted'));
    expect(interrupted).toHaveLength(1);
    expect(interrupted[0]).toMatchObject({ datasets: 1, items: 3, keys: 2, vectors: 2, finishedAt: null });
    const after = purgeRuns.filter((r) => new Date(r.startedAt) > new Date(interrupted[0]!.startedAt));
    expect(after.reduce((n, r) => n + r.datasets, 0)).toBe(2);
  }, 240_000); // three starts of the gateway

  it('the schedule runs the purge by itself (PURGE_CRON with seconds: every second)', async () => {
    const server = await gw.restart({ PURGE_CRON: '* * * * * *' });
    const client = wsClient(server, { authorization: `Bearer ${server.adminKey}` });
    try {
      const [made] = await markedDatasets(1, {}, server);
      const dataset = made!.dataset;
      // from the start of the log: the run may come before the subscription is live
      const purged = subscribeWs(client, PurgedStream, { entityId: dataset.id, after: '0'.repeat(32) });
      const [event] = await purged.next(1, 30_000);
      expect(event?.data?.deletionEvents).toMatchObject({ kind: 'PURGED', entityId: dataset.id });
      expect(await isGone(dataset.id, server)).toBe(true);
      const { nextPurgeAt } = await gqlOk(server, PurgeRuns, {});
      expect(new Date(nextPurgeAt!).getTime() - Date.now()).toBeLessThanOrEqual(1000);
      purged.dispose();
    } finally {
      await client.dispose();
      await gw.restart({ PURGE_CRON: 'off' });
    }
  }, 120_000);

  describe.runIf(databaseKind() === 'postgres')('a dataset another transaction holds', () => {
    it('is skipped by the run, not waited for, and purged by the next one', async () => {
      const [held, free] = await markedDatasets(2);
      const holder = new pg.Client({ connectionString: gw.db.url });
      await holder.connect();
      try {
        // what a restore in progress does: it holds the dataset's row
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM dataset WHERE id = $1 FOR UPDATE', [held!.dataset.id]);
        const first = (await gqlOk(gw.server, Purge, {})).purgeExpiredDatasets;
        expect(first.datasets).toBe(1);
        expect(await isGone(free!.dataset.id)).toBe(true);
        expect(await isGone(held!.dataset.id)).toBe(false);
        await holder.query('ROLLBACK');
      } finally {
        await holder.end();
      }
      const second = (await gqlOk(gw.server, Purge, {})).purgeExpiredDatasets;
      expect(second.datasets).toBe(1);
      expect(await isGone(held!.dataset.id)).toBe(true);
    });
  });

  describe.runIf(databaseKind() === 'postgres')('two instances', () => {
    it('purging at once removes each dataset exactly once', async () => {
      const marked = await markedDatasets(12);
      const b = await startServer({
        databaseUrl: gw.db.url,
        adminKey: gw.server.adminKey,
        env: { BLOB_DIR: blobDir, PURGE_CRON: 'off', PURGE_BATCH_ROWS: ONE_DATASET_PER_BATCH, INSTANCE_ID: 'b' },
      });
      try {
        const [ra, rb] = await Promise.all([gqlOk(gw.server, Purge, {}), gqlOk(b, Purge, {})]);
        expect(ra.purgeExpiredDatasets.datasets + rb.purgeExpiredDatasets.datasets).toBe(12);
        const events = await purgedEvents();
        for (const { dataset } of marked) expect(events.filter((e) => e.entityId === dataset.id)).toHaveLength(1);
        for (const { dataset } of marked) expect(await isGone(dataset.id, b)).toBe(true);
      } finally {
        await b.stop();
      }
    }, 120_000);
  });
});
