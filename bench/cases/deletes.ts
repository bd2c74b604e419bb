// Cases 1, 4 and 5: deleteResource at concurrency 16 on the gateway (PostgreSQL), the peer
// (PostGraphile 5), the database's own bound (one CTE over `pg`) and the gateway on PGlite,
// in interleaved rounds with the same closed-loop load generator.
import pg from 'pg';
import type { Gateway } from '../support/gateway.js';
import { graphqlData, type JsonClient, jsonClient } from '../support/http.js';
import { nextResourceId, uuidV7 } from '../support/ids.js';
import { closedLoop, type LoadResult, throughput } from '../support/load.js';
import { type BenchDatabase, insertResources } from '../support/postgres.js';
import { cpuMeter, cpuSeconds, type ServerProcess } from '../support/processes.js';
import { percentile, sleep } from '../support/stats.js';

export const CONCURRENCY = 16;

/** One system that deletes resources by id; `supply` makes sure `count` live ids are waiting. */
export interface DeleteTarget {
  name: 'gateway' | 'postgraphile' | 'rawsql' | 'rawsql-without-notify' | 'pglite';
  supply(count: number): Promise<void>;
  /** live ids not yet deleted (any order) */
  ids: string[];
  send(id: string): Promise<void>;
  close(): Promise<void>;
}

const DELETE_RESOURCE = /* GraphQL */ `
  mutation BenchDelete($id: ID!) {
    deleteResource(id: $id) {
      __typename
      ... on DeleteResourcePayload { id deleted resource { deletedAt } }
      ... on Error { code message }
    }
  }`;

type DeleteResponse = { data?: { deleteResource?: { __typename: string } }; errors?: unknown };

