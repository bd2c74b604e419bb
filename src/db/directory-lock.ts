import fs from 'node:fs';
import path from 'node:path';

// One process at a time on a PGlite data directory. PGlite is a single-user PostgreSQL that
// assumes it owns its files: two processes on one directory overwrite each other's pages and
// the writes of one are silently lost. A lock file beside the directory (not inside: PGlite owns
// that) names the process that has it open; every other opener refuses.

export interface LockHolder {
  pid: number;
  /** Who holds it, in words for the refusal: "the gateway", "npm run apikey". */
  holder: string;
  /** The holder's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  startTicks: string | null;
  since: string;
}

export class DataDirectoryInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly lockFile: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `${directory} is in use by ${holder.holder} (pid ${holder.pid})`
        : `${directory} is locked by ${lockFile}, which names no process; remove it if nothing has the directory open`,
    );
  }
}

export interface DataDirectoryLock {
  readonly lockFile: string;
  /** The holder whose stale lock (its process gone) was taken over, for the log. */
  readonly tookOverFrom: LockHolder | null;
  release(): void;
}

/** Lock files this process holds: a lock naming our own pid but not in here is a previous life's. */
const heldHere = new Set<string>();

export const lockFileOf = (directory: string) => `${path.resolve(directory)}.lock`;

/**
 * Takes the lock of `directory` for this process or throws DataDirectoryInUseError. A lock whose
 * process is gone (dead, a zombie, or its pid reused by another program) is taken over.
 */
export function lockDataDirectory(directory: string, holder: string): DataDirectoryLock {
  const lockFile = lockFileOf(directory);
  const mine = JSON.stringify({
    pid: process.pid,
    holder,
    startTicks: processStartTicks(process.pid),
    since: new Date().toISOString(),
  } satisfies LockHolder);
  // Written whole under a private name and linked into place, so the lock file appears
  // atomically with its content (link, like open 'wx', fails when the name exists).
  const draft = `${lockFile}.${process.pid}.new`;
  fs.writeFileSync(draft, mine);
  let tookOverFrom: LockHolder | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(draft, lockFile);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw err;
      }
      const seen = readLock(lockFile);
      if (seen === null) continue; // released meanwhile
      const current = parseHolder(seen);
      if (!current || isAlive(current, lockFile)) throw new DataDirectoryInUseError(directory, lockFile, current);
      if (removeStale(lockFile, seen)) tookOverFrom = current;
    }
  } finally {
    fs.rmSync(draft, { force: true });
  }
  heldHere.add(lockFile);
  // Best effort when the process ends without close (an uncaught error, process.exit);
  // after SIGKILL the next opener finds the process gone and takes the lock over.
  const releaseAtExit = () => releaseIfMine(lockFile, mine);
  process.once('exit', releaseAtExit);
  return {
    lockFile,
    tookOverFrom,
    release() {
      process.off('exit', releaseAtExit);
      releaseIfMine(lockFile, mine);
    },
  };
}

function releaseIfMine(lockFile: string, mine: string) {
  heldHere.delete(lockFile);
  if (readLock(lockFile) === mine) fs.rmSync(lockFile, { force: true });
}

/**
 * Removes the stale lock `seen` unless another process replaced it meanwhile: the file is moved
 * aside first (one mover wins), and put back when what was moved is not what was judged stale.
 */
function removeStale(lockFile: string, seen: string): boolean {
  const aside = `${lockFile}.${process.pid}.stale`;
  try {
    fs.renameSync(lockFile, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const moved = fs.readFileSync(aside, 'utf8');
  if (moved !== seen) {
    try {
      fs.linkSync(aside, lockFile);
    } catch {
      // a third process locked meanwhile; the next attempt reads its lock
    }
  }
  fs.rmSync(aside, { force: true });
  return moved === seen;
}

function readLock(lockFile: string): string | null {
  try {
    return fs.readFileSync(lockFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(h.pid) || (h.pid as number) <= 0) return null;
    return {
      pid: h.pid as number,
      holder: typeof h.holder === 'string' ? h.holder : 'another process',
      startTicks: typeof h.startTicks === 'string' ? h.startTicks : null,
      since: typeof h.since === 'string' ? h.since : '',
    };
  } catch {
    return null;
  }
}

function isAlive(h: LockHolder, lockFile: string): boolean {
  // Our own pid: this process holds it, or an earlier process with the same pid (a container
  // restarted as pid 1) left it behind.
  if (h.pid === process.pid) return heldHere.has(lockFile);
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = procStat(h.pid);
  if (!stat) return true;
  if (stat.state === 'Z') return false;
  return h.startTicks === null || h.startTicks === stat.startTicks;
}

function processStartTicks(pid: number): string | null {
  return procStat(pid)?.startTicks ?? null;
}

/** State and start time from /proc/PID/stat (null where there is no /proc). */
function procStat(pid: number): { state: string; startTicks: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); starttime is field 22
  return { state: fields[0]!, startTicks: fields[19]! };
}
