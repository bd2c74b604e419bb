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
/**
 * Yielded when the subscriber fell more than its buffer behind: the events it had not taken
 * yet are dropped and the stream ends after it (SLOW_CONSUMER); it resumes from its last cursor.
 */
export const SLOW_CONSUMER = Symbol('slow consumer');
/** Yielded when the subscription's API key was revoked or lost `events:read`; the stream ends after it. */
export const ACCESS_REVOKED = Symbol('access revoked');
export type LiveMarker = typeof CURSOR_EXPIRED | typeof SLOW_CONSUMER | typeof ACCESS_REVOKED;
export type LiveItem = DeletionEventRecord | LiveMarker;

/**
 * A consumer that takes a subscription's live events as they are read instead of pulling them
 * one by one through the iterator (the graphql-ws fan-out writes them to sockets). It is used
 * once the subscription has caught up; replayed events still go through the iterator.
 */
export interface LiveSink {
  /** The subscription caught up: from now on its events come through `push`. */
  live(): void;
  push(event: DeletionEventRecord): void;
  /**
   * No more events. The iterator's pending `next()` answers once the sink calls
   * `release()` on the subscription (after writing what it holds): with the marker, if any.
   */
  end(marker: LiveMarker | null): void;
}

export interface LiveOptions {
  /** live events a subscriber may hold before it counts as too slow (SLOW_CONSUMER) */
  maxBufferedEvents: number;
  pollMs?: number;
  /**
   * Waited for between two pages of a burst, before the next is read: the fan-out writing what
   * it was handed. Without it the tail yields to the event loop once per page.
   */
  handedOut?: () => Promise<void>;
}

const PAGE = 500;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

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
  private readonly subscribers = new Set<LiveSubscription>();
  private position: { txid: bigint; id: bigint } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly pollMs: number;

  constructor(
    readonly read: ReadEvents,
    /** the newest visible event's position (null when the log is empty) */
    private readonly head: () => Promise<EventPosition | null>,
    /** true when events after the position may have been pruned (see isPruned) */
    readonly isPruned: (position: EventPosition) => Promise<boolean>,
    private readonly log: Logger,
    readonly options: LiveOptions,
  ) {
    this.pollMs = options.pollMs ?? 100;
  }

  get isStopped() {
    return this.stopped;
  }

  /** How far the tail has read and handed out (null before it started): its lag is what lies after it. */
  get tailPosition(): EventPosition | null {
    return this.position;
  }

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
    for (const s of this.subscribers) s.end(null);
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

  /** The API keys the open subscriptions were opened with. */
  keyIds(): Set<string> {
    const ids = new Set<string>();
    for (const s of this.subscribers) if (s.keyId) ids.add(s.keyId);
    return ids;
  }

  /** Ends, with ACCESS_REVOKED, every subscription opened with one of these keys; returns how many. */
  revoke(keyIds: ReadonlySet<string>): number {
    let ended = 0;
    for (const s of this.subscribers) {
      if (s.keyId && keyIds.has(s.keyId)) {
        s.end(ACCESS_REVOKED);
        ended++;
      }
    }
    return ended;
  }

  /** @internal */
  remove(subscription: LiveSubscription) {
    this.subscribers.delete(subscription);
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
        // A burst: let what this page gave the subscribers go out before reading the next.
        await (this.options.handedOut?.() ?? new Promise<void>((resolve) => setImmediate(resolve)));
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
    keyId: string | null = null,
  ): LiveSubscription {
    const subscription = new LiveSubscription(this, workspaceId, filter, afterCursor, keyId);
    this.subscribers.add(subscription);
    return subscription;
  }
}

/**
 * One subscriber of the live tail: an async iterator over its events (replayed, then live),
 * which can hand its live events to a `LiveSink` instead once it has caught up.
 */
