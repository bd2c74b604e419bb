import { authenticate } from '../auth/api-keys.js';
import { ApiKeyCache } from '../auth/key-cache.js';
import * as outbox from '../events/outbox.js';
import { DomainError } from './errors.js';
import * as events from './events.js';
import * as resources from './resources.js';
import * as workspaces from './workspaces.js';

/** What the services need; today exactly what the resources service needs. */
export type ServiceDeps = resources.ResourceDeps;

/** The services with their dependencies bound: what resolvers and REST routes call. */
export function createServices(deps: ServiceDeps) {
  const db = deps.prisma;
  const keys = new ApiKeyCache((key) => authenticate(db, key));
  return {
    auth: {
      authenticate: (key: string | null) => keys.authenticate(key),
      /** a key was revoked (by id; '' when notifications may have been missed) */
      forget: (keyId: string) => keys.evict(keyId),
    },
    workspaces: {
      create: (name: string) => workspaces.createWorkspace(db, name),
      createApiKey: (...a: Parameters<typeof workspaces.createApiKey> extends [unknown, ...infer R] ? R : never) =>
        workspaces.createApiKey(db, ...a),
      revokeApiKey: async (
        ...a: Parameters<typeof workspaces.revokeApiKey> extends [unknown, ...infer R] ? R : never
      ) => {
        const result = await workspaces.revokeApiKey(db, ...a);
        if (!(result instanceof DomainError)) keys.evict(result.id);
        return result;
      },
    },
    resources: {
      find: (workspaceId: string, id: string) => resources.findResource(db, workspaceId, id),
      list: (workspaceId: string, page: resources.PageRequest) => resources.listResources(db, workspaceId, page),
      create: (workspaceId: string, input: { name: string; wrapperKind?: string | null }) =>
        resources.createResource(deps, workspaceId, input),
      delete: (workspaceId: string, id: string) => resources.deleteResource(deps, workspaceId, id),
      findWrapper: (workspaceId: string, wrapperId: string) =>
        resources.findWrapperAnyState(db, workspaceId, wrapperId),
      loadWrappersByResource: (ids: readonly string[]) => resources.loadWrappersByResource(db, ids),
      loadExecutionLogs: (keys: readonly { wrapperId: string; last: number }[]) =>
        resources.loadExecutionLogs(db, keys),
    },
    events: {
      parseCursor: events.parseCursor,
      readPage: (request: events.EventPageRequest) => events.readEventPage(db, request),
      resumePosition: (cursor: string | null | undefined) => events.resumePosition(db, cursor),
    },
    queue: {
      list: (opts: Parameters<typeof outbox.listQueueMessages>[1]) => outbox.listQueueMessages(db, opts),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
