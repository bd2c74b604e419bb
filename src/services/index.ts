import { authenticate } from '../auth/api-keys.js';
import { ApiKeyCache } from '../auth/key-cache.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { Principal } from '../auth/scopes.js';
import type { PrismaClient } from '../db/client.js';
import type { OperationUpdates } from '../events/operation-updates.js';
import * as outbox from '../events/outbox.js';
import * as afterCommit from '../jobs/after-commit.js';
import * as datasetPurge from './dataset-purge.js';
import * as datasets from './datasets.js';
import type { DeleteMethodInput, EndpointPath } from './endpoint-config.js';
import * as endpoints from './endpoints.js';
import { DomainError } from './errors.js';
import * as events from './events.js';
import { type SentKey, sentKey } from './idempotency.js';
import * as images from './images.js';
import * as operations from './operations.js';
import * as parserResults from './parser-results.js';
import * as queueMessages from './queue-messages.js';
import * as resources from './resources.js';
import * as workspaces from './workspaces.js';

/** What the services need: the database, and each backend's own dependencies. */
export interface ServiceDeps {
  prisma: PrismaClient;
  /** IDEMPOTENCY_TTL */
  idempotencyTtlMs: number;
  /** RATE_LIMIT: each request of a key takes a token */
  rateLimiter: RateLimiter;
  resources: resources.ResourceDeps;
  parserResults: parserResults.ParserResultDeps;
  datasets: datasets.DatasetDeps;
  purge: datasetPurge.PurgeDeps;
  images: images.ImageDeps;
  endpoints: endpoints.EndpointDeps;
  /** live states of operations, for `operationUpdated` */
  operationUpdates: OperationUpdates<operations.Operation>;
  /** wakes the outbox relays of every instance (messages became due) */
  messagesDue: () => void;
}

