import { describe, expect, it } from 'vitest';
import { runCrashHarness } from '../scripts/crash-harness/harness.js';
import { databaseKind, skipDatabase } from './support/database.js';

// The crash harness (scripts/crash-harness.ts, issue 14) at a small size: mixed deletions of all
// five backends with idempotency keys while the gateway is SIGKILLed twice and restarted.
//
// PostgreSQL only: the harness reads the database from outside while the gateway runs (did a
// deletion whose answer was lost commit? have the dead gateway's sessions ended? is the
// background work done?), and a PGlite directory can only be opened by the gateway process.
describe.skipIf(skipDatabase() || databaseKind() !== 'postgres')('crash harness', () => {
  it('120 deletions, 2 kills: every deletion exactly once with all its side effects, every retry the first answer', async () => {
    const report = await runCrashHarness({ deletions: 120, kills: 2, seed: 14 });
    console.info(
      `[crash-harness] ${JSON.stringify({ crashes: report.crashes, answers: report.answers, queue: report.queue })}`,
    );
    expect(report.violations).toEqual([]);
    expect(report.deletions).toBe(120);
    expect(report.kills).toBe(2);
    // Both kills cut answers off, and retries of committed deletions got their first answer (not 404).
    expect(report.answers.lost).toBeGreaterThan(0);
    expect(report.answers.retriedAfterCommit).toBeGreaterThan(0);
    expect(report.answers.retriesWithFirstAnswer).toBe(report.answers.retriedAfterCommit);
    expect(report.answers.replaysWithSameAnswer).toBe(report.answers.replays);
    expect(report.queue.messages).toBe(report.plan.resource);
  }, 900_000);
});
