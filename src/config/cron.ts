// Cron expressions (PURGE_CRON) are parsed by croner, never by hand; "off" switches a schedule off.
import { Cron } from 'croner';

export interface CronSchedule {
  /** the expression as configured */
  expression: string;
  timezone: string;
  /** The first run strictly after `after` (default: now); null when the expression never fires again. */
  nextRun(after?: Date): Date | null;
}

export interface CronProblem {
  /** which of the two is wrong */
  part: 'expression' | 'timezone';
  message: string;
}

/** A schedule, or why the expression or the time zone cannot be one: a line for the config error. */
export function parseCronSchedule(expression: string, timezone: string): CronSchedule | CronProblem {
  if (!isTimeZone(timezone)) {
    return { part: 'timezone', message: `unknown time zone "${timezone}" (an IANA name such as UTC or Europe/Berlin)` };
  }
  let cron: Cron;
  try {
    // paused: this object only computes times; the purge job owns its own timer
    cron = new Cron(expression, { timezone, paused: true });
    cron.nextRun();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      part: 'expression',
      message: `"${expression}" is not a cron expression (minute hour day month weekday, e.g. 0 3,15 * * *): ${reason}`,
    };
  }
  return {
    expression,
    timezone,
    nextRun: (after = new Date()) => cron.nextRun(after),
  };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const isCronProblem = (value: CronSchedule | CronProblem): value is CronProblem => 'part' in value;
