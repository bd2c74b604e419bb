/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** PENDING: to do or being retried; DONE; FAILED: out of attempts (stays visible). */
export type AfterCommitTaskState =
  | 'DONE'
  | 'FAILED'
  | 'PENDING';

export type DeletionBackend =
  | 'DATASET'
  | 'ENDPOINT_RECORD'
  | 'IMAGE'
  | 'PARSER_RESULT'
  | 'RESOURCE';

export type DeletionEventFilter = {
  backends?: Array<DeletionBackend> | null | undefined;
  entityId?: string | number | null | undefined;
  kinds?: Array<DeletionEventKind> | null | undefined;
};

export type DeletionEventKind =
  | 'HARD_DELETED'
  | 'MARKED_FOR_DELETION'
  | 'OPERATION_FINISHED'
  | 'PURGED'
  | 'RESTORED'
  | 'SOFT_DELETED';

export type QueueMessageState =
  | 'FAILED'
  | 'PENDING'
  | 'SENT';

export type MonitorCurrentKeyQueryVariables = Exact<{ [key: string]: never; }>;


export type MonitorCurrentKeyQuery = { currentApiKey: { id: string, name: string, prefix: string, scopes: Array<string>, workspaceId: string } };

export type MonitorDeletionCountsQueryVariables = Exact<{ [key: string]: never; }>;


export type MonitorDeletionCountsQuery = { deletionCounts: { cursor: string, counts: Array<{ backend: DeletionBackend, kind: DeletionEventKind, count: number }> } };

export type MonitorRecentEventsQueryVariables = Exact<{
  filter?: DeletionEventFilter | null | undefined;
  last: number;
}>;


export type MonitorRecentEventsQuery = { deletionEvents: { edges: Array<{ node: { id: string, cursor: string, backend: DeletionBackend, kind: DeletionEventKind, entityId: string, occurredAt: string, data: unknown } }> } };

