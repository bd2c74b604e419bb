import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type DeletionEventRecord, encodeCursor } from '../src/events/event-log.js';
import { ACCESS_REVOKED, LiveEvents, type LiveItem, type LiveSink, SLOW_CONSUMER } from '../src/events/live.js';

// The live tail's subscriptions (src/events/live.ts) over an event log held in memory: the
// seam between replay and live, the bounded buffer, revocation, and the hand-over of live
// events to a sink (the graphql-ws fan-out). The end-to-end behaviour is in event-stream and
// stream-limits tests; these pin down the orderings that are hard to force there.

const WORKSPACE = 'wks_test';

function event(n: number, workspaceId = WORKSPACE): DeletionEventRecord {
  return {
    id: BigInt(n),
    txid: BigInt(n),
    cursor: encodeCursor(BigInt(n), BigInt(n)),
    backend: 'RESOURCE',
    kind: 'SOFT_DELETED',
    entityId: `e${n}`,
    workspaceId,
    occurredAt: new Date(0),
    data: null,
  };
}

/** An event log in memory; replay reads (the ones with a workspace) can be held back. */
function memoryLog(maxBufferedEvents = 100) {
  const events: DeletionEventRecord[] = [];
  let held: Promise<void> | null = null;
  let release = () => {};
  let tailRead: (() => void) | null = null;
  const after = (position: { txid: bigint; id: bigint } | null | undefined) =>
    events.filter((e) => !position || e.txid > position.txid || (e.txid === position.txid && e.id > position.id));
  const live = new LiveEvents(
    async (opts) => {
      if (opts.workspaceId && held) await held;
      const page = after(opts.after)
        .filter((e) => !opts.workspaceId || e.workspaceId === opts.workspaceId)
        .slice(0, opts.limit);
      if (!opts.workspaceId && tailRead) {
        // The tail hands the page out as soon as this read's promise settles: after that.
        const done = tailRead;
        tailRead = null;
        setImmediate(done);
      }
      return page;
    },
    async () => {
      const last = events.at(-1);
      return last ? { txid: last.txid, id: last.id } : null;
    },
    async () => false,
    pino({ level: 'silent' }),
    { maxBufferedEvents, pollMs: 60_000 },
  );
  return {
    live,
    append(...ns: number[]) {
      events.push(...ns.map((n) => event(n)));
    },
    /** Wakes the tail and resolves once it has handed out what it read. */
    handOut(): Promise<void> {
      const read = new Promise<void>((resolve) => (tailRead = resolve));
      live.wake();
      return read;
    },
    holdReplay() {
      held = new Promise((resolve) => (release = resolve));
    },
    releaseReplay() {
      held = null;
      release();
    },
  };
}

const entity = (item: LiveItem) => (typeof item === 'symbol' ? item : item.entityId);

async function take(iterator: AsyncIterator<LiveItem>, count: number) {
  const items: Array<string | symbol> = [];
  while (items.length < count) {
    const step = await iterator.next();
    if (step.done) break;
    items.push(entity(step.value));
  }
  return items;
}

describe('live subscriptions', () => {
  it('replay, then live: an event the tail hands out during the replay comes once, after the replayed ones', async () => {
    const log = memoryLog();
    log.append(1, 2, 3);
    await log.live.start(); // the tail starts at event 3
    log.holdReplay();
    const sub = log.live.subscribe(WORKSPACE, null, event(1).cursor);
    const first = sub.next(); // the replay is reading (held)
    log.append(4);
    await log.handOut(); // the tail hands out 4 while the replay still reads
    log.releaseReplay(); // the replay reads 2, 3, 4
    const items = [entity((await first).value as LiveItem), ...(await take(sub, 2))];
    expect(items).toEqual(['e2', 'e3', 'e4']);
    log.append(5);
    await log.handOut();
    expect(await take(sub, 1)).toEqual(['e5']);
    await sub.return();
    await log.live.stop();
  });

  it('a subscriber that does not take its events is ended with SLOW_CONSUMER past its buffer, its events dropped', async () => {
    const log = memoryLog(3);
    await log.live.start();
    const sub = log.live.subscribe(WORKSPACE, null, null);
    log.append(1, 2, 3, 4);
    await log.handOut();
    const items = await take(sub, 10);
    expect(items).toEqual([SLOW_CONSUMER]);
    expect((await sub.next()).done).toBe(true);
    await log.live.stop();
  });

  it('revoking a key ends its subscriptions with ACCESS_REVOKED and leaves the others', async () => {
    const log = memoryLog();
    await log.live.start();
    const revoked = log.live.subscribe(WORKSPACE, null, null, 'key_a');
    const other = log.live.subscribe(WORKSPACE, null, null, 'key_b');
    expect(log.live.keyIds()).toEqual(new Set(['key_a', 'key_b']));
    expect(log.live.revoke(new Set(['key_a']))).toBe(1);
    expect(await take(revoked, 10)).toEqual([ACCESS_REVOKED]);
    log.append(1);
    await log.handOut();
    expect(await take(other, 1)).toEqual(['e1']);
    expect(log.live.keyIds()).toEqual(new Set(['key_b']));
    await other.return();
    await log.live.stop();
  });

  it('once caught up, live events go to the sink; its end passes through the iterator only when the sink releases it', async () => {
    const log = memoryLog();
    log.append(1, 2);
    await log.live.start();
    const sub = log.live.subscribe(WORKSPACE, null, event(1).cursor, 'key_a');
    const calls: string[] = [];
    const sink: LiveSink = {
      live: () => calls.push('live'),
      push: (e) => calls.push(e.entityId),
      end: (marker) => calls.push(`end ${String(marker?.description ?? null)}`),
    };
    sub.offerSink(sink);
    // The replayed event still comes through the iterator.
    expect(await take(sub, 1)).toEqual(['e2']);
    const last = sub.next().then((step) => {
      calls.push('iterator answered');
      return step;
    });
    // Caught up: the iterator's next() switched it to the sink and waits.
    expect(calls).toEqual(['live']);
    log.append(3, 4);
    await log.handOut();
    expect(calls).toEqual(['live', 'e3', 'e4']);
    log.live.revoke(new Set(['key_a']));
    expect(calls.at(-1)).toBe('end access revoked');
    // Every pending promise reaction runs before a setImmediate callback: had the end answered
    // the iterator already, 'iterator answered' would be logged by now.
    await new Promise((resolve) => setImmediate(resolve));
    calls.push('released');
    sub.release();
    expect(entity((await last).value as LiveItem)).toBe(ACCESS_REVOKED);
    // The iterator answered only after the release, though the end came before it.
    expect(calls.slice(-3)).toEqual(['end access revoked', 'released', 'iterator answered']);
    expect((await sub.next()).done).toBe(true);
    await log.live.stop();
  });
});
