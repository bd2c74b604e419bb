// Seed 003 in the bench (issue 10): the purge of expired datasets. Datasets are created through
// the API (GraphQL multipart, as a client would), already expired; `purgeExpiredDatasets` then
// removes them in one run while the gateway's RSS is sampled and, in a second run, while a
// closed loop of reads measures what the purge does to the requests it serves meanwhile. On
// PostgreSQL a raw SQL DELETE of the same rows in a copy of the database is the reference.
import type { Gateway } from '../support/gateway.js';
import { graphqlData, jsonClient } from '../support/http.js';
import { closedLoopUntil, type LoadResult } from '../support/load.js';
import type { BenchDatabase } from '../support/postgres.js';
import { sampleRss } from '../support/processes.js';
import { sleep } from '../support/stats.js';

/** What one dataset holds. */
export interface DatasetShape {
  items: number;
  keys: number;
  vectors: number;
  dimensions: number;
  fileBytes: number;
}

/** Rows one dataset takes: its own, its items, keys and vectors. */
export const rowsPerDataset = (s: DatasetShape) => 1 + s.items + s.keys + s.vectors;

const CREATE = /* GraphQL */ `
  mutation BenchCreateDataset($input: CreateDatasetInput!) {
    createDataset(input: $input) { id markedForDeletion }
  }`;

/** A deterministic float in [-1, 1] with six digits, like an embedding's component. */
const unitComponent = (seed: number) => {
  const x = Math.sin(seed) * 10_000;
  return Math.round((x - Math.floor(x)) * 2e6 - 1e6) / 1e6;
};

/** Creates one dataset through GraphQL multipart (the file as an upload); returns its id. */
export async function createDataset(
  gw: Gateway,
  shape: DatasetShape,
  n: number,
  expiresAt: string | null,
): Promise<string> {
  const input = {
    type: 'DOC',
    fileName: `bench_dataset_${n}`,
    fileExt: 'pdf',
    mimeType: 'application/pdf',
    file: null,
    items: Array.from({ length: shape.items }, (_, i) => ({
      ord: i,
      title: `row ${i} of bench dataset ${n}`,
      score: Math.round((i / 7) * 1000) / 1000,
      tags: ['bench', i % 2 ? 'odd' : 'even'],
    })),
    keys: Array.from({ length: shape.keys }, (_, k) => `bench-key-${n}-${k}`),
    vectors: Array.from({ length: shape.vectors }, (_, v) =>
      Array.from({ length: shape.dimensions }, (_, d) => unitComponent(n * 1_000_003 + v * 4099 + d)),
    ),
    expiresAt,
  };
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: CREATE, variables: { input } }));
  form.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
  // Unique content per dataset: each has its own blob.
  const content = `%PDF-1.7 bench dataset ${n} `.padEnd(shape.fileBytes, '.');
  form.set('0', new Blob([content], { type: 'application/pdf' }), `bench_dataset_${n}.pdf`);
  const res = await fetch(gw.url, { method: 'POST', body: form, headers: { 'x-api-key': gw.adminKey } });
  const body = (await res.json()) as {
    data?: { createDataset: { id: string; markedForDeletion: boolean } };
    errors?: unknown;
  };
  const created = body.data?.createDataset;
  if (res.status !== 200 || body.errors || !created) {
    throw new Error(`createDataset: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  if (created.markedForDeletion !== (expiresAt !== null && Date.parse(expiresAt) <= Date.now())) {
    throw new Error(`createDataset: ${created.id} has markedForDeletion ${created.markedForDeletion}`);
  }
  return created.id;
}

let datasetCounter = 0;

/** `count` datasets of `shape`, `concurrency` requests at a time; their ids in creation order. */
export async function createDatasets(
  gw: Gateway,
  shape: DatasetShape,
  count: number,
  expiresAt: string | null,
  concurrency: number,
): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        ids[i] = await createDataset(gw, shape, ++datasetCounter, expiresAt);
      }
    }),
  );
  return ids;
}

/** An expiry in the past (marked at once) and one the bench never reaches. */
export const EXPIRED = '2020-01-01T00:00:00.000Z';
export const FAR_FUTURE = '2099-01-01T00:00:00.000Z';

export interface PurgeReport {
  runId: string;
  datasets: number;
  items: number;
  keys: number;
  vectors: number;
  blobBytes: number;
  durationMs: number;
}

export const purgedRows = (r: Pick<PurgeReport, 'datasets' | 'items' | 'keys' | 'vectors'>) =>
  r.datasets + r.items + r.keys + r.vectors;

const PURGE = /* GraphQL */ `
  mutation BenchPurge {
    purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs }
  }`;

const READ = /* GraphQL */ `
  query BenchDataset($id: ID!) {
    dataset(id: $id) { id itemCount markedForDeletion }
  }`;

/** A closed loop of `dataset(id)` reads of one live dataset, until `until` settles. */
export function readLoop(gw: Gateway, liveId: string, clients: number, until: Promise<unknown>): Promise<LoadResult> {
  const client = jsonClient(gw.url, clients, { 'x-api-key': gw.adminKey });
  return closedLoopUntil({
    concurrency: clients,
    until,
    async send() {
      const { data } = await graphqlData<{ dataset: { id: string } | null }>(client, READ, { id: liveId });
      if (data.dataset?.id !== liveId) throw new Error(`dataset(id: ${liveId}) answered ${JSON.stringify(data)}`);
    },
  }).finally(() => client.close());
}

export interface PurgeMeasurement {
  report: PurgeReport;
  /** the mutation's round trip: what the rate is taken over */
  wallMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  /** the read loop running while the purge ran, if asked for */
  reads: LoadResult | null;
}

/**
 * Runs `purgeExpiredDatasets` once and times its round trip, sampling the gateway's RSS every
 * 10 ms; with `reads`, a closed loop of reads runs from just before the mutation is sent until
 * it answers.
 */
export async function measurePurge(
  gw: Gateway,
  reads: { liveId: string; clients: number } | null,
): Promise<PurgeMeasurement> {
  const client = jsonClient(gw.url, 1, { 'x-api-key': gw.adminKey });
  const rssBeforeMb = gw.rssMb();
  const rss = sampleRss(gw.pid, 10);
  try {
    const started = performance.now();
    const purge = graphqlData<{ purgeExpiredDatasets: PurgeReport }>(client, PURGE);
    const loop = reads ? readLoop(gw, reads.liveId, reads.clients, purge) : null;
    const { data } = await purge;
    const wallMs = performance.now() - started;
    return { report: data.purgeExpiredDatasets, wallMs, rssBeforeMb, peakRssMb: rss.stop(), reads: await loop };
  } finally {
    rss.stop();
    client.close();
  }
}

/** The same read loop for `ms` with nothing else running: what "during the purge" compares to. */
export function readBaseline(gw: Gateway, liveId: string, clients: number, ms: number): Promise<LoadResult> {
  return readLoop(gw, liveId, clients, sleep(ms));
}

/** Fails loudly unless the run removed exactly what was created. */
export function checkReport(where: string, report: PurgeReport, datasets: number, shape: DatasetShape) {
  const expected = {
    datasets,
    items: datasets * shape.items,
    keys: datasets * shape.keys,
    vectors: datasets * shape.vectors,
    blobBytes: datasets * shape.fileBytes,
  };
  const wrong = (Object.keys(expected) as (keyof typeof expected)[]).filter((k) => report[k] !== expected[k]);
  if (wrong.length) {
    throw new Error(
      `${where}: the purge removed ${JSON.stringify(report)}, expected ${JSON.stringify(expected)} (${wrong.join(', ')} differ)`,
    );
  }
}

/** What is left of `ids` in a database, and the PURGED events and blob tasks they got. */
export async function leftovers(db: BenchDatabase, ids: string[]) {
  const { rows } = await db.pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM dataset WHERE id = ANY($1::text[])) AS datasets,
            (SELECT count(*) FROM dataset_item WHERE dataset_id = ANY($1::text[])) AS items,
            (SELECT count(*) FROM dataset_key WHERE dataset_id = ANY($1::text[])) AS keys,
            (SELECT count(*) FROM dataset_vector WHERE dataset_id = ANY($1::text[])) AS vectors,
            (SELECT count(*) FROM deletion_event WHERE kind = 'PURGED' AND entity_id = ANY($1::text[])) AS purged_events,
            (SELECT count(*) FROM after_commit_task WHERE entity_id = ANY($1::text[])) AS blob_tasks,
            (SELECT count(*) FROM after_commit_task WHERE entity_id = ANY($1::text[]) AND state <> 'DONE') AS blob_tasks_not_done`,
    [ids],
  );
  const r = rows[0]!;
  return {
    datasets: Number(r.datasets),
    items: Number(r.items),
    keys: Number(r.keys),
    vectors: Number(r.vectors),
    purged_events: Number(r.purged_events),
    blob_tasks: Number(r.blob_tasks),
    blob_tasks_not_done: Number(r.blob_tasks_not_done),
  };
}

