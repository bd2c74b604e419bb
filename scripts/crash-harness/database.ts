// The crash run's own PostgreSQL database, and the harness's reads of it (never writes): whether a
// deletion whose answer was lost had committed, and whether a dead gateway's sessions are gone.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Deletion } from './deletions.js';

/** The harness's sessions carry this name, so they are told apart from the gateway's. */
const APPLICATION_NAME = 'crash-harness';

export interface HarnessDatabase {
  name: string;
  url: string;
  query<T extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  /** Resolves once no session but the harness's is connected (a killed gateway's have ended). */
  quiet(timeoutMs?: number): Promise<void>;
  /** Ends the harness's sessions and drops the database. */
  drop(): Promise<void>;
  close(): Promise<void>;
}

export async function createHarnessDatabase(adminUrl: string): Promise<HarnessDatabase> {
  const name = `dgw_crash_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4, application_name: APPLICATION_NAME });
  pool.on('error', () => {});
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
  };
  const db: HarnessDatabase = {
    name,
    url: url.toString(),
    query: async (text, params) => (await pool.query(text, params)).rows,
    async quiet(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name <> $1 AND pid <> pg_backend_pid()`,
          [APPLICATION_NAME],
        );
        if (row!.n === 0) return;
        if (Date.now() > deadline) throw new Error(`${row!.n} sessions of a dead gateway are still open`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close,
    async drop() {
      await close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
  return db;
}

/**
 * Whether the deletion has committed, read from the data it changes (not from its idempotency
 * key, which is what a retry relies on): the resource soft-deleted, the record or result gone,
 * the dataset marked (or purged), the image operation queued.
 */
export async function hasCommitted(db: HarnessDatabase, d: Deletion): Promise<boolean> {
  const one = async (text: string, params: unknown[]) =>
    (await db.query<{ done: boolean }>(`SELECT (${text}) AS done`, params))[0]!.done;
  switch (d.kind) {
    case 'resource':
      return one('SELECT deleted FROM resource WHERE id = $1', [d.entity.id]);
    case 'record':
      return one('NOT EXISTS (SELECT 1 FROM endpoint_record WHERE id = $1::uuid)', [d.entity.id]);
    case 'deleteAll':
    case 'task':
      // one statement or one transaction: all of them or none
      return one('NOT EXISTS (SELECT 1 FROM endpoint_record WHERE id = ANY($1::uuid[]))', [d.entity.ids]);
    case 'parserResult':
      return one('NOT EXISTS (SELECT 1 FROM parser_result WHERE request_id = $1)', [d.entity.requestId]);
    case 'dataset':
      return one('NOT EXISTS (SELECT 1 FROM dataset WHERE id = $1 AND (expires_at IS NULL OR expires_at > now()))', [
        d.entity,
      ]);
    case 'image':
      return one('EXISTS (SELECT 1 FROM operation WHERE elements && $1::bigint[])', [d.entity.ids]);
  }
}
