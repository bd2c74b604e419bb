import type { Duplex } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { DeletionEventRecord } from '../events/event-log.js';
import type { LiveMarker, LiveSink } from '../events/live.js';
import type { DirectFeed } from './shared-subscriptions.js';

/**
 * Close code of a graphql-ws connection whose client reads too slowly: more than
 * SUBSCRIBER_BUFFER_BYTES waited in its socket, or more than SUBSCRIBER_BUFFER_EVENTS events
 * waited to be written. The events it had not received are not lost: it reconnects and
 * subscribes again with `after` set to the last cursor it received.
 */
export const SLOW_CONSUMER_CLOSE_CODE = 4008;
export const SLOW_CONSUMER_CLOSE_REASON = 'Slow consumer: resume from your last cursor';

export interface FanoutLimits {
  /** bytes waiting in one socket beyond which its client counts as too slow */
  maxBufferedBytes: number;
  /** events waiting to be written to one subscription beyond which its client counts as too slow */
  maxBufferedEvents: number;
  /** frames written between two yields to the event loop */
  chunk: number;
}

interface Member {
  socket: WebSocket;
  /** the TCP socket under it: corked while several frames are written, so they leave in one write */
  raw: Duplex | null;
  /** `{"id":<id>,"type":"next","payload":` */
  prefix: string;
  feed: DirectFeed;
  /** what waits to be written: events, and null for the end */
  items: Array<DeletionEventRecord | null>;
  /** in the fan-out's list of members with something to write */
  queued: boolean;
  /** no more frames: closed by its client, or found too slow */
  ended: boolean;
}

/**
 * Writes the live events of graphql-ws `deletionEvents` subscriptions to their sockets
 * directly: each event's result is serialised once per distinct subscription (document,
 * variables, workspace), every subscriber's `next` frame is that JSON behind its own id, and
 * the frames are written in chunks that yield to the event loop, so requests interleave with
 * a burst. A subscriber with several events waiting (the fan-out fell behind during a burst)
 * gets them in one write: the more behind, the fewer system calls per event. graphql-ws still runs each subscription's start, its replay from `after` (with its
 * backpressure), its errors and its `complete`.
 */
export class WsFanout {
  /** members with something to write, in the order they got it */
  private queue: Member[] = [];
  private head = 0;
  private flushing = false;
  private flushedWaiters: Array<() => void> = [];

  constructor(
    private readonly limits: FanoutLimits,
    private readonly log: Logger,
  ) {}

  /**
   * The iterator graphql-ws runs for this subscription instead of `result` (what Yoga's
   * subscribe answered): it passes `result`'s items through until the live subscription has
   * caught up, then stays pending while the live events go to the socket directly, and passes
   * the end (a final error, then done) through once the frames before it are written.
   */
  attach(
    socket: WebSocket,
    raw: Duplex | null,
    id: string,
    feed: DirectFeed,
    result: AsyncIterable<ExecutionResult>,
  ): AsyncIterableIterator<ExecutionResult> {
    const member: Member = {
      socket,
      raw,
      prefix: `{"id":${JSON.stringify(id)},"type":"next","payload":`,
      feed,
      items: [],
      queued: false,
      ended: false,
    };
    let onLive!: () => void;
    const switched = new Promise<'live'>((resolve) => (onLive = () => resolve('live')));
    const sink: LiveSink = {
      live: onLive,
      push: (event) => this.enqueue(member, event),
      end: (_marker: LiveMarker | null) => this.enqueue(member, null),
    };
    feed.subscription.offerSink(sink);

    const inner = result[Symbol.asyncIterator]();
    let outstanding: Promise<IteratorResult<ExecutionResult>> | null = null;
    let live = false;
    return {
      async next() {
        outstanding ??= inner.next();
        if (!live) {
          const first = await Promise.race([outstanding, switched]);
          if (first !== 'live') {
            outstanding = null;
            return first;
          }
          live = true;
        }
        // Pending until the subscription ends (released by the fan-out after its last frame).
        const step = await outstanding;
        outstanding = null;
        return step;
      },
      async return() {
        member.ended = true;
        await inner.return?.();
        return { done: true, value: undefined };
      },
      async throw(err?: unknown) {
        member.ended = true;
        await inner.return?.();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * Resolves once everything queued so far is written to the sockets: the live tail waits for
   * it between pages of a burst, so events wait in the database rather than in memory.
   */
  flushed(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.flushedWaiters.push(resolve));
  }

  private enqueue(member: Member, event: DeletionEventRecord | null) {
    if (event && member.ended) return;
    member.items.push(event);
    if (event && member.items.length > this.limits.maxBufferedEvents) {
      member.items = member.items.filter((item) => item === null);
      this.tooSlow(member, 'events');
    }
    if (!member.queued) {
      member.queued = true;
      this.queue.push(member);
    }
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush() {
    try {
      let written = 0;
      while (this.head < this.queue.length) {
        const member = this.queue[this.head]!;
        this.queue[this.head++] = undefined as never;
        member.queued = false;
        const items = member.items;
        member.items = [];
        written += await this.write(member, items);
        if (written >= this.limits.chunk) {
          written = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } catch (err) {
      this.log.error({ err }, 'writing subscription events failed');
    } finally {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
      this.flushing = false;
      if (this.queue.length) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      } else {
        for (const resolve of this.flushedWaiters.splice(0)) resolve();
      }
    }
  }

  /** Writes a member's waiting frames (in one write when there are several); returns how many. */
  private async write(member: Member, items: Array<DeletionEventRecord | null>): Promise<number> {
    const { socket, raw } = member;
    const frames: string[] = [];
    let end = false;
    for (const item of items) {
      if (item === null) {
        end = true;
        break;
      }
      if (member.ended) continue;
      let json = member.feed.json(item);
      if (typeof json !== 'string') json = await json;
      frames.push(`${member.prefix}${json}}`);
    }
    if (frames.length && !member.ended && socket.readyState === WebSocket.OPEN) {
      if (socket.bufferedAmount > this.limits.maxBufferedBytes) this.tooSlow(member, 'bytes');
      else {
        const cork = frames.length > 1 && raw !== null;
        if (cork) raw.cork();
        for (const frame of frames) socket.send(frame);
        if (cork) raw.uncork();
      }
    }
    // What was pushed before the end is written: the end (a final error, complete) follows it.
    if (end) member.feed.subscription.release();
    return frames.length;
  }

  private tooSlow(member: Member, limit: 'bytes' | 'events') {
    member.ended = true;
    this.log.info(
      { limit, bufferedBytes: member.socket.bufferedAmount, waitingEvents: member.items.length },
      'closing a graphql-ws connection whose client reads too slowly',
    );
    // The close frame queues behind what the socket holds; ws cuts the socket if the client
    // never answers it.
    if (member.socket.readyState === WebSocket.OPEN) {
      member.socket.close(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_CLOSE_REASON);
    }
  }
}
