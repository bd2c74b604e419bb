import type http from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Context } from '../schema/context.js';
import type { Services } from '../services/index.js';
import { apiKeyOf, subscribeKey } from './graphql.js';

type EnvelopedRoot = { execute(args: ExecutionArgs): unknown; subscribe(args: ExecutionArgs): unknown };

/** graphql-ws on the same port and path as HTTP, executing through Yoga's envelop so both transports share plugins. */
export function attachGraphQLWebSocket(
  server: http.Server,
  yoga: YogaServerInstance<Record<string, unknown>, Context>,
  services: Services,
) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const disposable = useServer(
    {
      // An unknown key is refused at connect (close 4403); a missing key may connect,
      // and every field that needs a key then answers UNAUTHENTICATED.
      onConnect: async (ctx) => {
        const key = apiKeyOf({ connectionParams: ctx.connectionParams ?? {} });
        if (!key) return true;
        return (await services.auth.authenticate(key)).kind === 'authenticated';
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
            if (!subscribeKey(subscribeHeaders)) ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
            return [err];
          }
          throw err;
        }
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
  return {
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
