import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/schema/json-scalar.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { createDataset } from './support/datasets.js';
import { processAlive, useGateway, waitUntil } from './support/fixture.js';
import {
  checkAnswer,
  describeRequest,
  type FuzzFixtures,
  type FuzzRequest,
  fuzzRequests,
  loadSchema,
  ordinaryRequests,
  REST_ROUTES,
  rootFields,
} from './support/fuzz.js';
import { createFuzzFixtures } from './support/fuzz-fixtures.js';
import { GC_DONE } from './support/gc-on-signal.js';
import { gql, gqlOk } from './support/graphql.js';
import { type RawResponse, sendRaw } from './support/raw-http.js';
import type { RunningServer } from './support/server.js';

// Issue 14, fuzzing: generated hostile requests (test/support/fuzz.ts) against every REST route
// and every GraphQL root field of a real gateway. Every answer: no crash, no 5xx but a masked
// internal error, no stack trace, SQL or parser internals, every GraphQL error typed; and the
// server's memory back within 20% of where it started.
//
// FUZZ_RUNS (default 10,000: about a minute per project), FUZZ_SEED (printed on every run; request
// #i is request i % 500 of the sample of seed FUZZ_SEED + floor(i / 500)), FUZZ_ONLY=3,17 (replay
// only these requests of the run), FUZZ_CONCURRENCY (6).

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
// The suite runs fixed seeds, so CI is reproducible (a fresh seed per run found new defects at
// random, see the closing note of issue 14); explore with FUZZ_SEED=random or any number.
const FIXED_SEED = databaseKind() === 'postgres' ? 832110891 : 1311629058;
const SEED = process.env.FUZZ_SEED === 'random' ? randomInt(2 ** 31 - 1) : Number(process.env.FUZZ_SEED ?? FIXED_SEED);
const ONLY = process.env.FUZZ_ONLY?.split(',').map(Number);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 6);
/** A request that has not answered by then hangs: that is a finding, not a flaky test. */
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_UPLOAD_BYTES = 64 * 1024;
const WARMUP_RUNS = 500;
/** requests generated, sent and checked at a time (one seed each), with a memory reading after each */
const BATCH = 500;

const ADMIN_STILL_WORKS = `{ resources(first: 1) { edges { node { id } } } }`;

/** The gateway as every test starts it, with a full collection on SIGUSR2 (test/support/gc-on-signal.ts). */
const GATEWAY_WITH_GC = ['--expose-gc', '--import', 'tsx', '--import', './test/support/gc-on-signal.ts', 'src/main.ts'];

/** VmRSS of a process in MB, as it stands. */
function rssNow(pid: number): number {
  const kb = Number(/VmRSS:\s*(\d+)\s*kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return Math.round(kb / 102.4) / 10;
}

/** VmRSS of the gateway in MB, read after full collections (live memory, not uncollected garbage). */
async function rssAfterGc(server: RunningServer): Promise<number> {
  const seen = server.logs.filter((l) => l.msg === GC_DONE).length;
  server.process.kill('SIGUSR2');
  await waitUntil(
    () => server.logs.filter((l) => l.msg === GC_DONE).length > seen,
    () => 'the gateway did not report its collection',
  );
  return rssNow(server.process.pid!);
}

interface Outcome {
  index: number;
  status: number;
  problems: string[];
  masked: boolean;
  /** kept only for an answer with a problem or a masked error (a run holds no more in memory) */
  req?: FuzzRequest;
  res?: RawResponse | null;
}

/** Sends every request, `concurrency` at a time, and checks each answer. */
async function fire(port: number, requests: Array<{ index: number; req: FuzzRequest }>, concurrency: number) {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const { index, req } = requests[next++]!;
      let outcome: Outcome;
      try {
        const res = await sendRaw(port, req, REQUEST_TIMEOUT_MS);
        outcome = { index, status: res.status, ...checkAnswer(req, res), res };
      } catch (err) {
        outcome = { index, status: 0, problems: [`no answer: ${(err as Error).message}`], masked: false, res: null };
      }
      if (outcome.problems.length || outcome.masked) outcome.req = req;
      else delete outcome.res;
      outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes.sort((a, b) => a.index - b.index);
}

/** Problems grouped by what went wrong (details in quotes dropped), with a few examples each. */
function report(outcomes: Outcome[]): string[] {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    for (const p of new Set(o.problems.map((p) => `${o.req!.family}: ${p.replace(/:\s.*$/, '')}`))) {
      groups.set(p, [...(groups.get(p) ?? []), o]);
    }
  }
  const lines: string[] = [];
  for (const [problem, examples] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`  ${examples.length} x ${problem}`);
    for (const o of examples.slice(0, 3)) {
      lines.push(`      #${o.index} ${describeRequest(o.req!)}`);
      lines.push(
        `        -> ${o.res?.status ?? '-'} ${o.problems.join('; ').slice(0, 300)} ${o.res ? JSON.stringify(o.res.body.toString('utf8').slice(0, 400)) : ''}`,
      );
    }
  }
  return lines;
}

