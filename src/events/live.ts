import type { Logger } from 'pino';
import type { BackgroundJob } from '../jobs/background.js';
import { singleFlight } from '../util/single-flight.js';
import { type DeletionEventFilter, type DeletionEventRecord, decodeCursor, type EventPosition } from './event-log.js';

type ReadEvents = (opts: {
  after?: { txid: bigint; id: bigint } | null;
  workspaceId?: string | null;
  filter?: DeletionEventFilter | null;
  limit: number;
}) => Promise<DeletionEventRecord[]>;

/**
 * Yielded instead of an event when retention pruned events the subscriber has not seen yet;
 * the stream ends after it (the schema turns it into a CURSOR_EXPIRED error).
 */
export const CURSOR_EXPIRED = Symbol('cursor expired');
export type LiveItem = DeletionEventRecord | typeof CURSOR_EXPIRED;

interface Subscriber {
  workspaceId: string;
  filter: DeletionEventFilter | null;
  push(event: DeletionEventRecord): void;
  /** the tail stopped: end the subscription once what it holds is handed out */
  end(): void;
}

const PAGE = 500;

export function matchesFilter(event: DeletionEventRecord, filter: DeletionEventFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.backends?.length && !filter.backends.includes(event.backend)) return false;
  if (filter.kinds?.length && !filter.kinds.includes(event.kind)) return false;
  if (filter.entityId && filter.entityId !== event.entityId) return false;
  return true;
}

/**
 * One tail of the event log per process, shared by every subscriber: it reads each new event
 * once and hands it to the subscribers whose workspace and filter match.
 */
export class LiveEvents implements BackgroundJob {
  readonly name = 'live tail';
  private readonly subscribers = new Set<Subscriber>();
  private position: { txid: bigint; id: bigint } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly read: ReadEvents,
    /** the newest visible event's position (null when the log is empty) */
    private readonly head: () => Promise<EventPosition | null>,
    /** true when events after the position may have been pruned (see isPruned) */
    private readonly isPruned: (position: EventPosition) => Promise<boolean>,
    private readonly log: Logger,
    private readonly pollMs = 100,
  ) {}

  async start(): Promise<void> {
    this.position = await this.headPosition();
    this.schedule();
  }

  /**
   * Stops reading and ends every subscription after the events it already holds (the client
   * resumes from its last cursor elsewhere); resolves once a read in progress is over.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const s of this.subscribers) s.end();
    // A read in progress finishes; the one more it asks for returns at once.
    await this.poll();
  }

  /**
   * Asks for a read soon (deletions committed) instead of at the next tick. Without
   * subscribers there is nothing to deliver, and a burst of wake-ups is one read.
   */
  wake(): void {
    if (this.subscribers.size === 0 || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.poll();
    }, 1);
  }

  private async headPosition(): Promise<EventPosition> {
    return (await this.head()) ?? this.position ?? { txid: 0n, id: 0n };
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }

  /** Reads what is new and hands it out; concurrent calls share a read (and ask for one more). */
  private readonly poll = singleFlight(async () => {
    if (this.stopped) return;
    try {
      if (this.subscribers.size === 0) {
        // Nobody listens: skip ahead. A subscriber that arrived during the read may need
        // the events in between, so the jump only stands while there is still nobody.
        const head = await this.headPosition();
        if (this.subscribers.size === 0) {
          this.position = head;
          return;
        }
      }
      for (;;) {
        const page = await this.read({ after: this.position, limit: PAGE });
        for (const event of page) {
          this.position = { txid: event.txid, id: event.id };
          for (const s of this.subscribers) {
            if (s.workspaceId === event.workspaceId && matchesFilter(event, s.filter)) s.push(event);
          }
        }
        if (page.length < PAGE) break;
      }
    } catch (err) {
      this.log.error({ err }, 'reading the event log failed; retrying');
    }
  });

  /**
   * Everything after `after` (replayed from the log), then live events, with no gap and no
   * duplicate at the seam: the subscriber is registered before the replay starts and live
   * events at or before the last replayed cursor are dropped.
   */
  subscribe(
    workspaceId: string,
    filter: DeletionEventFilter | null,
    afterCursor: string | null,
  ): AsyncIterableIterator<LiveItem> {
    // An async generator parked on an await ignores return() until it wakes, so closing
    // the iterator also aborts the wait; otherwise an unsubscribed client would linger.
    const closed = new AbortController();
    const inner = this.run(workspaceId, filter, afterCursor, closed.signal);
    return {
      next: () => inner.next(),
      return: (value?: unknown) => {
        closed.abort();
        return inner.return(value as undefined);
      },
      throw: (err?: unknown) => {
        closed.abort();
        return inner.throw(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private async *run(
    workspaceId: string,
    filter: DeletionEventFilter | null,
    afterCursor: string | null,
    signal: AbortSignal,
  ): AsyncGenerator<LiveItem> {
    const buffer: DeletionEventRecord[] = [];
    let notify: (() => void) | null = null;
    const subscriber: Subscriber = {
      workspaceId,
      filter,
      push(event) {
        buffer.push(event);
        notify?.();
      },
      end() {
        notify?.();
      },
    };
    this.subscribers.add(subscriber);
    const onAbort = () => notify?.();
    signal.addEventListener('abort', onAbort);
    try {
      let last = afterCursor ? decodeCursor(afterCursor) : null;
      let lastCursor = afterCursor;
      if (last) {
        for (;;) {
          const page = await this.read({ after: last, workspaceId, filter, limit: PAGE });
          // Checked after the read: a prune that committed before it is seen here.
          if (await this.isPruned(last)) {
            yield CURSOR_EXPIRED;
            return;
          }
          for (const event of page) {
            if (signal.aborted) return;
            yield event;
            lastCursor = event.cursor;
          }
          if (page.length < PAGE || this.stopped) break;
          const tail = page[page.length - 1]!;
          last = { txid: tail.txid, id: tail.id };
        }
      }
      while (!signal.aborted) {
        while (buffer.length && !signal.aborted) {
          const event = buffer.shift()!;
          if (lastCursor !== null && event.cursor <= lastCursor) continue;
          lastCursor = event.cursor;
          yield event;
        }
        if (this.stopped) break;
        await new Promise<void>((resolve) => (notify = resolve));
        notify = null;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.subscribers.delete(subscriber);
    }
  }
}
