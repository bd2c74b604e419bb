/** The channel on which instances tell each other that deletions (events, outbox rows) committed. */
export const DELETIONS_COMMITTED_CHANNEL = 'deletions_committed';

/**
 * Wake-ups after a deletion commits. This instance's live tail and outbox relay are woken in
 * process at once; other instances on the same PostgreSQL through one NOTIFY per `coalesceMs`
 * window at most, sent outside the deletions' transactions. (A NOTIFY inside a transaction
 * serialises its commit with every other notifying commit, which halves what the database
 * can commit.) A signal lost in a crash only delays: every listener also polls.
 */
export class CommitSignals {
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;

  constructor(
    /** sends the NOTIFY to other instances; null when there are none (embedded PGlite) */
    private readonly notifyOthers: (() => Promise<void>) | null,
    private readonly onError: (err: unknown) => void,
    private readonly coalesceMs = 5,
  ) {}

  /** Called for this instance's own commits and for other instances' notifications. */
  listen(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Wakes this instance's listeners; with `fromThisInstance`, tells the other instances too. */
  committed(fromThisInstance = true): void {
    for (const listener of this.listeners) listener();
    if (fromThisInstance && this.notifyOthers && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.sending = this.notifyOthers!()
          .catch(this.onError)
          .finally(() => (this.sending = null));
      }, this.coalesceMs);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sending;
  }
}
