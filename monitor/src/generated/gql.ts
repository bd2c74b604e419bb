/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query MonitorCurrentKey {\n    currentApiKey { id name prefix scopes workspaceId }\n  }\n": typeof types.MonitorCurrentKeyDocument,
    "\n  query MonitorDeletionCounts {\n    deletionCounts { cursor counts { backend kind count } }\n  }\n": typeof types.MonitorDeletionCountsDocument,
    "\n  query MonitorRecentEvents($filter: DeletionEventFilter, $last: Int!) {\n    deletionEvents(last: $last, filter: $filter) {\n      edges { node { id cursor backend kind entityId occurredAt data } }\n    }\n  }\n": typeof types.MonitorRecentEventsDocument,
    "\n  subscription MonitorLiveEvents($filter: DeletionEventFilter, $after: String) {\n    deletionEvents(filter: $filter, after: $after) { id cursor backend kind entityId occurredAt data }\n  }\n": typeof types.MonitorLiveEventsDocument,
    "\n  query MonitorRecentOperations($last: Int!) {\n    operations(last: $last) {\n      edges {\n        node {\n          id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version\n        }\n      }\n    }\n  }\n": typeof types.MonitorRecentOperationsDocument,
    "\n  subscription MonitorOperationUpdated($id: ID!) {\n    operationUpdated(id: $id) {\n      id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version\n    }\n  }\n": typeof types.MonitorOperationUpdatedDocument,
    "\n  query MonitorOutbox($queue: String!, $last: Int!) {\n    recent: queueMessages(queue: $queue, last: $last) {\n      edges { node { id state attempts lastError createdAt sentAt body } }\n    }\n    failed: queueMessages(queue: $queue, state: FAILED, last: 100) {\n      edges { node { id state attempts lastError createdAt sentAt body } }\n    }\n    oldestPending: queueMessages(queue: $queue, state: PENDING, first: 1) {\n      edges { node { id createdAt } }\n    }\n  }\n": typeof types.MonitorOutboxDocument,
    "\n  mutation MonitorRetryFailedMessages($queue: String!, $ids: [ID!]) {\n    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }\n  }\n": typeof types.MonitorRetryFailedMessagesDocument,
    "\n  query MonitorAfterCommitWork($last: Int!) {\n    recent: afterCommitTasks(last: $last) {\n      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }\n    }\n    failed: afterCommitTasks(state: FAILED, last: 100) {\n      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }\n    }\n    oldestPending: afterCommitTasks(state: PENDING, first: 1) {\n      edges { node { id createdAt } }\n    }\n  }\n": typeof types.MonitorAfterCommitWorkDocument,
    "\n  query MonitorNextPurge { nextPurgeAt }\n": typeof types.MonitorNextPurgeDocument,
    "\n  query MonitorPurgeRuns($first: Int!) {\n    purgeRuns(first: $first) { id startedAt finishedAt datasets items keys vectors blobBytes error }\n  }\n": typeof types.MonitorPurgeRunsDocument,
    "\n  mutation MonitorPurgeNow {\n    purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs }\n  }\n": typeof types.MonitorPurgeNowDocument,
};
const documents: Documents = {
    "\n  query MonitorCurrentKey {\n    currentApiKey { id name prefix scopes workspaceId }\n  }\n": types.MonitorCurrentKeyDocument,
    "\n  query MonitorDeletionCounts {\n    deletionCounts { cursor counts { backend kind count } }\n  }\n": types.MonitorDeletionCountsDocument,
    "\n  query MonitorRecentEvents($filter: DeletionEventFilter, $last: Int!) {\n    deletionEvents(last: $last, filter: $filter) {\n      edges { node { id cursor backend kind entityId occurredAt data } }\n    }\n  }\n": types.MonitorRecentEventsDocument,
    "\n  subscription MonitorLiveEvents($filter: DeletionEventFilter, $after: String) {\n    deletionEvents(filter: $filter, after: $after) { id cursor backend kind entityId occurredAt data }\n  }\n": types.MonitorLiveEventsDocument,
    "\n  query MonitorRecentOperations($last: Int!) {\n    operations(last: $last) {\n      edges {\n        node {\n          id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version\n        }\n      }\n    }\n  }\n": types.MonitorRecentOperationsDocument,
    "\n  subscription MonitorOperationUpdated($id: ID!) {\n    operationUpdated(id: $id) {\n      id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version\n    }\n  }\n": types.MonitorOperationUpdatedDocument,
    "\n  query MonitorOutbox($queue: String!, $last: Int!) {\n    recent: queueMessages(queue: $queue, last: $last) {\n      edges { node { id state attempts lastError createdAt sentAt body } }\n    }\n    failed: queueMessages(queue: $queue, state: FAILED, last: 100) {\n      edges { node { id state attempts lastError createdAt sentAt body } }\n    }\n    oldestPending: queueMessages(queue: $queue, state: PENDING, first: 1) {\n      edges { node { id createdAt } }\n    }\n  }\n": types.MonitorOutboxDocument,
    "\n  mutation MonitorRetryFailedMessages($queue: String!, $ids: [ID!]) {\n    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }\n  }\n": types.MonitorRetryFailedMessagesDocument,
    "\n  query MonitorAfterCommitWork($last: Int!) {\n    recent: afterCommitTasks(last: $last) {\n      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }\n    }\n    failed: afterCommitTasks(state: FAILED, last: 100) {\n      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }\n    }\n    oldestPending: afterCommitTasks(state: PENDING, first: 1) {\n      edges { node { id createdAt } }\n    }\n  }\n": types.MonitorAfterCommitWorkDocument,
    "\n  query MonitorNextPurge { nextPurgeAt }\n": types.MonitorNextPurgeDocument,
    "\n  query MonitorPurgeRuns($first: Int!) {\n    purgeRuns(first: $first) { id startedAt finishedAt datasets items keys vectors blobBytes error }\n  }\n": types.MonitorPurgeRunsDocument,
    "\n  mutation MonitorPurgeNow {\n    purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs }\n  }\n": types.MonitorPurgeNowDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorCurrentKey {\n    currentApiKey { id name prefix scopes workspaceId }\n  }\n"): typeof import('./graphql.js').MonitorCurrentKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorDeletionCounts {\n    deletionCounts { cursor counts { backend kind count } }\n  }\n"): typeof import('./graphql.js').MonitorDeletionCountsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorRecentEvents($filter: DeletionEventFilter, $last: Int!) {\n    deletionEvents(last: $last, filter: $filter) {\n      edges { node { id cursor backend kind entityId occurredAt data } }\n    }\n  }\n"): typeof import('./graphql.js').MonitorRecentEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MonitorLiveEvents($filter: DeletionEventFilter, $after: String) {\n    deletionEvents(filter: $filter, after: $after) { id cursor backend kind entityId occurredAt data }\n  }\n"): typeof import('./graphql.js').MonitorLiveEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorRecentOperations($last: Int!) {\n    operations(last: $last) {\n      edges {\n        node {\n          id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').MonitorRecentOperationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MonitorOperationUpdated($id: ID!) {\n    operationUpdated(id: $id) {\n      id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version\n    }\n  }\n"): typeof import('./graphql.js').MonitorOperationUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorOutbox($queue: String!, $last: Int!) {\n    recent: queueMessages(queue: $queue, last: $last) {\n      edges { node { id state attempts lastError createdAt sentAt body } }\n    }\n    failed: queueMessages(queue: $queue, state: FAILED, last: 100) {\n      edges { node { id state attempts lastError createdAt sentAt body } }\n    }\n    oldestPending: queueMessages(queue: $queue, state: PENDING, first: 1) {\n      edges { node { id createdAt } }\n    }\n  }\n"): typeof import('./graphql.js').MonitorOutboxDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MonitorRetryFailedMessages($queue: String!, $ids: [ID!]) {\n    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }\n  }\n"): typeof import('./graphql.js').MonitorRetryFailedMessagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorAfterCommitWork($last: Int!) {\n    recent: afterCommitTasks(last: $last) {\n      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }\n    }\n    failed: afterCommitTasks(state: FAILED, last: 100) {\n      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }\n    }\n    oldestPending: afterCommitTasks(state: PENDING, first: 1) {\n      edges { node { id createdAt } }\n    }\n  }\n"): typeof import('./graphql.js').MonitorAfterCommitWorkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorNextPurge { nextPurgeAt }\n"): typeof import('./graphql.js').MonitorNextPurgeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorPurgeRuns($first: Int!) {\n    purgeRuns(first: $first) { id startedAt finishedAt datasets items keys vectors blobBytes error }\n  }\n"): typeof import('./graphql.js').MonitorPurgeRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MonitorPurgeNow {\n    purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs }\n  }\n"): typeof import('./graphql.js').MonitorPurgeNowDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
