import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const programsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'programs');

/**
 * Wrapper kinds the API may name; each maps to a command shipped with the server, never to a
 * command from a client. The `--wrapper-id=` argument lets a restarted gateway recognise the process.
 */
export const WRAPPER_PROGRAMS: Readonly<Record<string, (wrapperId: string) => [string, string[]]>> = {
  idle: (id) => [process.execPath, [path.join(programsDir, 'idle.mjs'), `--wrapper-id=${id}`]],
  // Ignores SIGTERM, so stopping it needs the SIGKILL escalation (used by tests and drills).
  stubborn: (id) => ['/bin/sh', ['-c', "trap '' TERM; while :; do sleep 1; done", 'stubborn', `--wrapper-id=${id}`]],
};

export type StopOutcome = 'terminated' | 'killed' | 'not-running';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts and stops wrapper processes. Processes are started detached so that they outlive a
 * gateway restart; a restarted gateway finds them again by pid and command line.
 */
export class WrapperSupervisor {
  constructor(
    private readonly graceMs: number,
    private readonly allowedKinds: readonly string[],
  ) {}

  isKnownKind(kind: string): boolean {
    return this.allowedKinds.includes(kind) && Object.hasOwn(WRAPPER_PROGRAMS, kind);
  }

  start(kind: string, wrapperId: string): Promise<number> {
    const program = this.isKnownKind(kind) ? WRAPPER_PROGRAMS[kind] : undefined;
    if (!program) return Promise.reject(new Error(`unknown wrapper kind ${kind}`));
    return new Promise((resolve, reject) => {
      const [command, args] = program(wrapperId);
      const child = spawn(command, args, {
        detached: true,
        stdio: 'ignore',
      });
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve(child.pid!);
      });
    });
  }

  /** True when `pid` is alive and is the process of this wrapper (guards against pid reuse). */
  owns(pid: number, wrapperId: string): boolean {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/\) Z /.test(stat)) return false; // a zombie has already exited
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return cmdline.includes(`--wrapper-id=${wrapperId}`);
    } catch {
      return false;
    }
  }

  /** SIGTERM, then SIGKILL once the grace period has passed; resolves when the process is gone. */
  async stop(pid: number, wrapperId: string): Promise<StopOutcome> {
    if (!this.owns(pid, wrapperId)) return 'not-running';
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + this.graceMs;
    while (Date.now() < deadline) {
      await sleep(20);
      if (!this.owns(pid, wrapperId)) return 'terminated';
    }
    signal(pid, 'SIGKILL');
    while (this.owns(pid, wrapperId)) await sleep(10);
    return 'killed';
  }
}

function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
