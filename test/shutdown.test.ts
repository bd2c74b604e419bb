import net from 'node:net';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { CreateResource } from './support/documents.js';
import { processAlive, useGateway, waitUntil, waitUntilIgnores } from './support/fixture.js';
import { gqlOk, subscribeSse, subscribeWs, wsClient } from './support/graphql.js';
import type { RunningServer } from './support/server.js';

// Graceful shutdown: on SIGTERM the gateway stops accepting connections, answers /ready with
// 503, lets requests in flight finish within SHUTDOWN_GRACE, then ends subscriptions
// (graphql-ws: close 1001; SSE: complete) and exits 0. The request in flight is a deletion
// waiting for a `stubborn` wrapper, which ignores SIGTERM and is killed after WRAPPER_STOP_GRACE.

const ShutdownResource = graphql(`
  query ShutdownResource($id: ID!) {
    resource(id: $id) { id }
  }
`);

const ShutdownDeletionEvents = graphql(`
  subscription ShutdownDeletionEvents($after: String) {
    deletionEvents(after: $after) { entityId cursor }
  }
`);

/** A cursor before every event: the subscription replays the log, then goes live. */
const FROM_THE_START = '0'.repeat(32);

/** Logged once the listener is closed and /ready answers 503. */
const DRAINING = 'stopped accepting connections; finishing the requests in flight';

type Answer = { status: number; body: unknown } | { error: unknown };

/**
 * Starts `DELETE /resources/{id}` of a resource whose wrapper ignores SIGTERM, and returns once
 * the deletion has committed while the request still waits for the wrapper to be killed.
 */
async function deletionInFlight(gw: ReturnType<typeof useGateway>, server: RunningServer) {
  const { createResource } = await gqlOk(server, CreateResource, {
    input: { name: 'shutdown', wrapperKind: 'stubborn' },
  });
  const { id } = createResource;
  const pid = createResource.wrapper!.pid!;
  gw.trackPid(pid);
  // Until its shell has set the trap, the wrapper would die of the first SIGTERM at once.
  await waitUntilIgnores(pid, 'SIGTERM');
  const order: string[] = [];
  let answered = false;
  const answer: Promise<Answer> = fetch(`${server.origin}/resources/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${server.adminKey}` },
  }).then(
    async (res) => {
      const body = await res.json();
      answered = true;
      order.push('answer');
      return { status: res.status, body };
    },
    (error: unknown) => {
      answered = true;
      order.push('cut');
      return { error };
    },
  );
  await waitUntil(
    async () => answered || (await gqlOk(server, ShutdownResource, { id })).resource === null,
    () => `the deletion of ${id} did not commit`,
  );
  expect(answered, 'the deletion answered before the test could signal the server').toBe(false);
  return {
    id,
    pid,
    answer,
    /** what happened, in order: `answer`/`cut` and whatever the test appends */
    order,
    get answered() {
      return answered;
    },
  };
}

/** Sends SIGTERM and returns once the server has closed its listener and waits for requests. */
async function sigterm(server: RunningServer) {
  server.process.kill('SIGTERM');
  await waitUntil(
    () => server.logs.some((l) => l.msg === DRAINING),
    () => 'the server did not start shutting down',
  );
}

/**
 * A request begun (its request line and Host header sent) on a connection opened before the
 * signal, as a load balancer's probe may be; `finish()` sends the rest and reads the answer.
 */
