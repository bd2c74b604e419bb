import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { skipDatabase } from './support/database.js';
import { useGateway } from './support/fixture.js';
import { gql, subscribeWs, wsClient } from './support/graphql.js';
import type { RunningServer } from './support/server.js';

// Issue 14, limits: GraphQL Armor's limits count introspection too, on HTTP and graphql-ws; a
// subscribe over a limit ends that operation only; INTROSPECTION and GRAPHIQL switch off.

/** `{ __schema { types { fields { type { ofType { ... name } } } } } }`: depth 5 + `ofTypes`. */
const schemaQueryOfDepth = (depth: number) => {
  let selection = 'name';
  for (let i = 0; i < depth - 5; i++) selection = `ofType { ${selection} }`;
  return `{ __schema { types { fields { type { ${selection} } } } } }`;
};

/** `{ __type(name: "Query") { fields { type { ofType { ... name } } } } }`: depth 4 + `ofTypes`. */
const typeQueryOfDepth = (depth: number) => {
  let selection = 'name';
  for (let i = 0; i < depth - 4; i++) selection = `ofType { ${selection} }`;
  return `{ __type(name: "Query") { fields { type { ${selection} } } } }`;
};

/** A cursor before every event: the subscription replays, so a deletion right after subscribing is never missed. */
const FROM_THE_START = '0'.repeat(32);

const watchEntity = (id: string) =>
  `subscription { deletionEvents(after: "${FROM_THE_START}", filter: { entityId: "${id}" }) { kind entityId } }`;

const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: resources(first: 1) { edges { cursor } }`).join(' ')} }`;

async function createResource(server: RunningServer): Promise<string> {
  const res = await gql<{ createResource: { id: string } }, unknown>(
    server,
    'mutation { createResource(input: { name: "limits" }) { id } }',
  );
  return res.body.data!.createResource.id;
}

