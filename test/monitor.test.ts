import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page, WebSocket as PageSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { artifactPath, launchBrowser, skipBrowser } from './support/browser.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { createDataset } from './support/datasets.js';
import { CreateResource, createKey } from './support/documents.js';
import { type Gateway, useGateway } from './support/fixture.js';
import { gqlOk } from './support/graphql.js';
import { createVhost, type Vhost } from './support/rabbitmq.js';
import type { RunningServer } from './support/server.js';

// The deletion monitor page at /monitor (issue 15): the bundle Vite built, served with a strict
// Content-Security-Policy and nothing from outside the gateway, and the page itself in a real
// Chromium: sign-in, a REST deletion arriving live, an image operation's progress pushed by
// operationUpdated, a FAILED outbox message retried, a purge run from the page, and what a key
// without admin sees.

const root = path.resolve(import.meta.dirname, '..');
const bundleDir = path.join(root, 'dist/monitor');
const POLL = { timeout: 30_000, interval: 100 };

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request exactly as given (node:http: no automatic Accept-Encoding, no decompression). */
function raw(url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The files index.html loads (script src, stylesheet and icon href). */
function referencedFiles(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * Absolute URLs a bundle may contain without ever loading them: XML namespace names (React DOM
 * creates SVG and MathML elements in them; the icon declares SVG's) and the address React's
 * minified error messages point readers to.
 */
const INERT_URLS = [
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xlink',
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/1998/Math/MathML',
  'http://www.w3.org/XML/1998/namespace',
  'https://react.dev/errors/',
];

// Pure HTTP: the answers do not depend on the database, so once, in the PGlite project.
describe.skipIf(skipDatabase() || databaseKind() !== 'pglite')('the monitor page over HTTP', () => {
  const gw = useGateway();

  it('GET /monitor: the page with a strict Content-Security-Policy (self, and ws(s) of this host), revalidated at each load', async () => {
    const res = await raw(`${gw.server.origin}/monitor`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const host = new URL(gw.server.origin).host;
    const csp = Object.fromEntries(
      String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...sources]) => [name, sources.join(' ')]),
    );
    expect(csp).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self'",
      'font-src': "'self'",
      'connect-src': `'self' ws://${host} wss://${host}`,
      'manifest-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    const html = res.body.toString('utf8');
    expect(html).toContain('<div id="root"></div>');
    // Nothing inline that the policy would have to allow.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect((await raw(`${gw.server.origin}/monitor/`)).body.equals(res.body)).toBe(true);
  });

  it('the files the page loads: same origin, their content types, hashed ones cached for good, compressed when asked', async () => {
    const html = (await raw(`${gw.server.origin}/monitor`)).body.toString('utf8');
    const files = referencedFiles(html);
    expect(files.some((f) => /^\/monitor\/assets\/[\w-]+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => /^\/monitor\/assets\/[\w-]+\.css$/.test(f))).toBe(true);
    for (const file of files) {
      expect(file, 'a path on this gateway, not another origin').toMatch(/^\/monitor\//);
      const plain = await raw(`${gw.server.origin}${file}`);
      expect(plain.status, file).toBe(200);
      expect(plain.headers['content-encoding'], file).toBeUndefined();
      const type = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' }[path.extname(file)];
      expect(plain.headers['content-type'], file).toContain(type);
      expect(plain.headers['x-content-type-options']).toBe('nosniff');
      expect(plain.headers['cache-control'], file).toBe(
        file.startsWith('/monitor/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      expect(plain.body.equals(fs.readFileSync(path.join(bundleDir, file.slice('/monitor/'.length)))), file).toBe(true);
      if (path.extname(file) === '.js') {
        const br = await raw(`${gw.server.origin}${file}`, { headers: { 'accept-encoding': 'gzip, br' } });
        expect(br.headers['content-encoding']).toBe('br');
        expect(br.body.length).toBeLessThan(plain.body.length / 2);
        const gzip = await raw(`${gw.server.origin}${file}`, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
        expect(gzip.headers['content-encoding']).toBe('gzip');
        expect(gzip.headers.vary).toBe('Accept-Encoding');
      }
    }
  });

  it('works offline: the built page names no other origin (only inert XML namespaces and an error-message link)', () => {
    const files = fs.readdirSync(bundleDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const texts = files
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => /\.(html|js|css|svg)$/.test(f))
      .map((f) => ({ file: path.relative(bundleDir, f), text: fs.readFileSync(f, 'utf8') }));
    expect(texts.map((t) => t.file)).toEqual(expect.arrayContaining(['index.html', 'favicon.svg']));
    for (const { file, text } of texts) {
      const urls = [...text.matchAll(/\b(?:https?|wss?):\/\/[^\s"'`)<>]*/g)].map((m) => m[0]);
      expect(
        urls.filter((u) => !INERT_URLS.some((inert) => u.startsWith(inert))),
        file,
      ).toEqual([]);
      // protocol-relative references and CSS imports from elsewhere
      expect(text, file).not.toMatch(/(?:src|href)=["']\/\//);
      expect(text, file).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//);
    }
  });

  it('HEAD, 304 for a known ETag, 404 for an unknown file, 405 for other methods, and a Host that is no host adds no source', async () => {
    const page = await raw(`${gw.server.origin}/monitor`);
    const head = await raw(`${gw.server.origin}/monitor`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(page.body.length));
    expect(head.body.length).toBe(0);
    const again = await raw(`${gw.server.origin}/monitor`, { headers: { 'if-none-match': page.headers.etag! } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const missing = await raw(`${gw.server.origin}/monitor/assets/nothing.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await raw(`${gw.server.origin}/monitor/.build-stamp`)).status).toBe(404);
    const post = await raw(`${gw.server.origin}/monitor`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');

    const odd = await raw(`${gw.server.origin}/monitor`, {
      headers: { host: "evil.example; script-src 'unsafe-inline'" },
    });
    expect(odd.headers['content-security-policy']).toContain("connect-src 'self';");
    expect(odd.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('without a built bundle /monitor answers 503 saying how to build it; a bundle built later is served without a restart', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-monitor-'));
    try {
      const server = await gw.restart({ MONITOR_DIR: empty });
      const res = await raw(`${server.origin}/monitor`);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.toString('utf8')).toMatch(/not built.*npm run build:monitor/);
      expect((await raw(`${server.origin}/graphql`, { method: 'GET' })).status).not.toBe(503);

      fs.cpSync(bundleDir, empty, { recursive: true });
      const built = await raw(`${server.origin}/monitor`);
      expect(built.status).toBe(200);
      expect(built.headers['content-type']).toBe('text/html; charset=utf-8');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

const CreateImages = graphql(`
  mutation MonitorPageCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }
`);

async function rest(server: RunningServer, method: string, url: string) {
  const res = await fetch(`${server.origin}${url}`, {
    method,
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** A resource with a wrapper process, deleted through seed 000's REST route (it answers once the wrapper stopped). */
async function deleteResourceThroughRest(gw: Gateway): Promise<string> {
  const { createResource } = await gqlOk(gw.server, CreateResource, {
    input: { name: 'watched', wrapperKind: 'idle' },
  });
  gw.trackPid(createResource.wrapper?.pid);
  expect((await rest(gw.server, 'DELETE', `/resources/${createResource.id}`)).status).toBe(200);
  return createResource.id;
}

/** What the page sent and received over its graphql-ws socket(s). */
function recordSockets(page: Page) {
  const frames = { sent: [] as string[], received: [] as string[], urls: [] as string[] };
  page.on('websocket', (ws: PageSocket) => {
    frames.urls.push(ws.url());
    ws.on('framesent', (f) => frames.sent.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.received.push(String(f.payload)));
  });
  return frames;
}

const subscribes = (sent: string[], operation: string) =>
  sent.map((f) => JSON.parse(f)).filter((m) => m.type === 'subscribe' && m.payload.query.includes(operation));

// The browser run: PostgreSQL only. One step holds an image's row lock from a second connection
// to catch an operation mid-way, which only a database server allows; the page and the API it
// uses behave the same on PGlite (test/monitor-api.test.ts runs there too), so a second browser
// run would add nothing.
describe.skipIf(skipDatabase() || databaseKind() !== 'postgres' || skipBrowser())(
  'the monitor page in a real browser',
  { timeout: 120_000 },
  () => {
    // One attempt per outbox message, against a queue that refuses every publish: FAILED at once.
    const env: Record<string, string> = { OUTBOX_MAX_ATTEMPTS: '1' };
    let vhost: Vhost;
    beforeAll(async () => {
      if (skipDatabase()) return;
      vhost = await createVhost('monitor_page');
      await vhost.setPolicy('full', '^resource\\.deletion$', { 'max-length': 0, overflow: 'reject-publish' });
      env.AMQP_URL = vhost.url();
    });
    const gw = useGateway({ env });

    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let sockets: ReturnType<typeof recordSockets>;
    /** requests the page tried to send anywhere but the gateway (refused) */
    const elsewhere: string[] = [];
    const requested: string[] = [];
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, serviceWorkers: 'block' });
      // The page must work with no network but the gateway: anything else is refused and recorded.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        requested.push(url);
        if (url.startsWith(`${gw.server.origin}/`)) return route.continue();
        elsewhere.push(url);
        return route.abort('blockedbyclient');
      });
      page = await context.newPage();
      sockets = recordSockets(page);
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
    });
    afterAll(async () => {
      await browser?.close();
      await vhost?.drop();
    });

    const region = (name: string) => page.getByRole('region', { name });

    it('signs in with an API key, kept in sessionStorage and out of every URL; a wrong key is refused', async () => {
      await page.goto(`${gw.server.origin}/monitor`);
      await page.getByLabel('API key').fill('dgw_wrong_key_0000000000000000000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent(), POLL).toMatch(/does not know this key/);

      await page.getByLabel('API key').fill(gw.server.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Live deletions' }).waitFor();
      expect(await page.getByText('bootstrap admin').count()).toBe(1);
      expect(await page.evaluate(() => sessionStorage.getItem('deletion-monitor:api-key'))).toBe(gw.server.adminKey);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);

      // Both live streams (the counts' and the list's) subscribe, each after what it loaded first.
      // Counted before the reload so that a subscribe still on its way cannot be taken for the
      // reloaded page's.
      await expect.poll(() => subscribes(sockets.sent, 'MonitorLiveEvents').length, POLL).toBe(2);
      // A reload keeps the session (this tab's sessionStorage).
      const subscribedBefore = subscribes(sockets.sent, 'MonitorLiveEvents').length;
      await page.reload();
      await page.getByRole('heading', { name: 'Live deletions' }).waitFor();
      expect(page.url()).toBe(`${gw.server.origin}/monitor`);
      // Both live streams subscribed again on the reloaded page.
      await expect.poll(() => subscribes(sockets.sent, 'MonitorLiveEvents').length, POLL).toBe(subscribedBefore + 2);
      await page.screenshot({ path: artifactPath('monitor-signed-in.png'), fullPage: true });
    });

    it('a deletion made through REST arrives live in the stream and is counted; filters narrow the stream', async () => {
      const stream = region('Live deletions');
      const resources = region('Deletion events per backend').getByRole('listitem', { name: 'resource events' });
      await stream.getByText('No deletions yet.').waitFor();
      expect(await resources.textContent()).toMatch(/^resource0/);

      const id = await deleteResourceThroughRest(gw);
      const row = stream.getByRole('row').filter({ hasText: id });
      await row.waitFor();
      // Delivered by the subscription, not by a reload of the history.
      expect(await row.getAttribute('class')).toBe('fresh');
      await expect.poll(() => row.textContent(), POLL).toMatch(/resource.*soft deleted/);
      await expect.poll(() => resources.textContent(), POLL).toMatch(/^resource1soft deleted 1/);
      await page.screenshot({ path: artifactPath('monitor-stream.png'), fullPage: true });

      // Only datasets: the resource's deletion is not among them; unticked again, it is back.
      await stream.getByRole('checkbox', { name: 'dataset' }).check();
      await stream.getByText('No deletions yet.').waitFor();
      await stream.getByRole('checkbox', { name: 'dataset' }).uncheck();
      await row.waitFor();

      // Its after-commit work: the wrapper process stopped.
      const work = region('After-commit work').getByRole('table', { name: 'Recent work' }).getByRole('row');
      await expect.poll(() => work.nth(1).textContent(), POLL).toMatch(new RegExp(`wrapper.*resource ${id}done`));
    });

    it("an image operation's progress bar moves with operationUpdated and reaches 100%", async () => {
      const { createImages } = await gqlOk(gw.server, CreateImages, { input: [{ name: 'held.png' }] });
      const imageId = createImages[0]!.id;
      // The image's row is locked, so the operation's delete waits: it is caught at 0%.
      const holder = new pg.Client({ connectionString: gw.db.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM image WHERE id = $1 FOR UPDATE', [imageId]);
        const answer = await rest(gw.server, 'DELETE', `/imgs/${imageId}`);
        expect(answer.status).toBe(202);
        const opId = String(answer.body.id);

        const row = region('Image operations').getByRole('row', { name: `Operation ${opId}` });
        await row.waitFor();
        await expect.poll(() => row.textContent(), POLL).toMatch(/running0%0 \/ 1/);
        expect(await row.getByRole('progressbar').getAttribute('value')).toBe('0');
        await expect
          .poll(() =>
            subscribes(sockets.sent, 'MonitorOperationUpdated').filter((s) => s.payload.variables.id === opId),
          )
          .toHaveLength(1);
        await page.screenshot({ path: artifactPath('monitor-operation-running.png'), fullPage: true });

        await holder.query('ROLLBACK');
        await expect.poll(() => row.textContent(), POLL).toMatch(/finished100%1 \/ 1/);
        expect(await row.getByRole('progressbar').getAttribute('value')).toBe('1');
        // The finished state was pushed through the socket by operationUpdated.
        const pushed = sockets.received
          .map((f) => JSON.parse(f))
          .filter((m) => m.type === 'next' && m.payload.data?.operationUpdated?.id === opId)
          .map((m) => m.payload.data.operationUpdated);
        expect(pushed.at(-1)).toMatchObject({ isFinished: true, numGood: 1, numTotal: 1 });
        await page.screenshot({ path: artifactPath('monitor-operation-finished.png'), fullPage: true });
      } finally {
        await holder.end();
      }
    });

    it('a FAILED outbox message is shown with its error and retried from the page until SENT', async () => {
      const outbox = region('Outbox: resource.deletion');
      const failedTable = outbox.getByRole('table', { name: 'Failed messages' });
      // The earlier deletion's message: refused by the broker on its one attempt.
      await expect.poll(() => failedTable.getByRole('row').count(), POLL).toBe(2);
      const failedRow = failedTable.getByRole('row').nth(1);
      await expect.poll(() => failedRow.textContent(), POLL).toMatch(/failed1.*resource_id.*nack/i);
      await page.screenshot({ path: artifactPath('monitor-outbox-failed.png'), fullPage: true });

      await vhost.clearPolicy('full');
      await outbox.getByRole('button', { name: 'Retry all failed' }).click();
      await outbox.getByText('1 message(s) given back to the relay.').waitFor();
      await failedTable.getByText('No failed messages.').waitFor();
      const recent = outbox.getByRole('table', { name: 'Recent messages' }).getByRole('row').nth(1);
      await expect.poll(() => recent.textContent(), POLL).toMatch(/sent1\{"resource_id"/);
      await page.screenshot({ path: artifactPath('monitor-outbox-retried.png'), fullPage: true });
    });

    it('"Purge now" purges the marked datasets, lists the run, and the stream shows the purge', async () => {
      const dataset = await createDataset(gw.server);
      expect((await rest(gw.server, 'DELETE', `/v1/datasets/${dataset.id}`)).status).toBe(200);
      const purge = region('Dataset purge');
      await expect.poll(() => purge.textContent(), POLL).toMatch(/Next scheduled run.*\d{4}.*\(in /);
      await purge.getByRole('button', { name: 'Purge now' }).click();
      await purge.getByRole('button', { name: 'Purge', exact: true }).click();
      await purge.getByText(/Purged 1 dataset\(s\): 3 items, 2 keys, 2 vectors/).waitFor();
      const runs = purge.getByRole('table', { name: 'Last purge runs' }).getByRole('row');
      await expect.poll(() => runs.nth(1).textContent(), POLL).toMatch(/ms13 \/ 2 \/ 2/);
      await region('Live deletions')
        .getByRole('row')
        .filter({ hasText: dataset.id })
        .filter({ hasText: 'purged' })
        .waitFor();
      await page.screenshot({ path: artifactPath('monitor-purge.png'), fullPage: true });
    });

    it('a key with events:read only: the stream, no admin parts and no purge button; signing out forgets the key', async () => {
      const readerKey = await createKey(gw.server, ['events:read']);
      const reader = await context.newPage();
      try {
        await reader.goto(`${gw.server.origin}/monitor`);
        await reader.getByLabel('API key').fill(readerKey);
        await reader.getByRole('button', { name: 'Sign in' }).click();
        await reader.getByRole('heading', { name: 'Live deletions' }).waitFor();
        // The stream shows the history of the workspace, the resource deletion among it.
        await reader.getByRole('region', { name: 'Live deletions' }).getByText('soft deleted').first().waitFor();
        for (const name of ['Image operations', 'Outbox: resource.deletion', 'After-commit work', 'Dataset purge']) {
          await reader.getByRole('region', { name }).getByText('This key lacks the scope').waitFor();
        }
        expect(await reader.getByRole('button', { name: 'Purge now' }).count()).toBe(0);
        expect(await reader.getByRole('button', { name: 'Retry all failed' }).count()).toBe(0);
        await reader.screenshot({ path: artifactPath('monitor-events-only-key.png'), fullPage: true });

        await reader.getByRole('button', { name: 'Sign out' }).click();
        await reader.getByLabel('API key').waitFor();
        expect(await reader.evaluate(() => sessionStorage.getItem('deletion-monitor:api-key'))).toBeNull();
      } finally {
        await reader.close();
      }
    });

    it('all along: nothing but the gateway was asked for, no key in any URL, no policy violation or error', () => {
      expect(elsewhere).toEqual([]);
      expect(requested.length).toBeGreaterThan(0);
      expect(sockets.urls.length).toBeGreaterThan(0);
      for (const url of [...requested, ...sockets.urls]) {
        expect(url).not.toContain(gw.server.adminKey);
        expect(new URL(url).host).toBe(new URL(gw.server.origin).host);
      }
      // The wrong key's 401 is the one error the console reports (Chromium logs failed requests).
      expect(consoleErrors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
    });
  },
);
