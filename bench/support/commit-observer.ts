import pg from 'pg';
import { wallClockMs } from './stats.js';

/**
 * Watches a gateway's database from outside and notes when each expected deletion event
 * became visible, i.e. when its transaction committed. It wakes on the `deletion_event`
 * notification the gateway sends at commit, and polls every `pollMs` in case none comes; a
 * key is stamped with the time of the wake-up that found it (at or a little after commit).
 */
export class CommitObserver {
  private readonly client: pg.Client;
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly committed = new Map<string, number>();
  private wokenAt: number | null = null;
  private checking = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    databaseUrl: string,
    private readonly pollMs = 10,
  ) {
    this.client = new pg.Client({ connectionString: databaseUrl });
  }

  async start() {
    await this.client.connect();
    this.client.on('notification', () => this.wake(wallClockMs()));
    await this.client.query('LISTEN deletion_event');
    this.timer = setInterval(() => this.wake(wallClockMs()), this.pollMs);
  }

  /** Resolves with the commit time of the deletion of `entityId`; call before deleting. */
  commitOf(entityId: string): Promise<number> {
    const known = this.committed.get(entityId);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => this.waiting.set(entityId, resolve));
  }

  private wake(at: number) {
    if (this.waiting.size === 0) return;
    this.wokenAt ??= at;
    if (!this.checking) void this.check();
  }

  private async check() {
    this.checking = true;
    try {
      while (this.wokenAt !== null && this.waiting.size > 0) {
        const at = this.wokenAt;
        this.wokenAt = null;
        const { rows } = await this.client.query<{ entity_id: string }>(
          `SELECT entity_id FROM deletion_event
            WHERE occurred_at > now() - interval '10 minutes' AND entity_id = ANY($1::text[])`,
          [[...this.waiting.keys()]],
        );
        for (const { entity_id: id } of rows) {
          const resolve = this.waiting.get(id);
          if (!resolve) continue;
          this.waiting.delete(id);
          this.committed.set(id, at);
          resolve(at);
        }
      }
    } finally {
      this.checking = false;
    }
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    await this.client.end();
  }
}
