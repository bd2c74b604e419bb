import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client.js';
import type { Logger } from '../logger.js';
import { pgliteNotifications, postgresNotifications, type Notifications } from './notifications.js';
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
  close(): Promise<void>;
}

export function openDatabase(url: string, log?: Logger): Database {
  let adapter: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void>;
  let kind: Database['kind'];
  let notifications: Notifications;
  if (/^postgres(ql)?:\/\//.test(url)) {
    kind = 'postgres';
    const pg = new PrismaPg({ connectionString: url, max: 20 });
    adapter = pg;
    notifications = postgresNotifications(url, log);
    closeDriver = async () => {};
  } else {
    kind = 'pglite';
    let pglite: PGlite;
    if (url.startsWith('memory://')) {
      pglite = new PGlite();
    } else {
      fs.mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
      pglite = new PGlite(url);
    }
    adapter = new PrismaPGlite(pglite);
    notifications = pgliteNotifications(pglite);
    closeDriver = () => pglite.close();
  }
  const prisma = new PrismaClient({ adapter: countStatements(adapter) });
  return {
    kind,
    prisma,
    adapter,
    notifications,
    async close() {
      await notifications.close();
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
