import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { allowedOrigin, decideCors } from '../src/http/cors.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { CreateResource } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gqlOk } from './support/graphql.js';

// One CORS policy for the whole HTTP server, set by CORS_ORIGINS.

const APP = 'https://app.example.com';
const DEV = 'http://localhost:5173';
const STRANGER = 'https://evil.example.net';

const API_HEADERS = ['authorization', 'x-api-key', 'api-key', 'content-type', 'idempotency-key', 'x-request-id'];

const corsOrigins = (value: string) => loadConfig({ CORS_ORIGINS: value }).CORS_ORIGINS;

const listed = (s: string | null) =>
  (s ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

/** Every access-control-* header of a response. */
const accessControl = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([name]) => name.startsWith('access-control-')));

describe.runIf(databaseKind() === 'pglite')('CORS_ORIGINS parsing', () => {
  it('unset or empty means no cross-origin access', () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    expect(corsOrigins('')).toEqual([]);
    expect(corsOrigins(' , ')).toEqual([]);
  });

  it('a comma-separated list of exact origins, spaces ignored', () => {
    expect(corsOrigins(`${APP}, ${DEV} ,http://127.0.0.1:8080`)).toEqual([APP, DEV, 'http://127.0.0.1:8080']);
  });

  it('* alone allows any origin', () => {
    expect(corsOrigins('*')).toBe('*');
    expect(corsOrigins(' * ')).toBe('*');
  });

  it.each([
    ['https://app.example.com/', /did you mean https:\/\/app\.example\.com\?/],
    ['https://app.example.com/path', /did you mean https:\/\/app\.example\.com\?/],
    ['https://App.Example.com', /did you mean https:\/\/app\.example\.com\?/],
    ['https://app.example.com:443', /did you mean https:\/\/app\.example\.com\?/],
    ['app.example.com', /is not an origin such as https:\/\/app\.example\.com/],
    ['ftp://files.example.com', /is not an http\(s\) origin/],
    [`${APP},*`, /give it alone/],
  ])('%s is refused with one line naming CORS_ORIGINS', (value, reason) => {
    let message = '';
    try {
      corsOrigins(value);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: CORS_ORIGINS: /);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
  });
});

describe.runIf(databaseKind() === 'pglite')('the CORS decision', () => {
  const request = (origin: string | null, preflight = false) => ({
    method: preflight ? 'OPTIONS' : 'POST',
    origin,
    requestMethod: preflight ? 'POST' : null,
  });

  it('matches listed origins exactly', () => {
    expect(allowedOrigin([APP], APP)).toBe(APP);
    expect(allowedOrigin([APP], `${APP}:443`)).toBeNull();
    expect(allowedOrigin([APP], 'https://app.example.com.evil.net')).toBeNull();
    expect(allowedOrigin([APP], 'http://app.example.com')).toBeNull();
    expect(allowedOrigin([APP], 'null')).toBeNull();
    expect(allowedOrigin([APP], null)).toBeNull();
    expect(allowedOrigin([], APP)).toBeNull();
    expect(allowedOrigin('*', STRANGER)).toBe('*');
    expect(allowedOrigin('*', null)).toBeNull();
  });

  it('a listed origin is echoed with credentials and Vary: Origin', () => {
    expect(decideCors([APP, DEV], request(DEV))).toEqual({
      preflight: false,
      headers: {
        vary: 'Origin',
        'access-control-allow-origin': DEV,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'location, www-authenticate, allow, x-request-id',
      },
    });
  });

  it('an origin not listed gets only Vary: Origin, and its preflight 403', () => {
    expect(decideCors([APP], request(STRANGER))).toEqual({ preflight: false, headers: { vary: 'Origin' } });
    expect(decideCors([APP], request(null))).toEqual({ preflight: false, headers: { vary: 'Origin' } });
    expect(decideCors([APP], request(STRANGER, true))).toEqual({
      preflight: true,
      status: 403,
      headers: { vary: 'Origin' },
    });
  });

  it('a listed origin’s preflight is 204 with methods, headers and max-age', () => {
    const decision = decideCors([APP], request(APP, true));
    expect(decision).toMatchObject({ preflight: true, status: 204 });
    expect(decision.headers).toMatchObject({
      vary: 'Origin',
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-max-age': '600',
    });
    expect(listed(decision.headers['access-control-allow-headers']!)).toEqual(expect.arrayContaining(API_HEADERS));
  });

  it('* answers * without credentials and without Vary', () => {
    const actual = decideCors('*', request(STRANGER));
    expect(actual.headers).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'location, www-authenticate, allow, x-request-id',
    });
    const preflight = decideCors('*', request(STRANGER, true));
    expect(preflight).toMatchObject({ preflight: true, status: 204 });
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers).not.toHaveProperty('access-control-allow-credentials');
    expect(preflight.headers).not.toHaveProperty('vary');
  });

  it('the default (no origins) adds nothing, and refuses every preflight', () => {
    expect(decideCors([], request(APP))).toEqual({ preflight: false, headers: {} });
    expect(decideCors([], request(APP, true))).toEqual({ preflight: true, status: 403, headers: {} });
  });

  it('an OPTIONS without Origin or Access-Control-Request-Method is no preflight: its route answers it', () => {
    expect(decideCors([APP], { method: 'OPTIONS', origin: APP, requestMethod: null }).preflight).toBe(false);
    expect(decideCors([APP], { method: 'OPTIONS', origin: null, requestMethod: 'POST' }).preflight).toBe(false);
  });
});

