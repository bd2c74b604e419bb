import { z } from 'zod';
import type { Principal, Scope } from '../auth/scopes.js';
import { type DomainError, type ErrorCode, InvalidIdError, ValidationError } from '../services/errors.js';
import { IdempotencyKeyReusedError, type SentKey } from '../services/idempotency.js';
import type { Services } from '../services/index.js';
import { RESERVED_SEGMENTS } from '../util/reserved-segments.js';
import {
  type AnswerDocs,
  type DocumentedReply,
  type NamedBody,
  namedBody,
  type OperationDoc,
  type ParamDoc,
  type ParamNames,
  type PathParamDocs,
} from './rest-docs.js';

// How a REST route is declared, matched and answered: pure pieces, no sockets, so the rules
// (precedence, reserved segments, decoding, status table) are unit-tested in milliseconds.

export { RESERVED_SEGMENTS };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Wire-level error codes; seed 002 shows them, the other shapes ignore them. */
export type RestErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'rate_limited'
  | 'request_too_large'
  | 'timeout'
  | 'internal_error';

/** Every RestErrorCode, for seed 002's schema; a new code does not compile until it is here. */
const REST_ERROR_CODES = Object.keys({
  invalid_request: true,
  unauthorized: true,
  forbidden: true,
  not_found: true,
  method_not_allowed: true,
  conflict: true,
  timeout: true,
  internal_error: true,
  rate_limited: true,
  request_too_large: true,
} satisfies Record<RestErrorCode, true>) as RestErrorCode[];

export type RestReply =
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** 204 answers with headers only: no body, no content-type */
  | { status: 204; body?: undefined; headers?: Record<string, string> };

export const NO_CONTENT = { status: 204 } as const satisfies RestReply;

/** Each seed words its errors its own way; a route names the shape it answers in. */
export interface ErrorShape {
  body(status: number, code: RestErrorCode, message: string): unknown;
  /** the body's JSON Schema in /openapi.json */
  schema: NamedBody;
}

/** An error shape whose bodies the compiler checks against its documented schema. */
function errorShape<T extends z.ZodType>(
  schema: NamedBody<T>,
  body: (status: number, code: RestErrorCode, message: string) => z.input<T>,
): ErrorShape {
  return { body, schema };
}

/** seeds 000, 001, 004: `{"detail": "..."}` */
export const detailShape = errorShape(
  namedBody('ErrorDetail', z.object({ detail: z.string() }).describe('Seeds 000, 001 and 004: what went wrong')),
  (_status, _code, message) => ({ detail: message }),
);
/** seed 002: `{"success": false, "error": "<code>", "message": "..."}` */
export const successErrorShape = errorShape(
  namedBody(
    'ErrorCodeMessage',
    z
      .object({ success: z.literal(false), error: z.enum(REST_ERROR_CODES), message: z.string() })
      .describe('Seed 002: an error code and a descriptive message'),
  ),
  (_status, code, message) => ({ success: false as const, error: code, message }),
);
/** seed 003: `{"success": false, "error": "..."}` */
export const successFalseShape = errorShape(
  namedBody(
    'ErrorSuccessFalse',
    z.object({ success: z.literal(false), error: z.string() }).describe('Seed 003: what went wrong'),
  ),
  (_status, _code, message) => ({ success: false as const, error: message }),
);

/** The one place a domain error becomes an HTTP status; a new ErrorCode does not compile until it is here. */
export const DOMAIN_ERROR_STATUS: Readonly<Record<ErrorCode, { status: number; code: RestErrorCode }>> = {
  INVALID_ID: { status: 400, code: 'invalid_request' },
  VALIDATION_FAILED: { status: 400, code: 'invalid_request' },
  NOT_FOUND: { status: 404, code: 'not_found' },
  DELETION_NOT_ALLOWED: { status: 405, code: 'method_not_allowed' },
  CONFLICT: { status: 409, code: 'conflict' },
  WRAPPER_STOP_TIMEOUT: { status: 504, code: 'timeout' },
};

export interface RouteContext<Param extends string = string> {
  principal: Principal;
  /** path parameters, percent-decoded */
  params: Readonly<Record<Param, string>>;
  query: URLSearchParams;
  url: URL;
  services: Services;
  /** the request's Idempotency-Key header, for the deleting routes */
  idempotency: SentKey | null;
}

/** A domain error a route declared; a DELETE route may also refuse a reused idempotency key (422). */
export type RouteError<Code extends ErrorCode, Method extends HttpMethod> =
  | (DomainError & { readonly code: Code })
  | (Method extends 'DELETE' ? IdempotencyKeyReusedError : never);

/**
 * What a route file writes: the path template names its parameters, `{name}` per whole segment.
 * The route documents itself here (summary, parameters, answers, domain errors), and the
 * compiler holds `handle` to it: a reply of another status or body, or a domain error the route
 * does not declare, does not compile. /openapi.json is printed from these declarations.
 */
