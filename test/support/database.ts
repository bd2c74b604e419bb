import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { POSTGRES_ADMIN_URL } from './global-setup.js';

export type DatabaseKind = 'pglite' | 'postgres';

export const databaseKind = (): DatabaseKind => (process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite');

/** True when this project cannot run here (PostgreSQL unreachable outside CI). */
export const skipDatabase = () => databaseKind() === 'postgres' && !inject('postgresAvailable');

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  /** Runs SQL on the database from outside the gateway (PostgreSQL only). */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, empty database of the project's kind, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const kind = databaseKind();
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-test-'));
    return {
      kind,
      url: path.join(dir, 'pglite'),
      sql: () => Promise.reject(new Error('PGlite is opened by the gateway process alone')),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `dgw_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // drop() ends the pool and then forces the database away; an idle client the pool has not
  // closed yet is terminated by that, which is expected and not a test failure.
  pool.on('error', () => {});
  return {
    kind,
    url: url.toString(),
    sql: async (text, params) => (await pool.query(text, params)).rows,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Runs SQL on a PostgreSQL database over a connection of its own that is closed before this
 * returns. `TestDatabase.sql` keeps pooled connections, and `pool.end()` resolves before they
 * have closed, so `drop()`'s `DROP DATABASE ... WITH (FORCE)` can terminate one mid-close, which
 * surfaces as an unhandled "terminating connection due to administrator command" error.
 */
export async function sqlOnce<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  params?: unknown[],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}
