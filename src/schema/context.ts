import DataLoader from 'dataloader';
import type { Principal } from '../auth/scopes.js';
import type { LiveEvents } from '../events/live.js';
import type { Services } from '../services/index.js';
import type { ParserResultKey } from '../services/parser-results.js';

export interface Context {
  principal: Principal | null;
  services: Services;
  live: LiveEvents;
  loaders: ReturnType<typeof createLoaders>;
  /** the request's Idempotency-Key header (HTTP); the delete mutations' `idempotencyKey` argument wins */
  idempotencyKey: string | null;
}

/** Per-request DataLoaders: a list of N resources costs one statement per relation, not N. */
export function createLoaders(services: Services) {
  return {
    wrapperByResource: new DataLoader((ids: readonly string[]) => services.resources.loadWrappersByResource(ids)),
    executionLog: new DataLoader(
      (keys: readonly { wrapperId: string; last: number }[]) => services.resources.loadExecutionLogs(keys),
      { cacheKeyFn: (k) => `${k.wrapperId}:${k.last}` },
    ),
    parserFiles: new DataLoader((keys: readonly ParserResultKey[]) => services.parserResults.loadFiles(keys), {
      cacheKeyFn: parserResultCacheKey,
    }),
    parserData: new DataLoader((keys: readonly ParserResultKey[]) => services.parserResults.loadData(keys), {
      cacheKeyFn: parserResultCacheKey,
    }),
  };
}

const parserResultCacheKey = (k: ParserResultKey) => `${k.workspaceId}\u0000${k.requestId}`;
