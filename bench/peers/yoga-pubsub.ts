// What a team gets by default for case 3: GraphQL Yoga + graphql-ws, a subscription field fed
// by Yoga's `createPubSub`, every subscriber executing its own copy of the document per event.
// Same DeletionEvent type and scalars as the gateway, no auth, no filtering, no event log.
// Prints {"ready": "<url>"} once listening.
import { randomBytes } from 'node:crypto';
import type { ExecutionArgs } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { useServer } from 'graphql-ws/use/ws';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { wallClockMs } from '../support/stats.js';
import { exitOnSigterm, servePublishEndpoint } from './publish-endpoint.js';

interface DeletionEvent {
  id: string;
  cursor: string;
  backend: string;
  kind: string;
  entityId: string;
  workspaceId: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

const pubSub = createPubSub<{ deletion: [DeletionEvent] }>();

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    scalar DateTime
    scalar JSON
    enum DeletionBackend { RESOURCE ENDPOINT_RECORD PARSER_RESULT DATASET IMAGE }
    enum DeletionEventKind { SOFT_DELETED HARD_DELETED MARKED_FOR_DELETION PURGED OPERATION_FINISHED }
    input DeletionEventFilter { backends: [DeletionBackend!] kinds: [DeletionEventKind!] entityId: ID }
    type DeletionEvent {
      id: ID!
      cursor: String!
      backend: DeletionBackend!
      kind: DeletionEventKind!
      entityId: ID!
      workspaceId: ID!
      occurredAt: DateTime!
      data: JSON!
    }
    type Query { ok: Boolean! }
    type Subscription { deletionEvents(after: String, filter: DeletionEventFilter): DeletionEvent! }
  `,
  resolvers: {
    DateTime: DateTimeResolver,
    JSON: JSONResolver,
    Query: { ok: () => true },
    Subscription: {
      deletionEvents: {
        subscribe: () => pubSub.subscribe('deletion'),
        resolve: (event: DeletionEvent) => event,
      },
    },
  },
});

const yoga = createYoga({ schema, graphiql: false, landingPage: false });

let sequence = 0n;
const workspaceId = `wks_${randomBytes(8).toString('hex')}`;
const endpoint = servePublishEndpoint(
  (key) => {
    sequence += 1n;
    const event: DeletionEvent = {
      id: sequence.toString(),
      cursor: (1000n + sequence).toString(16).padStart(16, '0') + sequence.toString(16).padStart(16, '0'),
      backend: 'RESOURCE',
      kind: 'SOFT_DELETED',
      entityId: key,
      workspaceId,
      occurredAt: new Date(),
      data: { resource_id: key, wrapper_id: null },
    };
    const publishedAt = wallClockMs();
    pubSub.publish('deletion', event);
    return publishedAt;
  },
  (req, res) => void yoga(req, res),
);

type EnvelopedRoot = { execute(args: ExecutionArgs): unknown; subscribe(args: ExecutionArgs): unknown };
const wss = new WebSocketServer({ server: endpoint.server, path: yoga.graphqlEndpoint });
const disposable = useServer(
  {
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
    onSubscribe: async (ctx, _id, params) => {
      const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params });
      const args = {
        schema: enveloped.schema,
        operationName: params.operationName,
        document: enveloped.parse(params.query),
        variableValues: params.variables,
        contextValue: await enveloped.contextFactory(),
        rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
      };
      const errors = enveloped.validate(args.schema, args.document);
      return errors.length ? errors : args;
    },
  },
  wss,
);

endpoint.listen();
exitOnSigterm(async () => {
  await disposable.dispose();
  wss.close();
  endpoint.server.close();
});
