import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A server process started by the bench: a gateway or one of the peers. */
export interface ServerProcess {
  name: string;
  pid: number;
  /** the URL the process announced (its GraphQL endpoint) */
  url: string;
  child: ChildProcess;
  /** the last lines it printed, for error messages */
  output: string[];
  rssMb(): number;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** module to run, relative to the project root; TypeScript runs through tsx */
  script: string;
  env: Record<string, string>;
  /** extra node flags (e.g. --cpu-prof) */
  nodeFlags?: string[];
  /** returns the URL once `line` says the process is listening */
  readyUrl: (line: string) => string | null;
  timeoutMs?: number;
}

/**
 * Starts `node [--import tsx] <script>` with the open-file limit raised to the hard limit
 * (thousands of sockets), and resolves once the process announces its URL.
 */
export async function startNodeProcess(opts: StartOptions): Promise<ServerProcess> {
  const loader = opts.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const args = [...(opts.nodeFlags ?? []), ...loader, opts.script];
  // `exec` keeps the pid, so /proc/<pid> and signals reach node itself.
  const child = spawn(
    'bash',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...args],
    {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.name} did not start within ${opts.timeoutMs ?? 60_000} ms:\n${output.join('\n')}`));
    }, opts.timeoutMs ?? 60_000);
    const onLine = (line: string) => {
      output.push(line);
      if (output.length > 200) output.shift();
      const found = opts.readyUrl(line);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited before it was ready:\n${output.join('\n')}`));
    });
  });
  return {
    name: opts.name,
    pid: child.pid!,
    url,
    child,
    output,
    rssMb: () => residentMb(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** VmRSS of a process in MB (NaN once it is gone). */
export function residentMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS until stopped; `peak()` is the largest sample. */
export function sampleRss(pid: number, everyMs = 200) {
  let peak = residentMb(pid);
  const timer = setInterval(() => {
    const v = residentMb(pid);
    if (v > peak || Number.isNaN(peak)) peak = v;
  }, everyMs);
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      const v = residentMb(pid);
      if (v > peak) peak = v;
      return peak;
    },
  };
}

/** Readiness of the peers started by the bench: they print `{"ready": "<url>"}`. */
export const announcedUrl = (line: string): string | null => {
  if (!line.startsWith('{"ready"')) return null;
  try {
    return (JSON.parse(line) as { ready: string }).ready;
  } catch {
    return null;
  }
};

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

function machineTicks() {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + (cpu[4] ?? 0);
  return { total: cpu.reduce((a, b) => a + b, 0), idle };
}

/**
 * CPU use over an interval: each watched process in cores (1.0 = one core busy), and the whole
 * machine busy share in cores too, so "the gateway used 1.0 of 2.0 busy cores" reads directly.
 */
export function cpuMeter(pids: Record<string, number>) {
  const startedAt = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const machineBefore = machineTicks();
  return () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const cores: Record<string, number> = {};
    for (const [k, pid] of Object.entries(pids)) cores[k] = (cpuSeconds(pid) - before[k]!) / seconds;
    const m = machineTicks();
    const total = m.total - machineBefore.total;
    cores.machine = total > 0 ? ((total - (m.idle - machineBefore.idle)) / total) * os.cpus().length : Number.NaN;
    return cores;
  };
}