export class LiveSubscription implements AsyncIterableIterator<LiveItem> {
  /** items ready to hand out through the iterator */
  private readonly queue: LiveItem[] = [];
  /** live events that arrived while the replay was still reading */
  private early: DeletionEventRecord[] = [];
  /** where the replay reads next; null once it is over (or there is none) */
  private replayFrom: EventPosition | null;
  /** the newest event queued or pushed, for the seam between replay and live */
  private lastCursor: string | null;
  private waiter: (() => void) | null = null;
  /** nothing more will be queued */
  private finished = false;
  /** return() was called */
  private closed = false;
  private sink: LiveSink | null = null;
  private sinkMode = false;
  private finalItem: LiveMarker | null = null;

  constructor(
    private readonly owner: LiveEvents,
    readonly workspaceId: string,
    readonly filter: DeletionEventFilter | null,
    afterCursor: string | null,
    readonly keyId: string | null,
  ) {
    this.replayFrom = afterCursor ? decodeCursor(afterCursor) : null;
    this.lastCursor = afterCursor;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /**
   * Hands live events to `sink` from the moment the subscription has caught up (its replay
   * and what it holds handed out through the iterator).
   */
  offerSink(sink: LiveSink): void {
    this.sink = sink;
    this.wakeUp();
  }

  async next(): Promise<IteratorResult<LiveItem>> {
    for (;;) {
      if (this.closed) return DONE;
      const item = this.queue.shift();
      if (item !== undefined) return { done: false, value: item };
      if (this.finished) return DONE;
      if (this.replayFrom) {
        await this.replayPage(this.replayFrom);
        continue;
      }
      if (this.sink && !this.sinkMode) {
        this.sinkMode = true;
        this.sink.live();
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  async return(): Promise<IteratorResult<LiveItem>> {
    this.closed = true;
    this.owner.remove(this);
    this.wakeUp();
    return DONE;
  }

  async throw(err?: unknown): Promise<IteratorResult<LiveItem>> {
    await this.return();
    throw err;
  }

  /** A live event from the tail. */
  push(event: DeletionEventRecord): void {
    if (this.finished || this.closed) return;
    if (this.replayFrom) {
      this.early.push(event);
      if (this.early.length > this.owner.options.maxBufferedEvents) this.overflow();
      return;
    }
    if (this.lastCursor !== null && event.cursor <= this.lastCursor) return;
    this.lastCursor = event.cursor;
    if (this.sinkMode) {
      this.sink!.push(event);
      return;
    }
    this.queue.push(event);
    if (this.queue.length > this.owner.options.maxBufferedEvents) this.overflow();
    else this.wakeUp();
  }

  /**
   * Ends the subscription: after the events it holds (marker null, the tail stopped), or at
   * once with a marker (what it holds is dropped: the client resumes from its last cursor).
   */
  end(marker: LiveMarker | null): void {
    if (this.finished) return;
    this.owner.remove(this);
    if (this.sinkMode) {
      this.finalItem = marker;
      this.sink!.end(marker);
      return;
    }
    this.finish(marker);
  }

  /** Called by the sink once it has written everything pushed before `end`. */
  release(): void {
    this.finish(this.finalItem);
  }

  private overflow() {
    this.early = [];
    this.queue.length = 0;
    this.end(SLOW_CONSUMER);
  }

  private finish(marker: LiveMarker | null) {
    this.finished = true;
    this.replayFrom = null;
    if (marker) {
      this.queue.length = 0;
      this.queue.push(marker);
    }
    this.wakeUp();
  }

  private wakeUp() {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  private async replayPage(from: EventPosition) {
    const page = await this.owner.read({
      after: from,
      workspaceId: this.workspaceId,
      filter: this.filter,
      limit: PAGE,
    });
    // Checked after the read: a prune that committed before it is seen here.
    if (await this.owner.isPruned(from)) {
      this.end(CURSOR_EXPIRED);
      return;
    }
    if (this.replayFrom !== from) return; // ended meanwhile
    for (const event of page) this.queue.push(event);
    const tail = page[page.length - 1];
    if (tail) this.lastCursor = tail.cursor;
    if (page.length === PAGE && !this.owner.isStopped) {
      this.replayFrom = { txid: tail!.txid, id: tail!.id };
      return;
    }
    // Caught up with the log: the live events that came meanwhile follow, minus those replayed.
    this.replayFrom = null;
    const early = this.early;
    this.early = [];
    for (const event of early) this.push(event);
  }
}