export type MonitorLiveEventsSubscriptionVariables = Exact<{
  filter?: DeletionEventFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type MonitorLiveEventsSubscription = { deletionEvents: { id: string, cursor: string, backend: DeletionBackend, kind: DeletionEventKind, entityId: string, occurredAt: string, data: unknown } };

export type MonitorRecentOperationsQueryVariables = Exact<{
  last: number;
}>;


export type MonitorRecentOperationsQuery = { operations: { edges: Array<{ node: { id: string, numTotal: number, numGood: number, numBad: number, isStarted: boolean, isFinished: boolean, allGood: boolean | null, doUrgent: boolean, doStrict: boolean, createdAt: string, finishedAt: string | null, version: number } }> } };

export type MonitorOperationUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type MonitorOperationUpdatedSubscription = { operationUpdated: { id: string, numTotal: number, numGood: number, numBad: number, isStarted: boolean, isFinished: boolean, allGood: boolean | null, doUrgent: boolean, doStrict: boolean, createdAt: string, finishedAt: string | null, version: number } };

export type MonitorOutboxQueryVariables = Exact<{
  queue: string;
  last: number;
}>;


export type MonitorOutboxQuery = { recent: { edges: Array<{ node: { id: string, state: QueueMessageState, attempts: number, lastError: string | null, createdAt: string, sentAt: string | null, body: unknown } }> }, failed: { edges: Array<{ node: { id: string, state: QueueMessageState, attempts: number, lastError: string | null, createdAt: string, sentAt: string | null, body: unknown } }> }, oldestPending: { edges: Array<{ node: { id: string, createdAt: string } }> } };

export type MonitorRetryFailedMessagesMutationVariables = Exact<{
  queue: string;
  ids?: Array<string | number> | string | number | null | undefined;
}>;


export type MonitorRetryFailedMessagesMutation = { retryFailedQueueMessages: { queue: string, retried: number } };

export type MonitorAfterCommitWorkQueryVariables = Exact<{
  last: number;
}>;


export type MonitorAfterCommitWorkQuery = { recent: { edges: Array<{ node: { id: string, kind: string, state: AfterCommitTaskState, attempts: number, lastError: string | null, backend: DeletionBackend, entityId: string, createdAt: string, runAt: string, doneAt: string | null } }> }, failed: { edges: Array<{ node: { id: string, kind: string, state: AfterCommitTaskState, attempts: number, lastError: string | null, backend: DeletionBackend, entityId: string, createdAt: string, runAt: string, doneAt: string | null } }> }, oldestPending: { edges: Array<{ node: { id: string, createdAt: string } }> } };

export type MonitorNextPurgeQueryVariables = Exact<{ [key: string]: never; }>;


export type MonitorNextPurgeQuery = { nextPurgeAt: string | null };

export type MonitorPurgeRunsQueryVariables = Exact<{
  first: number;
}>;


export type MonitorPurgeRunsQuery = { purgeRuns: Array<{ id: string, startedAt: string, finishedAt: string | null, datasets: number, items: number, keys: number, vectors: number, blobBytes: number, error: string | null }> };

export type MonitorPurgeNowMutationVariables = Exact<{ [key: string]: never; }>;


export type MonitorPurgeNowMutation = { purgeExpiredDatasets: { runId: string, datasets: number, items: number, keys: number, vectors: number, blobBytes: number, durationMs: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const MonitorCurrentKeyDocument = new TypedDocumentString(`
    query MonitorCurrentKey {
  currentApiKey {
    id
    name
    prefix
    scopes
    workspaceId
  }
}
    `) as unknown as TypedDocumentString<MonitorCurrentKeyQuery, MonitorCurrentKeyQueryVariables>;
export const MonitorDeletionCountsDocument = new TypedDocumentString(`
    query MonitorDeletionCounts {
  deletionCounts {
    cursor
    counts {
      backend
      kind
      count
    }
  }
}
    `) as unknown as TypedDocumentString<MonitorDeletionCountsQuery, MonitorDeletionCountsQueryVariables>;
export const MonitorRecentEventsDocument = new TypedDocumentString(`
    query MonitorRecentEvents($filter: DeletionEventFilter, $last: Int!) {
  deletionEvents(last: $last, filter: $filter) {
    edges {
      node {
        id
        cursor
        backend
        kind
        entityId
        occurredAt
        data
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MonitorRecentEventsQuery, MonitorRecentEventsQueryVariables>;
export const MonitorLiveEventsDocument = new TypedDocumentString(`
    subscription MonitorLiveEvents($filter: DeletionEventFilter, $after: String) {
  deletionEvents(filter: $filter, after: $after) {
    id
    cursor
    backend
    kind
    entityId
    occurredAt
    data
  }
}
    `) as unknown as TypedDocumentString<MonitorLiveEventsSubscription, MonitorLiveEventsSubscriptionVariables>;
export const MonitorRecentOperationsDocument = new TypedDocumentString(`
    query MonitorRecentOperations($last: Int!) {
  operations(last: $last) {
    edges {
      node {
        id
        numTotal
        numGood
        numBad
        isStarted
        isFinished
        allGood
        doUrgent
        doStrict
        createdAt
        finishedAt
        version
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MonitorRecentOperationsQuery, MonitorRecentOperationsQueryVariables>;
export const MonitorOperationUpdatedDocument = new TypedDocumentString(`
    subscription MonitorOperationUpdated($id: ID!) {
  operationUpdated(id: $id) {
    id
    numTotal
    numGood
    numBad
    isStarted
    isFinished
    allGood
    doUrgent
    doStrict
    createdAt
    finishedAt
    version
  }
}
    `) as unknown as TypedDocumentString<MonitorOperationUpdatedSubscription, MonitorOperationUpdatedSubscriptionVariables>;
export const MonitorOutboxDocument = new TypedDocumentString(`
    query MonitorOutbox($queue: String!, $last: Int!) {
  recent: queueMessages(queue: $queue, last: $last) {
    edges {
      node {
        id
        state
        attempts
        lastError
        createdAt
        sentAt
        body
      }
    }
  }
  failed: queueMessages(queue: $queue, state: FAILED, last: 100) {
    edges {
      node {
        id
        state
        attempts
        lastError
        createdAt
        sentAt
        body
      }
    }
  }
  oldestPending: queueMessages(queue: $queue, state: PENDING, first: 1) {
    edges {
      node {
        id
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MonitorOutboxQuery, MonitorOutboxQueryVariables>;
export const MonitorRetryFailedMessagesDocument = new TypedDocumentString(`
    mutation MonitorRetryFailedMessages($queue: String!, $ids: [ID!]) {
  retryFailedQueueMessages(queue: $queue, ids: $ids) {
    queue
    retried
  }
}
    `) as unknown as TypedDocumentString<MonitorRetryFailedMessagesMutation, MonitorRetryFailedMessagesMutationVariables>;
export const MonitorAfterCommitWorkDocument = new TypedDocumentString(`
    query MonitorAfterCommitWork($last: Int!) {
  recent: afterCommitTasks(last: $last) {
    edges {
      node {
        id
        kind
        state
        attempts
        lastError
        backend
        entityId
        createdAt
        runAt
        doneAt
      }
    }
  }
  failed: afterCommitTasks(state: FAILED, last: 100) {
    edges {
      node {
        id
        kind
        state
        attempts
        lastError
        backend
        entityId
        createdAt
        runAt
        doneAt
      }
    }
  }
  oldestPending: afterCommitTasks(state: PENDING, first: 1) {
    edges {
      node {
        id
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MonitorAfterCommitWorkQuery, MonitorAfterCommitWorkQueryVariables>;
export const MonitorNextPurgeDocument = new TypedDocumentString(`
    query MonitorNextPurge {
  nextPurgeAt
}
    `) as unknown as TypedDocumentString<MonitorNextPurgeQuery, MonitorNextPurgeQueryVariables>;
export const MonitorPurgeRunsDocument = new TypedDocumentString(`
    query MonitorPurgeRuns($first: Int!) {
  purgeRuns(first: $first) {
    id
    startedAt
    finishedAt
    datasets
    items
    keys
    vectors
    blobBytes
    error
  }
}
    `) as unknown as TypedDocumentString<MonitorPurgeRunsQuery, MonitorPurgeRunsQueryVariables>;
export const MonitorPurgeNowDocument = new TypedDocumentString(`
    mutation MonitorPurgeNow {
  purgeExpiredDatasets {
    runId
    datasets
    items
    keys
    vectors
    blobBytes
    durationMs
  }
}
    `) as unknown as TypedDocumentString<MonitorPurgeNowMutation, MonitorPurgeNowMutationVariables>;