export type RouteDeclaration<
  Path extends string,
  Method extends HttpMethod,
  Responses extends AnswerDocs,
  Code extends ErrorCode,
> = OperationDoc & {
  method: Method;
  path: Path;
  /** the scope a key needs; a list: any one of them */
  scope: Scope | readonly Scope[];
  shape: ErrorShape;
  /** the route's own wording of domain errors, by code; otherwise the error's message */
  messages?: Partial<Record<ErrorCode, string>>;
  /** what the handler answers itself, by status */
  responses: Responses;
  /** the domain errors the handler returns, each with when it happens; answered through DOMAIN_ERROR_STATUS */
  errors: { readonly [C in Code]: string };
  handle(
    ctx: RouteContext<ParamNames<Path>>,
  ): Promise<DocumentedReply<NoInfer<Responses>> | RouteError<NoInfer<Code>, Method>>;
} & PathParamDocs<ParamNames<Path>>;

export type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string };

export interface RestRoute extends OperationDoc {
  readonly method: HttpMethod;
  readonly path: string;
  readonly segments: readonly Segment[];
  readonly scope: Scope | readonly Scope[];
  readonly shape: ErrorShape;
  readonly messages: Partial<Record<ErrorCode, string>>;
  readonly params: Readonly<Record<string, ParamDoc>>;
  readonly responses: AnswerDocs;
  readonly errors: Readonly<Partial<Record<ErrorCode, string>>>;
  handle(ctx: RouteContext): Promise<RestReply | DomainError>;
}

export function defineRoute<
  const Path extends string,
  const Method extends HttpMethod,
  const Responses extends AnswerDocs,
  Code extends ErrorCode = never,
>(declaration: RouteDeclaration<Path, Method, Responses, Code>): RestRoute {
  const segments = parsePathTemplate(declaration.path);
  const params: Readonly<Record<string, ParamDoc>> = declaration.params ?? {};
  const names = segments.flatMap((s) => (s.kind === 'param' ? [s.name] : []));
  for (const name of names) {
    if (!params[name]) throw new Error(`REST path ${declaration.path} does not document {${name}}`);
  }
  for (const name of Object.keys(params)) {
    if (!names.includes(name)) throw new Error(`REST path ${declaration.path} has no {${name}} to document`);
  }
  return {
    ...declaration,
    messages: declaration.messages ?? {},
    params,
    segments,
    handle: declaration.handle as RestRoute['handle'],
  };
}

function parsePathTemplate(path: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`REST path ${path} must start with /`);
  const names = new Set<string>();
  return path
    .slice(1)
    .split('/')
    .map((part) => {
      const param = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part);
      if (param) {
        const name = param[1]!;
        if (names.has(name)) throw new Error(`REST path ${path} names {${name}} twice`);
        names.add(name);
        return { kind: 'param', name } as const;
      }
      if (part === '' || /[{}]/.test(part)) throw new Error(`REST path ${path} has a malformed segment "${part}"`);
      return { kind: 'static', value: part } as const;
    });
}

/** A route whose first segment is a parameter claims every first segment but the reserved ones. */
const isCatchAll = (route: RestRoute) => route.segments[0]?.kind === 'param';

/** Specific before catch-all: segment by segment from the left, a literal outranks a parameter. */
function comparePrecedence(a: RestRoute, b: RestRoute): number {
  const rank = (s: Segment) => (s.kind === 'static' ? 0 : 1);
  const length = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const diff = rank(a.segments[i]!) - rank(b.segments[i]!);
    if (diff !== 0) return diff;
  }
  return 0;
}

const templateKey = (route: RestRoute) => route.segments.map((s) => (s.kind === 'static' ? s.value : '{}')).join('/');

export type RouteMatch =
  | {
      kind: 'route';
      route: RestRoute;
      /** still percent-encoded; decodePathParams turns a malformed escape into a 400 */
      rawParams: Record<string, string>;
      /** every method the matched path answers (for the Allow header of a domain 405) */
      methods: HttpMethod[];
    }
  | { kind: 'method-not-allowed'; allow: HttpMethod[]; shape: ErrorShape }
  | { kind: 'none' };

export interface RestRouter {
  /** `none` leaves the request to the rest of the server (GraphQL, health, ...). */
  match(method: string, pathname: string): RouteMatch;
}

/**
 * The most specific path template that matches claims the request, whatever the declaration
 * order; its routes then choose by method, and a method it lacks is a 405, not a fall-through
 * to a more general template.
 */
