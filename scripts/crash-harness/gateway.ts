// The gateway's lives during a crash run: started, SIGKILLed, restarted on the same database.
// Requests wait while it is down; a request whose answer was lost learns when the dead
// gateway's transactions have settled, so it can ask the database whether it committed.
import { type RunningServer, startServer } from '../../test/support/server.js';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export interface GatewayOptions {
  databaseUrl: string;
  adminKey: string;
  env: Record<string, string>;
  /** resolves once the database shows no connection of a dead gateway (its transactions ended) */
  databaseQuiet(): Promise<void>;
  /** a gateway that died without being killed: a violation, then it is restarted like a killed one */
  onUnexpectedExit(epoch: number, exit: { code: number | null; signal: NodeJS.Signals | null }): void;
}

export class GatewayLives {
  /** which life: 0 for the first start, +1 per restart */
  epoch = 0;
  private server: RunningServer | null = null;
  private down = true;
  private up = deferred();
  private readonly settled = new Map<number, Deferred>();
  private readonly servers = new Set<RunningServer>();
  private crashing: Promise<void> | null = null;

  constructor(private readonly o: GatewayOptions) {}

  /** The first start. */
  async start(): Promise<RunningServer> {
    return this.open();
  }

  private async open(): Promise<RunningServer> {
    const server = await startServer({ databaseUrl: this.o.databaseUrl, adminKey: this.o.adminKey, env: this.o.env });
    this.servers.add(server);
    const epoch = this.epoch;
    void server.exited.then((exit) => {
      if (this.server === server && !this.down) {
        this.o.onUnexpectedExit(epoch, exit);
        void this.crash(() => Promise.resolve());
      }
    });
    this.server = server;
    this.down = false;
    this.up.resolve();
    return server;
  }

  /** The running gateway and its life; waits while it is down. */
  async ready(): Promise<{ epoch: number; server: RunningServer }> {
    while (this.down || !this.server) await this.up.promise;
    return { epoch: this.epoch, server: this.server };
  }

  /** Whether the life `epoch` has ended (or is ending): a lost answer then comes from the crash. */
  isOver(epoch: number): boolean {
    return epoch < this.epoch || (epoch === this.epoch && this.down);
  }

  /** Resolves once the gateway of life `epoch` is dead and its transactions have ended. */
  settledAfter(epoch: number): Promise<void> {
    return this.settledOf(epoch).promise;
  }

  private settledOf(epoch: number): Deferred {
    let d = this.settled.get(epoch);
    if (!d) this.settled.set(epoch, (d = deferred()));
    return d;
  }

  /** SIGKILL, wait until it is gone and the database is quiet, restart on the same database. */
  kill(): Promise<void> {
    const server = this.server;
    if (!server) throw new Error('no gateway to kill');
    return this.crash(async () => {
      server.process.kill('SIGKILL');
      await server.exited;
    });
  }

  private crash(die: () => Promise<void>): Promise<void> {
    this.crashing ??= (async () => {
      const epoch = this.epoch;
      this.down = true;
      this.up = deferred();
      await die();
      await this.o.databaseQuiet();
      this.settledOf(epoch).resolve();
      this.epoch++;
      await this.open();
    })().finally(() => {
      this.crashing = null;
    });
    return this.crashing;
  }

  /** Graceful stop (SIGTERM) of the running gateway; its exit. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
    const server = this.server;
    if (!server) return null;
    this.down = true;
    this.server = null;
    await server.stop();
    return server.exited;
  }

  /** Kills whatever gateway process is still running (after a failure). */
  async destroy(): Promise<void> {
    this.down = true;
    for (const server of this.servers) {
      if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
      await server.exited;
    }
  }
}
