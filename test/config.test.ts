import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { isManifestProblem, parsePersistedDocuments } from '../src/config/persisted-documents.js';
import { databaseKind } from './support/database.js';
import { runScript } from './support/server.js';

const manifestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-config-'));
afterAll(() => fs.rmSync(manifestDir, { recursive: true, force: true }));

function writeManifest(documents: Record<string, string>): string {
  const file = path.join(manifestDir, `${randomUUID()}.json`);
  fs.writeFileSync(file, JSON.stringify(documents));
  return file;
}

/** Starts the gateway as `npm start` would, without blocking this worker (a blocked worker misses vitest's calls). */
const startWith = (env: Record<string, string>) =>
  runScript(['src/main.ts'], { DATABASE_URL: 'memory://', PORT: '0', ...env });

describe.runIf(databaseKind() === 'pglite')('configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'fancy' }, 'LOG_FORMAT'],
    [{ METRICS: 'yes' }, 'METRICS'],
    [{ METRICS_TOKEN: 'too-short' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: 'has a space in the middle' }, 'METRICS_TOKEN'],
    [{ WRAPPER_STOP_GRACE: 'soon' }, 'WRAPPER_STOP_GRACE'],
    [{ SHUTDOWN_GRACE: 'soon' }, 'SHUTDOWN_GRACE'],
    [{ WRAPPER_KINDS: 'idle,bash' }, 'WRAPPER_KINDS'],
    [{ BOOTSTRAP_ADMIN_KEY: 'short' }, 'BOOTSTRAP_ADMIN_KEY'],
    [{ CORS_ORIGINS: 'https://app.example.com/' }, 'CORS_ORIGINS'],
    [{ NODE_ENV: 'production', TEST_STARTUP_SQL: 'SELECT 1' }, 'TEST_STARTUP_SQL'],
    [{ MAX_UPLOAD_BYTES: '50 megabytes' }, 'MAX_UPLOAD_BYTES'],
    [{ MAX_UPLOAD_FILES: '0' }, 'MAX_UPLOAD_FILES'],
    [{ PURGE_CRON: '61 * * * *' }, 'PURGE_CRON'],
    [{ PURGE_CRON: 'twice a day' }, 'PURGE_CRON'],
    [{ PURGE_TZ: 'Mars/Olympus' }, 'PURGE_TZ'],
    [{ PURGE_BATCH_ROWS: '0' }, 'PURGE_BATCH_ROWS'],
    [{ RATE_LIMIT: '10/day' }, 'RATE_LIMIT'],
    [{ RATE_LIMIT_BURST: '10' }, 'RATE_LIMIT_BURST'],
    [{ MAX_JSON_BYTES: '1 megabyte' }, 'MAX_JSON_BYTES'],
    [{ NODE_ENV: 'production', GRAPHIQL: 'true' }, 'GRAPHIQL'],
    [{ PERSISTED_DOCUMENTS: '/nonexistent/persisted-documents.json' }, 'PERSISTED_DOCUMENTS'],
    [{ PERSISTED_DOCUMENTS_REQUIRED: 'true' }, 'PERSISTED_DOCUMENTS_REQUIRED'],
    // checked against the schema once the configuration is read, still before anything starts
    [{ PERSISTED_DOCUMENTS: writeManifest({ stale: 'query Stale { removedField }' }) }, 'PERSISTED_DOCUMENTS'],
  ])('bad configuration %o stops the start with one line naming %s', async (env, name) => {
    const run = await startWith(env);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
    expect(run.stdout).toBe('');
  });
});

describe('INTROSPECTION and GRAPHIQL: on by default, off when NODE_ENV=production, explicit values win', () => {
  const switches = (env: Record<string, string>) => {
    const config = loadConfig({ DATABASE_URL: 'memory://', ...env });
    return { INTROSPECTION: config.INTROSPECTION, GRAPHIQL: config.GRAPHIQL };
  };

  it.each([
    [{}, { INTROSPECTION: true, GRAPHIQL: true }],
    [{ NODE_ENV: 'development' }, { INTROSPECTION: true, GRAPHIQL: true }],
    [{ NODE_ENV: 'production' }, { INTROSPECTION: false, GRAPHIQL: false }],
    [
      { NODE_ENV: 'production', INTROSPECTION: 'true' },
      { INTROSPECTION: true, GRAPHIQL: false },
    ],
    [
      { NODE_ENV: 'production', INTROSPECTION: '1', GRAPHIQL: '1' },
      { INTROSPECTION: true, GRAPHIQL: true },
    ],
    [{ GRAPHIQL: 'false' }, { INTROSPECTION: true, GRAPHIQL: false }],
    // GraphiQL reads the schema by introspection: off with it unless asked for (then refused, below)
    [{ INTROSPECTION: 'false' }, { INTROSPECTION: false, GRAPHIQL: false }],
    [
      { INTROSPECTION: 'false', GRAPHIQL: 'false' },
      { INTROSPECTION: false, GRAPHIQL: false },
    ],
  ])('%o gives %o', (env, expected) => {
    expect(switches(env)).toEqual(expected);
  });

  it.each([
    [
      { NODE_ENV: 'production', GRAPHIQL: 'true' },
      'GRAPHIQL: GraphiQL reads the schema by introspection, which NODE_ENV=production turns off; set INTROSPECTION=true as well, or GRAPHIQL=false',
    ],
    [
      { INTROSPECTION: 'false', GRAPHIQL: 'true' },
      'GRAPHIQL: GraphiQL reads the schema by introspection, which INTROSPECTION=false turns off; set INTROSPECTION=true as well, or GRAPHIQL=false',
    ],
    [{ INTROSPECTION: 'maybe' }, 'INTROSPECTION: '],
  ])('%o is refused: %s', (env, message) => {
    expect(() => loadConfig({ DATABASE_URL: 'memory://', ...env })).toThrow(`Invalid configuration: ${message}`);
  });
});

