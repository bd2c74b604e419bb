// Work that one process at a time may do across instances (the dataset purge): a PostgreSQL
// session advisory lock held on a connection of its own for the whole run, so it spans many
// transactions and is released by the server if the process dies. PGlite has one process.
import pg from 'pg';

export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

export interface ExclusiveRuns {
  /**
   * Runs `fn` while holding the lock `key`, waiting up to `waitMs` for another holder to
   * finish (0: not at all); `{ ran: false }` when the lock stayed taken.
   */
  run<T>(key: bigint, waitMs: number, fn: () => Promise<T>): Promise<ExclusiveOutcome<T>>;
}

/** PostgreSQL: one connection per run, opened for it and closed after. */
export function postgresExclusiveRuns(url: string): ExclusiveRuns {
  return {
    async run(key, waitMs, fn) {
      const client = new pg.Client({ connectionString: url });
      // a connection lost mid-run releases the lock: a run already going finishes its current batch
      client.on('error', () => {});
      await client.connect();
      try {
        if (!(await acquire(client, key, waitMs))) return { ran: false };
        try {
          return { ran: true, value: await fn() };
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]).catch(() => {});
        }
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

async function acquire(client: pg.Client, key: bigint, waitMs: number): Promise<boolean> {
  if (waitMs <= 0) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
      key.toString(),
    ]);
    return rows[0]!.locked;
  }
  await client.query(`SET lock_timeout = ${Math.ceil(waitMs)}`);
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key.toString()]);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') return false; // lock_not_available
    throw err;
  }
}

/** PGlite: the process is the only one, so an in-process queue per key is the lock. */
export function inProcessExclusiveRuns(): ExclusiveRuns {
  const holders = new Map<bigint, Promise<unknown>>();
  return {
    async run(key, waitMs, fn) {
      const deadline = Date.now() + waitMs;
      for (let held = holders.get(key); held; held = holders.get(key)) {
        const left = deadline - Date.now();
        if (left <= 0) return { ran: false };
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          held.then(
            () => false,
            () => false,
          ),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), left);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) return { ran: false };
      }
      const running = fn();
      holders.set(key, running);
      try {
        return { ran: true, value: await running };
      } finally {
        holders.delete(key);
      }
    },
  };
}
