import { serverAudits } from 'graphql-http';
import { afterAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { DeleteResourceTypename as DeleteResource } from './support/documents.js';
import { processAlive, useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeSse } from './support/graphql.js';
import { sendRaw } from './support/raw-http.js';

const CreateResource = graphql(`
  mutation ProtoCreateResource($input: CreateResourceInput!) {
    createResource(input: $input) { id wrapper { pid } }
  }
`);

describe.skipIf(skipDatabase())('GraphQL over HTTP', () => {
  const gw = useGateway();

  // graphql-http's conformance audits; the URL and key are read when each audit runs.
  const audits = serverAudits({
    url: () => gw.server.url,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${gw.server.adminKey}`);
      return fetch(input, { ...init, headers });
    },
  });
  const must = audits.filter((a) => a.name.startsWith('MUST'));
  const recommended = audits.filter((a) => !a.name.startsWith('MUST'));

  it('the audit list has MUST audits (guards against an empty run)', () => {
    expect(must.length).toBeGreaterThan(10);
  });

  for (const audit of must) {
    it(`${audit.name} [${audit.id}]`, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') {
        const body = await result.response.text().catch(() => '(unreadable)');
        throw new Error(`${result.reason}\nHTTP ${result.response.status}: ${body}`);
      }
    });
  }

  it('SHOULD/MAY audits are reported (not enforced)', async () => {
    const failing: string[] = [];
    for (const audit of recommended) {
      const result = await audit.fn();
      if (result.status !== 'ok') failing.push(`${audit.id} ${audit.name}: ${result.reason}`);
    }
    console.log(
      `[graphql-http] ${recommended.length - failing.length}/${recommended.length} SHOULD/MAY audits pass` +
        (failing.length ? `; failing:\n  ${failing.join('\n  ')}` : ''),
    );
  });

  const streams: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const s of streams) await s.close();
  });

  it('a deletionEvents subscription over SSE delivers the deletion of a resource deleted over HTTP', async () => {
    const stream = await subscribeSse(gw.server, 'subscription { deletionEvents { cursor kind entityId } }');
    streams.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);

    const { createResource: r } = await gqlOk(gw.server, CreateResource, {
      input: { name: 'sse', wrapperKind: 'idle' },
    });
    gw.trackPid(r.wrapper?.pid);
    const { deleteResource } = await gqlOk(gw.server, DeleteResource, { id: r.id });
    expect(deleteResource.__typename).toBe('DeleteResourcePayload');

    const [event] = await stream.waitFor(1, 30_000);
    expect(event!.event).toBe('next');
    expect(event!.data).toEqual({
      data: { deletionEvents: { cursor: expect.any(String), kind: 'SOFT_DELETED', entityId: r.id } },
    });
  });

  it('GET /health answers 200', async () => {
    const res = await fetch(`${gw.server.origin}/health`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('GET /ready answers 200 with a JSON body once the database is migrated', async () => {
    const res = await fetch(`${gw.server.origin}/ready`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ status: 'ready', database: 'up' });
  });

  // Found by the fuzzer (test/fuzz.test.ts): each of these once ended the process or answered 500.
  describe('requests that do not parse', () => {
    const port = () => Number(new URL(gw.server.origin).port);
    const raw = (method: string, target: string) =>
      sendRaw(port(), { method, target, headers: [['x-api-key', gw.server.adminKey]] }, 10_000);

    it('a target such as ///?a (no URL for new URL(target, base)) is answered, and the gateway lives on', async () => {
      for (const target of ['///?a', '//acme/g/e', '///graphql']) {
        const res = await raw('DELETE', target);
        expect(res.status, target).toBeGreaterThanOrEqual(400);
        expect(res.status, target).toBeLessThan(500);
      }
      expect(processAlive(gw.server.process.pid!)).toBe(true);
      expect((await fetch(`${gw.server.origin}/health`)).status).toBe(200);
    });

    it('a target that is not a path (*, http://host/...) answers 400 with a JSON error', async () => {
      for (const [method, target] of [
        ['OPTIONS', '*'],
        ['GET', 'http://evil.example/health'],
      ] as const) {
        const res = await raw(method, target);
        expect(res.status, target).toBe(400);
        expect(JSON.parse(res.body.toString())).toEqual({ error: 'invalid_request', message: expect.any(String) });
      }
    });

    it('variables or extensions that are not JSON in a GET answer 400 BAD_REQUEST, not a masked 500', async () => {
      for (const param of ['variables={', 'extensions=%7B%22a']) {
        const res = await fetch(`${gw.server.url}?query=%7B__typename%7D&${param}`, {
          headers: { 'x-api-key': gw.server.adminKey, accept: 'application/json' },
        });
        expect(res.status, param).toBe(400);
        expect(await res.json()).toEqual({
          errors: [
            {
              message: 'The variables or extensions parameter does not parse as JSON',
              extensions: { code: 'BAD_REQUEST' },
            },
          ],
        });
      }
    });

    it("a JSON body that does not parse answers 400 in our words, never the parser's (it quotes the body)", async () => {
      const res = await fetch(gw.server.url, {
        method: 'POST',
        headers: { 'x-api-key': gw.server.adminKey, 'content-type': 'application/json', accept: 'application/json' },
        body: '{"query": "{ __typename }", "secret',
      });
      expect(res.status).toBe(400);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({
        errors: [{ message: 'The request body does not parse as JSON', extensions: { code: 'BAD_REQUEST' } }],
      });
      expect(body).not.toMatch(/secret|position|SyntaxError|originalError/);
    });

    it('a connection argument Pothos refuses (a negative first) is an error with code BAD_USER_INPUT', async () => {
      const res = await gql(gw.server, '{ resources(first: -1) { edges { cursor } } }');
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          message: 'Argument "first" must be a non-negative integer',
          path: ['resources'],
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
    });

    it('a variable that does not coerce to its type is an error with code BAD_USER_INPUT', async () => {
      for (const transport of ['json', 'sse'] as const) {
        const res = await fetch(gw.server.url, {
          method: 'POST',
          headers: {
            'x-api-key': gw.server.adminKey,
            'content-type': 'application/json',
            accept: transport === 'json' ? 'application/json' : 'text/event-stream',
          },
          body: JSON.stringify({ query: 'query($id: ID!) { resource(id: $id) { id } }', variables: { id: [] } }),
        });
        const text = await res.text();
        const body = transport === 'json' ? JSON.parse(text) : JSON.parse(/^data: (\{.*)$/m.exec(text)![1]!);
        expect(body.errors, transport).toEqual([
          expect.objectContaining({
            message: expect.stringContaining('got invalid value'),
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        ]);
      }
    });
  });
});
