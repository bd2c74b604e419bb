// Live states of operations for subscribers and waiters: each version, in order, on every instance.
import { Repeater } from 'graphql-yoga';
import type { BackgroundJob } from '../jobs/background.js';
import type { Logger } from '../logger.js';
import { singleFlight } from '../util/single-flight.js';

/** What is watched: a state of an operation, numbered. */
export interface VersionedState {
  id: string;
  version: number;
  isFinished: boolean;
}

/** Reads, for each operation id, its states after the given version, oldest first. */
export type ReadStates<S extends VersionedState> = (after: ReadonlyMap<string, number>) => Promise<Map<string, S[]>>;

interface Watcher<S> {
  /** a wait (answers a request), not a subscription */
  waits: boolean;
  /** the version last handed to it */
  last: number;
  push(state: S): void;
  end(): void;
}

/**
 * One reader per process for every watched operation. It reads the states committed since
 * each watcher's last one (operation_change keeps every version) when woken, by this
 * instance's workers at once and by other instances' notifications, and every `pollMs` as a
 * fallback while anyone watches; one read serves every watcher, and each state object is
 * shared by every watcher of its operation (subscriptions execute once per state).
 */
export class OperationUpdates<S extends VersionedState> implements BackgroundJob {
  readonly name = 'operation updates';
  private readonly watchers = new Map<string, Set<Watcher<S>>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly read: ReadStates<S>,
    private readonly log: Logger,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => {
      if (this.watchers.size) void this.poll();
    }, this.pollMs);
    this.timer.unref();
  }

  /** Ends every watch (subscriptions complete, waits answer with the state they have). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const set of this.watchers.values()) for (const w of set) w.end();
    this.watchers.clear();
    await this.poll();
  }

  /** Every wait answers now with the state it has (shutdown); subscriptions go on. */
  endWaits(): void {
    for (const set of this.watchers.values()) for (const w of set) if (w.waits) w.end();
  }

  /** These operations changed (null: any may have). */
  changed(ids: readonly string[] | null): void {
    if (this.watchers.size === 0) return;
    if (ids && !ids.some((id) => this.watchers.has(id))) return;
    void this.poll();
  }

  /** `initial` (the state now), then every later state in order; ends after the finished one. */
  watch(initial: S): AsyncIterableIterator<S> {
    return new Repeater<S>(async (push, stop) => {
      void push(initial);
      if (initial.isFinished || this.stopped) return stop();
      const watcher: Watcher<S> = {
        waits: false,
        last: initial.version,
        push: (state) => {
          void push(state);
          if (state.isFinished) stop();
        },
        end: () => stop(),
      };
      this.add(initial.id, watcher);
      await stop;
      this.remove(initial.id, watcher);
    });
  }

  /** Resolves with the finished state, or with the latest one when `timeoutMs` passes first (or on stop). */
  waitUntilFinished(initial: S, timeoutMs: number): Promise<S> {
    if (initial.isFinished || this.stopped) return Promise.resolve(initial);
    return new Promise((resolve) => {
      let latest = initial;
      const done = () => {
        clearTimeout(timer);
        this.remove(initial.id, watcher);
        resolve(latest);
      };
      const watcher: Watcher<S> = {
        waits: true,
        last: initial.version,
        push: (state) => {
          latest = state;
          if (state.isFinished) done();
        },
        end: done,
      };
      const timer = setTimeout(done, timeoutMs);
      this.add(initial.id, watcher);
    });
  }

  private add(id: string, watcher: Watcher<S>) {
    const set = this.watchers.get(id) ?? new Set();
    set.add(watcher);
    this.watchers.set(id, set);
    // A change committed between reading `initial` and this registration is read now, not at the next poll.
    void this.poll();
  }

  private remove(id: string, watcher: Watcher<S>) {
    const set = this.watchers.get(id);
    set?.delete(watcher);
    if (set?.size === 0) this.watchers.delete(id);
  }

  /** Reads what is new for every watched operation and hands it out; concurrent calls share a read. */
  private readonly poll = singleFlight(async () => {
    if (this.stopped || this.watchers.size === 0) return;
    const after = new Map<string, number>();
    for (const [id, set] of this.watchers) after.set(id, Math.min(...[...set].map((w) => w.last)));
    try {
      const states = await this.read(after);
      for (const [id, list] of states) {
        for (const state of list) {
          for (const w of this.watchers.get(id) ?? []) {
            if (state.version <= w.last) continue;
            w.last = state.version;
            w.push(state);
          }
        }
      }
    } catch (err) {
      this.log.error({ err }, 'reading operation states failed; retrying');
    }
  });
}
