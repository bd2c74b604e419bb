import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipDatabase } from './support/database.js';
import { useGateway } from './support/fixture.js';
import { gql, subscribeWs, wsClient } from './support/graphql.js';
import type { RunningServer } from './support/server.js';

// Persisted (trusted) documents: PERSISTED_DOCUMENTS names a manifest in the format GraphQL
// Codegen's client preset writes (`sha256:<hex>` ids); PERSISTED_DOCUMENTS_REQUIRED lets only
// its documents run, named by id, over HTTP and graphql-ws alike.

const FROM_THE_START = '0'.repeat(32);

const DOCUMENTS = {
  ping: 'query PersistedPing { __typename }',
  create: 'mutation PersistedCreate($name: String!) { createResource(input: { name: $name }) { id } }',
  watch: `subscription PersistedWatch($id: ID!) { deletionEvents(after: "${FROM_THE_START}", filter: { entityId: $id }) { kind entityId } }`,
};
const hexOf = (text: string) => createHash('sha256').update(text).digest('hex');
const idOf = (text: string) => `sha256:${hexOf(text)}`;

const manifestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-persisted-'));
const manifest = path.join(manifestDir, 'persisted-documents.json');
fs.writeFileSync(manifest, JSON.stringify(Object.fromEntries(Object.values(DOCUMENTS).map((d) => [idOf(d), d]))));
afterAll(() => fs.rmSync(manifestDir, { recursive: true, force: true }));

/** A GraphQL POST with this exact JSON body (no `query` unless given). */
async function post(server: RunningServer, body: Record<string, unknown>) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${server.adminKey}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
}

const refusal = (code: string, message: string | RegExp) => ({
  status: 400,
  body: { errors: [{ message: expect.stringMatching(message), extensions: { code } }] },
});

async function deleteThroughRest(server: RunningServer, id: string): Promise<void> {
  const res = await fetch(`${server.origin}/resources/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  expect(res.status).toBe(200);
}

describe.skipIf(skipDatabase())('PERSISTED_DOCUMENTS_REQUIRED=true: only the manifest runs, named by id', () => {
  const gw = useGateway({ env: { PERSISTED_DOCUMENTS: manifest, PERSISTED_DOCUMENTS_REQUIRED: 'true' } });

  it('a document runs by its documentId, by its bare sha256 in extensions.persistedQuery, and by documentId in a GET', async () => {
    expect(await post(gw.server, { documentId: idOf(DOCUMENTS.ping) })).toMatchObject({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
    const apq = { persistedQuery: { version: 1, sha256Hash: hexOf(DOCUMENTS.ping) } };
    expect(await post(gw.server, { extensions: apq })).toMatchObject({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
    const created = await post(gw.server, { documentId: idOf(DOCUMENTS.create), variables: { name: 'persisted' } });
    expect(created).toMatchObject({ status: 200, body: { data: { createResource: { id: expect.any(String) } } } });

    const get = await fetch(`${gw.server.url}?documentId=${encodeURIComponent(idOf(DOCUMENTS.ping))}`, {
      headers: { accept: 'application/graphql-response+json', authorization: `Bearer ${gw.server.adminKey}` },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it("any document sent as text is refused with PERSISTED_QUERY_ID_REQUIRED, the manifest's own text too", async () => {
    for (const query of [DOCUMENTS.ping, '{ resources(first: 1) { edges { cursor } } }']) {
      expect(await post(gw.server, { query })).toEqual(
        refusal('PERSISTED_QUERY_ID_REQUIRED', /^Only persisted documents run here/),
      );
      expect((await gql(gw.server, query)).status).toBe(400);
    }
  });

  it('an unknown id is PERSISTED_QUERY_NOT_IN_LIST; a request naming nothing is PERSISTED_QUERY_ID_REQUIRED', async () => {
    expect(await post(gw.server, { documentId: idOf('query Unknown { __typename }') })).toEqual(
      refusal('PERSISTED_QUERY_NOT_IN_LIST', 'No persisted document has this id.'),
    );
    expect(await post(gw.server, {})).toEqual(
      refusal('PERSISTED_QUERY_ID_REQUIRED', /^Send a persisted document's id/),
    );
  });

  it('over graphql-ws a subscribe names its document by id (with an empty query); text and unknown ids end only their operation', async () => {
    const created = await post(gw.server, { documentId: idOf(DOCUMENTS.create), variables: { name: 'watched' } });
    const id = (created.body.data!.createResource as { id: string }).id;
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    let closes = 0;
    client.on('closed', () => closes++);
    try {
      const watching = subscribeWs(
        client,
        '',
        { id },
        { persistedQuery: { version: 1, sha256Hash: hexOf(DOCUMENTS.watch) } },
      );
      const asText = subscribeWs(client, DOCUMENTS.watch, { id });
      await expect(asText.next(1)).rejects.toThrow(/Only persisted documents run here/);
      expect(asText.error).toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' } })]);
      const unknown = subscribeWs(client, '', undefined, {
        persistedQuery: { version: 1, sha256Hash: hexOf('query Unknown { __typename }') },
      });
      await expect(unknown.next(1)).rejects.toThrow('No persisted document has this id.');
      expect(unknown.error).toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } })]);

      await deleteThroughRest(gw.server, id);
      expect((await watching.next(1))[0]).toEqual({ data: { deletionEvents: { kind: 'SOFT_DELETED', entityId: id } } });
      expect(closes).toBe(0);
    } finally {
      await client.dispose();
    }
  });
});

describe.skipIf(skipDatabase())(
  'PERSISTED_DOCUMENTS without PERSISTED_DOCUMENTS_REQUIRED: ids and text both run',
  () => {
    const gw = useGateway({ env: { PERSISTED_DOCUMENTS: manifest } });

    it('over HTTP: a manifest document by id, any document as text; an unknown id is PERSISTED_QUERY_NOT_IN_LIST', async () => {
      expect(await post(gw.server, { documentId: idOf(DOCUMENTS.ping) })).toMatchObject({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
      const text = await gql<{ resources: { edges: unknown[] } }, unknown>(
        gw.server,
        '{ resources(first: 1) { edges { cursor } } }',
      );
      expect(text.status).toBe(200);
      expect(text.body.errors).toBeUndefined();
      expect(text.body.data!.resources.edges).toEqual(expect.any(Array));
      expect(await post(gw.server, { documentId: 'sha256:0000' })).toEqual(
        refusal('PERSISTED_QUERY_NOT_IN_LIST', 'No persisted document has this id.'),
      );
    });

    it('over graphql-ws: by id and as text', async () => {
      const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
      try {
        const byId = subscribeWs(client, '', undefined, {
          persistedQuery: { version: 1, sha256Hash: hexOf(DOCUMENTS.ping) },
        });
        expect((await byId.next(1))[0]!.data).toEqual({ __typename: 'Query' });
        const asText = subscribeWs(client, '{ __typename }');
        expect((await asText.next(1))[0]!.data).toEqual({ __typename: 'Query' });
      } finally {
        await client.dispose();
      }
    });
  },
);