describe.skipIf(skipDatabase())(
  'fuzzing: generated hostile requests to every REST route and GraphQL root field',
  () => {
    const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-fuzz-blobs-'));
    const gw = useGateway({
      command: GATEWAY_WITH_GC,
      env: {
        BLOB_DIR: blobDir,
        PURGE_CRON: 'off',
        // small upload limits, so that generated files cross them
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        MAX_UPLOAD_FILES: '4',
        OPERATION_WAIT_TIMEOUT: '5s',
      },
    });
    let fixtures: FuzzFixtures;
    const schema = loadSchema();

    beforeAll(async () => {
      if (skipDatabase()) return;
      fixtures = await createFuzzFixtures(gw.server);
    });
    afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

    it('the generators reach every root field of the schema and every REST route', () => {
      const families = new Set(
        fc
          .sample(fuzzRequests(schema, fixtures), { seed: 1, numRuns: 2000 })
          .map((r) => r.family.replace(/ \(multipart\)$/, '')),
      );
      const missing = rootFields(schema).filter((f) => !families.has(`GraphQL ${f.kind} ${f.field.name}`));
      expect(missing.map((f) => f.field.name)).toEqual([]);
      expect(REST_ROUTES.filter((r) => !families.has(`REST ${r.method} ${r.path}`))).toEqual([]);
    });

    // Found by the fuzzer: PostgreSQL text and jsonb cannot hold U+0000, and each of these sent one
    // to the database (a masked internal error, or a REST 500). Now: a typed refusal, or nothing found.
    describe('U+0000 in any string input', () => {
      const N = 'a\u0000b';
      const records = { company: 'acme', group: 'fuzz', endpoint: 'records' };
      const task = { company: 'acme', group: 'fuzz', endpoint: 'task' };
      const fresh = (group: string) => ({ company: 'acme', group, endpoint: 'nul' });
      const failStep = (rest: string) =>
        `configureEndpoint(input: { path: $p, allowDeleting: true, delete: { task: { ${rest} } } }) { recordCount }`;
      it.each<[string, string, Record<string, unknown>, string | null]>([
        [
          'queueMessages(queue)',
          'query($v: String!) { r: queueMessages(queue: $v) { edges { cursor } } }',
          { v: N },
          null,
        ],
        [
          'afterCommitTasks(entityId)',
          'query($v: ID) { r: afterCommitTasks(entityId: $v) { edges { cursor } } }',
          { v: N },
          null,
        ],
        [
          'deletionEvents(filter.entityId)',
          'query($v: ID) { r: deletionEvents(filter: { entityId: $v }) { edges { cursor } } }',
          { v: N },
          null,
        ],
        ['wrapper(id)', 'query($v: ID!) { r: wrapper(id: $v) { id } }', { v: N }, null],
        [
          'resources(after)',
          'query($v: String) { r: resources(after: $v) { edges { cursor } } }',
          { v: N },
          'VALIDATION_FAILED',
        ],
        [
          'createWorkspace(name)',
          'mutation($v: String!) { r: createWorkspace(name: $v) { id } }',
          { v: N },
          'VALIDATION_FAILED',
        ],
        [
          'createApiKey(name)',
          'mutation($v: String!) { r: createApiKey(input: { name: $v, scopes: ["events:read"] }) { key } }',
          { v: N },
          'VALIDATION_FAILED',
        ],
        [
          'createApiKey(workspaceId)',
          'mutation($v: ID) { r: createApiKey(input: { name: "k", scopes: [], workspaceId: $v }) { key } }',
          { v: N },
          'NOT_FOUND',
        ],
        ['revokeApiKey(id)', 'mutation($v: ID!) { r: revokeApiKey(id: $v) { id } }', { v: N }, 'NOT_FOUND'],
        [
          'createResource(name)',
          'mutation($v: String!) { r: createResource(input: { name: $v }) { id } }',
          { v: N },
          'VALIDATION_FAILED',
        ],
        [
          'insertEndpointRecords(data value)',
          'mutation($p: EndpointPathInput!, $d: JSON!) { r: insertEndpointRecords(path: $p, records: [{ data: $d }]) { id } }',
          { p: records, d: { x: N } },
          'VALIDATION_FAILED',
        ],
        [
          'insertEndpointRecords(data key)',
          'mutation($p: EndpointPathInput!, $d: JSON!) { r: insertEndpointRecords(path: $p, records: [{ data: $d }]) { id } }',
          { p: records, d: { [N]: 1 } },
          'VALIDATION_FAILED',
        ],
        [
          'runEndpointDeleteTask(input)',
          'mutation($p: EndpointPathInput!, $i: JSON) { r: runEndpointDeleteTask(path: $p, input: $i) { ... on ValidationError { code field } } }',
          { p: task, i: { Name: N } },
          null,
        ],
        [
          'configureEndpoint(fail message)',
          `mutation($p: EndpointPathInput!, $v: String) { r: ${failStep('steps: [{ name: "f", kind: FAIL, config: { message: "x" } }], failMessage: { rules: [], defaultMessage: $v }')} }`,
          { p: fresh('nul1'), v: N },
          'VALIDATION_FAILED',
        ],
        [
          'configureEndpoint(step name)',
          `mutation($p: EndpointPathInput!, $v: String!) { r: ${failStep('steps: [{ name: $v, kind: FAIL, config: { message: "x" } }]')} }`,
          { p: fresh('nul2'), v: N },
          'VALIDATION_FAILED',
        ],
        [
          'configureEndpoint(step config)',
          `mutation($p: EndpointPathInput!, $v: JSON) { r: ${failStep('steps: [{ name: "f", kind: FAIL, config: $v }]')} }`,
          { p: fresh('nul3'), v: { message: N } },
          'VALIDATION_FAILED',
        ],
        [
          'createParserResult(data key)',
          'mutation($d: JSON!) { r: createParserResult(input: { files: [], data: $d }) { requestId } }',
          { d: { [N]: [1] } },
          'VALIDATION_FAILED',
        ],
      ])('%s', async (_field, query, variables, code) => {
        const res = await gql(gw.server, query, variables);
        expect(res.status).toBeLessThan(500);
        expect(JSON.stringify(res.body)).not.toMatch(/INTERNAL_SERVER_ERROR/);
        if (code === null) {
          expect(res.body.errors).toBeUndefined();
          const r = (res.body.data as { r: unknown }).r;
          // nothing has such an id, or the task input is refused as the seed's 400 would be
          expect([null, { edges: [] }, { code: 'VALIDATION_FAILED', field: 'Name' }]).toContainEqual(r);
        } else {
          expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
        }
      });

      it('createDataset(keys) refuses it', async () => {
        await expect(createDataset(gw.server, { keys: [N] })).rejects.toThrow(/VALIDATION_FAILED/);
      });

      it("the endpoint task's query parameter answers 400 naming the field, not 500", async () => {
        const res = await fetch(`${gw.server.origin}/acme/fuzz/task?name=a%00b`, {
          method: 'DELETE',
          headers: { 'x-api-key': gw.server.adminKey },
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ detail: expect.stringMatching(/^Query parameter 'name' \(field 'Name'\)/) });
      });
    });

    // Found by the fuzzer: parser result data nested tens of thousands of levels deep got a masked
    // internal error (JSON.stringify and PostgreSQL's jsonb parser run out of stack). Every JSON
    // input now refuses more than MAX_JSON_DEPTH levels, as a variable or a literal; nothing is stored.
    describe(`JSON inputs nested deeper than ${MAX_JSON_DEPTH} levels`, () => {
      const nested = (depth: number): unknown => {
        let v: unknown = 1;
        for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
        return v;
      };
      const CREATE = 'mutation($d: JSON!) { r: createParserResult(input: { files: [], data: $d }) { requestId } }';
      /** The request body as text: the test's own JSON.stringify could not write 100,000 levels. */
      const sendNested = async (depth: number) => {
        const data = `{"top":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`;
        const res = await fetch(gw.server.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${gw.server.adminKey}`, 'content-type': 'application/json' },
          body: `{"query":${JSON.stringify(CREATE)},"variables":{"d":${data}}}`,
        });
        return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: unknown[] } };
      };

      it.each([MAX_JSON_DEPTH + 1, 100_000])(
        '%i levels as a variable: BAD_USER_INPUT, nothing stored',
        async (depth) => {
          const res = await sendNested(depth);
          expect(res.status).toBe(400);
          expect(res.body.errors).toEqual([
            expect.objectContaining({
              message: expect.stringContaining(`at most ${MAX_JSON_DEPTH} levels deep`),
              extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
            }),
          ]);
          expect(res.body.data).toBeUndefined();
        },
      );

      it(`exactly ${MAX_JSON_DEPTH} levels is stored and read back as sent`, async () => {
        const data = { top: nested(MAX_JSON_DEPTH - 1) };
        const { r } = (await gqlOk(gw.server, CREATE, { d: data })) as { r: { requestId: string } };
        const back = (await gqlOk(gw.server, 'query($id: ID!) { parserResult(requestId: $id) { data } }', {
          id: r.requestId,
        })) as { parserResult: { data: unknown } };
        expect(back.parserResult.data).toEqual(data);
      });

      it('a literal in the document is bounded too', async () => {
        const literal = `${'{a: '.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`;
        const res = await gql(
          gw.server,
          `mutation { r: createParserResult(input: { files: [], data: ${literal} }) { requestId } }`,
        );
        expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
        expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`at most ${MAX_JSON_DEPTH} levels deep`));
      });
    });

    it(
      `${ONLY ? ONLY.length : RUNS} generated requests: alive, no 5xx or masked internal error, no internals, typed errors, RSS back within 20%`,
      async () => {
        const server = gw.server;
        const pid = server.process.pid!;
        const port = Number(new URL(server.origin).port);
        const arbitrary = fuzzRequests(schema, fixtures);
        console.log(`[fuzz] seed ${SEED}, ${RUNS} runs (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
        // Generated batch by batch (batch b: seed SEED + b), so a run holds one batch at a time.
        const batchOf = (b: number) =>
          fc
            .sample(arbitrary, { seed: SEED + b, numRuns: Math.min(BATCH, RUNS - b * BATCH) })
            .map((req, k) => ({ index: b * BATCH + k, req }))
            .filter((r) => !ONLY || ONLY.includes(r.index));
        const batches = Math.ceil(RUNS / BATCH);
        // Ordinary traffic and a few hundred generated requests of another seed: caches, pools and
        // compiled code reach their working size before the first reading, and again before the last.
        const warmup = [
          ...ordinaryRequests(fixtures),
          ...fc.sample(arbitrary, { seed: SEED - 1, numRuns: WARMUP_RUNS }),
        ].map((req, index) => ({ index, req }));

        /** Stops the run at once when the server died, with its last words. */
        const stillAlive = () => {
          if (processAlive(pid)) return;
          const last = server.logs.slice(-30).map((l) => `    ${JSON.stringify(l).slice(0, 2000)}`);
          throw new Error(`the gateway died (seed ${SEED}); its last log lines:\n${last.join('\n')}`);
        };
        const warmedUp = await fire(port, warmup, CONCURRENCY);
        stillAlive();
        const rssStart = await rssAfterGc(server);
        const started = Date.now();
        let rssPeak = rssStart;
        /** after each batch and a full GC: a leak climbs, a high-water mark levels off */
        const rssSeries: number[] = [];
        const outcomes: Outcome[] = [];
        for (let b = 0; b < batches; b++) {
          outcomes.push(...(await fire(port, batchOf(b), CONCURRENCY)));
          stillAlive();
          rssPeak = Math.max(rssPeak, rssNow(pid));
          rssSeries.push(await rssAfterGc(server));
          console.log(
            `[fuzz] ${outcomes.length} sent, ${outcomes.filter((o) => o.problems.length).length} with problems`,
          );
        }
        const seconds = (Date.now() - started) / 1000;
        warmedUp.push(...(await fire(port, warmup, CONCURRENCY)));
        stillAlive();
        const rssEnd = await rssAfterGc(server);

        const statuses = new Map<number, number>();
        for (const o of outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
        const masked = outcomes.filter((o) => o.masked);
        const failed = outcomes.filter((o) => o.problems.length > 0);
        const errorLogs = server.logs.filter((l) => typeof l.level === 'number' && l.level >= 50);
        console.log(
          [
            `[fuzz] seed ${SEED}: ${outcomes.length} requests in ${seconds.toFixed(1)} s (${Math.round(outcomes.length / seconds)}/s)`,
            `  statuses: ${[...statuses]
              .sort((a, b) => a[0] - b[0])
              .map(([s, n]) => `${s}x${n}`)
              .join(' ')}`,
            `  RSS: ${rssStart} MB after warm-up and a full GC, peak ${rssPeak} MB between batches, ${rssEnd} MB after the final warm-up and a full GC`,
            `  RSS after each batch of ${BATCH} and a full GC: ${rssSeries.join(' ')}`,
            `  masked internal errors: ${masked.length}`,
            ...masked.slice(0, 20).map((o) => `      #${o.index} ${describeRequest(o.req!).slice(0, 600)}`),
            `  requests with problems: ${failed.length}`,
            ...report(failed),
            `  server log lines at error level: ${errorLogs.length}`,
            ...errorLogs.slice(0, 20).map((l) => `      ${JSON.stringify(l).slice(0, 400)}`),
          ].join('\n'),
        );

        expect(processAlive(pid)).toBe(true);
        expect((await fetch(`${server.origin}/health`)).status).toBe(200);
        expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
        await gqlOk(server, ADMIN_STILL_WORKS);
        // the warm-up must pass as well as the run
        expect(
          warmedUp
            .filter((o) => o.problems.length || o.masked)
            .map((o) => `warm-up ${describeRequest(o.req!)}: ${o.problems.join('; ') || 'masked internal error'}`),
        ).toEqual([]);
        expect(failed.map((o) => `#${o.index} ${o.problems.join('; ')}`)).toEqual([]);
        expect(masked.map((o) => `#${o.index} ${describeRequest(o.req!)}`)).toEqual([]);
        expect(rssEnd).toBeLessThanOrEqual(rssStart * 1.2);
      },
      30 * 60_000,
    );
  },
);
