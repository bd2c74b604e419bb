import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseKind } from './support/database.js';

const root = path.resolve(import.meta.dirname, '..');

function startWith(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: 'memory://', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe.runIf(databaseKind() === 'pglite')('configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'fancy' }, 'LOG_FORMAT'],
    [{ METRICS: 'yes' }, 'METRICS'],
    [{ METRICS_TOKEN: 'too-short' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: 'has a space in the middle' }, 'METRICS_TOKEN'],
    [{ WRAPPER_STOP_GRACE: 'soon' }, 'WRAPPER_STOP_GRACE'],
    [{ SHUTDOWN_GRACE: 'soon' }, 'SHUTDOWN_GRACE'],
    [{ WRAPPER_KINDS: 'idle,bash' }, 'WRAPPER_KINDS'],
    [{ BOOTSTRAP_ADMIN_KEY: 'short' }, 'BOOTSTRAP_ADMIN_KEY'],
    [{ CORS_ORIGINS: 'https://app.example.com/' }, 'CORS_ORIGINS'],
    [{ NODE_ENV: 'production', TEST_STARTUP_SQL: 'SELECT 1' }, 'TEST_STARTUP_SQL'],
    [{ MAX_UPLOAD_BYTES: '50 megabytes' }, 'MAX_UPLOAD_BYTES'],
    [{ MAX_UPLOAD_FILES: '0' }, 'MAX_UPLOAD_FILES'],
    [{ PURGE_CRON: '61 * * * *' }, 'PURGE_CRON'],
    [{ PURGE_CRON: 'twice a day' }, 'PURGE_CRON'],
    [{ PURGE_TZ: 'Mars/Olympus' }, 'PURGE_TZ'],
    [{ PURGE_BATCH_ROWS: '0' }, 'PURGE_BATCH_ROWS'],
  ])('bad configuration %o stops the start with one line naming %s', (env, name) => {
    const run = startWith(env);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
    expect(run.stdout).toBe('');
  });
});
