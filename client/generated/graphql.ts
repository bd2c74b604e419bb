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

export type DatasetType =
  | 'AUDIO'
  | 'DOC'
  | 'IMAGE'
  | 'VIDEO';

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

/** Slugs: 1 to 64 of a-z, 0-9 and -. */
export type EndpointPathInput = {
  company: string;
  endpoint: string;
  group: string;
};

export type ErrorCode =
  | 'CONFLICT'
  | 'DELETION_NOT_ALLOWED'
  | 'INVALID_ID'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'WRAPPER_STOP_TIMEOUT';

export type FailMessageStatus =
  | 'CONFIGURED'
  | 'NOT_SET';

export type OperationMethod =
  | 'ADD'
  | 'DEL'
  | 'MULTIPLE'
  | 'UPD';

export type OperationResource =
  | 'CELEBS'
  | 'IMAGE'
  | 'VIDEO';

export type QueueMessageState =
  | 'FAILED'
  | 'PENDING'
  | 'SENT';

export type TaskRunStatus =
  | 'FAILED'
  | 'FAILED_CONNECTOR'
  | 'FINISHED_SUCCESS';

export type WrapperStatus =
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'STOPPED';

export type QueueMessagesQueryVariables = Exact<{
  queue: string;
  state?: QueueMessageState | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type QueueMessagesQuery = { queueMessages: { edges: Array<{ cursor: string, node: { id: string, queue: string, body: unknown, state: QueueMessageState, attempts: number, lastError: string | null, createdAt: string, sentAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AfterCommitTasksQueryVariables = Exact<{
  state?: AfterCommitTaskState | null | undefined;
  entityId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AfterCommitTasksQuery = { afterCommitTasks: { edges: Array<{ cursor: string, node: { id: string, kind: string, backend: DeletionBackend, entityId: string, state: AfterCommitTaskState, attempts: number, lastError: string | null, payload: unknown, createdAt: string, runAt: string, doneAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type NextPurgeAtQueryVariables = Exact<{ [key: string]: never; }>;


export type NextPurgeAtQuery = { nextPurgeAt: string | null };

export type PurgeRunsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type PurgeRunsQuery = { purgeRuns: Array<{ id: string, instanceId: string, startedAt: string, finishedAt: string | null, datasets: number, items: number, keys: number, vectors: number, blobBytes: number, error: string | null }> };

export type PurgeExpiredDatasetsMutationVariables = Exact<{ [key: string]: never; }>;


export type PurgeExpiredDatasetsMutation = { purgeExpiredDatasets: { runId: string, datasets: number, items: number, keys: number, vectors: number, blobBytes: number, durationMs: number } };

export type PageFieldsFragment = { hasNextPage: boolean, endCursor: string | null };

type ErrorFields_ConflictError_Fragment = { code: ErrorCode, message: string };

type ErrorFields_DeletionNotAllowedError_Fragment = { code: ErrorCode, message: string };

type ErrorFields_InvalidIdError_Fragment = { code: ErrorCode, message: string };

type ErrorFields_NotFoundError_Fragment = { code: ErrorCode, message: string };

type ErrorFields_ValidationError_Fragment = { code: ErrorCode, message: string };

type ErrorFields_WrapperStopTimeoutError_Fragment = { code: ErrorCode, message: string };

export type ErrorFieldsFragment =
  | ErrorFields_ConflictError_Fragment
  | ErrorFields_DeletionNotAllowedError_Fragment
  | ErrorFields_InvalidIdError_Fragment
  | ErrorFields_NotFoundError_Fragment
  | ErrorFields_ValidationError_Fragment
  | ErrorFields_WrapperStopTimeoutError_Fragment
;

export type DatasetFieldsFragment = { id: string, workspaceId: string, type: DatasetType, fileName: string, fileExt: string, fileSize: number, itemCount: number, mimeType: string, createdAt: string, updatedAt: string | null, expiresAt: string | null, markedForDeletion: boolean, purgeAt: string | null, share: { url: string, token: string, expiresAt: string | null } | null };

export type DatasetQueryVariables = Exact<{
  id: string | number;
}>;


export type DatasetQuery = { dataset: { id: string, workspaceId: string, type: DatasetType, fileName: string, fileExt: string, fileSize: number, itemCount: number, mimeType: string, createdAt: string, updatedAt: string | null, expiresAt: string | null, markedForDeletion: boolean, purgeAt: string | null, share: { url: string, token: string, expiresAt: string | null } | null } | null };

export type DatasetsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  showExpired?: boolean | null | undefined;
}>;


export type DatasetsQuery = { datasets: { edges: Array<{ cursor: string, node: { id: string, workspaceId: string, type: DatasetType, fileName: string, fileExt: string, fileSize: number, itemCount: number, mimeType: string, createdAt: string, updatedAt: string | null, expiresAt: string | null, markedForDeletion: boolean, purgeAt: string | null, share: { url: string, token: string, expiresAt: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DeleteDatasetMutationVariables = Exact<{
  id: string | number;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteDatasetMutation = { deleteDataset:
    | { __typename: 'DeleteDatasetPayload', success: boolean, total: number, data: { id: string, workspaceId: string, type: DatasetType, fileName: string, fileExt: string, fileSize: number, itemCount: number, mimeType: string, createdAt: string, updatedAt: string | null, expiresAt: string | null, markedForDeletion: boolean, purgeAt: string | null, share: { url: string, token: string, expiresAt: string | null } | null } }
    | { __typename: 'InvalidIdError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type RestoreDatasetMutationVariables = Exact<{
  id: string | number;
  expiresAt?: string | null | undefined;
}>;


export type RestoreDatasetMutation = { restoreDataset:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'Dataset', id: string, workspaceId: string, type: DatasetType, fileName: string, fileExt: string, fileSize: number, itemCount: number, mimeType: string, createdAt: string, updatedAt: string | null, expiresAt: string | null, markedForDeletion: boolean, purgeAt: string | null, share: { url: string, token: string, expiresAt: string | null } | null }
    | { __typename: 'InvalidIdError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type TaskRunFieldsFragment = { id: string, status: TaskRunStatus, message: Array<string> | null, result: unknown, response: unknown, savedInput: unknown, savedOutput: unknown, startedAt: string, finishedAt: string | null };

export type EndpointQueryVariables = Exact<{
  path: EndpointPathInput;
}>;


export type EndpointQuery = { endpoint: { allowDeleting: boolean, hasDeleteTask: boolean, failMessageStatus: FailMessageStatus, recordCount: number, path: { company: string, group: string, endpoint: string } } | null };

export type EndpointTaskRunQueryVariables = Exact<{
  id: string | number;
}>;


export type EndpointTaskRunQuery = { endpointTaskRun: { id: string, status: TaskRunStatus, message: Array<string> | null, result: unknown, response: unknown, savedInput: unknown, savedOutput: unknown, startedAt: string, finishedAt: string | null } | null };

export type DeleteEndpointRecordMutationVariables = Exact<{
  path: EndpointPathInput;
  id: string | number;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteEndpointRecordMutation = { deleteEndpointRecord:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'DeleteEndpointRecordPayload', id: string, deleted: boolean }
    | { __typename: 'DeletionNotAllowedError', code: ErrorCode, message: string }
    | { __typename: 'InvalidIdError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type DeleteAllEndpointRecordsMutationVariables = Exact<{
  path: EndpointPathInput;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteAllEndpointRecordsMutation = { deleteAllEndpointRecords:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'DeleteAllEndpointRecordsPayload', deletedCount: number }
    | { __typename: 'DeletionNotAllowedError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type RunEndpointDeleteTaskMutationVariables = Exact<{
  path: EndpointPathInput;
  input?: unknown;
  idempotencyKey?: string | null | undefined;
}>;


export type RunEndpointDeleteTaskMutation = { runEndpointDeleteTask:
    | { __typename: 'DeletionNotAllowedError', code: ErrorCode, errorMessage: string }
    | { __typename: 'EndpointTaskRun', id: string, status: TaskRunStatus, message: Array<string> | null, result: unknown, response: unknown, savedInput: unknown, savedOutput: unknown, startedAt: string, finishedAt: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, errorMessage: string }
    | { __typename: 'ValidationError', field: string | null, code: ErrorCode, errorMessage: string }
   };

export type DeletionEventFieldsFragment = { id: string, cursor: string, backend: DeletionBackend, kind: DeletionEventKind, entityId: string, workspaceId: string, occurredAt: string, data: unknown };

export type DeletionEventPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: DeletionEventFilter | null | undefined;
}>;


export type DeletionEventPageQuery = { deletionEvents: { edges: Array<{ node: { id: string, cursor: string, backend: DeletionBackend, kind: DeletionEventKind, entityId: string, workspaceId: string, occurredAt: string, data: unknown } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DeletionEventStreamSubscriptionVariables = Exact<{
  filter?: DeletionEventFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type DeletionEventStreamSubscription = { deletionEvents: { id: string, cursor: string, backend: DeletionBackend, kind: DeletionEventKind, entityId: string, workspaceId: string, occurredAt: string, data: unknown } };

export type OperationUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type OperationUpdatedSubscription = { operationUpdated: { id: string, method: OperationMethod, resource: OperationResource, numTotal: number, numGood: number, numBad: number, isStarted: boolean, isFinished: boolean, allGood: boolean | null, doWait: boolean, doUrgent: boolean, doStrict: boolean, idleMs: number | null, execMs: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, version: number, errors: Array<{ id: string, msg: string }> } };

export type OperationFieldsFragment = { id: string, method: OperationMethod, resource: OperationResource, numTotal: number, numGood: number, numBad: number, isStarted: boolean, isFinished: boolean, allGood: boolean | null, doWait: boolean, doUrgent: boolean, doStrict: boolean, idleMs: number | null, execMs: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, version: number, errors: Array<{ id: string, msg: string }> };

export type ImageQueryVariables = Exact<{
  id: string | number;
}>;


export type ImageQuery = { image: { id: string, name: string, size: number, sha256: string | null, contentType: string | null, createdAt: string } | null };

export type OperationQueryVariables = Exact<{
  id: string | number;
}>;


export type OperationQuery = { operation: { id: string, method: OperationMethod, resource: OperationResource, numTotal: number, numGood: number, numBad: number, isStarted: boolean, isFinished: boolean, allGood: boolean | null, doWait: boolean, doUrgent: boolean, doStrict: boolean, idleMs: number | null, execMs: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, version: number, errors: Array<{ id: string, msg: string }> } | null };

export type DeleteImageMutationVariables = Exact<{
  id: string | number;
  wait?: boolean | null | undefined;
  urgent?: boolean | null | undefined;
  strict?: boolean | null | undefined;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteImageMutation = { deleteImage: { id: string, method: OperationMethod, resource: OperationResource, numTotal: number, numGood: number, numBad: number, isStarted: boolean, isFinished: boolean, allGood: boolean | null, doWait: boolean, doUrgent: boolean, doStrict: boolean, idleMs: number | null, execMs: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, version: number, errors: Array<{ id: string, msg: string }> } };

export type DeleteImagesMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
  wait?: boolean | null | undefined;
  urgent?: boolean | null | undefined;
  strict?: boolean | null | undefined;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteImagesMutation = { deleteImages: { id: string, method: OperationMethod, resource: OperationResource, numTotal: number, numGood: number, numBad: number, isStarted: boolean, isFinished: boolean, allGood: boolean | null, doWait: boolean, doUrgent: boolean, doStrict: boolean, idleMs: number | null, execMs: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, version: number, errors: Array<{ id: string, msg: string }> } };

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

export type ParserResultQueryVariables = Exact<{
  requestId: string | number;
}>;


export type ParserResultQuery = { parserResult: { requestId: string, data: unknown, createdAt: string, files: Array<{ name: string, size: number, sha256: string, contentType: string }> } | null };

export type DeleteParserResultMutationVariables = Exact<{
  requestId: string | number;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteParserResultMutation = { deleteParserResult:
    | { __typename: 'DeleteParserResultPayload', success: boolean, message: string, requestId: string, deletedFiles: number, deletedRows: number, deletedBytes: number }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type ResourceFieldsFragment = { id: string, name: string, deleted: boolean, deletedAt: string | null, createdAt: string, wrapper: { id: string, kind: string, status: WrapperStatus, statusChangedAt: string | null, pid: number | null } | null };

export type ResourceQueryVariables = Exact<{
  id: string | number;
}>;


export type ResourceQuery = { resource: { id: string, name: string, deleted: boolean, deletedAt: string | null, createdAt: string, wrapper: { id: string, kind: string, status: WrapperStatus, statusChangedAt: string | null, pid: number | null } | null } | null };

export type ResourcesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ResourcesQuery = { resources: { edges: Array<{ cursor: string, node: { id: string, name: string, deleted: boolean, deletedAt: string | null, createdAt: string, wrapper: { id: string, kind: string, status: WrapperStatus, statusChangedAt: string | null, pid: number | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DeleteResourceMutationVariables = Exact<{
  id: string | number;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteResourceMutation = { deleteResource:
    | { __typename: 'DeleteResourcePayload', id: string, deleted: boolean, resource: { id: string, name: string, deleted: boolean, deletedAt: string | null, createdAt: string, wrapper: { id: string, kind: string, status: WrapperStatus, statusChangedAt: string | null, pid: number | null } | null }, wrapper: { id: string, status: WrapperStatus, statusChangedAt: string | null, executionLog: Array<{ at: string, event: string, message: string }> } | null }
    | { __typename: 'InvalidIdError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'WrapperStopTimeoutError', resourceId: string, wrapperId: string, instanceId: string, code: ErrorCode, message: string }
   };

export type WrapperQueryVariables = Exact<{
  id: string | number;
}>;


export type WrapperQuery = { wrapper: { id: string, kind: string, status: WrapperStatus, statusChangedAt: string | null, pid: number | null, executionLog: Array<{ at: string, event: string, message: string }> } | null };

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
export const PageFieldsFragmentDoc = new TypedDocumentString(`
    fragment PageFields on PageInfo {
  hasNextPage
  endCursor
}
    `, {"fragmentName":"PageFields"}) as unknown as TypedDocumentString<PageFieldsFragment, unknown>;
export const ErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment ErrorFields on Error {
  code
  message
}
    `, {"fragmentName":"ErrorFields"}) as unknown as TypedDocumentString<ErrorFieldsFragment, unknown>;
export const DatasetFieldsFragmentDoc = new TypedDocumentString(`
    fragment DatasetFields on Dataset {
  id
  workspaceId
  type
  fileName
  fileExt
  fileSize
  itemCount
  mimeType
  createdAt
  updatedAt
  expiresAt
  markedForDeletion
  purgeAt
  share {
    url
    token
    expiresAt
  }
}
    `, {"fragmentName":"DatasetFields"}) as unknown as TypedDocumentString<DatasetFieldsFragment, unknown>;
export const TaskRunFieldsFragmentDoc = new TypedDocumentString(`
    fragment TaskRunFields on EndpointTaskRun {
  id
  status
  message
  result
  response
  savedInput
  savedOutput
  startedAt
  finishedAt
}
    `, {"fragmentName":"TaskRunFields"}) as unknown as TypedDocumentString<TaskRunFieldsFragment, unknown>;
export const DeletionEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeletionEventFields on DeletionEvent {
  id
  cursor
  backend
  kind
  entityId
  workspaceId
  occurredAt
  data
}
    `, {"fragmentName":"DeletionEventFields"}) as unknown as TypedDocumentString<DeletionEventFieldsFragment, unknown>;
export const OperationFieldsFragmentDoc = new TypedDocumentString(`
    fragment OperationFields on Operation {
  id
  method
  resource
  numTotal
  numGood
  numBad
  isStarted
  isFinished
  allGood
  doWait
  doUrgent
  doStrict
  idleMs
  execMs
  createdAt
  startedAt
  finishedAt
  errors {
    id
    msg
  }
  version
}
    `, {"fragmentName":"OperationFields"}) as unknown as TypedDocumentString<OperationFieldsFragment, unknown>;
export const ResourceFieldsFragmentDoc = new TypedDocumentString(`
    fragment ResourceFields on Resource {
  id
  name
  deleted
  deletedAt
  createdAt
  wrapper {
    id
    kind
    status
    statusChangedAt
    pid
  }
}
    `, {"fragmentName":"ResourceFields"}) as unknown as TypedDocumentString<ResourceFieldsFragment, unknown>;
export const QueueMessagesDocument = new TypedDocumentString(`
    query QueueMessages($queue: String!, $state: QueueMessageState, $first: Int, $after: String) {
  queueMessages(queue: $queue, state: $state, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        queue
        body
        state
        attempts
        lastError
        createdAt
        sentAt
      }
    }
    pageInfo {
      ...PageFields
    }
  }
}
    fragment PageFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<QueueMessagesQuery, QueueMessagesQueryVariables>;
export const AfterCommitTasksDocument = new TypedDocumentString(`
    query AfterCommitTasks($state: AfterCommitTaskState, $entityId: ID, $first: Int, $after: String) {
  afterCommitTasks(
    state: $state
    entityId: $entityId
    first: $first
    after: $after
  ) {
    edges {
      cursor
      node {
        id
        kind
        backend
        entityId
        state
        attempts
        lastError
        payload
        createdAt
        runAt
        doneAt
      }
    }
    pageInfo {
      ...PageFields
    }
  }
}
    fragment PageFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<AfterCommitTasksQuery, AfterCommitTasksQueryVariables>;
export const NextPurgeAtDocument = new TypedDocumentString(`
    query NextPurgeAt {
  nextPurgeAt
}
    `) as unknown as TypedDocumentString<NextPurgeAtQuery, NextPurgeAtQueryVariables>;
export const PurgeRunsDocument = new TypedDocumentString(`
    query PurgeRuns($first: Int) {
  purgeRuns(first: $first) {
    id
    instanceId
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
    `) as unknown as TypedDocumentString<PurgeRunsQuery, PurgeRunsQueryVariables>;
export const PurgeExpiredDatasetsDocument = new TypedDocumentString(`
    mutation PurgeExpiredDatasets {
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
    `) as unknown as TypedDocumentString<PurgeExpiredDatasetsMutation, PurgeExpiredDatasetsMutationVariables>;
export const DatasetDocument = new TypedDocumentString(`
    query Dataset($id: ID!) {
  dataset(id: $id) {
    ...DatasetFields
  }
}
    fragment DatasetFields on Dataset {
  id
  workspaceId
  type
  fileName
  fileExt
  fileSize
  itemCount
  mimeType
  createdAt
  updatedAt
  expiresAt
  markedForDeletion
  purgeAt
  share {
    url
    token
    expiresAt
  }
}`) as unknown as TypedDocumentString<DatasetQuery, DatasetQueryVariables>;
export const DatasetsDocument = new TypedDocumentString(`
    query Datasets($first: Int, $after: String, $showExpired: Boolean) {
  datasets(first: $first, after: $after, showExpired: $showExpired) {
    edges {
      cursor
      node {
        ...DatasetFields
      }
    }
    pageInfo {
      ...PageFields
    }
  }
}
    fragment PageFields on PageInfo {
  hasNextPage
  endCursor
}
fragment DatasetFields on Dataset {
  id
  workspaceId
  type
  fileName
  fileExt
  fileSize
  itemCount
  mimeType
  createdAt
  updatedAt
  expiresAt
  markedForDeletion
  purgeAt
  share {
    url
    token
    expiresAt
  }
}`) as unknown as TypedDocumentString<DatasetsQuery, DatasetsQueryVariables>;
export const DeleteDatasetDocument = new TypedDocumentString(`
    mutation DeleteDataset($id: ID!, $idempotencyKey: String) {
  deleteDataset(id: $id, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DeleteDatasetPayload {
      success
      total
      data {
        ...DatasetFields
      }
    }
    ...ErrorFields
  }
}
    fragment ErrorFields on Error {
  code
  message
}
fragment DatasetFields on Dataset {
  id
  workspaceId
  type
  fileName
  fileExt
  fileSize
  itemCount
  mimeType
  createdAt
  updatedAt
  expiresAt
  markedForDeletion
  purgeAt
  share {
    url
    token
    expiresAt
  }
}`) as unknown as TypedDocumentString<DeleteDatasetMutation, DeleteDatasetMutationVariables>;
export const RestoreDatasetDocument = new TypedDocumentString(`
    mutation RestoreDataset($id: ID!, $expiresAt: DateTime) {
  restoreDataset(id: $id, expiresAt: $expiresAt) {
    __typename
    ...DatasetFields
    ...ErrorFields
  }
}
    fragment ErrorFields on Error {
  code
  message
}
fragment DatasetFields on Dataset {
  id
  workspaceId
  type
  fileName
  fileExt
  fileSize
  itemCount
  mimeType
  createdAt
  updatedAt
  expiresAt
  markedForDeletion
  purgeAt
  share {
    url
    token
    expiresAt
  }
}`) as unknown as TypedDocumentString<RestoreDatasetMutation, RestoreDatasetMutationVariables>;
export const EndpointDocument = new TypedDocumentString(`
    query Endpoint($path: EndpointPathInput!) {
  endpoint(path: $path) {
    path {
      company
      group
      endpoint
    }
    allowDeleting
    hasDeleteTask
    failMessageStatus
    recordCount
  }
}
    `) as unknown as TypedDocumentString<EndpointQuery, EndpointQueryVariables>;
export const EndpointTaskRunDocument = new TypedDocumentString(`
    query EndpointTaskRun($id: ID!) {
  endpointTaskRun(id: $id) {
    ...TaskRunFields
  }
}
    fragment TaskRunFields on EndpointTaskRun {
  id
  status
  message
  result
  response
  savedInput
  savedOutput
  startedAt
  finishedAt
}`) as unknown as TypedDocumentString<EndpointTaskRunQuery, EndpointTaskRunQueryVariables>;
export const DeleteEndpointRecordDocument = new TypedDocumentString(`
    mutation DeleteEndpointRecord($path: EndpointPathInput!, $id: ID!, $idempotencyKey: String) {
  deleteEndpointRecord(path: $path, id: $id, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DeleteEndpointRecordPayload {
      id
      deleted
    }
    ...ErrorFields
  }
}
    fragment ErrorFields on Error {
  code
  message
}`) as unknown as TypedDocumentString<DeleteEndpointRecordMutation, DeleteEndpointRecordMutationVariables>;
export const DeleteAllEndpointRecordsDocument = new TypedDocumentString(`
    mutation DeleteAllEndpointRecords($path: EndpointPathInput!, $idempotencyKey: String) {
  deleteAllEndpointRecords(path: $path, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DeleteAllEndpointRecordsPayload {
      deletedCount
    }
    ...ErrorFields
  }
}
    fragment ErrorFields on Error {
  code
  message
}`) as unknown as TypedDocumentString<DeleteAllEndpointRecordsMutation, DeleteAllEndpointRecordsMutationVariables>;
export const RunEndpointDeleteTaskDocument = new TypedDocumentString(`
    mutation RunEndpointDeleteTask($path: EndpointPathInput!, $input: JSON, $idempotencyKey: String) {
  runEndpointDeleteTask(
    path: $path
    input: $input
    idempotencyKey: $idempotencyKey
  ) {
    __typename
    ...TaskRunFields
    ... on ValidationError {
      field
    }
    ... on Error {
      code
      errorMessage: message
    }
  }
}
    fragment TaskRunFields on EndpointTaskRun {
  id
  status
  message
  result
  response
  savedInput
  savedOutput
  startedAt
  finishedAt
}`) as unknown as TypedDocumentString<RunEndpointDeleteTaskMutation, RunEndpointDeleteTaskMutationVariables>;
export const DeletionEventPageDocument = new TypedDocumentString(`
    query DeletionEventPage($first: Int, $after: String, $filter: DeletionEventFilter) {
  deletionEvents(first: $first, after: $after, filter: $filter) {
    edges {
      node {
        ...DeletionEventFields
      }
    }
    pageInfo {
      ...PageFields
    }
  }
}
    fragment PageFields on PageInfo {
  hasNextPage
  endCursor
}
fragment DeletionEventFields on DeletionEvent {
  id
  cursor
  backend
  kind
  entityId
  workspaceId
  occurredAt
  data
}`) as unknown as TypedDocumentString<DeletionEventPageQuery, DeletionEventPageQueryVariables>;
export const DeletionEventStreamDocument = new TypedDocumentString(`
    subscription DeletionEventStream($filter: DeletionEventFilter, $after: String) {
  deletionEvents(filter: $filter, after: $after) {
    ...DeletionEventFields
  }
}
    fragment DeletionEventFields on DeletionEvent {
  id
  cursor
  backend
  kind
  entityId
  workspaceId
  occurredAt
  data
}`) as unknown as TypedDocumentString<DeletionEventStreamSubscription, DeletionEventStreamSubscriptionVariables>;
export const OperationUpdatedDocument = new TypedDocumentString(`
    subscription OperationUpdated($id: ID!) {
  operationUpdated(id: $id) {
    ...OperationFields
  }
}
    fragment OperationFields on Operation {
  id
  method
  resource
  numTotal
  numGood
  numBad
  isStarted
  isFinished
  allGood
  doWait
  doUrgent
  doStrict
  idleMs
  execMs
  createdAt
  startedAt
  finishedAt
  errors {
    id
    msg
  }
  version
}`) as unknown as TypedDocumentString<OperationUpdatedSubscription, OperationUpdatedSubscriptionVariables>;
export const ImageDocument = new TypedDocumentString(`
    query Image($id: ID!) {
  image(id: $id) {
    id
    name
    size
    sha256
    contentType
    createdAt
  }
}
    `) as unknown as TypedDocumentString<ImageQuery, ImageQueryVariables>;
export const OperationDocument = new TypedDocumentString(`
    query Operation($id: ID!) {
  operation(id: $id) {
    ...OperationFields
  }
}
    fragment OperationFields on Operation {
  id
  method
  resource
  numTotal
  numGood
  numBad
  isStarted
  isFinished
  allGood
  doWait
  doUrgent
  doStrict
  idleMs
  execMs
  createdAt
  startedAt
  finishedAt
  errors {
    id
    msg
  }
  version
}`) as unknown as TypedDocumentString<OperationQuery, OperationQueryVariables>;
export const DeleteImageDocument = new TypedDocumentString(`
    mutation DeleteImage($id: ID!, $wait: Boolean, $urgent: Boolean, $strict: Boolean, $idempotencyKey: String) {
  deleteImage(
    id: $id
    wait: $wait
    urgent: $urgent
    strict: $strict
    idempotencyKey: $idempotencyKey
  ) {
    ...OperationFields
  }
}
    fragment OperationFields on Operation {
  id
  method
  resource
  numTotal
  numGood
  numBad
  isStarted
  isFinished
  allGood
  doWait
  doUrgent
  doStrict
  idleMs
  execMs
  createdAt
  startedAt
  finishedAt
  errors {
    id
    msg
  }
  version
}`) as unknown as TypedDocumentString<DeleteImageMutation, DeleteImageMutationVariables>;
export const DeleteImagesDocument = new TypedDocumentString(`
    mutation DeleteImages($ids: [ID!]!, $wait: Boolean, $urgent: Boolean, $strict: Boolean, $idempotencyKey: String) {
  deleteImages(
    ids: $ids
    wait: $wait
    urgent: $urgent
    strict: $strict
    idempotencyKey: $idempotencyKey
  ) {
    ...OperationFields
  }
}
    fragment OperationFields on Operation {
  id
  method
  resource
  numTotal
  numGood
  numBad
  isStarted
  isFinished
  allGood
  doWait
  doUrgent
  doStrict
  idleMs
  execMs
  createdAt
  startedAt
  finishedAt
  errors {
    id
    msg
  }
  version
}`) as unknown as TypedDocumentString<DeleteImagesMutation, DeleteImagesMutationVariables>;
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
export const ParserResultDocument = new TypedDocumentString(`
    query ParserResult($requestId: ID!) {
  parserResult(requestId: $requestId) {
    requestId
    files {
      name
      size
      sha256
      contentType
    }
    data
    createdAt
  }
}
    `) as unknown as TypedDocumentString<ParserResultQuery, ParserResultQueryVariables>;
export const DeleteParserResultDocument = new TypedDocumentString(`
    mutation DeleteParserResult($requestId: ID!, $idempotencyKey: String) {
  deleteParserResult(requestId: $requestId, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DeleteParserResultPayload {
      success
      message
      requestId
      deletedFiles
      deletedRows
      deletedBytes
    }
    ...ErrorFields
  }
}
    fragment ErrorFields on Error {
  code
  message
}`) as unknown as TypedDocumentString<DeleteParserResultMutation, DeleteParserResultMutationVariables>;
export const ResourceDocument = new TypedDocumentString(`
    query Resource($id: ID!) {
  resource(id: $id) {
    ...ResourceFields
  }
}
    fragment ResourceFields on Resource {
  id
  name
  deleted
  deletedAt
  createdAt
  wrapper {
    id
    kind
    status
    statusChangedAt
    pid
  }
}`) as unknown as TypedDocumentString<ResourceQuery, ResourceQueryVariables>;
export const ResourcesDocument = new TypedDocumentString(`
    query Resources($first: Int, $after: String) {
  resources(first: $first, after: $after) {
    edges {
      cursor
      node {
        ...ResourceFields
      }
    }
    pageInfo {
      ...PageFields
    }
  }
}
    fragment PageFields on PageInfo {
  hasNextPage
  endCursor
}
fragment ResourceFields on Resource {
  id
  name
  deleted
  deletedAt
  createdAt
  wrapper {
    id
    kind
    status
    statusChangedAt
    pid
  }
}`) as unknown as TypedDocumentString<ResourcesQuery, ResourcesQueryVariables>;
export const DeleteResourceDocument = new TypedDocumentString(`
    mutation DeleteResource($id: ID!, $idempotencyKey: String) {
  deleteResource(id: $id, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DeleteResourcePayload {
      id
      deleted
      resource {
        ...ResourceFields
      }
      wrapper {
        id
        status
        statusChangedAt
        executionLog(last: 5) {
          at
          event
          message
        }
      }
    }
    ... on WrapperStopTimeoutError {
      resourceId
      wrapperId
      instanceId
    }
    ...ErrorFields
  }
}
    fragment ErrorFields on Error {
  code
  message
}
fragment ResourceFields on Resource {
  id
  name
  deleted
  deletedAt
  createdAt
  wrapper {
    id
    kind
    status
    statusChangedAt
    pid
  }
}`) as unknown as TypedDocumentString<DeleteResourceMutation, DeleteResourceMutationVariables>;
export const WrapperDocument = new TypedDocumentString(`
    query Wrapper($id: ID!) {
  wrapper(id: $id) {
    id
    kind
    status
    statusChangedAt
    pid
    executionLog(last: 20) {
      at
      event
      message
    }
  }
}
    `) as unknown as TypedDocumentString<WrapperQuery, WrapperQueryVariables>;