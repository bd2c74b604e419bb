// Case 3: subscription fan-out. A separate client process holds N WebSocket subscribers; one
// event every 50 ms for 10 s; latency from the event's origin to its receipt by each subscriber.
//
// The origin of an event: for the gateway, the moment its deletion committed, as seen from outside
// by a CommitObserver on the database (the response to deleteResource is no substitute: under
// fan-out load it can arrive long after subscribers got the event); for the references, the
// moment the server published (its own stamp).
import { type ChildProcess, spawn } from 'node:child_process';
import type { FromSubscribers, ToSubscribers } from '../clients/subscribers.js';
import { CommitObserver } from '../support/commit-observer.js';
import type { Gateway } from '../support/gateway.js';
import { type JsonClient, jsonClient } from '../support/http.js';
import { nextResourceId } from '../support/ids.js';
import { type BenchDatabase, insertResources } from '../support/postgres.js';
import { projectRoot, residentMb, type ServerProcess, sampleRss } from '../support/processes.js';
import { type LatencySummary, sleep, summarize } from '../support/stats.js';

export const SUBSCRIPTION = /* GraphQL */ `
  subscription BenchFanout($filter: DeletionEventFilter) {
    deletionEvents(filter: $filter) { id cursor backend kind entityId workspaceId occurredAt data }
  }`;
const VARIABLES = { filter: { backends: ['RESOURCE'] } };

/** The 24 characters the raw-ws reference replaces with each event's key. */
export const KEY_PLACEHOLDER = 'K'.repeat(24);

/** When the event came into existence, and how long the request that caused it took. */
type Triggered = { origin: number; roundTripMs: number };

/** A server that can be made to emit one event with a given 24-character key. */
export interface FanoutTarget {
  name: string;
  server: ServerProcess;
  wsUrl: string;
  mode: 'graphql-ws' | 'raw';
  apiKey?: string;
  /** make `count` keys available (e.g. live resources to delete) */
  prepare(count: number): Promise<string[]>;
  trigger(key: string): Promise<Triggered>;
  close(): Promise<void>;
}

export async function gatewayFanoutTarget(
  gateway: Gateway,
  db: BenchDatabase,
  workspaceId: string,
): Promise<FanoutTarget> {
  const client = jsonClient(gateway.url, 8, { authorization: `Bearer ${gateway.adminKey}` });
  const commits = new CommitObserver(db.url);
  await commits.start();
  return {
    name: 'gateway',
    server: gateway,
    wsUrl: gateway.wsUrl,
    mode: 'graphql-ws',
    apiKey: gateway.adminKey,
    async prepare(count) {
      const ids = Array.from({ length: count }, nextResourceId);
      await insertResources(db, workspaceId, ids);
      return ids;
    },
    async trigger(id) {
      const committed = commits.commitOf(id);
      const started = performance.now();
      const res = await client.post<{ data?: { deleteResource?: { __typename: string } } }>({
        query: 'mutation BenchFanoutDelete($id: ID!) { deleteResource(id: $id) { __typename } }',
        variables: { id },
      });
      const roundTripMs = performance.now() - started;
      if (res.body.data?.deleteResource?.__typename !== 'DeleteResourcePayload') {
        throw new Error(`delete failed: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
      return { origin: await committed, roundTripMs };
    },
    async close() {
      client.close();
      await commits.stop();
    },
  };
}

/** The raw-ws and Yoga references: `POST /publish` on the same port as their WebSocket endpoint. */
export function referenceFanoutTarget(name: string, server: ServerProcess, mode: 'graphql-ws' | 'raw'): FanoutTarget {
  const client: JsonClient = jsonClient(server.url.replace(/\/graphql$/, '/publish'), 8);
  let n = 0;
  return {
    name,
    server,
    wsUrl: server.url.replace(/^http/, 'ws'),
    mode,
    prepare: async (count) => Array.from({ length: count }, () => `f${(n++).toString(16).padStart(23, '0')}`),
    async trigger(key) {
      const started = performance.now();
      const res = await client.post<{ publishedAt: number }>({ key });
      return { origin: res.body.publishedAt, roundTripMs: performance.now() - started };
    },
    close: async () => client.close(),
  };
}

/** The subscriber process, with request/answer over IPC. */
class Subscribers {
  private waiters: Array<{ type: string; resolve: (m: FromSubscribers) => void }> = [];
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromSubscribers) => {
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static start(target: FanoutTarget, count: number, script: string): Subscribers {
    const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = spawn(
      'bash',
      ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...loader, script],
      {
        cwd: projectRoot,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          TARGET_URL: target.wsUrl,
          MODE: target.mode,
          COUNT: String(count),
          API_KEY: target.apiKey ?? '',
          QUERY: SUBSCRIPTION,
          VARIABLES: JSON.stringify(VARIABLES),
          CONNECT_CONCURRENCY: '50',
        },
      },
    );
    return new Subscribers(child);
  }

  next<T extends FromSubscribers['type']>(
    type: T,
    timeoutMs = 120_000,
  ): Promise<Extract<FromSubscribers, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`subscriber process: no "${type}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromSubscribers, { type: T }>);
        },
      });
    });
  }

  ask<T extends FromSubscribers['type']>(message: ToSubscribers, answer: T, timeoutMs?: number) {
    const reply = this.next(answer, timeoutMs);
    this.child.send(message);
    return reply;
  }

  async stop() {
    this.child.disconnect();
    await this.exited;
  }
}

