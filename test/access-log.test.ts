import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { CreateResource, DeleteResourceTypename } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeSse, subscribeWs, wsClient } from './support/graphql.js';

// One log line per request (REST, GraphQL over HTTP, SSE streams, graphql-ws operations) with
// its request id, echoed to the client and carried by every line the request causes.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const ACCESS = 'request completed';

const Configure = graphql(`
  mutation AccessLogConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { hasDeleteTask } }
`);
const PURGE = 'mutation AccessLogPurge { purgeExpiredDatasets { runId } }';

type Line = Record<string, unknown>;

describe.skipIf(skipDatabase())('access log and request ids', () => {
  const gw = useGateway();
  const linesOf = (requestId: string) => gw.server.logs.filter((l) => l.requestId === requestId);
  /** The request's access-log line, once it is written (after the response is over). */
  const accessLine = async (requestId: string): Promise<Line> => {
    await expect.poll(() => linesOf(requestId).filter((l) => l.msg === ACCESS).length, { timeout: 10_000 }).toBe(1);
    return linesOf(requestId).find((l) => l.msg === ACCESS)!;
  };

  it("a REST request: its x-request-id echoed, one line with method, route pattern, status, duration and the key's id, on every line it causes", async () => {
    const endpoint = { company: 'obs', group: 'logs', endpoint: 'failing' };
    const steps = [{ name: 'stop', kind: 'FAIL' as const, config: { message: 'stopped on purpose' } }];
    const configured = await gql(gw.server, Configure, {
      input: { path: endpoint, allowDeleting: true, delete: { task: { steps } } },
    });
    expect(configured.body.data?.configureEndpoint.hasDeleteTask).toBe(true);

    const res = await fetch(`${gw.server.origin}/obs/logs/failing`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${gw.server.adminKey}`, 'x-request-id': 'rest-req-0001' },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('x-request-id')).toBe('rest-req-0001');

    const line = await accessLine('rest-req-0001');
    expect(line).toMatchObject({
      level: 30,
      transport: 'http',
      method: 'DELETE',
      path: '/obs/logs/failing',
      route: 'DELETE /{company}/{group}/{endpoint}',
      status: 422,
      keyId: expect.stringMatching(/^key_/),
    });
    expect(line.durationMs).toEqual(expect.any(Number));
    // the task's failure is logged inside the request, with its id
    expect(linesOf('rest-req-0001').map((l) => l.msg)).toContain('endpoint task failed');
  });

  it("a GraphQL request: its operation's name and type; a traceparent's trace id is the request id", async () => {
    const res = await fetch(gw.server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${gw.server.adminKey}`,
        traceparent: TRACEPARENT,
      },
      body: JSON.stringify({ query: PURGE }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(TRACE_ID);
    expect(await accessLine(TRACE_ID)).toMatchObject({
      transport: 'http',
      method: 'POST',
      path: '/graphql',
      operation: 'AccessLogPurge',
      operationType: 'mutation',
      status: 200,
      keyId: expect.stringMatching(/^key_/),
    });
    expect(linesOf(TRACE_ID).map((l) => l.msg)).toContain('purged expired datasets');
  });

  it('a request without a usable id gets a new one; an unnamed operation is described by its root fields', async () => {
    const unusable: Record<string, string>[] = [
      {},
      { 'x-request-id': 'not a safe id' },
      { 'x-request-id': 'x'.repeat(129) },
    ];
    for (const sent of unusable) {
      const res = await gql(gw.server, '{ resources(first: 1) { edges { node { id } } } }', undefined, {
        headers: sent,
      });
      expect(res.status).toBe(200);
      const id = (await fetch(gw.server.url, { method: 'POST', headers: sent }).then((r) => r.headers)).get(
        'x-request-id',
      );
      expect(id).toMatch(UUID);
    }
    const res = await fetch(gw.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.server.adminKey}` },
      body: JSON.stringify({ query: '{ resources(first: 1) { edges { node { id } } } }' }),
    });
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(UUID);
    expect(await accessLine(requestId)).toMatchObject({
      operation: null,
      operationType: 'query',
      rootFields: 'resources',
    });
  });

  it('an SSE subscription: one line when its stream ends', async () => {
    const sse = await subscribeSse(gw.server, 'subscription AccessLogSse { deletionEvents { cursor } }');
    expect(sse.status).toBe(200);
    await sse.close();
    await expect
      .poll(() => gw.server.logs.filter((l) => l.msg === ACCESS && l.transport === 'sse'), { timeout: 10_000 })
      .toEqual([
        expect.objectContaining({
          method: 'POST',
          path: '/graphql',
          operation: 'AccessLogSse',
          operationType: 'subscription',
          status: 200,
          requestId: expect.stringMatching(UUID),
        }),
      ]);
  });

  it("a graphql-ws operation: one line when it completes, with the id of its subscribe message's headers on every line it causes", async () => {
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    try {
      const op = subscribeWs(client, PURGE, {}, { headers: { 'x-request-id': 'ws-op-0001' } });
      await op.next(1);
      await expect.poll(() => op.completed).toBe(true);
      expect(await accessLine('ws-op-0001')).toMatchObject({
        transport: 'ws',
        operation: 'AccessLogPurge',
        operationType: 'mutation',
        status: 'complete',
        operationId: expect.any(String),
        connectionId: expect.stringMatching(UUID),
        keyId: expect.stringMatching(/^key_/),
      });
      expect(linesOf('ws-op-0001').map((l) => l.msg)).toContain('purged expired datasets');

      // without headers of its own, an operation gets a new id; a subscription's line comes when it ends
      const sub = subscribeWs(client, 'subscription AccessLogWs { deletionEvents { cursor } }');
      // once an event arrives the subscription is surely running (a deletion before it started is not replayed)
      await expect
        .poll(async () => {
          const { createResource } = await gqlOk(gw.server, CreateResource, { input: { name: 'access-log-ws' } });
          await gqlOk(gw.server, DeleteResourceTypename, { id: createResource.id });
          return sub.items.length > 0;
        })
        .toBe(true);
      sub.dispose();
      await expect
        .poll(() => gw.server.logs.filter((l) => l.msg === ACCESS && l.operation === 'AccessLogWs'), {
          timeout: 10_000,
        })
        .toEqual([expect.objectContaining({ transport: 'ws', requestId: expect.stringMatching(UUID) })]);
    } finally {
      await client.dispose();
    }
  });

  it('never writes an API key, only its id; probes are not logged at info', async () => {
    await fetch(`${gw.server.origin}/health`);
    await fetch(`${gw.server.origin}/ready`);
    // a marker after the probes: its line is written after theirs would have been
    await fetch(`${gw.server.origin}/health`, { headers: { 'x-request-id': 'after-probes' } });
    await fetch(gw.server.url, { method: 'POST', headers: { 'x-request-id': 'marker-0001' } });
    await accessLine('marker-0001');
    expect(gw.server.logs.filter((l) => l.msg === ACCESS && (l.path === '/health' || l.path === '/ready'))).toEqual([]);
    expect(JSON.stringify(gw.server.logs)).not.toContain(gw.server.adminKey);
  });
});

describe.runIf(databaseKind() === 'pglite')('LOG_FORMAT=pretty', () => {
  it('writes readable lines, probes among them at LOG_LEVEL=debug', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: 'memory://',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_FORMAT: 'pretty',
        LOG_LEVEL: 'debug',
        PURGE_CRON: 'off',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    try {
      await expect
        .poll(() => lines.find((l) => l.includes('deletion gateway listening')), { timeout: 60_000 })
        .toBeTruthy();
      const listening = lines.find((l) => l.includes('deletion gateway listening'))!;
      expect(listening).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} INFO {2}deletion gateway listening url=http:\/\/127\.0\.0\.1:\d+\/graphql/,
      );
      const url = /url=(\S+)/.exec(listening)![1]!;
      await fetch(new URL('/health', url), { headers: { 'x-request-id': 'pretty-probe' } });
      await expect
        .poll(() => lines.find((l) => l.includes('requestId=pretty-probe')), { timeout: 10_000 })
        .toMatch(/ DEBUG request completed requestId=pretty-probe transport=http method=GET path=\/health status=200 /);
      expect(lines.every((l) => !l.startsWith('{'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
