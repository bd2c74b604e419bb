// The subscriber side of case 3, in its own process: COUNT WebSocket connections to one server,
// recording when each connection receives each event. Events are told apart by their entity id,
// found in the raw frame without parsing it. Driven over IPC by bench/cases/fanout.ts.
//
// Env: TARGET_URL (ws://...), MODE (graphql-ws | raw), COUNT, API_KEY, QUERY, VARIABLES (JSON),
// CONNECT_CONCURRENCY.
import WebSocket from 'ws';
import { type LatencySummary, sleep, summarize, wallClockMs } from '../support/stats.js';

export type ToSubscribers =
  | { type: 'status' }
  | { type: 'reset' }
  | { type: 'drain'; keys: string[]; timeoutMs: number }
  | { type: 'report'; origins: Record<string, Record<string, number>> }
  | { type: 'sample' };

export type FromSubscribers =
  | { type: 'connected'; open: number; failed: number; ms: number; firstError: string | null }
  | { type: 'status'; open: number; seen: number; closed: number; errors: number; firstError: string | null }
  | { type: 'reset' }
  | { type: 'drained'; complete: boolean; waitedMs: number }
  | { type: 'sample'; frame: string | null }
  | {
      type: 'report';
      /** keys × open connections */
      expected: number;
      received: number;
      /** latency per origin label, over the receipts of the given keys */
      latency: Record<string, LatencySummary>;
    };

const KEY_MARKER = Buffer.from('"entityId":"');
const KEY_LENGTH = 24;

const env = process.env;
const url = env.TARGET_URL!;
const mode = env.MODE === 'raw' ? 'raw' : 'graphql-ws';
const count = Number(env.COUNT);
const connectConcurrency = Number(env.CONNECT_CONCURRENCY ?? 50);
const subscribeMessage = JSON.stringify({
  id: '1',
  type: 'subscribe',
  payload: { query: env.QUERY ?? '', variables: JSON.parse(env.VARIABLES ?? '{}') as unknown },
});
const initMessage = JSON.stringify({ type: 'connection_init', payload: { apiKey: env.API_KEY } });

interface Connection {
  socket: WebSocket;
  seen: boolean;
}
const connections: Connection[] = [];
/** receive times per event key, one slot per connection */
let receipts = new Map<string, { times: Float64Array; n: number }>();
let closed = 0;
let errors = 0;
let firstError: string | null = null;
/** the first event frame received, verbatim */
let sampleFrame: string | null = null;

const send = (message: FromSubscribers) => process.send!(message);
const noteError = (message: string) => {
  errors++;
  firstError ??= message;
};

function record(data: Buffer, conn: Connection, at: number): boolean {
  const i = data.indexOf(KEY_MARKER);
  if (i < 0) return false;
  const start = i + KEY_MARKER.length;
  const key = data.toString('latin1', start, start + KEY_LENGTH);
  let r = receipts.get(key);
  if (!r) receipts.set(key, (r = { times: new Float64Array(count), n: 0 }));
  if (r.n < count) r.times[r.n++] = at;
  conn.seen = true;
  sampleFrame ??= data.toString('utf8');
  return true;
}

/** Opens one connection; resolves once it is subscribed (graphql-ws) or open (raw). */
function connect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, mode === 'raw' ? [] : ['graphql-transport-ws'], { perMessageDeflate: false });
    const conn: Connection = { socket, seen: false };
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else {
        connections.push(conn);
        resolve();
      }
    };
    socket.on('open', () => {
      if (mode === 'raw') settle();
      else socket.send(initMessage);
    });
    socket.on('message', (data: Buffer) => {
      const at = wallClockMs();
      if (record(data, conn, at)) return;
      if (mode === 'raw') return;
      const message = JSON.parse(data.toString('utf8')) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        socket.send(subscribeMessage);
        settle();
      } else if (message.type === 'ping') {
        socket.send('{"type":"pong"}');
      } else if (message.type === 'error' || message.type === 'complete') {
        noteError(`${message.type}: ${JSON.stringify(message.payload ?? null).slice(0, 300)}`);
      }
    });
    socket.on('error', (err) => {
      noteError(err.message);
      settle(err);
    });
    socket.on('close', (code, reason) => {
      closed++;
      if (!settled) settle(new Error(`closed ${code} ${reason.toString()}`));
    });
  });
}

async function connectAll() {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(connectConcurrency, count) }, async () => {
      while (next < count) {
        next++;
        await connect().catch((err: Error) => {
          failed++;
          noteError(err.message);
        });
      }
    }),
  );
  send({ type: 'connected', open: connections.length, failed, ms: performance.now() - started, firstError });
}

function report(origins: Record<string, Record<string, number>>): FromSubscribers {
  const keys = Object.keys(Object.values(origins)[0] ?? {});
  let received = 0;
  const latency: Record<string, LatencySummary> = {};
  for (const [label, origin] of Object.entries(origins)) {
    const values: number[] = [];
    for (const key of keys) {
      const r = receipts.get(key);
      if (!r) continue;
      const t0 = origin[key]!;
      for (let i = 0; i < r.n; i++) values.push(r.times[i]! - t0);
    }
    latency[label] = summarize(values);
    received = values.length;
  }
  return { type: 'report', expected: keys.length * connections.length, received, latency };
}

async function drain(keys: string[], timeoutMs: number) {
  const started = performance.now();
  const want = connections.length;
  const complete = () => keys.every((k) => (receipts.get(k)?.n ?? 0) >= want);
  while (!complete() && performance.now() - started < timeoutMs) await sleep(20);
  send({ type: 'drained', complete: complete(), waitedMs: performance.now() - started });
}

process.on('message', (message: ToSubscribers) => {
  switch (message.type) {
    case 'status':
      send({
        type: 'status',
        open: connections.length,
        seen: connections.filter((c) => c.seen).length,
        closed,
        errors,
        firstError,
      });
      break;
    case 'reset':
      receipts = new Map();
      send({ type: 'reset' });
      break;
    case 'drain':
      void drain(message.keys, message.timeoutMs);
      break;
    case 'report':
      send(report(message.origins));
      break;
    case 'sample':
      send({ type: 'sample', frame: sampleFrame });
      break;
  }
});
process.on('disconnect', () => process.exit(0));

void connectAll();