export function createRouter(routes: readonly RestRoute[]): RestRouter {
  const templates = new Map<string, RestRoute[]>();
  for (const route of routes) {
    const key = templateKey(route);
    const same = templates.get(key) ?? [];
    if (same.some((r) => r.method === route.method)) {
      throw new Error(`REST routes ${route.method} ${route.path} and ${same[0]!.path} are the same route`);
    }
    templates.set(key, [...same, route]);
  }
  const ordered = [...templates.values()].sort((a, b) => comparePrecedence(a[0]!, b[0]!));

  return {
    match(method, pathname) {
      const parts = pathname.slice(1).split('/');
      for (const group of ordered) {
        const rawParams = matchSegments(group[0]!, parts);
        if (!rawParams) continue;
        const methods = group.map((r) => r.method);
        const route = group.find((r) => r.method === method);
        if (!route) return { kind: 'method-not-allowed', allow: methods, shape: group[0]!.shape };
        return { kind: 'route', route, rawParams, methods };
      }
      return { kind: 'none' };
    },
  };
}

function matchSegments(route: RestRoute, parts: string[]): Record<string, string> | null {
  if (parts.length !== route.segments.length) return null;
  if (isCatchAll(route)) {
    // a company slug is never empty and never a reserved word, however it is escaped
    const first = decodePathSegment(parts[0]!);
    if (first === '' || (first !== null && RESERVED_SEGMENTS.has(first))) return null;
  }
  const params: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    const part = parts[i]!;
    if (segment.kind === 'static') {
      if (part !== segment.value) return null;
    } else {
      params[segment.name] = part;
    }
  }
  return params;
}

/** Whether the key may call the route; otherwise the 403's message. */
export function missingScope(route: RestRoute, scopes: ReadonlySet<Scope>): string | null {
  const wanted = [route.scope].flat();
  if (wanted.some((s) => scopes.has(s))) return null;
  return `This API key lacks the ${wanted.join(' or ')} scope`;
}

/**
 * The URL of an origin-form request target (`/path?query`), its path kept as sent: `//a/b` is
 * the path `//a/b`, not the host `a` (as `new URL(target, base)` would read it, or throw on
 * `///`). Null for any other form (`*`, `http://host/...`), which this server does not serve.
 */
export function requestTargetUrl(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return null;
  }
}

/** decodeURIComponent without the throw: null for a malformed escape such as `%ZZ`. */
export function decodePathSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function decodePathParams(raw: Record<string, string>): Record<string, string> | InvalidIdError {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const text = decodePathSegment(value);
    if (text === null) return new InvalidIdError(`Path parameter ${name} is not valid percent-encoding`);
    decoded[name] = text;
  }
  return decoded;
}

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, 1: true, 0: false };

/**
 * A boolean query parameter read strictly: `true`, `false`, `1` or `0`; absent gives the
 * default; anything else (an empty value, `yes`, a repeated parameter) is a 400 naming it.
 */
export function booleanQueryParam(query: URLSearchParams, name: string, fallback: boolean): boolean | ValidationError {
  const values = query.getAll(name);
  if (values.length === 0) return fallback;
  const value = values.length === 1 ? BOOLEAN_WORDS[values[0]!] : undefined;
  if (value === undefined) {
    return new ValidationError(`Query parameter '${name}' must be one of true, false, 1, 0`, name);
  }
  return value;
}

/** A query parameter the route cannot do without (seed 002's `request_id`). */
export function requiredQueryParam(query: URLSearchParams, name: string): string | ValidationError {
  const values = query.getAll(name);
  if (values.length === 1 && values[0] !== '') return values[0]!;
  const problem = values.length > 1 ? 'must be given once' : 'is required';
  return new ValidationError(`Query parameter '${name}' ${problem}`, name);
}

export function errorReply(
  shape: ErrorShape,
  status: number,
  code: RestErrorCode,
  message: string,
  headers?: Record<string, string>,
): RestReply {
  return { status, body: shape.body(status, code, message), ...(headers && { headers }) };
}

/** A domain error in the route's shape: status from the table, wording from the route when it has its own. */
export function domainErrorReply(route: RestRoute, error: DomainError, methods: readonly HttpMethod[]): RestReply {
  // An idempotency key reused for another request: the request cannot be processed as sent (422).
  const { status, code } =
    error instanceof IdempotencyKeyReusedError
      ? { status: 422, code: 'conflict' as const }
      : DOMAIN_ERROR_STATUS[error.code];
  const message = route.messages[error.code] ?? error.message;
  // a 405 says what is allowed instead (possibly nothing: an empty Allow is valid HTTP)
  const headers = status === 405 ? { allow: methods.filter((m) => m !== route.method).join(', ') } : undefined;
  return errorReply(route.shape, status, code, message, headers);
}

/** What goes on the wire: JSON with its length, or (204, or no body) headers alone. */
export function renderReply(reply: RestReply): {
  status: number;
  headers: Record<string, string>;
  body: string | null;
} {
  if (reply.status === 204 || reply.body === undefined)
    return { status: reply.status, headers: { ...reply.headers }, body: null };
  const body = JSON.stringify(reply.body);
  return {
    status: reply.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      ...reply.headers,
    },
    body,
  };
}