/** The services with their dependencies bound: what resolvers and REST routes call. */
export function createServices(deps: ServiceDeps) {
  const db = deps.prisma;
  const keys = new ApiKeyCache((key) => authenticate(db, key));
  return {
    auth: {
      authenticate: (key: string | null) => keys.authenticate(key),
      /** a key was revoked (by id; '' when notifications may have been missed) */
      forget: (keyId: string) => keys.evict(keyId),
      /** whether the key may make one more request now (RATE_LIMIT), or after how many seconds */
      admit: (principal: Principal) => deps.rateLimiter.admit(principal),
    },
    workspaces: {
      create: (name: string) => workspaces.createWorkspace(db, name),
      createApiKey: (...a: Parameters<typeof workspaces.createApiKey> extends [unknown, ...infer R] ? R : never) =>
        workspaces.createApiKey(db, ...a),
      findApiKey: (id: string) => workspaces.findApiKey(db, id),
      revokeApiKey: async (
        ...a: Parameters<typeof workspaces.revokeApiKey> extends [unknown, ...infer R] ? R : never
      ) => {
        const result = await workspaces.revokeApiKey(db, ...a);
        if (!(result instanceof DomainError)) keys.evict(result.id);
        return result;
      },
    },
    idempotency: {
      /** The key a caller sent with a deletion (null: none), or a ValidationError for a malformed one. */
      sent: (raw: string | null | undefined, callerId: string) => sentKey(raw, callerId, deps.idempotencyTtlMs),
    },
    resources: {
      find: (workspaceId: string, id: string) => resources.findResource(db, workspaceId, id),
      list: (workspaceId: string, page: resources.PageRequest) => resources.listResources(db, workspaceId, page),
      create: (workspaceId: string, input: { name: string; wrapperKind?: string | null }) =>
        resources.createResource(deps.resources, workspaceId, input),
      delete: (workspaceId: string, id: string, sent?: SentKey | null) =>
        resources.deleteResource(deps.resources, workspaceId, id, sent),
      findWrapper: (workspaceId: string, wrapperId: string) =>
        resources.findWrapperAnyState(db, workspaceId, wrapperId),
      loadWrappersByResource: (ids: readonly string[]) => resources.loadWrappersByResource(db, ids),
      loadExecutionLogs: (keys: readonly { wrapperId: string; last: number }[]) =>
        resources.loadExecutionLogs(db, keys),
    },
    parserResults: {
      find: (workspaceId: string, requestId: string) => parserResults.findParserResult(db, workspaceId, requestId),
      read: (workspaceId: string, requestId: string) => parserResults.readParserResult(db, workspaceId, requestId),
      create: (workspaceId: string, input: Parameters<typeof parserResults.createParserResult>[2]) =>
        parserResults.createParserResult(deps.parserResults, workspaceId, input),
      delete: (workspaceId: string, requestId: string, sent?: SentKey | null) =>
        parserResults.deleteParserResult(deps.parserResults, workspaceId, requestId, sent),
      loadFiles: (keys: readonly parserResults.ParserResultKey[]) => parserResults.loadParserFiles(db, keys),
      loadData: (keys: readonly parserResults.ParserResultKey[]) => parserResults.loadParserData(db, keys),
    },
    datasets: {
      find: (workspaceId: string, id: string) => datasets.findDataset(db, workspaceId, id),
      read: (workspaceId: string, id: string) => datasets.readDataset(db, workspaceId, id),
      list: (workspaceId: string, page: datasets.PageRequest, showExpired: boolean) =>
        datasets.listDatasets(db, workspaceId, page, showExpired),
      create: (workspaceId: string, input: datasets.CreateDatasetInput) =>
        datasets.createDataset(deps.datasets, workspaceId, input),
      delete: (workspaceId: string, id: string, sent?: SentKey | null) =>
        datasets.deleteDataset(deps.datasets, workspaceId, id, sent),
      restore: (workspaceId: string, id: string, expiresAt: Date | null) =>
        datasets.restoreDataset(deps.datasets, workspaceId, id, expiresAt),
      openShared: (shareId: string, token: string) => datasets.openSharedFile(deps.datasets, shareId, token),
      purgeAt: (dataset: datasets.Dataset) => datasets.purgeAt(deps.datasets.schedule, dataset),
      nextPurgeAt: () => deps.datasets.schedule?.nextRun() ?? null,
      purge: (principal: Principal) => datasetPurge.purgeNow(deps.purge, principal),
      purgeRuns: (first: number) => datasetPurge.listPurgeRuns(db, first),
    },
    images: {
      find: (workspaceId: string, id: string) => images.findImage(db, workspaceId, id),
      create: (workspaceId: string, inputs: Parameters<typeof images.createImages>[2]) =>
        images.createImages(deps.images, workspaceId, inputs),
      delete: (workspaceId: string, ids: readonly string[], options: images.DeleteOptions, sent?: SentKey | null) =>
        images.deleteImages(deps.images, workspaceId, ids, options, sent),
    },
    endpoints: {
      find: (workspaceId: string, path: EndpointPath) => endpoints.findEndpoint(db, workspaceId, path),
      countRecords: (endpointId: string) => endpoints.countRecords(db, endpointId),
      configure: (
        workspaceId: string,
        input: { path: EndpointPath; allowDeleting: boolean; delete?: DeleteMethodInput | null },
      ) => endpoints.configureEndpoint(db, workspaceId, input),
      insertRecords: (workspaceId: string, path: EndpointPath, records: readonly endpoints.RecordInput[]) =>
        endpoints.insertRecords(db, workspaceId, path, records),
      deleteRecord: (workspaceId: string, path: EndpointPath, id: string, sent?: SentKey | null) =>
        endpoints.deleteRecord(deps.endpoints, workspaceId, path, id, sent),
      deleteAll: (workspaceId: string, path: EndpointPath, sent?: SentKey | null) =>
        endpoints.deleteAllRecords(deps.endpoints, workspaceId, path, sent),
      runDeleteTask: (
        workspaceId: string,
        path: EndpointPath,
        source: endpoints.TaskInputSource,
        sent?: SentKey | null,
      ) => endpoints.runDeleteTask(deps.endpoints, workspaceId, path, source, sent),
      findRun: (workspaceId: string, id: string) => endpoints.findTaskRun(db, workspaceId, id),
    },
    operations: {
      find: (workspaceId: string, id: string) => operations.findOperation(db, workspaceId, id),
      watch: (workspaceId: string, id: string) => operations.watchOperation(db, deps.operationUpdates, workspaceId, id),
      list: (workspaceId: string, opts: Parameters<typeof operations.listOperations>[2]) =>
        operations.listOperations(db, workspaceId, opts),
    },
    events: {
      parseCursor: events.parseCursor,
      readPage: (request: events.EventPageRequest) => events.readEventPage(db, request),
      resumePosition: (cursor: string | null | undefined) => events.resumePosition(db, cursor),
      count: (workspaceId: string) => events.countEvents(db, workspaceId),
    },
    queue: {
      list: (opts: Parameters<typeof outbox.listQueueMessages>[1]) => outbox.listQueueMessages(db, opts),
      retryFailed: (workspaceId: string, queue: string, ids: readonly string[] | null) =>
        queueMessages.retryFailedQueueMessages({ prisma: db, messagesDue: deps.messagesDue }, workspaceId, queue, ids),
    },
    afterCommitTasks: {
      list: (opts: Parameters<typeof afterCommit.listAfterCommitTasks>[1]) =>
        afterCommit.listAfterCommitTasks(db, opts),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
