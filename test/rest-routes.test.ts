import { describe, expect, it } from 'vitest';
import {
  booleanQueryParam,
  createRouter,
  DOMAIN_ERROR_STATUS,
  decodePathParams,
  decodePathSegment,
  defineRoute,
  detailShape,
  domainErrorReply,
  type ErrorShape,
  type HttpMethod,
  NO_CONTENT,
  RESERVED_SEGMENTS,
  type RestRoute,
  renderReply,
  requiredQueryParam,
  successErrorShape,
  successFalseShape,
} from '../src/http/rest-routes.js';
import {
  ConflictError,
  DeletionNotAllowedError,
  type DomainError,
  InvalidIdError,
  NotFoundError,
  ValidationError,
  WrapperStopTimeoutError,
} from '../src/services/errors.js';

// The REST routing rules as pure functions: no server, no database.

/** The documentation every route declares (for /openapi.json); these tests only route. */
const documented = {
  operationId: 'testRoute',
  tag: 'resources',
  summary: 'A route under test',
  responses: { 204: { description: 'No content' } },
  errors: {},
} as const;

function route(method: HttpMethod, path: string, shape: ErrorShape = detailShape): RestRoute {
  const params = Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, { description: m[1]! }]));
  return defineRoute({ ...documented, method, path, params, scope: 'admin', shape, handle: async () => NO_CONTENT });
}

function matched(router: ReturnType<typeof createRouter>, method: string, path: string) {
  const m = router.match(method, path);
  return m.kind === 'route' ? { route: `${m.route.method} ${m.route.path}`, params: m.rawParams } : m;
}

describe('route precedence: specific paths before the seed 001 catch-all', () => {
  // The catch-alls are declared first on purpose: order of declaration must not matter.
  const router = createRouter([
    route('DELETE', '/{company}/{group}/{endpoint}'),
    route('DELETE', '/{company}/{group}/{endpoint}/{guid}'),
    route('GET', '/{company}/{group}/{endpoint}/{guid}'),
    route('DELETE', '/{company}/{group}/{endpoint}/all'),
    route('DELETE', '/files', successErrorShape),
    route('GET', '/files', successErrorShape),
    route('DELETE', '/v1/datasets/{id}', successFalseShape),
    route('DELETE', '/imgs/{image_id}'),
    route('GET', '/ops/{op_id}'),
    route('DELETE', '/resources/{resource_id}'),
  ]);

  it('DELETE /files is the files route', () => {
    expect(matched(router, 'DELETE', '/files')).toEqual({ route: 'DELETE /files', params: {} });
  });

  it('a three-segment path under a reserved word is its own route, never a company/group/endpoint', () => {
    expect(matched(router, 'DELETE', '/v1/datasets/ds_abc')).toEqual({
      route: 'DELETE /v1/datasets/{id}',
      params: { id: 'ds_abc' },
    });
  });

  it('any other company/group/endpoint goes to the catch-all, /all before /{guid}', () => {
    expect(matched(router, 'DELETE', '/acme/billing/invoices')).toEqual({
      route: 'DELETE /{company}/{group}/{endpoint}',
      params: { company: 'acme', group: 'billing', endpoint: 'invoices' },
    });
    expect(matched(router, 'DELETE', '/acme/billing/invoices/all')).toMatchObject({
      route: 'DELETE /{company}/{group}/{endpoint}/all',
    });
    expect(matched(router, 'DELETE', '/acme/billing/invoices/0b9e4c1a-7d7b-4f4e-9a57-2f4a2b1c9d10')).toMatchObject({
      route: 'DELETE /{company}/{group}/{endpoint}/{guid}',
    });
  });

  it('precedence alone, without a reserved word: a literal segment outranks a parameter', () => {
    const own = createRouter([
      route('DELETE', '/{company}/{group}/{endpoint}'),
      route('DELETE', '/acme/{group}/{endpoint}'),
      route('DELETE', '/acme/billing/invoices'),
    ]);
    expect(matched(own, 'DELETE', '/acme/billing/invoices')).toMatchObject({ route: 'DELETE /acme/billing/invoices' });
    expect(matched(own, 'DELETE', '/acme/billing/orders')).toMatchObject({ route: 'DELETE /acme/{group}/{endpoint}' });
    expect(matched(own, 'DELETE', '/globex/billing/invoices')).toMatchObject({
      route: 'DELETE /{company}/{group}/{endpoint}',
    });
  });

  it.each([...RESERVED_SEGMENTS])('/%s/... is never claimed by the catch-all', (segment) => {
    for (const path of [`/${segment}/a/b`, `/${segment}/a/b/c`, `/${segment}/a/b/all`]) {
      const m = router.match('DELETE', path);
      expect(m.kind === 'route' && m.route.path.startsWith('/{company}'), path).toBe(false);
    }
  });

  it('a reserved word escaped in the path is still reserved', () => {
    expect(router.match('DELETE', '/%67raphql/a/b')).toEqual({ kind: 'none' });
    expect(router.match('DELETE', '/fil%65s/a/b')).toEqual({ kind: 'none' });
  });

  it('an empty first segment is no company', () => {
    expect(router.match('DELETE', '//a/b')).toEqual({ kind: 'none' });
  });

  it('the most specific path claims the request: a method it lacks is a 405, not the catch-all', () => {
    expect(router.match('GET', '/acme/billing/invoices/all')).toEqual({
      kind: 'method-not-allowed',
      allow: ['DELETE'],
      shape: detailShape,
    });
  });

  it('405 lists every method of the path and answers in that path`s shape', () => {
    expect(router.match('PUT', '/files')).toEqual({
      kind: 'method-not-allowed',
      allow: ['DELETE', 'GET'],
      shape: successErrorShape,
    });
    expect(router.match('GET', '/resources/abc')).toMatchObject({ kind: 'method-not-allowed', allow: ['DELETE'] });
  });

  it('a matched route knows the methods of its path (for the Allow header of a domain 405)', () => {
    const m = router.match('DELETE', '/acme/billing/invoices/x');
    expect(m.kind === 'route' && m.methods).toEqual(['DELETE', 'GET']);
  });

  it('paths no route declares are left to the rest of the server', () => {
    for (const path of ['/', '/graphql', '/resources', '/resources/a/b', '/files/x', '/acme/billing']) {
      expect(router.match('DELETE', path), path).toEqual({ kind: 'none' });
    }
  });

  it('params stay percent-encoded until decodePathParams', () => {
    expect(matched(router, 'DELETE', '/resources/%ZZ')).toEqual({
      route: 'DELETE /resources/{resource_id}',
      params: { resource_id: '%ZZ' },
    });
  });
});

