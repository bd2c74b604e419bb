// Seed 002 in the bench: hard deletes of parser results (rows and files) through `DELETE /files`.
import type { Gateway } from '../support/gateway.js';
import { closedLoop, type LoadResult } from '../support/load.js';

const CREATE = `mutation BenchCreateParserResult($input: CreateParserResultInput!) {
  createParserResult(input: $input) { requestId }
}`;

/** Creates one parser result through GraphQL multipart (files as uploads), as a client would. */
export async function createParserResult(
  gw: Gateway,
  requestId: string,
  files: { name: string; content: string }[],
  data: unknown,
): Promise<void> {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({ query: CREATE, variables: { input: { requestId, data, files: files.map(() => null) } } }),
  );
  form.set('map', JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.input.files.${i}`]]))));
  for (const [i, f] of files.entries()) form.set(String(i), new Blob([f.content], { type: 'text/plain' }), f.name);
  const res = await fetch(gw.url, { method: 'POST', body: form, headers: { 'x-api-key': gw.adminKey } });
  const body = (await res.json()) as { errors?: unknown };
  if (res.status !== 200 || body.errors) throw new Error(`createParserResult: ${res.status} ${JSON.stringify(body)}`);
}

/** The seed's own call: `DELETE /files?request_id=` with `x-api-key`; throws unless 200. */
export async function deleteParserResult(gw: Gateway, requestId: string): Promise<void> {
  const res = await fetch(`${new URL(gw.url).origin}/files?request_id=${encodeURIComponent(requestId)}`, {
    method: 'DELETE',
    headers: { 'x-api-key': gw.adminKey },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`DELETE /files: ${res.status} ${text}`);
}

/** Small results (two files, a few rows each) made ahead, `concurrency` at a time. */
export async function prepareSmallResults(gw: Gateway, count: number, concurrency: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `bench-small-${Date.now()}-${i}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        await createParserResult(
          gw,
          id,
          [
            { name: 'page-1.txt', content: `page one of ${id}` },
            { name: 'page-2.txt', content: `page two of ${id}` },
          ],
          {
            rows: [
              { field: 'total', value: 1 },
              { field: 'date', value: '2026-11-30' },
            ],
          },
        );
      }
    }),
  );
  return ids;
}

export function runSmallDeletes(
  gw: Gateway,
  ids: string[],
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  return closedLoop({ concurrency, durationMs, ids, send: (id) => deleteParserResult(gw, id) });
}

/**
 * One large result (10,000 rows, 200 files) deleted alone: how long the one transaction and the
 * unlinks take, and the gateway's resident memory, sampled while it runs.
 */
export async function measureLargeDelete(gw: Gateway): Promise<{ ms: number; peakRssMb: number }> {
  const requestId = `bench-large-${Date.now()}`;
  const files = Array.from({ length: 200 }, (_, i) => ({ name: `scan-${i}.txt`, content: `scan ${i} `.repeat(50) }));
  const rows = Array.from({ length: 10_000 }, (_, i) => ({ line: i, text: `row ${i} of the large result` }));
  await createParserResult(gw, requestId, files, { rows });
  let peak = gw.rssMb();
  const sampler = setInterval(() => {
    peak = Math.max(peak, gw.rssMb());
  }, 5);
  const started = performance.now();
  try {
    await deleteParserResult(gw, requestId);
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - started;
  return { ms, peakRssMb: Math.max(peak, gw.rssMb()) };
}