export interface FanoutResult {
  target: string;
  subscribers: number;
  connected: number;
  connectMs: number;
  events: number;
  delivered: number;
  expected: number;
  complete: boolean;
  drainMs: number;
  latency: LatencySummary;
  /** the requests that caused the events (deleteResource for the gateway) */
  triggerMs: LatencySummary;
  /** server RSS before the subscribers connected, once every one is subscribed, and its peak during the run */
  idleRssMb: number;
  subscribedRssMb: number;
  peakRssMb: number;
  /** one event frame as received, to give the raw-ws reference the same size */
  sampleFrame: string | null;
  triggerErrors: number;
  firstTriggerError: string | null;
}

export interface FanoutOptions {
  /** bench/clients/subscribers.ts, or its compiled form */
  clientScript: string;
  subscribers: number;
  events: number;
  intervalMs: number;
  drainTimeoutMs: number;
  log: (line: string) => void;
}

export async function runFanout(target: FanoutTarget, opts: FanoutOptions): Promise<FanoutResult> {
  const idleRssMb = residentMb(target.server.pid);
  const rss = sampleRss(target.server.pid, 100);
  const subscribers = Subscribers.start(target, opts.subscribers, opts.clientScript);
  try {
    const connected = await subscribers.next('connected', 300_000);
    if (connected.open === 0) throw new Error(`${target.name}: no subscriber connected: ${connected.firstError}`);
    opts.log(
      `  ${target.name}: ${connected.open}/${opts.subscribers} subscribers connected in ${(connected.ms / 1000).toFixed(1)} s`,
    );

    // Probe until every subscriber has received an event: then all subscriptions are live.
    const probes = await target.prepare(60);
    let status = await subscribers.ask({ type: 'status' }, 'status');
    while (status.seen < status.open && probes.length) {
      await target.trigger(probes.pop()!);
      await sleep(250);
      status = await subscribers.ask({ type: 'status' }, 'status');
    }
    if (status.seen < status.open)
      throw new Error(
        `${target.name}: only ${status.seen}/${status.open} subscribers receive events (${status.firstError})`,
      );
    await sleep(500);
    await subscribers.ask({ type: 'reset' }, 'reset');
    const subscribedRssMb = residentMb(target.server.pid);

    const keys = await target.prepare(opts.events);
    const origins: Record<string, number> = {};
    const roundTrips: number[] = [];
    let triggerErrors = 0;
    let firstTriggerError: string | null = null;
    const start = performance.now() + 20;
    const triggers: Promise<void>[] = [];
    for (let i = 0; i < keys.length; i++) {
      const wait = start + i * opts.intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const key = keys[i]!;
      triggers.push(
        target.trigger(key).then(
          (t) => {
            origins[key] = t.origin;
            roundTrips.push(t.roundTripMs);
          },
          (err: Error) => {
            triggerErrors++;
            firstTriggerError ??= err.message;
          },
        ),
      );
    }
    await Promise.all(triggers);
    const delivered = keys.filter((k) => k in origins);
    const drained = await subscribers.ask(
      { type: 'drain', keys: delivered, timeoutMs: opts.drainTimeoutMs },
      'drained',
      opts.drainTimeoutMs + 30_000,
    );
    const peakRssMb = rss.stop();
    const report = await subscribers.ask({ type: 'report', origins: { event: origins } }, 'report');
    const sample = await subscribers.ask({ type: 'sample' }, 'sample');
    return {
      target: target.name,
      subscribers: opts.subscribers,
      connected: connected.open,
      connectMs: connected.ms,
      events: delivered.length,
      delivered: report.received,
      expected: report.expected,
      complete: drained.complete,
      drainMs: drained.waitedMs,
      latency: report.latency.event!,
      triggerMs: summarize(roundTrips),
      idleRssMb,
      subscribedRssMb,
      peakRssMb,
      sampleFrame: sample.frame,
      triggerErrors,
      firstTriggerError,
    };
  } finally {
    rss.stop();
    await subscribers.stop();
  }
}
