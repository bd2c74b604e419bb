import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Builds the monitor page if it is not current, and decides once per run whether the PostgreSQL
 * project can run. In CI it must; elsewhere a missing server skips that project with a printed reason.
 */
export default async function setup({ provide }: { provide(key: string, value: unknown): void }) {
  await buildMonitorPage();
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    provide('postgresAvailable', true);
  } catch (err) {
    if (process.env.CI)
      throw new Error(
        `PostgreSQL is required in CI but unreachable at ${POSTGRES_ADMIN_URL}: ${(err as Error).message}`,
      );
    console.warn(`\n[postgres project skipped] no PostgreSQL at ${POSTGRES_ADMIN_URL}: ${(err as Error).message}\n`);
    provide('postgresAvailable', false);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean;
  }
}

/** The gateways the tests start serve /monitor from dist/monitor: built once, skipped while current. */
async function buildMonitorPage() {
  const root = path.resolve(import.meta.dirname, '../..');
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build-monitor.ts'], {
      cwd: root,
      timeout: 300_000,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run build:monitor failed: ${e.stderr || e.stdout || e.message}`);
  }
}
