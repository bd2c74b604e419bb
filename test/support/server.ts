import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** ws://127.0.0.1:PORT/graphql */
  wsUrl: string;
  adminKey: string;
  databaseUrl: string;
  process: ChildProcess;
  /** Every log line the server printed so far (pino JSON parsed where possible). */
  logs: Array<Record<string, unknown>>;
  /** Graceful stop (SIGTERM), waits for exit. */
  stop(): Promise<void>;
  /** Resolves with the exit code/signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  databaseUrl: string;
  adminKey?: string;
  env?: Record<string, string>;
  /** node arguments that start the gateway (default: the TypeScript sources through tsx) */
  command?: string[];
}

/** Starts the real gateway (`src/main.ts`) as a child process on a free port and waits until it listens. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const adminKey = opts.adminKey ?? `dgw_test_${randomBytes(16).toString('hex')}`;
  const child = spawn(process.execPath, opts.command ?? ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: opts.databaseUrl,
      BOOTSTRAP_ADMIN_KEY: adminKey,
      EXPOSE_SQL_COUNT: 'true',
      WRAPPER_KINDS: 'idle,stubborn',
      WRAPPER_STOP_GRACE: '1s',
      // Tests send far more than RATE_LIMIT's default (on by default on PostgreSQL) through one
      // key; test/rate-limits.test.ts switches it on with its own settings.
      RATE_LIMIT: 'off',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const onLine = (line: string) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = { raw: line };
      }
      logs.push(entry);
      if (entry.msg === 'deletion gateway listening') resolve(String(entry.url));
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then(({ code, signal }) =>
      reject(
        new Error(
          `server exited before listening (code ${code}, signal ${signal}):\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
        ),
      ),
    );
  });
  const url = await listening;
  const origin = new URL(url).origin;
  return {
    origin,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    adminKey,
    databaseUrl: opts.databaseUrl,
    process: child,
    logs,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs a TypeScript entry point of this repository (`scripts/apikey.ts`, `src/main.ts`, ...) as
 * its own process, as the npm scripts do, and returns its exit code and output.
 */
export async function runScript(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
