// One log line per request (HTTP, SSE stream, graphql-ws operation) and its latency metric, with the request's id.
import type http from 'node:http';
import { type ExecutionArgs, type ExecutionResult, execute, getOperationAST, subscribe } from 'graphql';
import type { ConnectionInitMessage, OperationResult, ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Plugin } from 'graphql-yoga';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import { BoundedLabel, graphqlOperationLabel, OTHER } from '../metrics/labels.js';
import type { Metrics } from '../metrics/registry.js';
import { currentRequest, newRequestScope, type RequestScope, runInRequest } from '../request-scope.js';
import type { Context } from '../schema/context.js';
import { requestIdOf } from './request-id.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const MESSAGE = 'request completed';

/** Paths answered by the server itself: their label is the path, as no id is in it. */
const OWN_PATHS = new Set(['/', '/health', '/ready', '/metrics', '/graphql']);
/** Polled by orchestrators and scrapers: logged at debug, so they do not drown the requests. */
const PROBES = new Set(['/health', '/ready', '/metrics']);
/** Distinct GraphQL operation labels kept in metrics; later new ones count as `other`. */
const MAX_GRAPHQL_LABELS = 200;
/** Response types that stream subscription results. */
const STREAMS: Readonly<Record<string, string>> = { 'text/event-stream': 'sse', 'multipart/mixed': 'multipart' };

const roundMs = (ms: number) => Math.round(ms * 10) / 10;

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The GraphQL operation of `args`, as the request scope records it. */
function describeOperation(args: ExecutionArgs): RequestScope['graphql'] {
  const op = getOperationAST(args.document, args.operationName);
  if (!op) return null;
  const name = op.name?.value ?? null;
  const rootFields = name
    ? null
    : [...new Set(op.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : [])))]
        .sort()
        .join(',') || null;
  return { name, type: op.operation, rootFields };
}

interface WsOperation {
  scope: RequestScope;
  /** the id of the WebSocket connection (its upgrade request's) */
  connectionId: string | null;
  started: number;
  /** it streams results (a subscription), counted among the subscribers until it completes */
  streaming: boolean;
}

/**
 * Request logging for the whole server: wraps the HTTP handler (one line when the response is
 * over, SSE streams included), annotates the request from Yoga (operation, key), and follows
 * graphql-ws operations (one line when each completes). Every line the request causes carries
 * its `requestId` through the request scope (src/request-scope.ts and the logger's mixin).
 */
