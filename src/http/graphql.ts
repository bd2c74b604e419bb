import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { apiKeyFromHeaders, bearerKey, CredentialsError } from '../auth/api-keys.js';
import type { PrismaClient } from '../db/client.js';
import { statementCounter } from '../db/statement-counter.js';
import type { LiveEvents } from '../events/live.js';
import type { Logger } from '../logger.js';
import { type Context, createLoaders } from '../schema/context.js';
import { credentialsRefused, invalidApiKey, rateLimited } from '../schema/errors-top-level.js';
import { schema } from '../schema/index.js';
import type { Services } from '../services/index.js';
import type { AccessLog } from './access-log.js';
import { type BodyLimits, useRequestBodyLimit } from './body-limit.js';
import { useDocumentCache } from './document-cache.js';
import { armorPlugins, useIntrospectionDisabled } from './graphql-limits.js';
import { type InFlightRequests, useStreamedResponses } from './in-flight.js';
import { type PersistedDocumentsPolicy, usePersistedDocuments } from './persisted-documents.js';
import { useCodedRequestErrors, useJsonParseErrors } from './request-errors.js';
import { useSharedSubscriptionExecution } from './shared-subscriptions.js';
import { type MultipartLimits, useMultipartUploads } from './uploads.js';

export interface GraphQLDeps {
  prisma: PrismaClient;
  services: Services;
  live: LiveEvents;
  log: Logger;
  graphiql: boolean;
  /** INTROSPECTION: false refuses `__schema` and `__type` */
  introspection: boolean;
  /** PERSISTED_DOCUMENTS and PERSISTED_DOCUMENTS_REQUIRED; null: no manifest */
  persisted: PersistedDocumentsPolicy | null;
  exposeSqlCount: boolean;
  /** the server's requests in flight, told which responses stream subscription results */
  requests: InFlightRequests;
  /** records each request's operation, key and errors for its access-log line */
  accessLog: AccessLog;
  uploads: MultipartLimits;
  bodies: BodyLimits;
}

export interface KeySources {
  request?: Request;
  /** graphql-ws: the connection's `connectionParams` */
  connectionParams?: Record<string, unknown>;
  /** graphql-ws: the headers a subscribe message carries in `extensions.headers` (GraphiQL's headers tab) */
  subscribeHeaders?: unknown;
}

/** The API key of an HTTP request, or of a graphql-ws subscribe (its own headers, else the connection's). */
export function apiKeyOf(init: KeySources): string | null {
  if (init.connectionParams) {
    const p = init.connectionParams;
    const value = p.apiKey ?? p.authorization ?? p.Authorization ?? p['x-api-key'];
    // connectionParams.authorization takes the key with or without "Bearer " (DESIGN.md).
    const fromConnection =
      typeof value === 'string' ? (/^\s*Bearer(\s|$)/i.test(value) ? bearerKey(value) : value.trim() || null) : null;
    const fromSubscribe = subscribeKey(init.subscribeHeaders);
    // Two different keys would make the subscription's rights ambiguous: refuse rather than pick one.
    if (fromConnection && fromSubscribe && fromConnection !== fromSubscribe) {
      throw new CredentialsError(
        'conflict',
        'Conflicting API keys: the subscribe headers and connectionParams name different keys',
      );
    }
    return fromSubscribe ?? fromConnection;
  }
  return init.request ? apiKeyFromHeaders((name) => init.request!.headers.get(name)) : null;
}

/** The key in a subscribe message's `extensions.headers`, with header names matched case-insensitively. */
export function subscribeKey(headers: unknown): string | null {
  if (!headers || typeof headers !== 'object') return null;
  const entries = Object.entries(headers as Record<string, unknown>);
  return apiKeyFromHeaders((name) => {
    const entry = entries.find(([k, v]) => k.toLowerCase() === name && typeof v === 'string');
    return entry ? (entry[1] as string) : null;
  });
}

/** True when a subscribe message carries credentials of its own in `extensions.headers` (even refused ones). */
export function hasSubscribeCredentials(headers: unknown): boolean {
  try {
    return subscribeKey(headers) !== null;
  } catch (err) {
    if (err instanceof CredentialsError) return true;
    throw err;
  }
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

const GRAPHIQL_DEFAULT_QUERY = `# 1. Paste your API key after "Bearer " in the Headers tab below.
# 2. Run this query, or watch every deletion live with:
#    subscription {
#      deletionEvents { cursor kind backend entityId data }
#    }

{
  resources(first: 10) {
    edges { node { id name deleted wrapper { status } } }
  }
}
`;

export function createGraphQLHandler(deps: GraphQLDeps) {
  // Unexpected failures: "Internal server error" to the client, the details in the log only.
  const maskError = (error: unknown) => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
    deps.log.error({ err: original ?? error }, 'unexpected error');
    return new GraphQLError('Internal server error', {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Every body, uploads included, is bounded by useRequestBodyLimit below (Yoga's own limit
    // costs a stream per request); Yoga holds a multipart body in memory while the request runs.
    maxRequestBodySize: false,
    // src/http/document-cache.ts instead (useDocumentCache below): bounded, and no errors kept.
    parserAndValidationCache: false,
    // CORS is the HTTP server's one policy (src/http/cors.ts); Yoga's own would echo any origin.
    cors: false,
    graphiql: deps.graphiql
      ? {
          title: 'Deletion gateway',
          defaultQuery: GRAPHIQL_DEFAULT_QUERY,
          // "Bearer " alone carries no key, so the first load's introspection works before a key is pasted.
          headers: JSON.stringify({ Authorization: 'Bearer ' }, null, 2),
          // graphql-ws: the headers tab travels in each subscribe message's extensions.headers.
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
      let key: string | null;
      try {
        key = apiKeyOf(init as never);
      } catch (err) {
        if (err instanceof CredentialsError) throw credentialsRefused(err);
        throw err;
      }
      const auth = await deps.services.auth.authenticate(key);
      if (auth.kind === 'invalid') throw invalidApiKey();
      if (auth.kind === 'authenticated') {
        // One token per request (per subscribe over graphql-ws), whatever it asks for.
        const admission = await deps.services.auth.admit(auth.principal);
        if (!admission.admitted) throw rateLimited(admission.retryAfterSeconds);
      }
      return {
        principal: auth.kind === 'authenticated' ? auth.principal : null,
        services: deps.services,
        live: deps.live,
        loaders: createLoaders(deps.services),
        idempotencyKey: (init as { request?: Request }).request?.headers.get('idempotency-key') ?? null,
      };
    },
    maskedErrors: { maskError },
    // GraphQL over HTTP's persisted documents name theirs in `documentId`.
    ...(deps.persisted ? { extraParamNames: ['documentId'] } : {}),
    plugins: [
      useDocumentCache(),
      ...armorPlugins(),
      ...(deps.introspection ? [] : [useIntrospectionDisabled()]),
      ...(deps.persisted ? [usePersistedDocuments(deps.persisted)] : []),
      useMultipartUploads(deps.uploads),
      useRequestBodyLimit(deps.bodies),
      useJsonParseErrors(),
      useCodedRequestErrors(),
      useSharedSubscriptionExecution(new Set(['deletionEvents', 'operationUpdated']), maskError),
      useStreamedResponses(deps.requests),
      deps.accessLog.yogaPlugin(),
      ...(deps.exposeSqlCount ? [useSqlStatementCount()] : []),
    ],
  });
}
