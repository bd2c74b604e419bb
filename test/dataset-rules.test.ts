import { describe, expect, it } from 'vitest';
import { isCronProblem, parseCronSchedule } from '../src/config/cron.js';
import { loadConfig } from '../src/config/index.js';
import { inProcessExclusiveRuns } from '../src/db/exclusive-runs.js';
import { datasetJson } from '../src/http/rest.js';
import { type Dataset, purgeAt } from '../src/services/datasets.js';
import { databaseKind } from './support/database.js';

// Seed 003's pure rules: the purge schedule, purgeAt, the REST body. Run once, in the PGlite project.

const schedule = (expression: string, tz = 'UTC') => {
  const parsed = parseCronSchedule(expression, tz);
  if (isCronProblem(parsed)) throw new Error(parsed.message);
  return parsed;
};

const dataset = (over: Partial<Dataset> = {}): Dataset => ({
  id: 'ds_ar7e4PtGX7fGGnSt',
  workspaceId: 'wks_Gg9Bzi7sx8fbCfWI',
  type: 'DOC',
  fileName: 'my_document',
  fileExt: 'pdf',
  fileSize: 777678,
  itemCount: 44,
  mimeType: 'application/pdf',
  createdAt: new Date(1761933149632),
  updatedAt: new Date(1761933149632),
  expiresAt: new Date(1762019549632),
  markedForDeletion: false,
  share: {
    url: '/v1/share/dsx_iCAA1uoowAFi9rcu?token=OFWb98',
    token: 'OFWb98',
    expiresAt: new Date(1762009529330),
  },
  ...over,
});

describe.runIf(databaseKind() === 'pglite')('the purge schedule', () => {
  it('PURGE_CRON defaults to twice a day, 03:00 and 15:00 in PURGE_TZ (UTC)', () => {
    const config = loadConfig({});
    expect([config.PURGE_CRON, config.PURGE_TZ]).toEqual(['0 3,15 * * *', 'UTC']);
    const s = schedule(config.PURGE_CRON, config.PURGE_TZ);
    expect(s.nextRun(new Date('2026-11-30T10:00:00Z'))).toEqual(new Date('2026-11-30T15:00:00Z'));
    expect(s.nextRun(new Date('2026-11-30T15:00:00Z'))).toEqual(new Date('2026-12-01T03:00:00Z'));
  });

  it.each([
    ['Europe/Berlin', '2026-12-01T02:00:00.000Z'], // winter: UTC+1
    ['America/New_York', '2026-12-01T08:00:00.000Z'], // winter: UTC-5
    ['Asia/Kolkata', '2026-11-30T21:30:00.000Z'], // UTC+5:30
  ])('runs at 03:00 local time in %s', (tz, expected) => {
    expect(schedule('0 3 * * *', tz).nextRun(new Date('2026-11-30T12:00:00Z'))?.toISOString()).toBe(expected);
  });

  it.each([
    ['61 * * * *', 'expression'],
    ['every day', 'expression'],
    ['', 'expression'],
  ])('%j is refused as an expression', (expression, part) => {
    const parsed = parseCronSchedule(expression, 'UTC');
    expect(isCronProblem(parsed) && parsed.part).toBe(part);
  });

  it('an unknown time zone is refused as the time zone', () => {
    expect(parseCronSchedule('0 3 * * *', 'Mars/Olympus')).toMatchObject({ part: 'timezone' });
  });

  it('PURGE_CRON=off is accepted and means no schedule', () => {
    expect(loadConfig({ PURGE_CRON: 'off' }).PURGE_CRON).toBe('off');
  });
});

describe.runIf(databaseKind() === 'pglite')('purgeAt', () => {
  const s = schedule('0 3,15 * * *');
  const now = new Date('2026-11-30T10:00:00Z');

  it('a marked dataset goes at the next run', () => {
    const d = dataset({ expiresAt: new Date('2026-11-30T09:00:00Z'), markedForDeletion: true });
    expect(purgeAt(s, d, now)).toEqual(new Date('2026-11-30T15:00:00Z'));
  });

  it('a dataset that will expire goes at the first run at or after its expiry', () => {
    expect(purgeAt(s, dataset({ expiresAt: new Date('2026-12-01T04:00:00Z') }), now)).toEqual(
      new Date('2026-12-01T15:00:00Z'),
    );
    // a run that starts at the very moment of the expiry takes it: its cutoff is its start
    expect(purgeAt(s, dataset({ expiresAt: new Date('2026-12-01T03:00:00Z') }), now)).toEqual(
      new Date('2026-12-01T03:00:00Z'),
    );
  });

  it('null without an expiry, or without a schedule', () => {
    expect(purgeAt(s, dataset({ expiresAt: null }), now)).toBeNull();
    expect(purgeAt(null, dataset({ markedForDeletion: true }), now)).toBeNull();
  });
});

describe.runIf(databaseKind() === 'pglite')("the seed's body", () => {
  it('reproduces the seed example field for field: type in lower case, times as epoch milliseconds', () => {
    expect(datasetJson(dataset())).toEqual({
      id: 'ds_ar7e4PtGX7fGGnSt',
      workspaceId: 'wks_Gg9Bzi7sx8fbCfWI',
      type: 'doc',
      fileName: 'my_document',
      fileExt: 'pdf',
      fileSize: 777678,
      itemCount: 44,
      mimeType: 'application/pdf',
      createdAt: 1761933149632,
      updatedAt: 1761933149632,
      expiresAt: 1762019549632,
      share: {
        url: '/v1/share/dsx_iCAA1uoowAFi9rcu?token=OFWb98',
        token: 'OFWb98',
        expiresAt: 1762009529330,
      },
    });
  });

  it('null times and no share stay null', () => {
    const body = datasetJson(dataset({ updatedAt: null, expiresAt: null, share: null, type: 'AUDIO' }));
    expect(body).toMatchObject({ type: 'audio', updatedAt: null, expiresAt: null, share: null });
  });
});

describe.runIf(databaseKind() === 'pglite')('runs one at a time (PGlite: in the process)', () => {
  it('a second run waits for the first, or gives up after its wait', async () => {
    const runs = inProcessExclusiveRuns();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    const first = runs.run(1n, 0, async () => {
      order.push('first starts');
      await gate;
      order.push('first ends');
      return 1;
    });
    expect(await runs.run(1n, 0, async () => 2)).toEqual({ ran: false });
    // another key is another lock
    expect(await runs.run(2n, 0, async () => 3)).toEqual({ ran: true, value: 3 });
    const second = runs.run(1n, 60_000, async () => {
      order.push('second runs');
      return 4;
    });
    release();
    expect(await first).toEqual({ ran: true, value: 1 });
    expect(await second).toEqual({ ran: true, value: 4 });
    expect(order).toEqual(['first starts', 'first ends', 'second runs']);
  });
});