export function createAccessLog(deps: { log: Logger; metrics: Metrics }) {
  const { log, metrics } = deps;
  const graphqlLabels = new BoundedLabel(MAX_GRAPHQL_LABELS);
  const operationLabel = (scope: RequestScope): string | null =>
    scope.route ?? (scope.graphql ? graphqlLabels.value(graphqlOperationLabel(scope.graphql)) : null);

  function httpFinished(req: http.IncomingMessage, res: http.ServerResponse, scope: RequestScope, started: number) {
    const durationMs = performance.now() - started;
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const status = res.statusCode;
    const own = OWN_PATHS.has(path) ? `${method} ${path}` : null;
    if (scope.stream) metrics.subscribers.dec({ transport: scope.stream });
    else {
      const operation = operationLabel(scope) ?? own ?? OTHER;
      metrics.requestDuration.observe({ transport: 'http', operation, status: String(status) }, durationMs / 1000);
    }
    const probe = PROBES.has(path);
    if (!log.isLevelEnabled(probe ? 'debug' : 'info')) return;
    const line = {
      requestId: scope.requestId,
      transport: scope.stream ?? 'http',
      method,
      path,
      ...(scope.route ? { route: scope.route } : {}),
      ...(scope.graphql ? { operation: scope.graphql.name, operationType: scope.graphql.type } : {}),
      ...(scope.graphql?.rootFields ? { rootFields: scope.graphql.rootFields } : {}),
      status,
      durationMs: roundMs(durationMs),
      keyId: scope.keyId,
      ...(scope.errors ? { errors: scope.errors } : {}),
      // the client went away before the whole answer was sent (a stream's end is its client leaving)
      ...(!res.writableFinished && !scope.stream ? { aborted: true } : {}),
    };
    if (probe) log.debug(line, MESSAGE);
    else log.info(line, MESSAGE);
  }

  // graphql-ws: the operations of each socket, and each connection's id (from its upgrade request)
  const wsOperations = new WeakMap<WebSocket, Map<string, WsOperation>>();
  const connectionIds = new WeakMap<http.IncomingMessage, string>();

  function wsFinished(socket: WebSocket, id: string, status: 'complete' | 'error', errors: number) {
    const ops = wsOperations.get(socket);
    const op = ops?.get(id);
    if (!op) return;
    ops!.delete(id);
    const { scope } = op;
    const durationMs = performance.now() - op.started;
    scope.errors += errors;
    if (op.streaming) metrics.subscribers.dec({ transport: 'ws' });
    else {
      const operation = operationLabel(scope) ?? 'ws';
      metrics.requestDuration.observe(
        { transport: 'ws', operation, status: status === 'complete' && !scope.errors ? 'ok' : 'error' },
        durationMs / 1000,
      );
    }
    if (!log.isLevelEnabled('info')) return;
    log.info(
      {
        requestId: scope.requestId,
        connectionId: op.connectionId,
        transport: 'ws',
        operationId: id,
        ...(scope.graphql ? { operation: scope.graphql.name, operationType: scope.graphql.type } : {}),
        ...(scope.graphql?.rootFields ? { rootFields: scope.graphql.rootFields } : {}),
        status,
        durationMs: roundMs(durationMs),
        keyId: scope.keyId,
        ...(scope.errors ? { errors: scope.errors } : {}),
      },
      MESSAGE,
    );
  }

  /** A subscribe message starts an operation with its own request id. */
  function begin(socket: WebSocket, req: http.IncomingMessage, id: string, subscribeHeaders: unknown): RequestScope {
    const headers = subscribeHeaders && typeof subscribeHeaders === 'object' ? subscribeHeaders : {};
    const lookup = (name: string) => {
      const entry = Object.entries(headers).find(([k, v]) => k.toLowerCase() === name && typeof v === 'string');
      return entry?.[1] as string | undefined;
    };
    const scope = newRequestScope(requestIdOf(lookup));
    let ops = wsOperations.get(socket);
    if (!ops) wsOperations.set(socket, (ops = new Map()));
    ops.set(id, { scope, connectionId: connectionIds.get(req) ?? null, started: performance.now(), streaming: false });
    return scope;
  }

  /** The operation was executed; a subscription counts as a subscriber until it completes. */
  function executed(socket: WebSocket, id: string, result: unknown): void {
    const op = wsOperations.get(socket)?.get(id);
    if (!op || typeof result !== 'object' || result === null || !(Symbol.asyncIterator in result)) return;
    op.streaming = true;
    metrics.subscribers.inc({ transport: 'ws' });
  }

  return {
    /** Wraps the HTTP server's handler: a request id (echoed in `x-request-id`), its scope, its line. */
    http(handler: (req: http.IncomingMessage, res: http.ServerResponse) => unknown): http.RequestListener {
      return (req, res) => {
        const started = performance.now();
        const scope = newRequestScope(requestIdOf((name) => firstHeader(req.headers[name])));
        res.setHeader(REQUEST_ID_HEADER, scope.requestId);
        res.once('close', () => httpFinished(req, res, scope, started));
        runInRequest(scope, () => handler(req, res));
      };
    },

    /** Records the GraphQL operation, the key and the errors on the request (HTTP and graphql-ws alike). */
    yogaPlugin(): Plugin<Context> {
      const annotate = (args: ExecutionArgs) => {
        const scope = currentRequest();
        if (!scope) return null;
        scope.graphql = describeOperation(args);
        scope.keyId = (args.contextValue as Context).principal?.keyId ?? scope.keyId;
        return scope;
      };
      return {
        onExecute({ args }) {
          const scope = annotate(args);
          if (!scope) return;
          return {
            onExecuteDone({ result }) {
              const errors = (result as ExecutionResult).errors;
              if (errors) scope.errors += errors.length;
            },
          };
        },
        onSubscribe({ args }) {
          annotate(args);
        },
        onResponse({ response }) {
          const scope = currentRequest();
          const type = response.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
          const stream = type ? STREAMS[type] : undefined;
          if (!scope || !stream || scope.stream) return;
          scope.stream = stream;
          metrics.subscribers.inc({ transport: stream });
        },
      };
    },

    ws: {
      /** The WebSocket upgrade: the connection's id, echoed in the 101 response. */
      upgrade(headers: string[], req: http.IncomingMessage): void {
        const id = requestIdOf((name) => firstHeader(req.headers[name]));
        connectionIds.set(req, id);
        headers.push(`${REQUEST_ID_HEADER}: ${id}`);
      },

      /**
       * graphql-ws's options with each operation followed: a subscribe message starts it with its
       * own request id (from the message's `extensions.headers`, GraphiQL's headers tab, when
       * valid), its preparation and execution run in its request scope, and its line is written
       * when it completes or fails. A subscription counts as a subscriber until then.
       */
      observe<P extends ConnectionInitMessage['payload']>(options: ServerOptions<P, Extra>): ServerOptions<P, Extra> {
        // the execution context of each operation -> its request (graphql-ws builds one per subscribe)
        const scopes = new WeakMap<object, RequestScope>();
        const inScope =
          (run: (args: ExecutionArgs) => OperationResult) =>
          (args: ExecutionArgs): OperationResult => {
            const scope = scopes.get(args.contextValue as object);
            return scope ? runInRequest(scope, () => run(args)) : run(args);
          };
        return {
          ...options,
          onSubscribe: async (ctx, id, payload) => {
            const scope = begin(ctx.extra.socket, ctx.extra.request, id, payload.extensions?.headers);
            const prepared = await runInRequest(scope, async () => options.onSubscribe?.(ctx, id, payload));
            if (prepared && 'contextValue' in prepared && typeof prepared.contextValue === 'object') {
              scopes.set(prepared.contextValue as object, scope);
            }
            return prepared;
          },
          // graphql-ws's own defaults when the options have none
          execute: inScope(options.execute ?? execute),
          subscribe: inScope(options.subscribe ?? subscribe),
          onOperation: (ctx, id, payload, args, result) => {
            executed(ctx.extra.socket, id, result);
            return options.onOperation?.(ctx, id, payload, args, result);
          },
          onComplete: (ctx, id, payload) => {
            wsFinished(ctx.extra.socket, id, 'complete', 0);
            return options.onComplete?.(ctx, id, payload);
          },
          onError: (ctx, id, payload, errors) => {
            wsFinished(ctx.extra.socket, id, 'error', errors.length);
            return options.onError?.(ctx, id, payload, errors);
          },
        };
      },
    },
  };
}

export type AccessLog = ReturnType<typeof createAccessLog>;
