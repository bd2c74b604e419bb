import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from './processes.js';

export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  /** a small pool for setup statements, outside every measurement */
  pool: pg.Pool;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const runTag = `dgw_bench_${Date.now().toString(36)}`;

/** A fresh, empty database on the bench's PostgreSQL server; `role` names it. */
export async function createDatabase(role: string): Promise<BenchDatabase> {
  const name = `${runTag}_${role}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return opened(name);
}

/**
 * A copy of `source` (schema, rows, physical layout) made by the server from its files, for a
 * reference that must work on exactly the same rows. Nothing may be connected to `source`:
 * stop its gateway first, and copy before its setup pool has opened a connection.
 */
export async function cloneDatabase(source: BenchDatabase, role: string): Promise<BenchDatabase> {
  const name = `${runTag}_${role}`;
  // FILE_COPY (PostgreSQL 15+) copies the files instead of writing every page to the WAL.
  await admin((c) =>
    c
      .query(`CREATE DATABASE ${name} TEMPLATE ${source.name} STRATEGY FILE_COPY`)
      .catch(() => c.query(`CREATE DATABASE ${name} TEMPLATE ${source.name}`)),
  );
  return opened(name);
}

function opened(name: string): BenchDatabase {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // pool.end() resolves before its clients have closed: drop()'s FORCE may terminate one, which is no failure.
  pool.on('error', () => {});
  return {
    name,
    url: url.toString(),
    pool,
    async drop() {
      await pool.end().catch(() => {});
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Applies the project's migrations as plain SQL (for a database no gateway opens). */
export async function applyProjectMigrations(db: BenchDatabase): Promise<void> {
  const dir = path.join(projectRoot, 'prisma/migrations');
  const migrations = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const m of migrations) {
    await db.pool.query(fs.readFileSync(path.join(dir, m, 'migration.sql'), 'utf8'));
  }
}

/** Inserts live resources with the given ids in one statement. */
export async function insertResources(db: BenchDatabase, workspaceId: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 50_000) {
    await db.pool.query(
      `INSERT INTO resource (id, workspace_id, name) SELECT id, $2, 'bench ' || id FROM unnest($1::text[]) AS id`,
      [ids.slice(i, i + 50_000), workspaceId],
    );
  }
}

/** The workspace of the bootstrap admin key in a database a gateway has started on. */
export async function adminWorkspace(db: BenchDatabase): Promise<string> {
  const { rows } = await db.pool.query<{ workspace_id: string }>(
    'SELECT workspace_id FROM api_key ORDER BY created_at LIMIT 1',
  );
  if (!rows[0]) throw new Error(`no API key in ${db.name}: did the gateway start on it?`);
  return rows[0].workspace_id;
}
