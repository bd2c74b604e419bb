import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeriodicJob, PollPause } from '../src/jobs/background.js';

// The pieces every background loop is made of, with fake timers: a wait that ends early is
// seen to end without any time passing.

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
};

describe('PollPause', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a wait ends after its time', async () => {
    const pause = new PollPause();
    const wait = pause.wait(1000);
    expect(await settled(wait)).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(wait)).toBe(true);
  });

  it('wake() ends a wakeable wait at once', async () => {
    const pause = new PollPause();
    const wait = pause.wait(60_000);
    pause.wake();
    expect(await settled(wait)).toBe(true);
  });

  it('a wake() while nobody waits is kept: the next wakeable wait returns at once, the one after does not', async () => {
    const pause = new PollPause();
    pause.wake();
    expect(await settled(pause.wait(60_000))).toBe(true);
    expect(await settled(pause.wait(60_000))).toBe(false);
  });

  it('a wait that is not wakeable ignores wake() but keeps it for the next wakeable one', async () => {
    const pause = new PollPause();
    const backoff = pause.wait(5000, false);
    pause.wake();
    expect(await settled(backoff)).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await settled(backoff)).toBe(true);
    expect(await settled(pause.wait(60_000))).toBe(true);
  });

  it('stop() ends any wait, wakeable or not, and every later one', async () => {
    const pause = new PollPause();
    const backoff = pause.wait(60_000, false);
    pause.stop();
    expect(await settled(backoff)).toBe(true);
    expect(await settled(pause.wait(60_000))).toBe(true);
  });
});

describe('PeriodicJob', () => {
  const log = pino({ level: 'silent' });

  it('never runs twice at once; a trigger during a run asks for exactly one more run', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release: (() => void) | null = null;
    const job = new PeriodicJob(
      'test',
      3_600_000,
      async () => {
        runs++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((r) => (release = r));
        running--;
      },
      log,
    );
    await job.start(); // first run starts, parked on release
    const a = job.trigger();
    const b = job.trigger();
    expect(runs).toBe(1);
    release!();
    await vi.waitFor(() => expect(runs).toBe(2));
    release!();
    await Promise.all([a, b]);
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    await job.stop();
  });

  it('a failing run is logged and the next trigger runs again; stop() waits for the run in progress', async () => {
    let runs = 0;
    let release: (() => void) | null = null;
    const job = new PeriodicJob(
      'test',
      3_600_000,
      async () => {
        runs++;
        if (runs === 1) throw new Error('boom');
        await new Promise<void>((r) => (release = r));
      },
      log,
      true,
    );
    await job.start(); // the failed first run does not fail start()
    expect(runs).toBe(1);
    void job.trigger();
    await vi.waitFor(() => expect(release).not.toBeNull());
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release!();
    await stopping;
    expect(stopped).toBe(true);
    await job.trigger(); // stopped: no more runs
    expect(runs).toBe(2);
  });
});
