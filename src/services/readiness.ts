// What GET /ready reports about this instance's own state (the broker is the relay's to report).
import type { Db } from '../db/client.js';
import { unappliedMigrations } from '../db/migrate.js';
import { countPendingMessages } from '../events/outbox.js';

export interface Readiness {
  /** the database answers and has every migration this build knows */
  ready: boolean;
  database: 'up' | 'down';
  migrated: boolean;
  /** outbox messages not yet relayed; null when they could not be counted */
  pendingMessages: number | null;
}

export const NOT_READY: Readiness = { ready: false, database: 'down', migrated: false, pendingMessages: null };

/** Probes the database: is it up, are `migrations` (known at start) all applied, what waits in the outbox. */
export async function readiness(db: Db, migrations: readonly string[]): Promise<Readiness> {
  const [unapplied, pending] = await Promise.allSettled([
    unappliedMigrations(db, migrations),
    countPendingMessages(db),
  ]);
  if (unapplied.status === 'rejected') return NOT_READY;
  const migrated = unapplied.value.length === 0;
  return {
    ready: migrated,
    database: 'up',
    migrated,
    pendingMessages: pending.status === 'fulfilled' ? pending.value : null,
  };
}
