// Seed 001 in the bench: delete-all of 100,000 endpoint records, and DELETE task runs (a
// SELECT_RECORDS + DELETE_RECORDS task) from concurrent clients.
import type { Gateway } from '../support/gateway.js';
import { graphqlData, jsonClient } from '../support/http.js';
import { closedLoop, type LoadResult } from '../support/load.js';

const CONFIGURE = `mutation BenchConfigureEndpoint($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }`;
const INSERT = `mutation BenchInsertRecords($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {
  insertEndpointRecords(path: $path, records: $records) { id }
}`;
const INSERT_BATCH = 10_000;

type Path = { company: string; group: string; endpoint: string };
const routeOf = (p: Path) => `/${p.company}/${p.group}/${p.endpoint}`;

async function setUp(gw: Gateway, path: Path, del: unknown, records: (i: number) => unknown, count: number) {
  const client = jsonClient(gw.url, 1, { 'x-api-key': gw.adminKey });
  try {
    await graphqlData(client, CONFIGURE, { input: { path, allowDeleting: true, delete: del } });
    for (let i = 0; i < count; i += INSERT_BATCH) {
      const n = Math.min(INSERT_BATCH, count - i);
      await graphqlData(client, INSERT, { path, records: Array.from({ length: n }, (_, j) => records(i + j)) });
    }
  } finally {
    client.close();
  }
}

async function restDelete(gw: Gateway, pathAndQuery: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(pathAndQuery, gw.url), { method: 'DELETE', headers: { 'x-api-key': gw.adminKey } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** `DELETE /{c}/{g}/{e}/all` of `count` fresh records, `rounds` times after a warm-up; rows/s per round. */
export async function measureDeleteAll(gw: Gateway, count: number, rounds: number): Promise<number[]> {
  const rates: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const path = { company: 'bench', group: 'all', endpoint: `r${round}` };
    await setUp(gw, path, null, (i) => ({ data: { n: i, text: 'bench record' } }), count);
    const started = performance.now();
    const res = await restDelete(gw, `${routeOf(path)}/all`);
    const ms = performance.now() - started;
    if (res.status !== 200 || (res.body as { deletedCount: number }).deletedCount !== count) {
      throw new Error(`delete-all of ${count} records answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (round > 0) rates.push(count / (ms / 1000));
  }
  return rates;
}

/**
 * Task runs per second: `concurrency` clients each run the DELETE task for the next key
 * (`?Key=...`), which selects that one record and deletes it, until the time or the keys run out.
 */
export async function measureTaskRuns(
  gw: Gateway,
  opts: { records: number; concurrency: number; durationMs: number },
): Promise<LoadResult> {
  const path = { company: 'bench', group: 'task', endpoint: `t${Date.now()}` };
  const task = {
    input: { schema: [{ name: 'Key', type: 'STRING', required: true }] },
    task: {
      steps: [
        { name: 'select', kind: 'SELECT_RECORDS', config: { where: { key: 'Key' } } },
        { name: 'delete', kind: 'DELETE_RECORDS' },
      ],
    },
    output: { includeSystemData: true },
  };
  await setUp(gw, path, task, (i) => ({ data: { key: `k${i}` } }), opts.records);
  return closedLoop({
    concurrency: opts.concurrency,
    durationMs: opts.durationMs,
    ids: Array.from({ length: opts.records }, (_, i) => `k${i}`),
    async send(key) {
      const res = await restDelete(gw, `${routeOf(path)}?Key=${key}`);
      const deleted = (res.body as { Result?: { deletedCount?: number } } | null)?.Result?.deletedCount;
      if (res.status !== 200 || deleted !== 1)
        throw new Error(`task run answered ${res.status} ${JSON.stringify(res.body)}`);
    },
  });
}