// Real requests to a running gateway. CORS never touches the database, so one project is enough.
const e2e = describe.runIf(databaseKind() === 'pglite' && !skipDatabase());

async function preflight(url: string, origin: string, method: string, requestHeaders: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': requestHeaders },
  });
}

e2e('a gateway with CORS_ORIGINS listing two origins', () => {
  const gw = useGateway({ env: { CORS_ORIGINS: `${APP},${DEV}` } });
  const graphqlUrl = () => gw.server.url;
  const resourceUrl = (id: string) => `${gw.server.origin}/resources/${id}`;

  it.each([
    ['/graphql', 'POST', 'authorization, content-type'],
    ['/resources/x', 'DELETE', 'x-api-key, idempotency-key, x-request-id'],
  ])('a preflight to %s from a listed origin is 204 with the grants', async (path, method, requested) => {
    const res = await preflight(`${gw.server.origin}${path}`, DEV, method, requested);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('access-control-allow-origin')).toBe(DEV);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(listed(res.headers.get('vary'))).toContain('origin');
    expect(listed(res.headers.get('access-control-allow-methods'))).toEqual(['get', 'post', 'delete', 'options']);
    expect(listed(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(API_HEADERS));
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it.each([
    ['/graphql', 'POST'],
    ['/resources/x', 'DELETE'],
  ])('a preflight to %s from an origin not listed is 403 with no grants', async (path, method) => {
    const res = await preflight(`${gw.server.origin}${path}`, STRANGER, method, 'authorization');
    expect(res.status).toBe(403);
    expect(accessControl(res.headers)).toEqual({});
  });

  it('a cross-origin POST /graphql from a listed origin carries the origin, credentials and exposed headers', async () => {
    const res = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json', authorization: `Bearer ${gw.server.adminKey}` },
      body: JSON.stringify({ query: '{ resources(first: 1) { edges { node { id } } } }' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).errors).toBeUndefined();
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(listed(res.headers.get('vary'))).toContain('origin');
  });

  it('a cross-origin DELETE /resources/{id} from a listed origin deletes and carries the origin', async () => {
    const { createResource } = await gqlOk(gw.server, CreateResource, { input: { name: 'cors-delete' } });
    const res = await fetch(resourceUrl(createResource.id), {
      method: 'DELETE',
      headers: { origin: DEV, authorization: `Bearer ${gw.server.adminKey}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: createResource.id, deleted: true });
    expect(res.headers.get('access-control-allow-origin')).toBe(DEV);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('a 401 from a REST route is readable cross-origin, www-authenticate included', async () => {
    const res = await fetch(resourceUrl('507f1f77bcf86cd799439011'), { method: 'DELETE', headers: { origin: APP } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(listed(res.headers.get('access-control-expose-headers'))).toContain('www-authenticate');
  });

  it('a request from an origin not listed is answered, but without any grant (the browser withholds it)', async () => {
    const res = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: { origin: STRANGER, 'content-type': 'application/json', authorization: `Bearer ${gw.server.adminKey}` },
      body: JSON.stringify({ query: '{ resources(first: 1) { edges { node { id } } } }' }),
    });
    expect(res.status).toBe(200);
    expect(accessControl(res.headers)).toEqual({});
    expect(listed(res.headers.get('vary'))).toContain('origin');
  });
});

e2e('a gateway with CORS_ORIGINS=*', () => {
  const gw = useGateway({ env: { CORS_ORIGINS: '*' } });

  it('a preflight from any origin is 204 with Allow-Origin * and no credentials', async () => {
    const res = await preflight(`${gw.server.origin}/resources/x`, STRANGER, 'DELETE', 'authorization');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a cross-origin POST /graphql carries Allow-Origin * and no credentials', async () => {
    const res = await fetch(gw.server.url, {
      method: 'POST',
      headers: { origin: STRANGER, 'content-type': 'application/json', authorization: `Bearer ${gw.server.adminKey}` },
      body: JSON.stringify({ query: '{ resources(first: 1) { edges { node { id } } } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

e2e('a gateway with the default configuration', () => {
  const gw = useGateway();

  it('a cross-origin POST /graphql gets no Access-Control-Allow-Origin (Yoga’s own CORS is off)', async () => {
    const res = await fetch(gw.server.url, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json', authorization: `Bearer ${gw.server.adminKey}` },
      body: JSON.stringify({ query: '{ resources(first: 1) { edges { node { id } } } }' }),
    });
    expect(res.status).toBe(200);
    expect(accessControl(res.headers)).toEqual({});
  });

  it.each([
    ['/graphql', 'POST'],
    ['/resources/x', 'DELETE'],
  ])('a preflight to %s is 403 with no grants', async (path, method) => {
    const res = await preflight(`${gw.server.origin}${path}`, APP, method, 'authorization');
    expect(res.status).toBe(403);
    expect(accessControl(res.headers)).toEqual({});
  });
});
