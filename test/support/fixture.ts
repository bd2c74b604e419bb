import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, skipDatabase, type TestDatabase } from './database.js';
import { type RunningServer, type StartOptions, startServer } from './server.js';

export interface Gateway {
  server: RunningServer;
  db: TestDatabase;
  /** Remember a wrapper pid so teardown kills it if the test left it running. */
  trackPid(pid: number | null | undefined): void;
  /** Stop this server and start a new one on the same database (same admin key). */
  restart(env?: Record<string, string>): Promise<RunningServer>;
}

/**
 * One database and one running gateway for a test file. Use inside `describe.skipIf(skipDatabase())`.
 * Returns a live object whose `server` is set once beforeAll has run.
 */
export function useGateway(opts: Omit<StartOptions, 'databaseUrl'> = {}): Gateway {
  const pids = new Set<number>();
  // Every start, also one a timed-out test left awaiting: teardown stops them all, so no
  // server outlives its file.
  const starts = new Set<Promise<RunningServer>>();
  const start = (options: StartOptions) => {
    const started = startServer(options);
    starts.add(started);
    return started;
  };
  const gateway = {
    trackPid(pid: number | null | undefined) {
      if (pid) pids.add(pid);
    },
    async restart(env?: Record<string, string>) {
      await gateway.server.stop();
      gateway.server = await start({
        ...opts,
        databaseUrl: gateway.db.url,
        adminKey: gateway.server.adminKey,
        env: { ...opts.env, ...env },
      });
      return gateway.server;
    },
  } as Gateway;
  beforeAll(async () => {
    if (skipDatabase()) return;
    gateway.db = await createTestDatabase();
    gateway.server = await start({ ...opts, databaseUrl: gateway.db.url });
  });
  afterAll(async () => {
    await gateway.server?.stop();
    for (const started of starts) await (await started.catch(() => null))?.stop();
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await gateway.db?.drop();
  });
  return gateway;
}

/** True while a process with this pid exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** Waits until the process ignores `signal` (SigIgn in /proc/PID/status). */
export async function waitUntilIgnores(pid: number, signal: 'SIGTERM', timeoutMs = 5000): Promise<void> {
  const bit = { SIGTERM: 15 }[signal];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const ignored = BigInt(`0x${/SigIgn:\s*([0-9a-f]+)/.exec(status)![1]}`);
    if ((ignored >> BigInt(bit - 1)) & 1n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`process ${pid} does not ignore ${signal}`);
}

/** Polls `condition` until it holds; fails with `describeState()` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  describeState: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describeState()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
