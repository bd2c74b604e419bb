import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Logger } from '../logger.js';

export type NotificationHandler = (payload: string) => void;

/**
 * LISTEN/NOTIFY as a wake-up signal. Notifications are sent at commit, so a listener hears of
 * a change only once it is visible. They can be lost while a connection is down, so on every
 * (re)connect each handler is called with '' and must re-read what it watches.
 */
export interface Notifications {
  listen(channel: string, handler: NotificationHandler): Promise<void>;
  close(): Promise<void>;
}

export function pgliteNotifications(pglite: PGlite): Notifications {
  const unsubscribers: Array<() => Promise<void>> = [];
  return {
    async listen(channel, handler) {
      unsubscribers.push(await pglite.listen(channel, handler));
    },
    async close() {
      await Promise.all(unsubscribers.splice(0).map((u) => u()));
    },
  };
}

/** One dedicated connection per process for LISTEN, reconnected with backoff. */
export function postgresNotifications(url: string, log?: Logger): Notifications {
  const handlers = new Map<string, NotificationHandler[]>();
  let client: pg.Client | null = null;
  let closed = false;
  let connecting: Promise<void> | null = null;
  let retryMs = 100;

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      while (!closed) {
        const c = new pg.Client({ connectionString: url });
        try {
          await c.connect();
          c.on('notification', (n) => {
            for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
          });
          c.on('error', (err) => {
            log?.warn({ err }, 'notification connection lost; reconnecting');
            c.end().catch(() => {});
            if (client === c) client = null;
            if (!closed) setTimeout(() => void connect(), retryMs).unref();
          });
          for (const channel of handlers.keys()) await c.query(`LISTEN ${quoteIdent(channel)}`);
          client = c;
          retryMs = 100;
          // Whatever was notified while we were away is found by re-reading.
          for (const hs of handlers.values()) for (const h of hs) h('');
          return;
        } catch (err) {
          await c.end().catch(() => {});
          log?.warn({ err, retryMs }, 'cannot open the notification connection; retrying');
          await new Promise((r) => setTimeout(r, retryMs));
          retryMs = Math.min(retryMs * 2, 5000);
        }
      }
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async listen(channel, handler) {
      const list = handlers.get(channel);
      if (list) {
        list.push(handler);
        return;
      }
      handlers.set(channel, [handler]);
      if (client) await client.query(`LISTEN ${quoteIdent(channel)}`);
      else await connect();
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
      client = null;
    },
  };
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