describe('a one-segment catch-all never takes the gateway`s own endpoints', () => {
  const router = createRouter([route('GET', '/{page}'), route('POST', '/{page}')]);

  it.each(['/graphql', '/health', '/ready', '/metrics', '/monitor', '/openapi.json', '/runs'])(
    'GET %s is not REST',
    (path) => {
      expect(router.match('GET', path)).toEqual({ kind: 'none' });
      expect(router.match('POST', path)).toEqual({ kind: 'none' });
    },
  );

  it('GET / is not REST', () => {
    expect(router.match('GET', '/')).toEqual({ kind: 'none' });
  });

  it('any other first segment is', () => {
    expect(matched(router, 'GET', '/acme')).toEqual({ route: 'GET /{page}', params: { page: 'acme' } });
  });
});

describe('route declarations', () => {
  it('two routes with the same method and path shape are refused', () => {
    expect(() => createRouter([route('DELETE', '/files/{a}'), route('DELETE', '/files/{b}')])).toThrow(/same route/);
  });

  it.each(['files', '/files/', '/a//b', '/a/{b', '/a/x{b}', '/{a}/{a}'])('path template %s is refused', (path) => {
    expect(() => route('DELETE', path)).toThrow(/REST path/);
  });
});

describe('path parameters are decoded without throwing', () => {
  it.each([
    ['abc', 'abc'],
    ['a%20b', 'a b'],
    ['%C3%A9', 'é'],
    ['a%2Fb', 'a/b'],
    ['%ZZ', null],
    ['%', null],
    ['%E0%A4%A', null],
    ['%C3', null],
  ])('%s decodes to %s', (raw, decoded) => {
    expect(decodePathSegment(raw)).toBe(decoded);
  });

  it('a malformed escape is an invalid id naming the parameter', () => {
    const result = decodePathParams({ company: 'acme', resource_id: '%ZZ' });
    expect(result).toBeInstanceOf(InvalidIdError);
    expect((result as InvalidIdError).message).toContain('resource_id');
  });

  it('/resources/%ZZ answers 400 {"detail":"Invalid resource ID"} through the route`s wording', () => {
    const resources = defineRoute({
      ...documented,
      method: 'DELETE',
      path: '/resources/{resource_id}',
      params: { resource_id: { description: 'The resource id' } },
      scope: 'resources:delete',
      shape: detailShape,
      messages: { INVALID_ID: 'Invalid resource ID' },
      handle: async () => NO_CONTENT,
    });
    const error = decodePathParams({ resource_id: '%ZZ' }) as InvalidIdError;
    expect(domainErrorReply(resources, error, ['DELETE'])).toEqual({
      status: 400,
      body: { detail: 'Invalid resource ID' },
    });
  });
});

