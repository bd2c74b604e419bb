// `npm run bench`: starts everything it measures on this machine (gateways on PostgreSQL and
// PGlite, PostGraphile 5, the fan-out references), runs the cases of issue 5 interleaved,
// prints a table and writes bench/results.json. See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  BENCH_WORKSPACE,
  CONCURRENCY,
  cpuMsPerRequest,
  type DeleteRun,
  type DeleteTarget,
  gatewayOnPglite,
  gatewayOnPostgres,
  postgraphilePeer,
  preparePostGraphileDatabase,
  rawSqlBound,
  runInterleaved,
} from './cases/deletes.js';
import { measureDeleteAll, measureTaskRuns } from './cases/endpoints.js';
import {
  type FanoutResult,
  gatewayFanoutTarget,
  KEY_PLACEHOLDER,
  referenceFanoutTarget,
  runFanout,
} from './cases/fanout.js';
import { measureImageDeletes, measureWaitOverhead } from './cases/images.js';
import { measureListStatements } from './cases/list.js';
import { measureLargeDelete, prepareSmallResults, runSmallDeletes } from './cases/parser.js';
import {
  checkReport,
  createDatasets,
  type DatasetShape,
  EXPIRED,
  FAR_FUTURE,
  leftovers,
  measurePurge,
  type PurgeMeasurement,
  purgedRows,
  rawSqlDelete,
  readBaseline,
  rowsPerDataset,
  settle,
} from './cases/purge.js';
import { compileBenchScripts } from './support/compile.js';
import { type Gateway, type GatewayRuntime, prepareGatewayRuntime, startGateway } from './support/gateway.js';
import { type LoadResult, throughput } from './support/load.js';
import {
  ADMIN_URL,
  adminWorkspace,
  applyProjectMigrations,
  type BenchDatabase,
  cloneDatabase,
  createDatabase,
} from './support/postgres.js';
import { announcedUrl, projectRoot, type ServerProcess, startNodeProcess } from './support/processes.js';
import { median, rounded, sleep, summarize } from './support/stats.js';

const env = process.env;
const KNOWN_CASES = ['deletes', 'list', 'fanout', 'parser', 'purge', 'images', 'endpoints'];
/** purge is left out: it creates 3,001 datasets through the API and takes 75–95 s on 2 cores */
const DEFAULT_CASES = 'deletes,list,fanout,parser,images,endpoints';
const options = {
  rounds: Number(env.BENCH_ROUNDS ?? 3),
  runSeconds: Number(env.BENCH_RUN_SECONDS ?? 4),
  warmupSeconds: Number(env.BENCH_WARMUP_SECONDS ?? 2),
  fanoutSeconds: Number(env.BENCH_FANOUT_SECONDS ?? 10),
  fanoutIntervalMs: 50,
  fanoutRounds: Number(env.BENCH_FANOUT_ROUNDS ?? 1),
  subscribers: Number(env.BENCH_SUBSCRIBERS ?? 1000),
  subscribersLarge: Number(env.BENCH_SUBSCRIBERS_LARGE ?? 5000),
  /** write V8 CPU profiles of the gateways into this directory */
  cpuProfileDir: env.BENCH_CPU_PROFILE_DIR ? path.resolve(env.BENCH_CPU_PROFILE_DIR) : null,
  /** expired datasets the purge case removes per run (issue 10: 1,000) */
  purgeDatasets: Number(env.BENCH_PURGE_DATASETS ?? 1000),
  purgeDimensions: Number(env.BENCH_PURGE_DIMENSIONS ?? 128),
  /** clients of the read loop that runs during a purge */
  purgeReadClients: Number(env.BENCH_PURGE_READ_CLIENTS ?? 4),
  /** PURGE_BATCH_ROWS for the purge case's gateways (the gateway's default when unset) */
  purgeBatchRows: env.BENCH_PURGE_BATCH_ROWS ? Number(env.BENCH_PURGE_BATCH_ROWS) : null,
  /** comma-separated subset of deletes,list,fanout,parser,purge,images,endpoints */
  cases: new Set((env.BENCH_CASES ?? DEFAULT_CASES).split(',').map((c) => c.trim())),
};

const resultsFile = path.join(projectRoot, 'bench/results.json');
let runtime: GatewayRuntime = 'tsx';
let compiled = (script: string) => script;
const log = (line: string) => console.log(line);

/** Undone in reverse order at the end, on failure and on Ctrl-C. */
const cleanups: Array<() => Promise<unknown>> = [];
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()!().catch((err: Error) => console.error(`cleanup: ${err.message}`));
}
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

async function database(role: string): Promise<BenchDatabase> {
  const db = await createDatabase(role);
  cleanups.push(() => db.drop());
  return db;
}

