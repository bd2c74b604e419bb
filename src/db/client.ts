import fs from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { type DataDirectoryLock, lockDataDirectory } from './directory-lock.js';
import { type ExclusiveRuns, inProcessExclusiveRuns, postgresExclusiveRuns } from './exclusive-runs.js';
import { PrismaClient } from './generated/client.js';
import { type Notifications, pgliteNotifications, postgresNotifications } from './notifications.js';
import { PreparedStatements } from './prepared.js';
import { countStatements } from './statement-counter.js';

export type { PrismaClient } from './generated/client.js';
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** A client or an open transaction: services accept either. */
export type Db = PrismaClient | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  adapter: SqlMigrationAwareDriverAdapterFactory;
  /** LISTEN/NOTIFY; on PostgreSQL it opens its own connection at the first listen() */
  notifications: Notifications;
  /** runs that one process at a time may do (advisory lock on PostgreSQL) */
  exclusive: ExclusiveRuns;
  /** hot statements through pg, on Prisma's pool (PostgreSQL; null on PGlite) */
  prepared: PreparedStatements | null;
  close(): Promise<void>;
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

export interface OpenOptions {
  log?: Logger;
  /** Who opens it, named to any other process that finds a PGlite directory in use. */
  holder?: string;
}

/**
 * Opens the database of `url`. PGlite (a PostgreSQL in WASM, tens of MB) is loaded only when
 * it is used, so a gateway on PostgreSQL does not carry it. A PGlite directory is locked for
 * this process until close (DataDirectoryInUseError when another process has it).
 */
export async function openDatabase(
  url: string,
  { log, holder = 'another process' }: OpenOptions = {},
): Promise<Database> {
  let adapter: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void>;
  let kind: Database['kind'];
  let notifications: Notifications;
  let exclusive: ExclusiveRuns;
  let prepared: PreparedStatements | null = null;
  if (isPostgresUrl(url)) {
    kind = 'postgres';
    // One pool for Prisma and the prepared statements; Prisma leaves a pool it was given open.
    const pool = new pg.Pool({ connectionString: url, max: 20 });
    pool.on('error', (err) => log?.warn({ err }, 'an idle database connection failed'));
    adapter = new PrismaPg(pool);
    prepared = new PreparedStatements(pool);
    notifications = postgresNotifications(url, log);
    exclusive = postgresExclusiveRuns(url);
    closeDriver = () => pool.end();
  } else {
    kind = 'pglite';
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('pglite-prisma-adapter'),
    ]);
    let pglite: InstanceType<typeof PGlite>;
    let lock: DataDirectoryLock | null = null;
    if (url.startsWith('memory://')) {
      pglite = new PGlite();
    } else {
      fs.mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
      lock = lockDataDirectory(url, holder);
      if (lock.tookOverFrom)
        log?.warn(
          { lockFile: lock.lockFile, previous: lock.tookOverFrom },
          'took over the lock of a process that is gone',
        );
      try {
        pglite = new PGlite(url);
      } catch (err) {
        lock.release();
        throw err;
      }
    }
    adapter = new PrismaPGlite(pglite);
    notifications = pgliteNotifications(pglite);
    exclusive = inProcessExclusiveRuns();
    closeDriver = async () => {
      try {
        await pglite.close();
      } finally {
        lock?.release();
      }
    };
  }
  const prisma = new PrismaClient({ adapter: countStatements(adapter) });
  return {
    kind,
    prisma,
    adapter,
    notifications,
    exclusive,
    prepared,
    async close() {
      await notifications.close();
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
