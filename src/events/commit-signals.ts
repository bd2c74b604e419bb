import { outsideRequest } from '../request-scope.js';

/** The channel on which instances tell each other that deletions (events, outbox rows) committed. */
export const DELETIONS_COMMITTED_CHANNEL = 'deletions_committed';

/** NOTIFY payloads must stay under 8000 bytes; past this a signal names no keys ("anything may have changed"). */
const MAX_PAYLOAD_BYTES = 7_000;

/**
 * Wake-ups after something commits. This instance's listeners are woken in process at once;
 * other instances on the same PostgreSQL through one NOTIFY per `coalesceMs` window at most,
 * sent outside the committing transactions. (A NOTIFY inside a transaction serialises its
 * commit with every other notifying commit, which halves what the database can commit.) A
 * signal may name the keys that changed (operation ids); the NOTIFY carries those of its
 * window, comma-separated, and an empty payload means "anything may have changed". A signal
 * lost in a crash only delays: every listener also polls.
 */
export class CommitSignals {
  private readonly listeners = new Set<(keys: readonly string[] | null) => void>();
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  /** keys of the window; null once a signal named none */
  private pending: Set<string> | null = new Set();

  constructor(
    /** sends the NOTIFY to other instances; null when there are none (embedded PGlite) */
    private readonly notifyOthers: ((payload: string) => Promise<void>) | null,
    private readonly onError: (err: unknown) => void,
    private readonly coalesceMs = 5,
  ) {}

  /** Called for this instance's own commits and for other instances' notifications; keys null: anything. */
  listen(listener: (keys: readonly string[] | null) => void): void {
    this.listeners.add(listener);
  }

  /**
   * Wakes this instance's listeners; with `fromThisInstance`, tells the other instances too.
   * `keys` names what changed; none: anything may have.
   */
  committed(fromThisInstance = true, keys: readonly string[] | null = null): void {
    // The wake-ups serve every request (a shared tail, relay, workers): none of them is this request's work.
    outsideRequest(() => this.signal(fromThisInstance, keys));
  }

  private signal(fromThisInstance: boolean, keys: readonly string[] | null): void {
    for (const listener of this.listeners) listener(keys);
    if (!fromThisInstance || !this.notifyOthers) return;
    if (keys === null || this.pending === null) this.pending = null;
    else for (const key of keys) this.pending.add(key);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const payload = this.pending ? [...this.pending].join(',') : '';
      this.pending = new Set();
      this.sending = this.notifyOthers!(Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES ? '' : payload)
        .catch(this.onError)
        .finally(() => (this.sending = null));
    }, this.coalesceMs);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sending;
  }
}

/** A notification's payload as committed() keys: '' (a reconnect, or too many keys) means anything. */
export const keysOfPayload = (payload: string): string[] | null => (payload === '' ? null : payload.split(','));