async function deleteThroughRest(server: RunningServer, id: string): Promise<void> {
  const res = await fetch(`${server.origin}/resources/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  expect(res.status).toBe(200);
}

const html = (server: RunningServer, path = '/graphql') =>
  fetch(`${server.origin}${path}`, { headers: { accept: 'text/html' }, redirect: 'manual' });

describe.skipIf(skipDatabase())('GraphQL Armor limits count introspection', () => {
  const gw = useGateway();

  it('introspection nested 50 deep is refused over HTTP: 400 GRAPHQL_VALIDATION_FAILED naming the depth limit', async () => {
    const res = await gql(gw.server, schemaQueryOfDepth(55));
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toContainEqual({
      message: 'Query depth limit of 15 exceeded, found 55.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('the standard introspection query (what GraphiQL sends) passes; introspection one level deeper than it is refused', async () => {
    for (const query of [
      getIntrospectionQuery(),
      getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }),
    ]) {
      const res = await gql<{ __schema: { queryType: { name: string } } }, unknown>(gw.server, query);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.__schema.queryType.name).toBe('Query');
    }
    const atLimit = await gql(gw.server, schemaQueryOfDepth(15));
    expect(atLimit.body.errors).toBeUndefined();
    const over = await gql(gw.server, schemaQueryOfDepth(16));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      { message: 'Query depth limit of 15 exceeded, found 16.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });

  it('`__type` keeps the limit of every other field (12), reported once', async () => {
    expect((await gql(gw.server, typeQueryOfDepth(12))).body.errors).toBeUndefined();
    const over = await gql(gw.server, typeQueryOfDepth(13));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      { message: 'Query depth limit of 12 exceeded, found 13.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });

  it('a limit counts `__schema` reached through a fragment too', async () => {
    const deep = schemaQueryOfDepth(16).slice(1, -1); // the root selection, braces stripped
    const res = await gql(gw.server, `query { ...Introspect } fragment Introspect on Query { ${deep} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({
      message: 'Query depth limit of 15 exceeded, found 16.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('the other limits answer the same way: 31 aliases are 400 GRAPHQL_VALIDATION_FAILED, 30 run; too many tokens is 400 GRAPHQL_PARSE_FAILED', async () => {
    expect((await gql(gw.server, aliases(30))).body.errors).toBeUndefined();
    const over = await gql(gw.server, aliases(31));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      { message: 'Aliases limit of 30 exceeded, found 31.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    const tokens = await gql(gw.server, `{ ${'__typename '.repeat(3001)}}`);
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors).toEqual([
      { message: 'Syntax Error: Token limit of 3000 exceeded.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
    ]);
  });

  it('over graphql-ws, each refused operation ends with its own `error` message; the connection and its subscription live on', async () => {
    const id = await createResource(gw.server);
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    let closes = 0;
    client.on('closed', () => closes++);
    try {
      // Opened first, so the (lazy) client keeps its one connection while the refused ones end.
      const watching = subscribeWs(client, watchEntity(id));
      const refused = [
        [subscribeWs(client, schemaQueryOfDepth(55)), 'Query depth limit of 15 exceeded, found 55.'],
        [subscribeWs(client, aliases(31)), 'Aliases limit of 30 exceeded, found 31.'],
        [subscribeWs(client, `{ ${'__typename '.repeat(3001)}}`), 'Syntax Error: Token limit of 3000 exceeded.'],
      ] as const;
      for (const [sub, message] of refused) {
        await expect(sub.next(1)).rejects.toThrow(message);
        expect(sub.error).toContainEqual(
          expect.objectContaining({
            message,
            extensions: {
              code: message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED',
            },
          }),
        );
      }
      await deleteThroughRest(gw.server, id);
      expect((await watching.next(1))[0]).toEqual({ data: { deletionEvents: { kind: 'SOFT_DELETED', entityId: id } } });
      expect(closes).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('GraphiQL is served by default (no NODE_ENV=production), and / leads to it', async () => {
    const page = await html(gw.server);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Deletion gateway</title>');
    const root = await html(gw.server, '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');
  });
});

describe.skipIf(skipDatabase())('NODE_ENV=production: introspection and GraphiQL are off', () => {
  const gw = useGateway({ env: { NODE_ENV: 'production' } });

  it('`__schema` and `__type` answer 400 INTROSPECTION_DISABLED over HTTP, once per field; `__typename` still works', async () => {
    for (const [query, field] of [
      ['{ __schema { queryType { name } types { name } } }', '__schema'],
      ['{ __type(name: "Query") { fields { name } } }', '__type'],
    ] as const) {
      const res = await gql(gw.server, query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [
          {
            message: `Introspection is disabled on this server: "${field}" cannot be queried.`,
            locations: [{ line: 1, column: 3 }],
            extensions: { code: 'INTROSPECTION_DISABLED' },
          },
        ],
      });
    }
    const standard = await gql(gw.server, getIntrospectionQuery());
    expect(standard.status).toBe(400);
    expect(standard.body.data).toBeUndefined();
    expect(standard.body.errors?.length).toBeGreaterThan(0);
    for (const error of standard.body.errors!) expect(error.extensions).toEqual({ code: 'INTROSPECTION_DISABLED' });
    expect((await gql(gw.server, '{ __typename }')).body.data).toEqual({ __typename: 'Query' });
  });

  it('over graphql-ws too, ending only that operation', async () => {
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    let closes = 0;
    client.on('closed', () => closes++);
    try {
      // Opened first, so the (lazy) client keeps its one connection while the refused one ends.
      const watching = subscribeWs(client, 'subscription { deletionEvents { kind } }');
      const refused = subscribeWs(client, '{ __schema { queryType { name } } }');
      await expect(refused.next(1)).rejects.toThrow(/Introspection is disabled/);
      expect(refused.error).toEqual([
        {
          message: 'Introspection is disabled on this server: "__schema" cannot be queried.',
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'INTROSPECTION_DISABLED' },
        },
      ]);
      const typename = subscribeWs(client, '{ __typename }');
      expect((await typename.next(1))[0]!.data).toEqual({ __typename: 'Query' });
      expect(watching.error).toBeNull();
      expect(closes).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('GET /graphql asking for HTML gets no GraphiQL, and / no longer leads there', async () => {
    const page = await html(gw.server);
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    const body = await page.text();
    expect(body).not.toContain('<title>');
    expect(page.status).toBeGreaterThanOrEqual(400);
    const root = await html(gw.server, '/');
    expect(root.status).toBe(404);
    await root.arrayBuffer();
  });
});

describe.skipIf(skipDatabase())(
  'NODE_ENV=production with INTROSPECTION=true and GRAPHIQL=true: explicit values win',
  () => {
    const gw = useGateway({ env: { NODE_ENV: 'production', INTROSPECTION: 'true', GRAPHIQL: 'true' } });

    it('introspection answers and GraphiQL is served', async () => {
      const res = await gql<{ __schema: { queryType: { name: string } } }, unknown>(gw.server, getIntrospectionQuery());
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.__schema.queryType.name).toBe('Query');
      const page = await html(gw.server);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Deletion gateway</title>');
    });
  },
);