describe('MAX_JSON_BYTES', () => {
  it.each([
    [undefined, 1024 ** 2],
    ['4096', 4096],
    ['512kb', 512 * 1024],
    ['2MB', 2 * 1024 ** 2],
  ])('%s is %d bytes', (value, bytes) => {
    expect(loadConfig({ DATABASE_URL: 'memory://', MAX_JSON_BYTES: value }).MAX_JSON_BYTES).toBe(bytes);
  });

  it('a size without a number is refused', () => {
    expect(() => loadConfig({ MAX_JSON_BYTES: 'one megabyte' })).toThrow(/^Invalid configuration: MAX_JSON_BYTES: /);
  });
});

describe('the persisted documents manifest', () => {
  const Ping = 'query Ping { __typename }';
  const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

  it("reads GraphQL Codegen's persisted-documents.json: sha256 ids and other ids", () => {
    const documents = parsePersistedDocuments(JSON.stringify({ [sha256(Ping)]: Ping, 'ping-v1': Ping }));
    expect(documents).toEqual(
      new Map([
        [sha256(Ping), Ping],
        ['ping-v1', Ping],
      ]),
    );
  });

  it.each([
    ['not json', 'the manifest is not JSON'],
    ['[]', 'the manifest must be a JSON object of document ids to GraphQL documents'],
    ['"query { a }"', 'the manifest must be a JSON object of document ids to GraphQL documents'],
    ['{}', 'the manifest holds no documents'],
    [JSON.stringify({ ' ': Ping }), 'the manifest has an empty document id'],
    [JSON.stringify({ a: 1 }), 'document "a" is not a string'],
    [JSON.stringify({ a: 'query {' }), 'document "a" does not parse (Syntax Error: Expected Name, found <EOF>.)'],
    [
      JSON.stringify({ [sha256('query Other { __typename }')]: Ping }),
      `document "${sha256('query Other { __typename }')}" does not have that sha256 hash`,
    ],
  ])('%s is refused: %s', (text, problem) => {
    const parsed = parsePersistedDocuments(text);
    expect(isManifestProblem(parsed) && parsed.problem).toMatch(new RegExp(`^${escapeRegExp(problem)}`));
  });

  it('PERSISTED_DOCUMENTS names a file that must exist; the problem names the setting', () => {
    expect(() => loadConfig({ PERSISTED_DOCUMENTS: '/nonexistent/persisted-documents.json' })).toThrow(
      'Invalid configuration: PERSISTED_DOCUMENTS: cannot read /nonexistent/persisted-documents.json (ENOENT)',
    );
  });

  it('PERSISTED_DOCUMENTS_REQUIRED needs a manifest, turns GraphiQL off by default, and refuses GRAPHIQL=true', () => {
    const file = writeManifest({ [sha256(Ping)]: Ping });
    expect(() => loadConfig({ PERSISTED_DOCUMENTS_REQUIRED: 'true' })).toThrow(
      'Invalid configuration: PERSISTED_DOCUMENTS_REQUIRED: needs PERSISTED_DOCUMENTS',
    );
    const required = loadConfig({ PERSISTED_DOCUMENTS: file, PERSISTED_DOCUMENTS_REQUIRED: 'true' });
    expect(required).toMatchObject({ PERSISTED_DOCUMENTS_REQUIRED: true, GRAPHIQL: false, INTROSPECTION: true });
    expect(required.PERSISTED_DOCUMENTS?.get(sha256(Ping))).toBe(Ping);
    expect(() =>
      loadConfig({ PERSISTED_DOCUMENTS: file, PERSISTED_DOCUMENTS_REQUIRED: 'true', GRAPHIQL: 'true' }),
    ).toThrow(/^Invalid configuration: GRAPHIQL: GraphiQL sends documents of its own/);
    const optional = loadConfig({ PERSISTED_DOCUMENTS: file });
    expect(optional).toMatchObject({ PERSISTED_DOCUMENTS_REQUIRED: false, GRAPHIQL: true });
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
