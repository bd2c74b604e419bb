import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, type ServerProcess, startNodeProcess } from './processes.js';

export type GatewayRuntime = 'build' | 'tsx';

/**
 * How the gateways run: as `npm start` does (the compiled build, rebuilt now from this checkout)
 * when the project has a `build` script, else `src/main.ts` through tsx. BENCH_GATEWAY_RUNTIME
 * forces one; a failing build falls back to tsx with a warning.
 */
export function prepareGatewayRuntime(log: (line: string) => void): GatewayRuntime {
  const wanted = process.env.BENCH_GATEWAY_RUNTIME;
  if (wanted === 'tsx') return 'tsx';
  const scripts =
    (
      JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      }
    ).scripts ?? {};
  if (!scripts.build) return 'tsx';
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, encoding: 'utf8' });
  if (build.status === 0 && fs.existsSync(path.join(projectRoot, 'dist/main.js'))) return 'build';
  const reason = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(0, 5).join('\n');
  if (wanted === 'build') throw new Error(`npm run build failed:\n${reason}`);
  log(`WARNING: npm run build failed, running the gateways through tsx instead:\n${reason}`);
  return 'tsx';
}

export interface Gateway extends ServerProcess {
  adminKey: string;
  wsUrl: string;
  /** BLOB_DIR: pass it to a restarted gateway on the same database, so its blobs are where its rows say */
  blobDir: string;
}

/** Starts the real gateway on a free port, as `npm start` would but quieter. */
export async function startGateway(opts: {
  name: string;
  runtime: GatewayRuntime;
  databaseUrl: string;
  exposeSqlCount?: boolean;
  nodeFlags?: string[];
  /** stored files; a new directory of this run when not given */
  blobDir?: string;
  /** more environment (e.g. PURGE_CRON), over the defaults below */
  env?: Record<string, string>;
  /** the admin key a restarted gateway keeps (its key is already in the database) */
  adminKey?: string;
}): Promise<Gateway> {
  const adminKey = opts.adminKey ?? `dgw_bench_${randomBytes(16).toString('hex')}`;
  // Stored files go to a directory of this run, never the project's ./.data.
  const blobDir = opts.blobDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `dgw-bench-blobs-${opts.name}-`));
  const proc = await startNodeProcess({
    name: opts.name,
    script: opts.runtime === 'build' ? 'dist/main.js' : 'src/main.ts',
    nodeFlags: opts.nodeFlags,
    env: {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      GRAPHIQL: 'false',
      DATABASE_URL: opts.databaseUrl,
      BOOTSTRAP_ADMIN_KEY: adminKey,
      EXPOSE_SQL_COUNT: opts.exposeSqlCount ? 'true' : 'false',
      INSTANCE_ID: `bench-${opts.name}`,
      BLOB_DIR: blobDir,
      // The load runs through one admin key, far past RATE_LIMIT's default on PostgreSQL.
      RATE_LIMIT: 'off',
      ...opts.env,
    },
    readyUrl: (line) => {
      if (!line.includes('deletion gateway listening')) return null;
      try {
        return String((JSON.parse(line) as { url: string }).url);
      } catch {
        return null;
      }
    },
    timeoutMs: 120_000,
  });
  return { ...proc, adminKey, blobDir, wsUrl: proc.url.replace(/^http/, 'ws') };
}
