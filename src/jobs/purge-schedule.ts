// The dataset purge on its schedule (PURGE_CRON in PURGE_TZ, default twice a day off-peak).
import { Cron } from 'croner';
import type { CronSchedule } from '../config/cron.js';
import type { Logger } from '../logger.js';
import type { BackgroundJob } from './background.js';

export interface PurgeScheduleOptions {
  /** null: no scheduled runs (PURGE_CRON=off) */
  schedule: CronSchedule | null;
  /** one run; a run another instance is doing makes this one skip */
  purge: () => Promise<unknown>;
  /** whether a run died before it finished: then one runs at start, not at the next slot */
  hasInterruptedRun: () => Promise<boolean>;
  log: Logger;
}

/** Fires the purge at each scheduled time; a slot that comes while a run is going is skipped. */
export class PurgeSchedule implements BackgroundJob {
  readonly name = 'dataset purge';
  private cron: Cron | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly o: PurgeScheduleOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    const { schedule } = this.o;
    if (schedule) {
      this.cron = new Cron(schedule.expression, { timezone: schedule.timezone, unref: true }, () => void this.run());
      this.o.log.info(
        { cron: schedule.expression, timezone: schedule.timezone, next: schedule.nextRun() },
        'dataset purge scheduled',
      );
    }
    if (await this.o.hasInterruptedRun().catch(() => false)) void this.run();
  }

  private run(): Promise<void> {
    if (this.stopped || this.running) return this.running ?? Promise.resolve();
    this.running = (async () => {
      try {
        await this.o.purge();
      } catch (err) {
        this.o.log.error({ err }, 'dataset purge failed; the next run tries again');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Waits for a run in progress, which ends after its batch once the gateway shuts down. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cron?.stop();
    this.cron = null;
    await this.running;
  }
}
