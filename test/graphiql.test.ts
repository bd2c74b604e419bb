import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { artifactPath, launchBrowser, skipBrowser } from './support/browser.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { CreateResource } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk, subscribeWs, wsClient } from './support/graphql.js';
import type { RunningServer } from './support/server.js';

// GraphiQL (subscriptionsProtocol WS) sends its headers tab in each subscribe message's
// `extensions.headers`, never in connectionParams: the key must be read from there too.

const WatchEntity = graphql(`
  subscription WatchEntity($after: String, $entityId: ID!) {
    deletionEvents(after: $after, filter: { entityId: $entityId }) { kind backend entityId }
  }
`);

const CreateEventsKey = graphql(`
  mutation CreateEventsKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key }
  }
`);

/** A cursor before every event: the subscription replays, so a deletion right after subscribing is never missed. */
const FROM_THE_START = '0'.repeat(32);

const bearer = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });

async function createResource(server: RunningServer): Promise<string> {
  return (await gqlOk(server, CreateResource, { input: { name: 'watched' } })).createResource.id;
}

async function deleteThroughRest(server: RunningServer, id: string): Promise<void> {
  const res = await fetch(`${server.origin}/resources/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  expect(res.status).toBe(200);
}

describe.skipIf(skipDatabase())('the key in a subscribe message (GraphiQL headers tab)', () => {
  const gw = useGateway();

  it('a subscribe carrying the key in extensions.headers streams the deletion', async () => {
    const id = await createResource(gw.server);
    const client = wsClient(gw.server); // no connectionParams at all, as GraphiQL connects
    try {
      const sub = subscribeWs(client, WatchEntity, { after: FROM_THE_START, entityId: id }, bearer(gw.server.adminKey));
      await deleteThroughRest(gw.server, id);
      const [event] = await sub.next(1);
      expect(event!.errors).toBeUndefined();
      expect(event!.data!.deletionEvents).toEqual({ kind: 'SOFT_DELETED', backend: 'RESOURCE', entityId: id });
    } finally {
      await client.dispose();
    }
  });

  it('header names are matched case-insensitively, and x-api-key works there too', async () => {
    const id = await createResource(gw.server);
    const client = wsClient(gw.server);
    try {
      const sub = subscribeWs(
        client,
        WatchEntity,
        { after: FROM_THE_START, entityId: id },
        { headers: { 'X-API-Key': gw.server.adminKey } },
      );
      await deleteThroughRest(gw.server, id);
      expect((await sub.next(1))[0]!.data!.deletionEvents.entityId).toBe(id);
    } finally {
      await client.dispose();
    }
  });

  it('a wrong key there fails that subscription only: the connection and its other subscriptions live on', async () => {
    const id = await createResource(gw.server);
    const client = wsClient(gw.server);
    let closes = 0;
    client.on('closed', () => closes++);
    try {
      // Opened first, so the (lazy) client keeps its one connection while the refused one ends.
      const accepted = subscribeWs(
        client,
        WatchEntity,
        { after: FROM_THE_START, entityId: id },
        bearer(gw.server.adminKey),
      );
      const refused = subscribeWs(
        client,
        WatchEntity,
        { after: FROM_THE_START, entityId: id },
        bearer('dgw_not_a_key_000000000000000000000000'),
      );
      await expect(refused.next(1)).rejects.toThrow(/Invalid or revoked API key/);
      expect(JSON.stringify(refused.error)).toContain('UNAUTHENTICATED');

      await deleteThroughRest(gw.server, id);
      expect((await accepted.next(1))[0]!.data!.deletionEvents.entityId).toBe(id);
      expect(closes).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('two different keys, one in connectionParams and one in extensions.headers, are refused', async () => {
    const { createApiKey } = await gqlOk(gw.server, CreateEventsKey, {
      input: { name: 'second', scopes: ['events:read'] },
    });
    const id = await createResource(gw.server);
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    try {
      const sub = subscribeWs(client, WatchEntity, { after: FROM_THE_START, entityId: id }, bearer(createApiKey.key));
      await expect(sub.next(1)).rejects.toThrow(/Conflicting API keys/);
      // The same key in both places is no conflict.
      const same = subscribeWs(
        client,
        WatchEntity,
        { after: FROM_THE_START, entityId: id },
        bearer(gw.server.adminKey),
      );
      await deleteThroughRest(gw.server, id);
      expect((await same.next(1))[0]!.data!.deletionEvents.entityId).toBe(id);
    } finally {
      await client.dispose();
    }
  });

  it('"Authorization: Bearer " with no key is no key: introspection works and mutations ask for one', async () => {
    const headers = { authorization: 'Bearer ' };
    const introspection = await gql(gw.server, '{ __schema { queryType { name } } }', undefined, {
      apiKey: null,
      headers,
    });
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
    const mutation = await gql(gw.server, CreateResource, { input: { name: 'x' } }, { apiKey: null, headers });
    expect(mutation.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(mutation.body.errors?.[0]?.message).toMatch(/Not authenticated/);
  });
});

// One browser run is enough: what it checks is GraphiQL and the transport, the same on both databases.
describe.skipIf(skipDatabase() || databaseKind() !== 'pglite' || skipBrowser())('GraphiQL in a real browser', () => {
  const gw = useGateway();
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('first load introspects without an error; a subscription run with the key typed into the headers tab shows a REST deletion', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const id = await createResource(gw.server);
      const query = `subscription Watch {\n  deletionEvents(after: "${FROM_THE_START}", filter: { entityId: "${id}" }) {\n    kind backend entityId\n  }\n}\n`;

      // First load, with the pre-filled headers: the schema introspection GraphiQL sends succeeds.
      const introspection = page.waitForResponse(
        (r) => r.url().endsWith('/graphql') && r.request().method() === 'POST',
      );
      await page.goto(`${gw.server.url}?query=${encodeURIComponent(query)}`);
      const first = await introspection;
      expect(first.status()).toBe(200);
      const firstBody = (await first.json()) as { data?: { __schema?: unknown }; errors?: unknown };
      expect(firstBody.errors).toBeUndefined();
      expect(firstBody.data?.__schema).toBeTruthy();

      // Type the key into the headers tab, after the pre-filled "Bearer ", as a person would.
      await page.getByRole('button', { name: 'Headers' }).click();
      await page.locator('.graphiql-editor-tool .monaco-editor').last().click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft'); // inside the closing quote
      await page.keyboard.insertText(gw.server.adminKey);

      // Listening before the click: the socket may send connection_init and subscribe at once.
      const subscribed = new Promise<string>((resolve) =>
        page.on('websocket', (ws) =>
          ws.on('framesent', (f) => {
            if (String(f.payload).includes('"subscribe"')) resolve(String(f.payload));
          }),
        ),
      );
      await page.getByRole('button', { name: /Execute query/ }).click();
      // GraphiQL sends the headers tab inside the subscribe message, not in connectionParams.
      expect(JSON.parse(await subscribed).payload.extensions.headers.Authorization).toBe(
        `Bearer ${gw.server.adminKey}`,
      );

      await deleteThroughRest(gw.server, id);
      const response = page.locator('.graphiql-response');
      await expect.poll(async () => (await response.textContent()) ?? '', { timeout: 20_000 }).toContain(id);
      const shown = (await response.textContent()) ?? '';
      expect(shown).toContain('SOFT_DELETED');
      expect(shown).not.toContain('errors');
      await page.screenshot({ path: artifactPath('graphiql-subscription.png') });
    } finally {
      await page.close();
    }
  });
});
