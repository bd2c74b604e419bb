import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { apiKeyFromHeaders } from '../auth/api-keys.js';
import type { PrismaClient } from '../db/client.js';
import { statementCounter } from '../db/statement-counter.js';
import type { LiveEvents } from '../events/live.js';
import type { Logger } from '../logger.js';
import { type Context, createLoaders } from '../schema/context.js';
import { invalidApiKey } from '../schema/errors-top-level.js';
import { schema } from '../schema/index.js';
import type { Services } from '../services/index.js';
import { type InFlightRequests, useStreamedResponses } from './in-flight.js';
import { useSharedSubscriptionExecution } from './shared-subscriptions.js';

export interface GraphQLDeps {
  prisma: PrismaClient;
  services: Services;
  live: LiveEvents;
  log: Logger;
  graphiql: boolean;
  exposeSqlCount: boolean;
  /** the server's requests in flight, told which responses stream subscription results */
  requests: InFlightRequests;
}

/** The API key of an HTTP request, or of a graphql-ws connection's `connectionParams`. */
export function apiKeyOf(init: { request?: Request; connectionParams?: Record<string, unknown> }): string | null {
  if (init.connectionParams) {
    const p = init.connectionParams;
    const value = p.apiKey ?? p.authorization ?? p.Authorization ?? p['x-api-key'];
    if (typeof value !== 'string') return null;
    return apiKeyFromHeaders((name) => (name === 'authorization' ? value : null));
  }
  return init.request ? apiKeyFromHeaders((name) => init.request!.headers.get(name)) : null;
}

/** Adds `extensions.sqlStatements` to each response (switched on for tests and benchmarks). */
function useSqlStatementCount(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      const store = { count: 0 };
      setExecuteFn((args) => statementCounter.run(store, () => executeFn(args)));
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result || 'data' in result)) return;
          setResult({ ...result, extensions: { ...result.extensions, sqlStatements: store.count } });
        },
      };
    },
  };
}

export function createGraphQLHandler(deps: GraphQLDeps) {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: deps.graphiql
      ? {
          title: 'Deletion gateway',
          defaultQuery:
            '# Send your API key in the headers tab: {"Authorization": "Bearer dgw_..."}\n{\n  resources(first: 10) {\n    edges { node { id name wrapper { status } } }\n  }\n}\n',
          headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }),
          subscriptionsProtocol: 'WS',
        }
      : false,
    // GraphiQL's bundle (served from the package, no CDN) weighs ~80 MB of memory once loaded:
    // load it when someone first opens GraphiQL, not at start.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    logging: {
      debug: (...a) => deps.log.debug(a.map(String).join(' ')),
      info: (...a) => deps.log.info(a.map(String).join(' ')),
      warn: (...a) => deps.log.warn(a.map(String).join(' ')),
      error: (...a) => deps.log.error(a.map(String).join(' ')),
    },
    context: async (init) => {
      const auth = await deps.services.auth.authenticate(apiKeyOf(init as never));
      if (auth.kind === 'invalid') throw invalidApiKey();
      return {
        principal: auth.kind === 'authenticated' ? auth.principal : null,
        services: deps.services,
        live: deps.live,
        loaders: createLoaders(deps.services),
      };
    },
    maskedErrors: {
      maskError(error) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
        deps.log.error({ err: original ?? error }, 'unexpected error');
        return new GraphQLError('Internal server error', {
          ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      },
    },
    plugins: [
      maxDepthPlugin({ n: 12, ignoreIntrospection: true, flattenFragments: true }),
      costLimitPlugin({ maxCost: 20000, ignoreIntrospection: true }),
      maxAliasesPlugin({ n: 30 }),
      maxDirectivesPlugin({ n: 30 }),
      maxTokensPlugin({ n: 3000 }),
      blockFieldSuggestionsPlugin(),
      useSharedSubscriptionExecution(new Set(['deletionEvents'])),
      useStreamedResponses(deps.requests),
      ...(deps.exposeSqlCount ? [useSqlStatementCount()] : []),
    ],
  });
}