async function gateway(
  name: string,
  databaseUrl: string,
  more: Pick<Parameters<typeof startGateway>[0], 'exposeSqlCount' | 'env' | 'blobDir' | 'adminKey'> = {},
): Promise<Gateway> {
  // One directory per gateway: node writes a profile per thread (main and tsx's loader).
  const nodeFlags = options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.cpuProfileDir, name)}`]
    : [];
  const g = await startGateway({ name, runtime, databaseUrl, nodeFlags, ...more });
  cleanups.push(() => g.stop());
  return g;
}

async function peer(name: string, script: string, env: Record<string, string>): Promise<ServerProcess> {
  const p = await startNodeProcess({
    name,
    script: compiled(script),
    env: { NODE_ENV: 'production', ...env },
    readyUrl: announcedUrl,
  });
  cleanups.push(() => p.stop());
  return p;
}

const medianRate = (runs: LoadResult[]) => median(runs.map(throughput));

/** Per-round ratios, so a slow moment of the machine hits both sides of a ratio alike. */
function medianRatio(a: LoadResult[], b: LoadResult[]) {
  return median(a.map((run, i) => throughput(run) / throughput(b[i]!)));
}

async function deletionCases(results: Record<string, number | null>, context: Record<string, unknown>) {
  log('\nCases 1, 4, 5: deleteResource at concurrency 16');
  const [gwDb, rawDb, pglDb] = await Promise.all([database('gateway'), database('rawsql'), database('postgraphile')]);
  await Promise.all([applyProjectMigrations(rawDb), preparePostGraphileDatabase(pglDb)]);

  const gw = await gateway('gateway-postgres', gwDb.url);
  const pglite = await gateway('gateway-pglite', 'memory://');
  const postgraphile = await peer('postgraphile', 'bench/peers/postgraphile.ts', {
    DATABASE_URL: pglDb.url,
    POOL_MAX: '20',
  });
  await sleep(2000);
  results.idle_rss_mb = rounded(gw.rssMb());
  context.pglite_idle_rss_mb = rounded(pglite.rssMb());
  context.postgraphile_idle_rss_mb = rounded(postgraphile.rssMb());

  const workspaceId = await adminWorkspace(gwDb);
  const targets: DeleteTarget[] = [
    gatewayOnPostgres(gw, gwDb, workspaceId),
    postgraphilePeer(postgraphile, pglDb),
    rawSqlBound(rawDb),
    gatewayOnPglite(pglite),
    rawSqlBound(rawDb, false),
  ];
  for (const t of targets) cleanups.push(() => t.close());

  const runs = await runInterleaved(targets, {
    rounds: options.rounds,
    runMs: options.runSeconds * 1000,
    warmupMs: options.warmupSeconds * 1000,
    servers: { gateway: gw, pglite, postgraphile },
    log,
  });
  const gwRuns = runs.get('gateway')!;
  const pglRuns = runs.get('postgraphile')!;
  const rawRuns = runs.get('rawsql')!;
  const pgliteRuns = runs.get('pglite')!;

  results.delete_rps = rounded(medianRate(gwRuns));
  results.postgraphile_rps = rounded(medianRate(pglRuns));
  results.rawsql_tps = rounded(medianRate(rawRuns));
  results.delete_vs_postgraphile = rounded(medianRatio(gwRuns, pglRuns), 2);
  results.delete_vs_rawsql = rounded(medianRatio(gwRuns, rawRuns), 2);
  results.delete_p99_ms = rounded(summarize(gwRuns.flatMap((r) => r.latenciesMs)).p99, 2);
  const cpuPerRequest = (rs: DeleteRun[]) => median(rs.map(cpuMsPerRequest));
  results.delete_cpu_ms_per_request = rounded(cpuPerRequest(gwRuns), 3);
  results.postgraphile_cpu_ms_per_request = rounded(cpuPerRequest(pglRuns), 3);
  results.pglite_delete_rps = rounded(medianRate(pgliteRuns));
  results.load_rss_mb = rounded(gw.rssMb());
  context.rawsql_without_notify_tps = rounded(medianRate(runs.get('rawsql-without-notify')!));

  const latency = (rs: LoadResult[]) => {
    const s = summarize(rs.flatMap((r) => r.latenciesMs));
    return { p50_ms: rounded(s.p50, 2), p99_ms: rounded(s.p99, 2) };
  };
  context.deletes = Object.fromEntries(
    [...runs].map(([name, rs]) => [
      name,
      {
        per_round: rs.map((r) => rounded(throughput(r))),
        ...latency(rs),
        failed: rs.reduce((n, r) => n + r.failed, 0),
        first_error: rs.find((r) => r.firstError)?.firstError ?? null,
        cpu_ms_per_request: rs[0]!.serverCpuMs === null ? null : rs.map((r) => rounded(cpuMsPerRequest(r), 3)),
        cores_used: Object.fromEntries(
          Object.keys(rs[0]!.cores).map((k) => [k, rounded(median(rs.map((r) => r.cores[k]!)), 2)]),
        ),
      },
    ]),
  );
  context.pglite_load_rss_mb = rounded(pglite.rssMb());
  context.postgraphile_load_rss_mb = rounded(postgraphile.rssMb());

  // Every successful deletion must have written its event and its outbox message.
  const count = async (db: BenchDatabase, table: string) =>
    Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const deleted = async (db: BenchDatabase) =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM resource WHERE deleted')).rows[0]!.n);
  const checks = {
    gateway: {
      deleted: await deleted(gwDb),
      events: await count(gwDb, 'deletion_event'),
      messages: await count(gwDb, 'queue_message'),
    },
    rawsql: {
      deleted: await deleted(rawDb),
      events: await count(rawDb, 'deletion_event'),
      messages: await count(rawDb, 'queue_message'),
    },
    postgraphile: { deleted: await deleted(pglDb) },
  };
  context.side_effect_checks = checks;
  for (const [name, c] of Object.entries(checks)) {
    if ('events' in c && (c.events !== c.deleted || c.messages !== c.deleted)) {
      log(`  WARNING ${name}: ${c.deleted} deleted resources but ${c.events} events and ${c.messages} queue messages`);
    }
  }
  await Promise.all([gw.stop(), pglite.stop(), postgraphile.stop()]);
}

async function listCase(results: Record<string, number | null>, context: Record<string, unknown>) {
  log('\nCase 2: resources(first: 100) with wrapper and execution log');
  const db = await database('list');
  // Counting statements keeps an AsyncLocalStorage busy on every promise: only this gateway does.
  const gw = await gateway('gateway-list', db.url, { exposeSqlCount: true });
  const list = await measureListStatements(gw, db, await adminWorkspace(db));
  results.list_sql_statements = list.statements;
  context.list_median_ms = rounded(list.medianMs, 2);
  log(`  ${list.statements} SQL statements per request (${list.medianMs.toFixed(1)} ms)`);
  await gw.stop();
}

async function fanoutCase(results: Record<string, number | null>, context: Record<string, unknown>) {
  const db = await database('events');
  const gw = await gateway('gateway-events', db.url);
  const workspaceId = await adminWorkspace(db);

  log(`\nCase 3: fan-out, one event every ${options.fanoutIntervalMs} ms for ${options.fanoutSeconds} s`);
  const fanout = {
    clientScript: compiled('bench/clients/subscribers.ts'),
    subscribers: options.subscribers,
    events: Math.round((options.fanoutSeconds * 1000) / options.fanoutIntervalMs),
    intervalMs: options.fanoutIntervalMs,
    drainTimeoutMs: 30_000,
    log,
  };
  const gatewayTarget = await gatewayFanoutTarget(gw, db, workspaceId);
  cleanups.push(() => gatewayTarget.close());
  const yoga = await peer('yoga-pubsub', 'bench/peers/yoga-pubsub.ts', {});
  const yogaTarget = referenceFanoutTarget('yoga', yoga, 'graphql-ws');
  cleanups.push(() => yogaTarget.close());

  const byTarget = new Map<string, FanoutResult[]>();
  const record = (r: FanoutResult) => {
    byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
    log(
      `  ${r.target} x${r.connected}: p50 ${r.latency.p50.toFixed(1)} ms, p99 ${r.latency.p99.toFixed(1)} ms,` +
        ` ${r.delivered}/${r.expected} delivered, trigger p99 ${r.triggerMs.p99.toFixed(1)} ms,` +
        ` RSS ${r.subscribedRssMb.toFixed(0)} MB subscribed, ${r.peakRssMb.toFixed(0)} MB peak`,
    );
    return r;
  };

  // The raw-ws reference sends a real gateway frame, so the gateway goes first.
  const first = record(await runFanout(gatewayTarget, fanout));
  if (!first.sampleFrame) throw new Error('the gateway delivered no event frame');
  const template = first.sampleFrame
    .replace(/"entityId":"[0-9a-f]{24}"/, `"entityId":"${KEY_PLACEHOLDER}"`)
    .replace(/"resource_id":"[0-9a-f]{24}"/, `"resource_id":"${KEY_PLACEHOLDER}"`);
  context.fanout_message_bytes = Buffer.byteLength(first.sampleFrame);
  const rawWs = await peer('raw-ws', 'bench/peers/raw-ws.ts', { MESSAGE_TEMPLATE: template, KEY_PLACEHOLDER });
  const rawTarget = referenceFanoutTarget('rawws', rawWs, 'raw');
  cleanups.push(() => rawTarget.close());

  const rotation = [rawTarget, yogaTarget, gatewayTarget];
  for (let round = 0; round < options.fanoutRounds; round++) {
    const order = round === 0 ? rotation.slice(0, 2) : rotation.map((_, i) => rotation[(i + round) % rotation.length]!);
    for (const target of order) record(await runFanout(target, fanout));
  }
  // 5,000: the reference side by side with the gateway.
  record(await runFanout(rawTarget, { ...fanout, subscribers: options.subscribersLarge }));
  record(await runFanout(gatewayTarget, { ...fanout, subscribers: options.subscribersLarge }));

  const pick = (name: string, subscribers: number) => byTarget.get(name)!.filter((r) => r.subscribers === subscribers);
  const p99 = (rs: FanoutResult[]) => median(rs.map((r) => r.latency.p99));
  const gw1k = pick('gateway', options.subscribers);
  const raw1k = pick('rawws', options.subscribers);
  const yoga1k = pick('yoga', options.subscribers);
  const gw5k = pick('gateway', options.subscribersLarge);
  results.fanout_p50_ms = rounded(median(gw1k.map((r) => r.latency.p50)), 2);
  results.fanout_p99_ms = rounded(p99(gw1k), 2);
  results.fanout_rss_mb = rounded(Math.max(...gw1k.map((r) => r.peakRssMb)));
  results.rawws_fanout_p99_ms = rounded(p99(raw1k), 2);
  results.yoga_fanout_p99_ms = rounded(p99(yoga1k), 2);
  results.yoga_fanout_rss_mb = rounded(Math.max(...yoga1k.map((r) => r.peakRssMb)));
  results.fanout_vs_rawws = rounded(p99(gw1k) / p99(raw1k), 2);
  results.fanout_p99_ms_5k = rounded(p99(gw5k), 2);
  const raw5k = pick('rawws', options.subscribersLarge);
  results.rawws_fanout_p99_ms_5k = rounded(p99(raw5k), 2);
  results.fanout_vs_rawws_5k = rounded(p99(gw5k) / p99(raw5k), 2);
  // The deletions that cause the events (one every 50 ms), answered while their events fan out.
  results.delete_p99_during_fanout_ms = rounded(median(gw1k.map((r) => r.triggerMs.p99)), 2);
  results.delete_p99_during_fanout_ms_5k = rounded(median(gw5k.map((r) => r.triggerMs.p99)), 2);
  // What one more subscriber costs the gateway: RSS once all are subscribed, minus before they connected.
  results.fanout_rss_per_subscriber_kb = rounded(
    median(gw5k.map((r) => ((r.subscribedRssMb - r.idleRssMb) * 1024) / r.connected)),
    1,
  );
  context.fanout = [...byTarget.values()].flat().map((r) => ({
    target: r.target,
    subscribers: r.connected,
    events: r.events,
    delivered: `${r.delivered}/${r.expected}`,
    complete: r.complete,
    p50_ms: rounded(r.latency.p50, 2),
    p90_ms: rounded(r.latency.p90, 2),
    p99_ms: rounded(r.latency.p99, 2),
    max_ms: rounded(r.latency.max, 2),
    trigger_p50_ms: rounded(r.triggerMs.p50, 2),
    trigger_p99_ms: rounded(r.triggerMs.p99, 2),
    connect_s: rounded(r.connectMs / 1000, 1),
    subscribed_rss_mb: rounded(r.subscribedRssMb),
    peak_rss_mb: rounded(r.peakRssMb),
    trigger_errors: r.triggerErrors,
    first_trigger_error: r.firstTriggerError,
  }));
}

async function parserCase(results: Record<string, number | null>, context: Record<string, unknown>) {
  log(`\nCase 6: parser results (seed 002), DELETE /files at concurrency ${CONCURRENCY}`);
  const db = await database('parser');
  const gw = await gateway('gateway-parser', db.url);
  const perRound = Math.max(500, Math.round(options.runSeconds * 800));
  const ids = await prepareSmallResults(gw, perRound * (options.rounds + 1), CONCURRENCY);
  const runs: LoadResult[] = [];
  // The first round warms up; the rest are measured.
  for (let round = 0; round <= options.rounds; round++) {
    const run = await runSmallDeletes(gw, ids.splice(0, perRound), CONCURRENCY, options.runSeconds * 1000);
    if (round > 0) runs.push(run);
    if (run.exhausted) log('  WARNING: the prepared parser results ran out before the time did');
  }
  results.parser_delete_rps = rounded(medianRate(runs));
  context.parser_delete = {
    per_round: runs.map((r) => rounded(throughput(r))),
    p99_ms: rounded(summarize(runs.flatMap((r) => r.latenciesMs)).p99, 2),
    failed: runs.reduce((n, r) => n + r.failed, 0),
    first_error: runs.find((r) => r.firstError)?.firstError ?? null,
  };
  const large = await measureLargeDelete(gw);
  results.parser_large_delete_ms = rounded(large.ms, 1);
  results.parser_large_delete_rss_mb = rounded(large.peakRssMb);
  log(
    `  ${results.parser_delete_rps} deletions/s; 10,000 rows + 200 files: ${results.parser_large_delete_ms} ms, peak RSS ${results.parser_large_delete_rss_mb} MB`,
  );
  await gw.stop();
}

/** The gateway's default PURGE_BATCH_ROWS (src/config), for the batched raw SQL reference. */
const GATEWAY_PURGE_BATCH_ROWS = 10_000;
/** The purge's cap on datasets per batch (MAX_DATASETS_PER_BATCH in src/services/dataset-purge.ts). */
const GATEWAY_PURGE_MAX_DATASETS = 500;

async function purgeCase(results: Record<string, number | null>, context: Record<string, unknown>) {
  const shape: DatasetShape = {
    items: 100,
    keys: 5,
    vectors: 10,
    dimensions: options.purgeDimensions,
    fileBytes: 2048,
  };
  const n = options.purgeDatasets;
  const rows = n * rowsPerDataset(shape);
  log(
    `\nCase 7: purge of ${n} expired datasets (${shape.items} items, ${shape.keys} keys, ${shape.vectors} vectors of ${shape.dimensions} each: ${rows} rows)`,
  );
  const purgeEnv: Record<string, string> = { PURGE_CRON: 'off' };
  if (options.purgeBatchRows) purgeEnv.PURGE_BATCH_ROWS = String(options.purgeBatchRows);
  const batchRows = options.purgeBatchRows ?? GATEWAY_PURGE_BATCH_ROWS;
  const createConcurrency = 8;
  const perSecond = (count: number, ms: number) => rounded((count * 1000) / ms);
  const latency = (r: LoadResult) => {
    const s = summarize(r.latenciesMs);
    return {
      requests: r.ok,
      failed: r.failed,
      first_error: r.firstError,
      p50_ms: rounded(s.p50, 2),
      p99_ms: rounded(s.p99, 2),
      max_ms: rounded(s.max, 2),
      rps: rounded(throughput(r)),
    };
  };
  const purgeFacts = (m: PurgeMeasurement) => ({
    wall_ms: rounded(m.wallMs, 1),
    gateway_duration_ms: m.report.durationMs,
    rows: purgedRows(m.report),
    rows_per_s: perSecond(purgedRows(m.report), m.wallMs),
    report: m.report,
    rss_before_mb: rounded(m.rssBeforeMb),
    rss_peak_mb: rounded(m.peakRssMb),
    ...(m.reads ? { reads: latency(m.reads) } : {}),
  });
  const purgeContext: Record<string, unknown> = {
    datasets: n,
    shape,
    rows,
    read_clients: options.purgeReadClients,
    purge_batch_rows: batchRows,
  };
  context.purge = purgeContext;

  // ---- PostgreSQL ----
  const db = await database('purge');
  const setup = await gateway('gateway-purge-setup', db.url, { env: purgeEnv });
  let started = performance.now();
  const [liveId] = await createDatasets(setup, shape, 1, null, 1);
  const first = await createDatasets(setup, shape, n, EXPIRED, createConcurrency);
  // The second run's datasets: not expired until the first run is over (then marked by SQL).
  const second = await createDatasets(setup, shape, n, FAR_FUTURE, createConcurrency);
  const createMs = performance.now() - started;
  purgeContext.postgres_create_s = rounded(createMs / 1000, 1);
  log(`  PostgreSQL: created ${2 * n + 1} datasets through the API in ${(createMs / 1000).toFixed(1)} s`);

  // The raw SQL references delete the same rows from copies of this database, which the server
  // can make only while nothing is connected to it: the gateway restarts on its rows and blobs.
  await setup.stop();
  const rawDb = await cloneDatabase(db, 'purge_rawsql');
  cleanups.push(() => rawDb.drop());
  const batchedDb = await cloneDatabase(db, 'purge_rawsql_batched');
  cleanups.push(() => batchedDb.drop());
  const gw = await gateway('gateway-purge', db.url, {
    env: purgeEnv,
    blobDir: setup.blobDir,
    adminKey: setup.adminKey,
  });
  for (const d of [db, rawDb, batchedDb]) await settle(d);
  await readBaseline(gw, liveId!, 1, 1000); // warms the read path up
  await sleep(1000);
  purgeContext.postgres_idle_rss_mb = rounded(gw.rssMb());

  // Run 1: the purge alone (rate, RSS), then the references alone.
  const alone = await measurePurge(gw, null);
  checkReport('PostgreSQL', alone.report, n, shape);
  const left = await leftovers(db, first);
  const raw = await rawSqlDelete(rawDb, first);
  const perTransaction = Math.min(GATEWAY_PURGE_MAX_DATASETS, Math.ceil(batchRows / rowsPerDataset(shape)));
  const batched = await rawSqlDelete(batchedDb, first, perTransaction);
  for (const [name, r] of [
    ['rawsql', raw],
    ['rawsql batched', batched],
  ] as const) {
    if (r.rows !== rows) throw new Error(`${name}: deleted ${r.rows} rows, expected ${rows}`);
  }
  purgeContext.postgres = purgeFacts(alone);
  purgeContext.postgres_after = left;
  if (
    left.datasets + left.items + left.keys + left.vectors !== 0 ||
    left.purged_events !== n ||
    left.blob_tasks !== n
  ) {
    throw new Error(
      `PostgreSQL: after the purge ${JSON.stringify(left)}; expected no rows, ${n} PURGED events and ${n} blob tasks`,
    );
  }
  purgeContext.rawsql = { ms: rounded(raw.ms, 1), rows_per_s: perSecond(raw.rows, raw.ms), transactions: 1 };
  purgeContext.rawsql_batched = {
    ms: rounded(batched.ms, 1),
    rows_per_s: perSecond(batched.rows, batched.ms),
    datasets_per_transaction: perTransaction,
    transactions: Math.ceil(n / perTransaction),
  };
  results.purge_rows_per_s = perSecond(purgedRows(alone.report), alone.wallMs);
  results.rawsql_rows_per_s = perSecond(raw.rows, raw.ms);
  results.purge_vs_rawsql = rounded(raw.ms / alone.wallMs, 2);
  results.purge_rss_mb = rounded(alone.peakRssMb);
  log(
    `  PostgreSQL purge: ${alone.report.datasets} datasets, ${purgedRows(alone.report)} rows in ${alone.wallMs.toFixed(0)} ms` +
      ` (${results.purge_rows_per_s} rows/s), RSS ${alone.rssBeforeMb.toFixed(0)} -> peak ${alone.peakRssMb.toFixed(0)} MB;` +
      ` raw SQL ${raw.ms.toFixed(0)} ms in one transaction, ${batched.ms.toFixed(0)} ms in ${perTransaction}-dataset transactions`,
  );

  // Run 2: the second population, marked now, purged while a read loop runs.
  await db.pool.query(`UPDATE dataset SET expires_at = $2::timestamptz WHERE id = ANY($1::text[])`, [second, EXPIRED]);
  await settle(db);
  const pgBaseline = await readBaseline(gw, liveId!, options.purgeReadClients, 3000);
  const underReads = await measurePurge(gw, { liveId: liveId!, clients: options.purgeReadClients });
  checkReport('PostgreSQL, with reads', underReads.report, n, shape);
  purgeContext.postgres_reads_before = latency(pgBaseline);
  purgeContext.postgres_with_reads = purgeFacts(underReads);
  results.request_p99_during_purge_ms = rounded(summarize(underReads.reads!.latenciesMs).p99, 2);
  log(
    `  PostgreSQL purge with ${options.purgeReadClients} read clients: ${underReads.wallMs.toFixed(0)} ms;` +
      ` reads p50/p99 ${summarize(underReads.reads!.latenciesMs).p50.toFixed(1)}/${results.request_p99_during_purge_ms} ms` +
      ` (${underReads.reads!.ok} served, ${underReads.reads!.failed} failed), before: ${summarize(pgBaseline.latenciesMs).p50.toFixed(1)}/${summarize(pgBaseline.latenciesMs).p99.toFixed(1)} ms`,
  );
  await gw.stop();

  // ---- PGlite: the gateway owns its database, so everything goes through the API ----
  const pglite = await gateway('gateway-purge-pglite', 'memory://', { env: purgeEnv });
  await sleep(1000);
  purgeContext.pglite_idle_rss_mb = rounded(pglite.rssMb());
  started = performance.now();
  const [pgliteLiveId] = await createDatasets(pglite, shape, 1, null, 1);
  await createDatasets(pglite, shape, n, EXPIRED, createConcurrency);
  purgeContext.pglite_create_s = rounded((performance.now() - started) / 1000, 1);
  const pgliteBaseline = await readBaseline(pglite, pgliteLiveId!, options.purgeReadClients, 3000);
  await sleep(1000);
  const onPglite = await measurePurge(pglite, { liveId: pgliteLiveId!, clients: options.purgeReadClients });
  checkReport('PGlite', onPglite.report, n, shape);
  purgeContext.pglite_reads_before = latency(pgliteBaseline);
  purgeContext.pglite = purgeFacts(onPglite);
  results.pglite_request_p99_during_purge_ms = rounded(summarize(onPglite.reads!.latenciesMs).p99, 2);
  log(
    `  PGlite purge with ${options.purgeReadClients} read clients: ${purgedRows(onPglite.report)} rows in ${onPglite.wallMs.toFixed(0)} ms,` +
      ` RSS ${onPglite.rssBeforeMb.toFixed(0)} -> peak ${onPglite.peakRssMb.toFixed(0)} MB;` +
      ` reads p50/p99 ${summarize(onPglite.reads!.latenciesMs).p50.toFixed(1)}/${results.pglite_request_p99_during_purge_ms} ms` +
      ` (${onPglite.reads!.ok} served), before: ${summarize(pgliteBaseline.latenciesMs).p50.toFixed(1)}/${summarize(pgliteBaseline.latenciesMs).p99.toFixed(1)} ms`,
  );
  await pglite.stop();
}

async function imagesCase(results: Record<string, number | null>, context: Record<string, unknown>) {
  log('\nCase 8: image delete operations (seed 004), deleteImages of 10,000 ids with wait=true');
  const db = await database('images');
  const gw = await gateway('gateway-images', db.url);
  const runs = await measureImageDeletes(gw, 10_000, options.rounds);
  const rate = (strict: boolean) => median(runs.filter((r) => r.strict === strict).map((r) => r.elementsPerS));
  results.image_elements_per_s = rounded(rate(false));
  results.image_strict_elements_per_s = rounded(rate(true));
  const wait = await measureWaitOverhead(gw, 200);
  results.operation_wait_overhead_ms = rounded(wait.medianMs, 2);
  context.image_deletes = runs.map((r) => ({
    strict: r.strict,
    elements: r.elements,
    request_ms: rounded(r.ms, 1),
    exec_ms: r.execMs,
    elements_per_s: rounded(r.elementsPerS),
  }));
  context.operation_wait_overhead_p99_ms = rounded(wait.p99Ms, 2);
  log(
    `  non-strict ${results.image_elements_per_s} elements/s, strict ${results.image_strict_elements_per_s} elements/s; wait overhead median ${results.operation_wait_overhead_ms} ms (p99 ${context.operation_wait_overhead_p99_ms} ms)`,
  );
  await gw.stop();
}

async function endpointsCase(results: Record<string, number | null>, context: Record<string, unknown>) {
  log('\nCase 9: endpoints (seed 001), delete-all of 100,000 records and DELETE task runs from 16 clients');
  const db = await database('endpoints');
  const gw = await gateway('gateway-endpoints', db.url);
  const rates = await measureDeleteAll(gw, 100_000, options.rounds);
  results.endpoint_delete_all_rows_per_s = rounded(median(rates));
  const load = await measureTaskRuns(gw, {
    records: 50_000,
    concurrency: CONCURRENCY,
    durationMs: options.runSeconds * 1000,
  });
  if (load.failed) throw new Error(`endpoint task runs failed: ${load.firstError}`);
  results.endpoint_task_rps = rounded(throughput(load));
  context.endpoint_delete_all_rows_per_s = rates.map((r) => rounded(r));
  context.endpoint_task_p99_ms = rounded(summarize(load.latenciesMs).p99, 2);
  log(
    `  delete-all ${results.endpoint_delete_all_rows_per_s} rows/s; task runs ${results.endpoint_task_rps}/s (p99 ${context.endpoint_task_p99_ms} ms, ${CONCURRENCY} clients)`,
  );
  await gw.stop();
}

/** The targets, printed next to the numbers. */
const goals: Record<string, (r: Record<string, number | null>) => string> = {
  delete_vs_postgraphile: (r) => `>= 1.5${mark(r.delete_vs_postgraphile, (v) => v >= 1.5)}`,
  delete_vs_rawsql: (r) => `>= 0.5${mark(r.delete_vs_rawsql, (v) => v >= 0.5)}`,
  delete_cpu_ms_per_request: (r) =>
    `<= postgraphile (${r.postgraphile_cpu_ms_per_request})` +
    mark(
      r.delete_cpu_ms_per_request,
      (v) => r.postgraphile_cpu_ms_per_request != null && v <= r.postgraphile_cpu_ms_per_request,
    ),
  list_sql_statements: (r) => `<= 3${mark(r.list_sql_statements, (v) => v <= 3)}`,
  fanout_vs_rawws: (r) => `<= 1.5${mark(r.fanout_vs_rawws, (v) => v <= 1.5)}`,
  fanout_vs_rawws_5k: (r) => `<= 2${mark(r.fanout_vs_rawws_5k, (v) => v <= 2)}`,
  delete_p99_during_fanout_ms_5k: (r) => `< 100${mark(r.delete_p99_during_fanout_ms_5k, (v) => v < 100)}`,
  fanout_p99_ms: (r) =>
    `< yoga (${r.yoga_fanout_p99_ms})` +
    mark(r.fanout_p99_ms, (v) => r.yoga_fanout_p99_ms != null && v < r.yoga_fanout_p99_ms),
  idle_rss_mb: (r) => `<= 150${mark(r.idle_rss_mb, (v) => v <= 150)}`,
  purge_vs_rawsql: (r) => `>= 0.8${mark(r.purge_vs_rawsql, (v) => v >= 0.8)}`,
  image_elements_per_s: (r) => `>= 20000${mark(r.image_elements_per_s, (v) => v >= 20_000)}`,
  image_strict_elements_per_s: (r) => `>= 20000${mark(r.image_strict_elements_per_s, (v) => v >= 20_000)}`,
};
function mark(value: number | null | undefined, ok: (v: number) => boolean) {
  if (value == null) return '';
  return ok(value) ? '  met' : '  NOT met';
}

const KEYS = [
  'delete_rps',
  'postgraphile_rps',
  'rawsql_tps',
  'delete_vs_postgraphile',
  'delete_vs_rawsql',
  'delete_p99_ms',
  'delete_cpu_ms_per_request',
  'postgraphile_cpu_ms_per_request',
  'list_sql_statements',
  'fanout_p50_ms',
  'fanout_p99_ms',
  'fanout_rss_mb',
  'rawws_fanout_p99_ms',
  'yoga_fanout_p99_ms',
  'yoga_fanout_rss_mb',
  'fanout_vs_rawws',
  'fanout_p99_ms_5k',
  'rawws_fanout_p99_ms_5k',
  'fanout_vs_rawws_5k',
  'delete_p99_during_fanout_ms',
  'delete_p99_during_fanout_ms_5k',
  'fanout_rss_per_subscriber_kb',
  'pglite_delete_rps',
  'idle_rss_mb',
  'load_rss_mb',
  'parser_delete_rps',
  'parser_large_delete_ms',
  'parser_large_delete_rss_mb',
  'purge_rows_per_s',
  'rawsql_rows_per_s',
  'purge_vs_rawsql',
  'purge_rss_mb',
  'request_p99_during_purge_ms',
  'pglite_request_p99_during_purge_ms',
  'image_elements_per_s',
  'image_strict_elements_per_s',
  'operation_wait_overhead_ms',
  'endpoint_delete_all_rows_per_s',
  'endpoint_task_rps',
] as const;

function printTable(results: Record<string, number | null>) {
  const rows = KEYS.filter((k) => k in results).map((k) => [k, String(results[k]), goals[k]?.(results) ?? '']);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i]!.length), ['key', 'value', 'target'][i]!.length),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  log('');
  log(line(['key', 'value', 'target']));
  log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) log(line(r));
}

async function main() {
  const started = Date.now();
  const unknown = [...options.cases].filter((c) => !KNOWN_CASES.includes(c));
  if (unknown.length) throw new Error(`BENCH_CASES: unknown ${unknown.join(', ')}; known: ${KNOWN_CASES.join(', ')}`);
  const pgVersion = await (async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      return (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    } finally {
      await c.end();
    }
  })();
  const context: Record<string, unknown> = {
    node: process.version,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model,
    postgres: pgVersion,
    postgraphile: JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules/postgraphile/package.json'), 'utf8'))
      .version,
    concurrency: CONCURRENCY,
    rounds: options.rounds,
    run_seconds: options.runSeconds,
    fanout_seconds: options.fanoutSeconds,
    fanout_rounds: options.fanoutRounds,
    fanout_latency_origin:
      'gateway: the commit of the deletion, seen by an observer LISTENing on deletion_event (polling every 10 ms as a fallback); references: the server stamped the time just before publishing. trigger_*_ms: the deleteResource (or publish) request round trip during the run.',
    bench_workspace: BENCH_WORKSPACE,
  };
  log(
    `deletion gateway bench: node ${process.version}, ${context.cpus} CPUs, PostgreSQL ${pgVersion}, PostGraphile ${String(context.postgraphile)}`,
  );
  // Everything here shares the machine's cores: other busy processes show up in every number.
  context.loadavg_at_start = os.loadavg().map((v) => rounded(v, 2));
  if (os.loadavg()[0]! > 0.5 * os.cpus().length) {
    log(
      `WARNING: load average ${os.loadavg()[0]!.toFixed(2)} before the start: something else is using the CPUs; numbers will be noisy`,
    );
  }
  runtime = prepareGatewayRuntime(log);
  compiled = compileBenchScripts(
    [
      'bench/peers/postgraphile.ts',
      'bench/peers/raw-ws.ts',
      'bench/peers/yoga-pubsub.ts',
      'bench/clients/subscribers.ts',
    ],
    log,
  );
  context.gateway_runtime =
    runtime === 'build' ? 'node dist/main.js (npm run build, as npm start)' : 'node --import tsx src/main.ts';
  log(`gateway: ${String(context.gateway_runtime)}`);
  const results: Record<string, number | null> = {};
  try {
    if (options.cases.has('deletes')) await deletionCases(results, context);
    if (options.cases.has('list')) await listCase(results, context);
    if (options.cases.has('fanout')) await fanoutCase(results, context);
    if (options.cases.has('parser')) await parserCase(results, context);
    if (options.cases.has('purge')) await purgeCase(results, context);
    if (options.cases.has('images')) await imagesCase(results, context);
    if (options.cases.has('endpoints')) await endpointsCase(results, context);
  } finally {
    await cleanUp();
  }
  context.duration_s = Math.round((Date.now() - started) / 1000);
  context.loadavg_at_end = os.loadavg().map((v) => rounded(v, 2));
  if (options.cpuProfileDir) context.cpu_profiles = options.cpuProfileDir;
  const ordered = Object.fromEntries(KEYS.filter((k) => k in results).map((k) => [k, results[k]]));
  fs.writeFileSync(resultsFile, `${JSON.stringify({ ...ordered, context }, null, 2)}\n`);
  printTable(results);
  log(`\nwrote ${path.relative(process.cwd(), resultsFile)} in ${context.duration_s} s`);
}

main().catch(async (err: Error) => {
  console.error(err.stack ?? err.message);
  await cleanUp();
  process.exit(1);
});
