import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Database, type Db, isPostgresUrl, openDatabase } from './client.js';
import { applyMigrations, migrationNames } from './schema-engine.js';

/**
 * Applies pending migrations. On PostgreSQL this runs in a short-lived child process: Prisma's
 * schema engine is a large WASM module that cannot be unloaded, and keeping it out of the
 * serving process keeps a running gateway's memory small (when nothing is pending, the engine
 * is not loaded at all). An embedded PGlite is owned by this process, so its migrations run
 * here, on the already opened database.
 */
export async function runMigrations(url: string, db: Database): Promise<string[]> {
  if (!isPostgresUrl(url)) return applyMigrations(db.adapter);
  if ((await unappliedMigrations(db.prisma)).length === 0) return [];
  const self = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(self), `migrate-cli${path.extname(self)}`);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, entry], {
      env: { ...process.env, DATABASE_URL: url },
      maxBuffer: 16 * 1024 * 1024,
    });
    const last = stdout.trim().split('\n').pop() ?? '{}';
    return (JSON.parse(last) as { applied?: string[] }).applied ?? [];
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`applying migrations failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** The child's side: its own connection, the engine, and nothing left behind. */
export async function migrateInThisProcess(url: string): Promise<string[]> {
  const db = await openDatabase(url);
  try {
    return await applyMigrations(db.adapter);
  } finally {
    await db.close();
  }
}

/** Which of `names` (by default every migration in prisma/migrations) are not recorded as applied. */
export async function unappliedMigrations(db: Db, names: readonly string[] = migrationNames()): Promise<string[]> {
  const [table] = await db.$queryRaw<{ exists: boolean }[]>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
  if (!table?.exists) return [...names];
  const applied = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const done = new Set(applied.map((r) => r.migration_name));
  return names.filter((name) => !done.has(name));
}
