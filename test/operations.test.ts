import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { CommitSignals, keysOfPayload } from '../src/events/commit-signals.js';
import { OperationUpdates, type VersionedState } from '../src/events/operation-updates.js';
import { parseImageId } from '../src/services/images.js';

// The pure pieces of seed 004: image ids, the live states of operations (with an in-memory
// change log instead of the database), the keyed commit signals, and the new settings.

describe('image ids', () => {
  it.each([
    ['1', '1'],
    ['42', '42'],
    ['9007199254740991', '9007199254740991'],
  ])('%s is an image id', (raw, id) => {
    expect(parseImageId(raw)).toBe(id);
  });

  it.each([
    '',
    '0',
    '-1',
    '+1',
    '007',
    '1.0',
    '1e3',
    ' 1',
    '1 ',
    '0x10',
    'abc',
    '9007199254740992',
    '99999999999999999999',
  ])('%j is not', (raw) => {
    expect(parseImageId(raw)).toBeNull();
  });
});

interface State extends VersionedState {
  done: number;
}

/** An operation's change log in memory: what the database's operation_change is to the real reader. */
function changeLog() {
  const versions = new Map<string, State[]>();
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    record(id: string, done: number, isFinished = false) {
      const list = versions.get(id) ?? [];
      const state = { id, version: list.length + 1, done, isFinished };
      list.push(state);
      versions.set(id, list);
      return state;
    },
    read: async (after: ReadonlyMap<string, number>) => {
      reads++;
      const out = new Map<string, State[]>();
      for (const [id, v] of after)
        out.set(
          id,
          (versions.get(id) ?? []).filter((s) => s.version > v),
        );
      return out;
    },
  };
}

const log = pino({ level: 'silent' });

async function collect(iterator: AsyncIterableIterator<State>) {
  const seen: State[] = [];
  for await (const state of iterator) seen.push(state);
  return seen;
}

describe('OperationUpdates', () => {
  it('a watch yields the state at once, then every later version in order, and ends after the finished one', async () => {
    const db = changeLog();
    const updates = new OperationUpdates(db.read, log);
    const initial = db.record('op', 0);
    const watched = collect(updates.watch(initial));
    // three changes committed before one wake-up: none is lost, none repeated
    db.record('op', 10);
    db.record('op', 20);
    db.record('op', 30);
    updates.changed(['op']);
    db.record('op', 30, true);
    updates.changed(null);
    expect((await watched).map((s) => [s.version, s.done, s.isFinished])).toEqual([
      [1, 0, false],
      [2, 10, false],
      [3, 20, false],
      [4, 30, false],
      [5, 30, true],
    ]);
    await updates.stop();
  });

  it('a watch of a finished operation yields it and ends; a change of another operation reads nothing', async () => {
    const db = changeLog();
    const updates = new OperationUpdates(db.read, log);
    db.record('done', 1);
    const finished = db.record('done', 1, true);
    expect(await collect(updates.watch(finished))).toEqual([finished]);
    updates.changed(['other']);
    expect(db.reads).toBe(0);
  });

  it('watchers of one operation share each state object (a subscription executes once per state)', async () => {
    const db = changeLog();
    const updates = new OperationUpdates(db.read, log);
    const initial = db.record('op', 0);
    const a = collect(updates.watch(initial));
    const b = collect(updates.watch(initial));
    db.record('op', 5, true);
    updates.changed(['op']);
    const [seenA, seenB] = await Promise.all([a, b]);
    expect(seenA[1]).toBe(seenB[1]);
  });

  describe('waits', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('a wait resolves with the finished state', async () => {
      const db = changeLog();
      const updates = new OperationUpdates(db.read, log);
      const waiting = updates.waitUntilFinished(db.record('op', 0), 60_000);
      db.record('op', 3);
      db.record('op', 3, true);
      updates.changed(['op']);
      expect(await waiting).toMatchObject({ version: 3, isFinished: true });
    });

    it('past its time a wait resolves with the latest state, not an error', async () => {
      const db = changeLog();
      const updates = new OperationUpdates(db.read, log);
      const waiting = updates.waitUntilFinished(db.record('op', 0), 1_000);
      db.record('op', 7);
      updates.changed(['op']);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await waiting).toMatchObject({ version: 2, done: 7, isFinished: false });
    });

    it('endWaits() answers every wait at once; subscriptions go on', async () => {
      const db = changeLog();
      const updates = new OperationUpdates(db.read, log);
      const initial = db.record('op', 0);
      const waiting = updates.waitUntilFinished(initial, 60_000);
      const watched = collect(updates.watch(initial));
      updates.endWaits();
      expect(await waiting).toBe(initial);
      db.record('op', 1, true);
      updates.changed(['op']);
      expect((await watched).map((s) => s.version)).toEqual([1, 2]);
    });
  });
});

describe('CommitSignals with keys', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Signals whose NOTIFYs (`sent`) and in-process wake-ups (`heard`) are recorded. */
  function recordingSignals() {
    const sent: string[] = [];
    const heard: Array<readonly string[] | null> = [];
    const signals = new CommitSignals(
      async (payload) => void sent.push(payload),
      () => {},
      5,
    );
    signals.listen((keys) => heard.push(keys));
    return { signals, sent, heard };
  }

  it('listeners here get each signal at once; other instances one NOTIFY per window naming its keys', async () => {
    const { signals, sent, heard } = recordingSignals();
    signals.committed(true, ['op_a']);
    signals.committed(true, ['op_b', 'op_a']);
    expect(heard).toEqual([['op_a'], ['op_b', 'op_a']]);
    await vi.advanceTimersByTimeAsync(5);
    expect(sent).toEqual(['op_a,op_b']);
    signals.committed(true, ['op_c']);
    signals.committed();
    await vi.advanceTimersByTimeAsync(5);
    expect(sent).toEqual(['op_a,op_b', '']);
    expect(keysOfPayload('op_a,op_b')).toEqual(['op_a', 'op_b']);
    expect(keysOfPayload('')).toBeNull();
  });

  it('a notification from another instance wakes listeners here and is not sent back', async () => {
    const { signals, sent, heard } = recordingSignals();
    signals.committed(false, ['op_x']);
    await vi.advanceTimersByTimeAsync(10);
    expect(heard).toEqual([['op_x']]);
    expect(sent).toEqual([]);
  });
});

describe('operation settings', () => {
  it('WORKER_CONCURRENCY defaults to 2, OPERATION_WAIT_TIMEOUT to 60 s, OPERATION_LEASE to 30 s', () => {
    const config = loadConfig({});
    expect(config.WORKER_CONCURRENCY).toBe(2);
    expect(config.OPERATION_WAIT_TIMEOUT).toBe(60_000);
    expect(config.OPERATION_LEASE).toBe(30_000);
    expect(loadConfig({ WORKER_CONCURRENCY: '0', OPERATION_WAIT_TIMEOUT: '500ms' })).toMatchObject({
      WORKER_CONCURRENCY: 0,
      OPERATION_WAIT_TIMEOUT: 500,
    });
  });

  it.each([
    [{ WORKER_CONCURRENCY: 'two' }, 'WORKER_CONCURRENCY'],
    [{ WORKER_CONCURRENCY: '-1' }, 'WORKER_CONCURRENCY'],
    [{ OPERATION_WAIT_TIMEOUT: 'a minute' }, 'OPERATION_WAIT_TIMEOUT'],
    [{ OPERATION_LEASE: '1.5s' }, 'OPERATION_LEASE'],
  ])('%o is refused with one line naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${name}: `));
  });
});
