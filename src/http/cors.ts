import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsOrigins } from '../config/index.js';

// The server's one CORS policy (CORS_ORIGINS), applied before routing, so /graphql and every
// REST route, present or future, answer cross-origin requests the same way.

/** Every method some route answers; a method no route has fails at the route (405), not here. */
const ALLOW_METHODS = 'GET, POST, DELETE, OPTIONS';

/**
 * What a browser may send: the API key headers, JSON bodies, idempotency and request ids, and
 * tracing / GraphQL client names that nothing here acts on. One fixed list instead of echoing
 * whatever is requested, so headers a proxy in front may act on (x-forwarded-*, method
 * overrides) are never granted, and one preflight answer fits every request.
 */
const ALLOW_HEADERS = [
  'authorization',
  'x-api-key',
  'api-key',
  'content-type',
  'accept',
  'idempotency-key',
  'x-request-id',
  'traceparent',
  'tracestate',
  'x-graphql-client-name',
  'x-graphql-client-version',
].join(', ');

/**
 * Headers the API sets that a client reads (CORS-safelisted ones such as content-type need no
 * mention); a route that starts setting another one adds it here.
 */
const EXPOSE_HEADERS = ['location', 'www-authenticate', 'allow', 'x-request-id'].join(', ');

/** Browsers reuse a preflight answer this long, so a changed CORS_ORIGINS reaches them within it. */
const MAX_AGE_SECONDS = 600;

export interface CorsRequest {
  method: string;
  /** The Origin header; null when absent (same-origin navigations, curl, servers). */
  origin: string | null;
  /** Access-Control-Request-Method: present only on a preflight. */
  requestMethod: string | null;
}

export type CorsDecision =
  /** A preflight, answered here: 204 with the grants, or 403 without any for an origin not allowed. */
  | { preflight: true; status: 204 | 403; headers: Record<string, string> }
  /** Any other request goes on to its route with these headers added. */
  | { preflight: false; headers: Record<string, string> };

/** The Access-Control-Allow-Origin value for `origin`, or null when it may not read answers. */
export function allowedOrigin(origins: CorsOrigins, origin: string | null): string | null {
  if (origin === null) return null;
  if (origins === '*') return '*';
  return origins.includes(origin) ? origin : null;
}

export function decideCors(origins: CorsOrigins, request: CorsRequest): CorsDecision {
  const allowed = allowedOrigin(origins, request.origin);
  const headers: Record<string, string> = {};
  // With a list, answers differ by Origin, so shared caches must keep them apart.
  if (origins !== '*' && origins.length > 0) headers.vary = 'Origin';
  if (allowed) {
    headers['access-control-allow-origin'] = allowed;
    // Keys travel in headers, but a front-end may sit behind a cookie-based proxy or send
    // `credentials: 'include'`; listed origins are trusted by name, so they may. `*` may not:
    // browsers refuse credentials with a wildcard.
    if (allowed !== '*') headers['access-control-allow-credentials'] = 'true';
  }
  const preflight = request.method === 'OPTIONS' && request.origin !== null && request.requestMethod !== null;
  if (!preflight) {
    if (allowed) headers['access-control-expose-headers'] = EXPOSE_HEADERS;
    return { preflight: false, headers };
  }
  // An origin not allowed gets 403 rather than a bare 204: the same outcome for the browser,
  // but the refusal is plain in its network panel and in access logs.
  if (!allowed) return { preflight: true, status: 403, headers };
  headers['access-control-allow-methods'] = ALLOW_METHODS;
  headers['access-control-allow-headers'] = ALLOW_HEADERS;
  headers['access-control-max-age'] = String(MAX_AGE_SECONDS);
  return { preflight: true, status: 204, headers };
}

/**
 * The request handler's first step: sets the CORS headers on `res` and answers preflights.
 * Returns true when it answered the request.
 */
export function createCorsPolicy(origins: CorsOrigins) {
  return function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
    const decision = decideCors(origins, {
      method: req.method ?? 'GET',
      origin: req.headers.origin ?? null,
      requestMethod: req.headers['access-control-request-method'] ?? null,
    });
    if (decision.preflight) {
      res.writeHead(decision.status, { ...decision.headers, 'content-length': '0' }).end();
      return true;
    }
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    return false;
  };
}
