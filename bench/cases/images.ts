// Seed 004 in the bench: delete operations of many images with wait=true, and what waiting costs.
import type { Gateway } from '../support/gateway.js';
import { graphqlData, jsonClient } from '../support/http.js';
import { median, summarize } from '../support/stats.js';

const CREATE = `mutation BenchCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }`;
const DELETE = `mutation BenchDeleteImages($ids: [ID!]!, $strict: Boolean) {
  deleteImages(ids: $ids, wait: true, strict: $strict) { numTotal numGood numBad isFinished execMs }
}`;

interface DeleteAnswer {
  deleteImages: { numTotal: number; numGood: number; numBad: number; isFinished: boolean; execMs: number | null };
}

export interface ImageDeleteRun {
  strict: boolean;
  elements: number;
  /** the deleteImages request with wait=true, as the client saw it */
  ms: number;
  /** the operation's own exec_ms */
  execMs: number;
  elementsPerS: number;
}

async function createImages(gw: Gateway, count: number): Promise<string[]> {
  const client = jsonClient(gw.url, 1, { 'x-api-key': gw.adminKey });
  try {
    const input = Array.from({ length: count }, (_, i) => ({ name: `bench-${i}.png` }));
    const { data } = await graphqlData<{ createImages: { id: string }[] }>(client, CREATE, { input });
    return data.createImages.map((i) => i.id);
  } finally {
    client.close();
  }
}

/**
 * `deleteImages` of `count` fresh images with wait=true, `rounds` times each non-strict and
 * strict (alternating), after one warm-up of each. Elements/s = count / the request's time.
 */
export async function measureImageDeletes(gw: Gateway, count: number, rounds: number): Promise<ImageDeleteRun[]> {
  const client = jsonClient(gw.url, 1, { 'x-api-key': gw.adminKey });
  const runs: ImageDeleteRun[] = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const strict of [false, true]) {
        const ids = await createImages(gw, count);
        const started = performance.now();
        const { data } = await graphqlData<DeleteAnswer>(client, DELETE, { ids, strict });
        const ms = performance.now() - started;
        const op = data.deleteImages;
        if (!op.isFinished || op.numGood !== count) {
          throw new Error(`deleteImages of ${count} did not delete them all: ${JSON.stringify(op)}`);
        }
        // The first round warms up.
        if (round > 0)
          runs.push({ strict, elements: count, ms, execMs: op.execMs ?? 0, elementsPerS: count / (ms / 1000) });
      }
    }
  } finally {
    client.close();
  }
  return runs;
}

/**
 * What waiting costs: `DELETE /imgs/{id}?wait=true` of one image, one at a time; the answer's
 * round trip minus the operation's own exec_ms (queueing, claiming, wake-ups, HTTP).
 */
export async function measureWaitOverhead(gw: Gateway, samples: number) {
  const ids = await createImages(gw, samples + 10);
  const origin = new URL(gw.url).origin;
  const overheads: number[] = [];
  for (const [i, id] of ids.entries()) {
    const started = performance.now();
    const res = await fetch(`${origin}/imgs/${id}?wait=true`, {
      method: 'DELETE',
      headers: { 'API-Key': gw.adminKey },
    });
    const ms = performance.now() - started;
    const op = (await res.json()) as { is_finished: boolean; exec_ms: number | null; num_good: number };
    if (res.status !== 200 || !op.is_finished || op.num_good !== 1) {
      throw new Error(`DELETE /imgs/${id}?wait=true: ${res.status} ${JSON.stringify(op)}`);
    }
    if (i >= 10) overheads.push(ms - (op.exec_ms ?? 0)); // the first ten warm up
  }
  const s = summarize(overheads);
  return { medianMs: median(overheads), p99Ms: s.p99 };
}