describe('strict boolean query parameters (seed 004: wait, urgent, strict)', () => {
  const read = (query: string, fallback = false) => booleanQueryParam(new URLSearchParams(query), 'wait', fallback);

  it.each([
    ['wait=true', true],
    ['wait=1', true],
    ['wait=false', false],
    ['wait=0', false],
    ['', false],
    ['urgent=true', false],
  ])('?%s reads %s', (query, value) => {
    expect(read(query)).toBe(value);
  });

  it('absent takes the default', () => {
    expect(read('', true)).toBe(true);
  });

  it.each(['wait=', 'wait', 'wait=yes', 'wait=True', 'wait=2', 'wait=%20true', 'wait=true&wait=false'])(
    '?%s is a 400 naming the parameter',
    (query) => {
      const result = read(query);
      expect(result).toBeInstanceOf(ValidationError);
      expect((result as ValidationError).field).toBe('wait');
      expect((result as ValidationError).message).toContain("'wait'");
    },
  );

  it('a required parameter (seed 002: request_id) is present once and not empty', () => {
    const read = (query: string) => requiredQueryParam(new URLSearchParams(query), 'request_id');
    expect(read('request_id=req_1')).toBe('req_1');
    for (const query of ['', 'request_id=', 'request_id=a&request_id=b']) {
      const result = read(query);
      expect(result, query).toBeInstanceOf(ValidationError);
      expect((result as ValidationError).field).toBe('request_id');
    }
  });
});

describe('domain errors map to statuses in one table', () => {
  it('every code has its status', () => {
    expect(Object.fromEntries(Object.entries(DOMAIN_ERROR_STATUS).map(([code, row]) => [code, row.status]))).toEqual({
      INVALID_ID: 400,
      VALIDATION_FAILED: 400,
      NOT_FOUND: 404,
      CONFLICT: 409,
      DELETION_NOT_ALLOWED: 405,
      WRAPPER_STOP_TIMEOUT: 504,
    });
  });

  const files = defineRoute({
    ...documented,
    method: 'DELETE',
    path: '/files',
    scope: 'parser-results:delete',
    shape: successErrorShape,
    messages: { NOT_FOUND: 'Parser result not found' },
    handle: async () => NO_CONTENT,
  });

  it.each<[DomainError, number, string]>([
    [new InvalidIdError('bad id'), 400, 'invalid_request'],
    [new ValidationError("Query parameter 'request_id' is required", 'request_id'), 400, 'invalid_request'],
    [new NotFoundError('gone'), 404, 'not_found'],
    [new ConflictError('locked'), 409, 'conflict'],
    [new WrapperStopTimeoutError('r', 'w', 'i', 5), 504, 'timeout'],
  ])('%s answers %i with error code %s in the route`s shape', (error, status, code) => {
    const reply = domainErrorReply(files, error, ['DELETE']);
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ success: false, error: code, message: expect.any(String) });
  });

  it('the route`s own wording wins over the service`s; otherwise the service`s message is kept', () => {
    expect(domainErrorReply(files, new NotFoundError('no such row'), ['DELETE']).body).toEqual({
      success: false,
      error: 'not_found',
      message: 'Parser result not found',
    });
    expect(domainErrorReply(files, new ConflictError('the result is locked'), ['DELETE']).body).toEqual({
      success: false,
      error: 'conflict',
      message: 'the result is locked',
    });
  });

  it('a refused deletion is a 405 whose Allow header lists the path`s other methods', () => {
    const endpoint = route('DELETE', '/{company}/{group}/{endpoint}/{guid}');
    const reply = domainErrorReply(endpoint, new DeletionNotAllowedError('Deleting is off'), ['DELETE', 'GET']);
    expect(reply).toEqual({ status: 405, body: { detail: 'Deleting is off' }, headers: { allow: 'GET' } });
    expect(domainErrorReply(endpoint, new DeletionNotAllowedError('off'), ['DELETE']).headers).toEqual({ allow: '' });
  });

  it('the three shapes of the seeds', () => {
    expect(detailShape.body(404, 'not_found', 'Resource not found')).toEqual({ detail: 'Resource not found' });
    expect(successErrorShape.body(401, 'unauthorized', 'Invalid API key')).toEqual({
      success: false,
      error: 'unauthorized',
      message: 'Invalid API key',
    });
    expect(successFalseShape.body(404, 'not_found', 'Dataset not found')).toEqual({
      success: false,
      error: 'Dataset not found',
    });
  });
});

describe('what a reply puts on the wire', () => {
  it('a body is JSON with its content-type and byte length', () => {
    expect(renderReply({ status: 200, body: { id: 'é', deleted: true } })).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '26' },
      body: '{"id":"é","deleted":true}',
    });
  });

  it('204 has no body, no content-type and no content-length', () => {
    expect(renderReply(NO_CONTENT)).toEqual({ status: 204, headers: {}, body: null });
  });

  it('a route`s headers go along (202 + Location for a queued operation)', () => {
    const reply = renderReply({ status: 202, body: { id: 'op_1' }, headers: { location: '/ops/op_1' } });
    expect(reply.headers).toMatchObject({ location: '/ops/op_1', 'content-type': 'application/json; charset=utf-8' });
  });
});