async function beginRequest(server: RunningServer, path: string) {
  const { hostname, port } = new URL(server.origin);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let raw = '';
  let closed = false;
  socket.on('error', () => {}); // a connection cut shows as `closed` without an answer
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => (raw += chunk));
  socket.on('close', () => (closed = true));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n`);
  return {
    async finish() {
      socket.write('\r\n');
      // Connection: close during a shutdown, so the server ends the connection after answering.
      await waitUntil(
        () => closed,
        () => `the connection of GET ${path} stayed open; received ${JSON.stringify(raw)}`,
        10_000,
      );
      if (!raw.includes('\r\n\r\n')) throw new Error(`GET ${path}: the connection closed without an answer`);
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]),
      );
      const text = headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body;
      return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(text) as unknown };
    },
  };
}

/** The body of a `Transfer-Encoding: chunked` response (ASCII, so sizes count characters). */
function dechunk(raw: string): string {
  let body = '';
  for (let at = 0; ; ) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.slice(at, lineEnd), 16);
    if (!size) return body;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

/** The outcome of opening a new TCP connection to the server. */
function connect(server: RunningServer): Promise<string> {
  const { hostname, port } = new URL(server.origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

const entityIds = (items: Array<{ data?: { deletionEvents: { entityId: string } } | null }>) =>
  items.map((item) => item.data?.deletionEvents.entityId);

describe.skipIf(skipDatabase())('graceful shutdown on SIGTERM', () => {
  // Two seconds of SIGTERM being ignored keep the deletion clearly in flight when the signal comes.
  const gw = useGateway({ env: { WRAPPER_STOP_GRACE: '2s' } });

  it('a DELETE waiting for a wrapper that ignores SIGTERM gets its full answer, then the process exits 0', async () => {
    const server = await gw.restart();
    const deletion = await deletionInFlight(gw, server);

    await sigterm(server);
    expect(deletion.answered, 'SIGTERM came while the deletion was in flight').toBe(false);
    expect(await deletion.answer).toEqual({ status: 200, body: { id: deletion.id, deleted: true } });
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // The wrapper was killed after WRAPPER_STOP_GRACE, before the answer.
    expect(processAlive(deletion.pid)).toBe(false);
    expect(server.logs.map((l) => l.msg)).toContain('shut down');
  });

  it('during the shutdown /ready answers 503 and /health 200 on open connections, and new connections are refused', async () => {
    // The probes below take a few round trips: a wider window than the other tests need.
    const server = await gw.restart({ WRAPPER_STOP_GRACE: '4s' });
    const ready = await beginRequest(server, '/ready');
    const health = await beginRequest(server, '/health');
    const deletion = await deletionInFlight(gw, server);

    await sigterm(server);
    const [refused, readyAnswer, healthAnswer] = await Promise.all([connect(server), ready.finish(), health.finish()]);
    // All of that while the deletion was still in flight.
    expect(deletion.answered).toBe(false);
    expect(refused).toBe('ECONNREFUSED');
    expect(readyAnswer).toMatchObject({ status: 503, body: { status: 'shutting down' } });
    expect(readyAnswer.headers.connection).toBe('close');
    expect(healthAnswer).toMatchObject({ status: 200, body: { status: 'ok' } });

    expect(await deletion.answer).toEqual({ status: 200, body: { id: deletion.id, deleted: true } });
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('an open graphql-ws subscription receives events until the requests in flight have finished, then is closed with 1001 Going Away', async () => {
    const server = await gw.restart();
    const client = wsClient(server, { apiKey: server.adminKey });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.on('closed', (event) => resolve(event as { code: number; reason: string })),
    );
    const sub = subscribeWs(client, ShutdownDeletionEvents, { after: FROM_THE_START });
    try {
      const deletion = await deletionInFlight(gw, server);
      await waitUntil(
        () => entityIds(sub.items).includes(deletion.id),
        () => `the event of ${deletion.id} did not arrive: ${JSON.stringify(sub.items)}`,
      );

      void closed.then(() => deletion.order.push('closed'));
      await sigterm(server);
      expect(deletion.answered, 'SIGTERM came while the deletion was in flight').toBe(false);
      const close = await closed;
      expect(close.code).toBe(1001);
      await deletion.answer;
      expect(deletion.order).toEqual(['answer', 'closed']);
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('an open SSE subscription ends with a `complete` event once the requests in flight have finished, not with a cut connection', async () => {
    const server = await gw.restart();
    const stream = await subscribeSse(server, print(ShutdownDeletionEvents), { after: FROM_THE_START });
    try {
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      const deletion = await deletionInFlight(gw, server);
      const next = () =>
        stream.events
          .filter((e) => e.event === 'next')
          .map((e) => e.data as { data?: { deletionEvents: { entityId: string } } });
      await waitUntil(
        () => entityIds(next()).includes(deletion.id),
        () => `the event of ${deletion.id} did not arrive: ${JSON.stringify(stream.events)}`,
      );

      void stream.ended.then(() => deletion.order.push('ended'));
      await sigterm(server);
      expect(deletion.answered, 'SIGTERM came while the deletion was in flight').toBe(false);
      expect(await stream.ended).toBeNull();
      expect(stream.events.at(-1)).toEqual({ event: 'complete', data: null });
      await deletion.answer;
      expect(deletion.order).toEqual(['answer', 'ended']);
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      await stream.close();
    }
  });

  it('a request still running when SHUTDOWN_GRACE expires is cut and logged; the process still exits 0', async () => {
    // The wrapper would be killed only after 30 s: far beyond the grace.
    const server = await gw.restart({ SHUTDOWN_GRACE: '300ms', WRAPPER_STOP_GRACE: '30s' });
    const deletion = await deletionInFlight(gw, server);

    await sigterm(server);
    expect(deletion.answered, 'SIGTERM came while the deletion was in flight').toBe(false);
    expect(await deletion.answer).toEqual({ error: expect.any(Error) });
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(
      server.logs.find((l) => l.msg === 'shutdown grace expired; cutting the requests still running'),
    ).toMatchObject({ level: 40, requests: [`DELETE /resources/${deletion.id}`] });
  });
});
