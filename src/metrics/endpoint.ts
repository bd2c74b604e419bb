// GET /metrics: the registry in Prometheus' text format, behind a bearer token or a deliberate METRICS=on.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger.js';

export const METRICS_PATH = '/metrics';

/**
 * Who may scrape: nobody (the default without a token: a gateway's port is often public, and
 * metrics tell an outsider about its load and backlog), anyone (METRICS=on, for a port only the
 * scraper reaches), or whoever sends the token.
 */
export type MetricsAccess = { kind: 'off' } | { kind: 'open' } | { kind: 'token'; token: string };

export function metricsAccess(config: Pick<Config, 'METRICS' | 'METRICS_TOKEN'>): MetricsAccess {
  if (config.METRICS === 'off') return { kind: 'off' };
  if (config.METRICS_TOKEN) return { kind: 'token', token: config.METRICS_TOKEN };
  return config.METRICS === 'on' ? { kind: 'open' } : { kind: 'off' };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether an Authorization header carries the token (compared in constant time). */
export function carriesToken(authorization: string | undefined, token: string): boolean {
  const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

function reply(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ detail });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(body);
}

export function createMetricsHandler(registry: Registry, access: MetricsAccess, log: Logger) {
  return async function handleMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (access.kind === 'off') return reply(res, 404, 'Metrics are off: set METRICS_TOKEN (or METRICS=on)');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reply(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    }
    if (access.kind === 'token' && !carriesToken(req.headers.authorization, access.token)) {
      return reply(res, 401, 'Metrics need "Authorization: Bearer <METRICS_TOKEN>"', {
        'www-authenticate': 'Bearer realm="metrics"',
      });
    }
    let text: string;
    try {
      text = await registry.metrics();
    } catch (err) {
      log.error({ err }, 'could not collect metrics');
      return reply(res, 500, 'Internal server error');
    }
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
}