async function sendGatewayDelete(client: JsonClient, id: string) {
  const res = await client.post<DeleteResponse>({ query: DELETE_RESOURCE, variables: { id } });
  const typename = res.body.data?.deleteResource?.__typename;
  if (res.status !== 200 || typename !== 'DeleteResourcePayload') {
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
}

/** Tops `ids` up to `count` with live resources inserted straight into `db`. */
function insertedRows(db: BenchDatabase, workspaceId: string, ids: string[]) {
  return async (count: number) => {
    const fresh = Array.from({ length: Math.max(0, count - ids.length) }, nextResourceId);
    await insertResources(db, workspaceId, fresh);
    for (const id of fresh) ids.push(id);
  };
}

/** The gateway on PostgreSQL: ids are inserted straight into its database. */
export function gatewayOnPostgres(gateway: Gateway, db: BenchDatabase, workspaceId: string): DeleteTarget {
  const client = jsonClient(gateway.url, CONCURRENCY, { authorization: `Bearer ${gateway.adminKey}` });
  const ids: string[] = [];
  return {
    name: 'gateway',
    ids,
    supply: insertedRows(db, workspaceId, ids),
    send: (id) => sendGatewayDelete(client, id),
    close: async () => client.close(),
  };
}

const CREATE_BATCH = 25; // below the gateway's alias limit

/** The gateway on PGlite (memory://): nothing else can open its database, so ids come from createResource. */
export function gatewayOnPglite(gateway: Gateway): DeleteTarget {
  const client = jsonClient(gateway.url, CONCURRENCY, { authorization: `Bearer ${gateway.adminKey}` });
  const createMany = Array.from(
    { length: CREATE_BATCH },
    (_, i) => `r${i}: createResource(input: { name: "bench" }) { id }`,
  );
  const mutation = `mutation BenchCreate { ${createMany.join(' ')} }`;
  const target: DeleteTarget = {
    name: 'pglite',
    ids: [],
    async supply(count) {
      let missing = count - target.ids.length;
      while (missing > 0) {
        const batches = Array.from({ length: Math.min(4, Math.ceil(missing / CREATE_BATCH)) }, async () => {
          const { data } = await graphqlData<Record<string, { id: string }>>(client, mutation);
          for (const r of Object.values(data)) target.ids.push(r.id);
        });
        await Promise.all(batches);
        missing = count - target.ids.length;
      }
    },
    send: (id) => sendGatewayDelete(client, id),
    close: async () => client.close(),
  };
  return target;
}

const SOFT_DELETE = /* GraphQL */ `
  mutation BenchSoftDelete($id: String!, $at: Datetime!) {
    updateResourceByRowId(input: { rowId: $id, resourcePatch: { deleted: true, deletedAt: $at } }) {
      resource { rowId deleted deletedAt }
    }
  }`;

/** PostGraphile's own database holds only the `resource` table, as the gateway defines it. */
export async function preparePostGraphileDatabase(db: BenchDatabase) {
  await db.pool.query(`
    CREATE TABLE resource (
      id CHAR(24) PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      name TEXT NOT NULL,
      deleted BOOLEAN NOT NULL DEFAULT false,
      deleted_at TIMESTAMPTZ(3),
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE INDEX resource_workspace_id_deleted_id_idx ON resource (workspace_id, deleted, id);`);
}

export const BENCH_WORKSPACE = 'wks_benchworkspace00';

export function postgraphilePeer(server: ServerProcess, db: BenchDatabase): DeleteTarget {
  const client = jsonClient(server.url, CONCURRENCY);
  const ids: string[] = [];
  return {
    name: 'postgraphile',
    ids,
    supply: insertedRows(db, BENCH_WORKSPACE, ids),
    async send(id) {
      const res = await client.post<{ data?: { updateResourceByRowId?: { resource?: { deleted: boolean } } } }>({
        query: SOFT_DELETE,
        variables: { id, at: new Date().toISOString() },
      });
      if (res.status !== 200 || res.body.data?.updateResourceByRowId?.resource?.deleted !== true) {
        throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    },
    close: async () => client.close(),
  };
}

/**
 * Everything the gateway's deletion writes, as one statement: the conditional soft delete, the
 * wrapper's stop (and, when there is one, STOPPED with its log entry), the outbox message and the
 * event, with the same NOTIFYs the gateway sends. Data-modifying CTEs all run, referenced or not.
 */
const deleteStatement = (notify: boolean) => `
  WITH deleted AS (
    UPDATE resource SET deleted = true, deleted_at = CURRENT_TIMESTAMP
     WHERE id = $1 AND workspace_id = $2 AND deleted = false
    RETURNING id, workspace_id, deleted_at
  ), stopped AS (
    UPDATE wrapper w SET stop_requested_at = d.deleted_at, status = 'STOPPED', status_changed_at = d.deleted_at
      FROM deleted d WHERE w.resource_id = d.id
    RETURNING w.id, w.resource_id
  ), intent AS (
    SELECT d.id AS resource_id, d.workspace_id, s.id AS wrapper_id,
           json_build_object('resource_id', d.id, 'wrapper_id', s.id) AS body
      FROM deleted d LEFT JOIN stopped s ON s.resource_id = d.id
  ), queued AS (
    INSERT INTO queue_message (id, workspace_id, queue, body)
    SELECT $3::uuid, workspace_id, 'resource.deletion', body::text FROM intent
    RETURNING id
  ), appended AS (
    INSERT INTO deletion_event (backend, kind, entity_id, workspace_id, data)
    SELECT 'RESOURCE'::"DeletionBackend", 'SOFT_DELETED'::"DeletionEventKind", resource_id, workspace_id, body::jsonb
      FROM intent
    RETURNING id
  ), logged AS (
    INSERT INTO execution_log_entry (wrapper_id, event, message)
    SELECT wrapper_id, 'RESOURCE_DELETED', 'Resource ' || resource_id || ' deleted; status STOPPED'
      FROM intent WHERE wrapper_id IS NOT NULL
    RETURNING id
  )
  SELECT resource_id${notify ? ", pg_notify('queue_message', ''), pg_notify('deletion_event', '')" : ''} FROM intent`;

/**
 * The database's own bound: the same changes in one prepared statement per deletion. Without
 * the NOTIFYs it shows what they cost: PostgreSQL serialises the commits of notifying transactions.
 */
export function rawSqlBound(db: BenchDatabase, notify = true): DeleteTarget {
  const pool = new pg.Pool({ connectionString: db.url, max: CONCURRENCY });
  const statement = { name: `bench-delete-${notify}`, text: deleteStatement(notify) };
  const ids: string[] = [];
  return {
    name: notify ? 'rawsql' : 'rawsql-without-notify',
    ids,
    supply: insertedRows(db, BENCH_WORKSPACE, ids),
    async send(id) {
      const res = await pool.query({ ...statement, values: [id, BENCH_WORKSPACE, uuidV7()] });
      if (res.rowCount !== 1) throw new Error(`deleted ${res.rowCount} rows`);
    },
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}

export type DeleteRun = LoadResult & {
  /** CPU cores in use during the run: the target's server process, this process and the machine */
  cores: Record<string, number>;
  /** CPU time (user + system) the target's server process used during the run; null without one */
  serverCpuMs: number | null;
};

/** The server's CPU time per completed deletion of a run, in ms. */
export const cpuMsPerRequest = (run: DeleteRun) => (run.serverCpuMs === null ? Number.NaN : run.serverCpuMs / run.ok);

export interface RoundsOptions {
  rounds: number;
  runMs: number;
  warmupMs: number;
  /** server process per target, for CPU and RSS readings (none for rawsql) */
  servers: Partial<Record<DeleteTarget['name'], ServerProcess>>;
  log: (line: string) => void;
}

/**
 * Warms every target up, then runs `rounds` rounds; each round runs every target once, in an
 * order rotated by one per round so that no target always runs first or last.
 */
export async function runInterleaved(
  targets: DeleteTarget[],
  opts: RoundsOptions,
): Promise<Map<DeleteTarget['name'], DeleteRun[]>> {
  const rate = new Map<DeleteTarget['name'], number>();
  const results = new Map<DeleteTarget['name'], DeleteRun[]>(targets.map((t) => [t.name, []]));
  // Enough ids that a run never runs dry: warm-up rates understate the steady state.
  const expected = (t: DeleteTarget, ms: number) =>
    Math.max(1000, Math.ceil((((rate.get(t.name) ?? 300) * ms) / 1000) * 3));

  for (const t of targets) {
    await t.supply(expected(t, opts.warmupMs));
    const warm = await closedLoop({ concurrency: CONCURRENCY, durationMs: opts.warmupMs, ids: t.ids, send: t.send });
    if (warm.ok === 0) throw new Error(`${t.name}: no deletion succeeded during warm-up: ${warm.firstError}`);
    rate.set(t.name, throughput(warm));
    opts.log(
      `  warm-up ${t.name}: ${throughput(warm).toFixed(0)}/s${warm.failed ? `, ${warm.failed} failed: ${warm.firstError}` : ''}`,
    );
  }
  for (let round = 0; round < opts.rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const t of order) {
      await t.supply(expected(t, opts.runMs));
      await sleep(300);
      const server = opts.servers[t.name];
      const meter = cpuMeter({ ...(server ? { server: server.pid } : {}), bench: process.pid });
      const cpuBefore = server ? cpuSeconds(server.pid) : Number.NaN;
      const load = await closedLoop({ concurrency: CONCURRENCY, durationMs: opts.runMs, ids: t.ids, send: t.send });
      const serverCpuMs = server ? (cpuSeconds(server.pid) - cpuBefore) * 1000 : null;
      const run: DeleteRun = { ...load, cores: meter(), serverCpuMs };
      rate.set(t.name, Math.max(rate.get(t.name) ?? 0, throughput(run)));
      results.get(t.name)!.push(run);
      const cores = Object.entries(run.cores)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ');
      opts.log(
        `  round ${round + 1} ${t.name}: ${throughput(run).toFixed(0)}/s, p99 ${percentileOf(run.latenciesMs, 99).toFixed(1)} ms, cores: ${cores}` +
          (server ? `, ${cpuMsPerRequest(run).toFixed(3)} CPU ms/request` : '') +
          (run.failed ? `, ${run.failed} failed: ${run.firstError}` : '') +
          (run.exhausted ? ' (ran out of ids)' : ''),
      );
    }
  }
  return results;
}

const percentileOf = (values: number[], p: number) => percentile(Float64Array.from(values).sort(), p);
