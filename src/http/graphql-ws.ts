import type http from 'node:http';
import { type DocumentNode, type ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import { CredentialsError } from '../auth/api-keys.js';
import type { Context } from '../schema/context.js';
import type { Services } from '../services/index.js';
import type { AccessLog } from './access-log.js';
import { apiKeyOf, hasSubscribeCredentials } from './graphql.js';
import { type PersistedDocumentsPolicy, subscribeDocument } from './persisted-documents.js';
import { directFeedOf } from './shared-subscriptions.js';
import type { WsFanout } from './ws-fanout.js';

/**
 * An error as a graphql-ws `error` message carries it: without the HTTP status Yoga's errors
 * hold for HTTP answers (a socket has none), with `code` when it has none of its own.
 */
function forSocket(error: GraphQLError, code?: string): GraphQLError {
  const { http: _, ...extensions } = error.extensions;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...(code && { code }), ...extensions },
  });
}

type EnvelopedRoot = { execute(args: ExecutionArgs): unknown; subscribe(args: ExecutionArgs): unknown };

/** graphql-ws on the same port and path as HTTP, executing through Yoga's envelop so both transports share plugins. */
export function attachGraphQLWebSocket(
  server: http.Server,
  yoga: YogaServerInstance<Record<string, unknown>, Context>,
  services: Services,
  options: {
    fanout: WsFanout;
    /** how long a socket may stay open without sending `connection_init` (closed with 4408) */
    connectionInitWaitTimeoutMs: number;
    /** the persisted documents manifest, as HTTP applies it */
    persisted: PersistedDocumentsPolicy | null;
    /** one log line, latency and request id per operation */
    accessLog: AccessLog;
  },
) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  wss.on('headers', (headers, req) => options.accessLog.ws.upgrade(headers, req));
  // the key each connection authenticated with, to close it when the key is revoked
  const connectionKeys = new WeakMap<WebSocket, string>();
  const disposable = useServer(
    options.accessLog.ws.observe({
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs,
      // An unknown key is refused at connect (close 4403); a missing key may connect,
      // and every field that needs a key then answers UNAUTHENTICATED.
      onConnect: async (ctx) => {
        let key: string | null;
        try {
          key = apiKeyOf({ connectionParams: ctx.connectionParams ?? {} });
        } catch (err) {
          if (err instanceof CredentialsError) return false;
          throw err;
        }
        if (!key) return true;
        const auth = await services.auth.authenticate(key);
        if (auth.kind !== 'authenticated') return false;
        connectionKeys.set(ctx.extra.socket, auth.principal.keyId);
        return true;
      },
      // deletionEvents' live events are written to the socket by the fan-out, not one by one here.
      onOperation: (ctx, id, _payload, args, result) => {
        const feed = directFeedOf(args.contextValue);
        if (!feed || !(Symbol.asyncIterator in (result as object))) return;
        return options.fanout.attach(
          ctx.extra.socket,
          ctx.extra.request.socket,
          id,
          feed,
          result as AsyncIterable<never>,
        );
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const subscribeHeaders = params.extensions?.headers;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          connectionParams: ctx.connectionParams ?? {},
          subscribeHeaders,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        let contextValue: Awaited<ReturnType<typeof contextFactory>>;
        try {
          contextValue = await contextFactory();
        } catch (err) {
          if (err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED') {
            // A bad key in this subscribe's own headers fails this operation only. The connection's
            // key revoked after connect refuses the connection as onConnect does (4403), not as a
            // server error (4500).
            if (!hasSubscribeCredentials(subscribeHeaders)) ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
            return [forSocket(err)];
          }
          // Over the key's rate limit: this operation fails (its wait in extensions.retryAfter);
          // the connection and its other subscriptions go on.
          if (err instanceof GraphQLError && err.extensions.code === 'RATE_LIMITED') {
            const { http: _http, ...extensions } = err.extensions;
            return [new GraphQLError(err.message, { extensions })];
          }
          throw err;
        }
        // A document refused (not persisted), a syntax error or a parser limit (tokens) fails this
        // operation with its message; thrown, graphql-ws would close the whole connection as a
        // server error (4500). The other limits are validation errors, below.
        const source = subscribeDocument(options.persisted, params);
        if (source instanceof GraphQLError) return [forSocket(source)];
        let document: DocumentNode;
        try {
          document = parse(source);
        } catch (err) {
          if (!(err instanceof GraphQLError)) throw err;
          // with the code HTTP answers it with (Yoga adds it to HTTP requests only)
          return [forSocket(err, 'GRAPHQL_PARSE_FAILED')];
        }
        const args = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors.map((error: GraphQLError) => forSocket(error));
        return args;
      },
    }),
    wss,
  );
  return {
    /** The API keys the open connections authenticated with. */
    connectionKeyIds(): Set<string> {
      const ids = new Set<string>();
      for (const socket of wss.clients) {
        const id = connectionKeys.get(socket);
        if (id) ids.add(id);
      }
      return ids;
    },
    /** Closes with 4403 every connection that authenticated with one of these keys. */
    closeConnectionsOf(keyIds: ReadonlySet<string>): number {
      let closed = 0;
      for (const socket of wss.clients) {
        const id = connectionKeys.get(socket);
        if (id && keyIds.has(id)) {
          socket.close(CloseCode.Forbidden, 'Forbidden');
          closed++;
        }
      }
      return closed;
    },
    /**
     * Closes every socket with 1001 Going Away, on which graphql-ws clients retry (reaching
     * another instance) and can resume from their last cursor; sockets that have not completed
     * the close handshake by `timeoutMs` are cut.
     */
    async close(timeoutMs: number) {
      const cut = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, timeoutMs);
      try {
        await disposable.dispose();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
