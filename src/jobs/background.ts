// Background work with a lifecycle: every part (relay, repairs, pruning, workers) starts and stops in one place.
import type { Logger } from '../logger.js';

export interface BackgroundJob {
  readonly name: string;
  start(): Promise<void> | void;
  /** Stops, and resolves once no run of it is in progress. */
  stop(): Promise<void>;
}

/**
 * A job that runs now and then every `intervalMs`, never twice at once (a `trigger()` while it
 * runs asks for one more run after it). A failed run is logged and the next one tries again.
 */
export class PeriodicJob implements BackgroundJob {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly run: () => Promise<void>,
    private readonly log: Logger,
    /** run once during start() and wait for it (repairs that must finish before serving) */
    private readonly awaitFirstRun = false,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    // The timer never keeps the process alive on its own.
    this.timer = setInterval(() => void this.trigger(), this.intervalMs);
    this.timer.unref();
    if (this.awaitFirstRun) await this.trigger();
    else void this.trigger();
  }

  /** Runs now, or once more after the run in progress; failures are logged, never thrown. */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.run().catch((err) => this.log.error({ err, job: this.name }, `${this.name} failed`));
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** The app's background jobs: started in registration order, stopped in reverse. */
export class Background {
  private readonly jobs: BackgroundJob[] = [];
  private started = false;

  constructor(private readonly log: Logger) {}

  register<J extends BackgroundJob>(job: J): J {
    this.jobs.push(job);
    return job;
  }

  async start(): Promise<void> {
    this.started = true;
    for (const job of this.jobs) await job.start();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const job of [...this.jobs].reverse()) {
      await job.stop().catch((err) => this.log.error({ err, job: job.name }, 'background job did not stop cleanly'));
    }
  }
}

/**
 * The pause of a polling loop: a wait ends after its time, on wake() (unless it is not
 * wakeable), or on stop(), after which every wait returns at once. A wake() while no wakeable
 * wait is parked is kept, so the next one returns at once and no commit's wake-up is lost.
 */
export class PollPause {
  private wakeUp: (() => void) | null = null;
  private interrupt: (() => void) | null = null;
  private woken = false;
  private stopped = false;

  wait(ms: number, wakeable = true): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (wakeable && this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      if (wakeable) this.wakeUp = done;
    });
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }

  stop(): void {
    this.stopped = true;
    this.interrupt?.();
  }
}
