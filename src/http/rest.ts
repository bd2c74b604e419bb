import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiKeyFromHeaders } from '../auth/api-keys.js';
import type { Principal, Scope } from '../auth/scopes.js';
import type { PrismaClient } from '../db/client.js';
import type { Logger } from '../logger.js';
import { InvalidIdError, NotFoundError, WrapperStopTimeoutError } from '../services/errors.js';
import type { Services } from '../services/index.js';

// The seeds' own HTTP shapes, beside /graphql, calling the same services as the resolvers.

export interface RestReply {
  status: number;
  body: unknown;
}

/** Each seed words its errors its own way; a route names the shape it answers in. */
interface ErrorShape {
  error(status: number, message: string): RestReply;
}

const detailShape: ErrorShape = { error: (status, message) => ({ status, body: { detail: message } }) };

interface Route {
  method: string;
  pattern: RegExp;
  scope: Scope;
  shape: ErrorShape;
  handle(ctx: { principal: Principal; params: string[]; url: URL; services: Services }): Promise<RestReply>;
}

const routes: Route[] = [
  {
    method: 'DELETE',
    pattern: /^\/resources\/([^/]*)$/,
    scope: 'resources:delete',
    shape: detailShape,
    async handle({ principal, params, services }) {
      const result = await services.resources.delete(principal.workspaceId, decodeURIComponent(params[0]!));
      if (result instanceof InvalidIdError) return detailShape.error(400, 'Invalid resource ID');
      if (result instanceof NotFoundError) return detailShape.error(404, 'Resource not found');
      if (result instanceof WrapperStopTimeoutError) return detailShape.error(504, result.message);
      return { status: 200, body: { id: result.id, deleted: true } };
    },
  },
];

export function createRestHandler(deps: { prisma: PrismaClient; services: Services; log: Logger }) {
  /** Answers the request and returns true when a REST route matches; false leaves it to GraphQL. */
  return async function handleRest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    if (matching.length === 0) return false;
    const route = matching.find((r) => r.method === req.method);
    if (!route) {
      const allow = [...new Set(matching.map((r) => r.method))].join(', ');
      send(res, { status: 405, body: { detail: 'Method Not Allowed' } }, { allow });
      return true;
    }
    const { shape } = route;
    try {
      const auth = await deps.services.auth.authenticate(
        apiKeyFromHeaders((name) => {
          const v = req.headers[name];
          return Array.isArray(v) ? v[0] : v;
        }),
      );
      if (auth.kind !== 'authenticated') {
        send(res, shape.error(401, auth.kind === 'anonymous' ? 'Not authenticated' : 'Invalid API key'), {
          'www-authenticate': 'Bearer',
        });
        return true;
      }
      if (!auth.principal.scopes.has(route.scope)) {
        send(res, shape.error(403, `This API key lacks the ${route.scope} scope`));
        return true;
      }
      const params = route.pattern.exec(url.pathname)!.slice(1);
      send(res, await route.handle({ principal: auth.principal, params, url, services: deps.services }));
    } catch (err) {
      deps.log.error({ err, method: req.method, path: url.pathname }, 'REST route failed');
      send(res, shape.error(500, 'Internal server error'));
    }
    return true;
  };
}

function send(res: ServerResponse, reply: RestReply, headers: Record<string, string> = {}) {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