/**
 * The reference: the same datasets' rows removed with plain DELETEs by id through `pg`, children
 * first, `perTransaction` datasets per transaction (all of them in one by default). No events,
 * no after-commit rows, no run record, no blob unlinks, no search for what is expired.
 */
export async function rawSqlDelete(
  db: BenchDatabase,
  ids: string[],
  perTransaction = ids.length,
): Promise<{ rows: number; ms: number }> {
  const client = await db.pool.connect();
  try {
    let rows = 0;
    const started = performance.now();
    for (let i = 0; i < ids.length; i += perTransaction) {
      const batch = ids.slice(i, i + perTransaction);
      await client.query('BEGIN');
      for (const table of ['dataset_item', 'dataset_key', 'dataset_vector']) {
        rows += (await client.query(`DELETE FROM ${table} WHERE dataset_id = ANY($1::text[])`, [batch])).rowCount ?? 0;
      }
      rows += (await client.query('DELETE FROM dataset WHERE id = ANY($1::text[])', [batch])).rowCount ?? 0;
      await client.query('COMMIT');
    }
    return { rows, ms: performance.now() - started };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Puts a database in the same state before each measured delete: statistics fresh and dead
 * rows gone (the planner sees the real sizes), dirty pages written out (no checkpoint lands in
 * one measurement and not in the other), the tables' pages read once (in the server's cache).
 */
export async function settle(db: BenchDatabase) {
  for (const table of ['dataset', 'dataset_item', 'dataset_key', 'dataset_vector', 'deletion_event']) {
    await db.pool.query(`VACUUM ANALYZE ${table}`);
    await db.pool.query(`SELECT count(*) FROM ${table}`);
  }
  await db.pool.query('CHECKPOINT');
}
