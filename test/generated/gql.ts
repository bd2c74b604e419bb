/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  mutation AccessLogConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { hasDeleteTask } }\n": typeof types.AccessLogConfigureDocument,
    "\n  mutation LockCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId } }\n  }\n": typeof types.LockCreateApiKeyDocument,
    "\n  query LockFirstEvent {\n    deletionEvents(first: 1) { edges { node { id } } }\n  }\n": typeof types.LockFirstEventDocument,
    "\n  mutation AuthCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name }\n  }\n": typeof types.AuthCreateWorkspaceDocument,
    "\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId name prefix scopes revokedAt } }\n  }\n": typeof types.AuthCreateApiKeyDocument,
    "\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.AuthRevokeApiKeyDocument,
    "\n  mutation AuthDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted }\n      ... on Error { code message }\n    }\n  }\n": typeof types.AuthDeleteResourceDocument,
    "\n  query AuthResourceById($id: ID!) {\n    resource(id: $id) { id deleted wrapper { status pid } }\n  }\n": typeof types.AuthResourceByIdDocument,
    "\n  query AuthWrapperById($id: ID!) {\n    wrapper(id: $id) { id status }\n  }\n": typeof types.AuthWrapperByIdDocument,
    "\n  query AuthResources {\n    resources(first: 500) { edges { node { id } } pageInfo { hasNextPage } }\n  }\n": typeof types.AuthResourcesDocument,
    "\n  query AuthFirstResource {\n    resources(first: 1) { edges { node { id } } }\n  }\n": typeof types.AuthFirstResourceDocument,
    "\n  query AuthQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n": typeof types.AuthQueueMessagesDocument,
    "\n  query AuthDeletionEvents {\n    deletionEvents(first: 1000) { edges { node { entityId workspaceId } } }\n  }\n": typeof types.AuthDeletionEventsDocument,
    "\n  subscription AuthDeletionEventStream($after: String) {\n    deletionEvents(after: $after, filter: { backends: [RESOURCE] }) { entityId workspaceId kind }\n  }\n": typeof types.AuthDeletionEventStreamDocument,
    "\n  query BrokerQueueMessages($state: QueueMessageState, $after: String) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 200, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id queue body rawBody state attempts lastError sentAt } }\n    }\n  }\n": typeof types.BrokerQueueMessagesDocument,
    "\n  mutation BuildCreateResource($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { pid status } }\n  }\n": typeof types.BuildCreateResourceDocument,
    "\n  mutation BuildDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on DeleteResourcePayload { wrapper { status } } }\n  }\n": typeof types.BuildDeleteResourceDocument,
    "\n  mutation ClientCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }": typeof types.ClientCreateImagesDocument,
    "\n  query ConcDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n": typeof types.ConcDeletionEventsDocument,
    "\n  query ConcQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n": typeof types.ConcQueueMessagesDocument,
    "\n  query ConcWrapperLog($id: ID!) {\n    wrapper(id: $id) { status executionLog(last: 100) { event } }\n  }\n": typeof types.ConcWrapperLogDocument,
    "\n  mutation DbFailCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id name wrapper { id pid status } }\n  }\n": typeof types.DbFailCreateResourceDocument,
    "\n  mutation DbFailDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { status } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.DbFailDeleteResourceDocument,
    "\n  query DbFailResourceById($id: ID!) {\n    resource(id: $id) { id name deleted deletedAt wrapper { id status pid executionLog(last: 100) { event } } }\n  }\n": typeof types.DbFailResourceByIdDocument,
    "\n  query DbFailWrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event } }\n  }\n": typeof types.DbFailWrapperByIdDocument,
    "\n  query DbFailQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n": typeof types.DbFailQueueMessagesDocument,
    "\n  query DbFailDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n": typeof types.DbFailDeletionEventsDocument,
    "\n  mutation PurgeExpired { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n": typeof types.PurgeExpiredDocument,
    "\n  query PurgeRunList {\n    purgeRuns(first: 50) { id instanceId startedAt finishedAt datasets items keys vectors blobBytes error }\n    nextPurgeAt\n  }\n": typeof types.PurgeRunListDocument,
    "\n  mutation MarkDataset($id: ID!) { deleteDataset(id: $id) { __typename } }\n": typeof types.MarkDatasetDocument,
    "\n  query PurgedEvents($after: String) {\n    deletionEvents(first: 500, after: $after, filter: { backends: [DATASET], kinds: [PURGED] }) {\n      edges { node { entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.PurgedEventsDocument,
    "\n  subscription PurgedStream($entityId: ID!, $after: String) {\n    deletionEvents(after: $after, filter: { entityId: $entityId, kinds: [PURGED] }) { kind entityId }\n  }\n": typeof types.PurgedStreamDocument,
    "\n  query DatasetGone($id: ID!) { dataset(id: $id) { id } }\n": typeof types.DatasetGoneDocument,
    "\n  query DatasetById($id: ID!) {\n    dataset(id: $id) { id workspaceId type fileName fileExt fileSize itemCount mimeType createdAt updatedAt expiresAt\n      markedForDeletion purgeAt share { url token expiresAt } }\n  }\n": typeof types.DatasetByIdDocument,
    "\n  query DatasetList($first: Int, $after: String, $showExpired: Boolean) {\n    datasets(first: $first, after: $after, showExpired: $showExpired) {\n      edges { cursor node { id markedForDeletion } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.DatasetListDocument,
    "\n  mutation DeleteDatasetOutcome($id: ID!) {\n    deleteDataset(id: $id) {\n      __typename\n      ... on DeleteDatasetPayload { success total data { id expiresAt markedForDeletion updatedAt } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.DeleteDatasetOutcomeDocument,
    "\n  mutation RestoreDatasetOutcome($id: ID!, $expiresAt: DateTime) {\n    restoreDataset(id: $id, expiresAt: $expiresAt) {\n      __typename\n      ... on Dataset { id expiresAt markedForDeletion purgeAt }\n      ... on ValidationError { field }\n      ... on Error { code message }\n    }\n  }\n": typeof types.RestoreDatasetOutcomeDocument,
    "\n  query NextPurgeAt { nextPurgeAt }\n": typeof types.NextPurgeAtDocument,
    "\n  mutation PurgeNow { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n": typeof types.PurgeNowDocument,
    "\n  query DatasetEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [DATASET] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n": typeof types.DatasetEventsDocument,
    "\n  mutation Configure($input: ConfigureEndpointInput!) {\n    configureEndpoint(input: $input) {\n      path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount\n    }\n  }": typeof types.ConfigureDocument,
    "\n  query Endpoint($path: EndpointPathInput!) {\n    endpoint(path: $path) { path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount deleteMethod }\n  }": typeof types.EndpointDocument,
    "\n  mutation Insert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id data locked references createdAt }\n  }": typeof types.InsertDocument,
    "\n  mutation DeleteOne($path: EndpointPathInput!, $id: ID!) {\n    deleteEndpointRecord(path: $path, id: $id) {\n      __typename\n      ... on DeleteEndpointRecordPayload { id deleted }\n      ... on Error { code message }\n    }\n  }": typeof types.DeleteOneDocument,
    "\n  mutation DeleteAll($path: EndpointPathInput!) {\n    deleteAllEndpointRecords(path: $path) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }": typeof types.DeleteAllDocument,
    "\n  mutation Run($path: EndpointPathInput!, $input: JSON) {\n    runEndpointDeleteTask(path: $path, input: $input) {\n      __typename\n      ... on EndpointTaskRun { id status message result response savedInput savedOutput startedAt finishedAt }\n      ... on Error { code errorMessage: message }\n      ... on ValidationError { field }\n    }\n  }": typeof types.RunDocument,
    "\n  query TaskRun($id: ID!) {\n    endpointTaskRun(id: $id) { id status message result response savedInput savedOutput startedAt finishedAt }\n  }": typeof types.TaskRunDocument,
    "\n  query EndpointEvents($entityId: ID) {\n    deletionEvents(first: 500, filter: { backends: [ENDPOINT_RECORD], entityId: $entityId }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }": typeof types.EndpointEventsDocument,
    "mutation W($name: String!) { createWorkspace(name: $name) { id } }": typeof types.WDocument,
    "mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }": typeof types.KDocument,
    "\n  mutation StreamDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on Error { code message }\n    }\n  }\n": typeof types.StreamDeleteResourceDocument,
    "\n  query StreamEvents($first: Int, $after: String, $filter: DeletionEventFilter) {\n    deletionEvents(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id cursor entityId workspaceId kind backend occurredAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.StreamEventsDocument,
    "\n  subscription StreamDeletionEvents($after: String, $filter: DeletionEventFilter) {\n    deletionEvents(after: $after, filter: $filter) { id cursor entityId workspaceId kind }\n  }\n": typeof types.StreamDeletionEventsDocument,
    "\n  mutation StreamCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n": typeof types.StreamCreateWorkspaceDocument,
    "\n  mutation StreamCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { workspaceId } }\n  }\n": typeof types.StreamCreateApiKeyDocument,
    "\n  subscription WatchEntity($after: String, $entityId: ID!) {\n    deletionEvents(after: $after, filter: { entityId: $entityId }) { kind backend entityId }\n  }\n": typeof types.WatchEntityDocument,
    "\n  mutation CreateEventsKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n": typeof types.CreateEventsKeyDocument,
    "\n  mutation ProtoCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { pid } }\n  }\n": typeof types.ProtoCreateResourceDocument,
    "\n  mutation IdemCreateResource($name: String!) { createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id } } }": typeof types.IdemCreateResourceDocument,
    "\n  mutation IdemDeleteResource($id: ID!, $key: String) {\n    deleteResource(id: $id, idempotencyKey: $key) {\n      __typename\n      ... on DeleteResourcePayload { id deleted resource { id name deletedAt } wrapper { id status statusChangedAt } }\n      ... on Error { code message }\n    }\n  }": typeof types.IdemDeleteResourceDocument,
    "\n  query IdemEvents($entityId: ID) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { backend kind entityId } } }\n  }": typeof types.IdemEventsDocument,
    "\n  query IdemQueue { queueMessages(queue: \"resource.deletion\", first: 500) { edges { node { id body } } } }": typeof types.IdemQueueDocument,
    "\n  mutation IdemCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }": typeof types.IdemCreateImagesDocument,
    "\n  mutation IdemDeleteImages($ids: [ID!]!, $key: String, $wait: Boolean) {\n    deleteImages(ids: $ids, idempotencyKey: $key, wait: $wait) { id numTotal isFinished }\n  }": typeof types.IdemDeleteImagesDocument,
    "mutation IdemPurge { purgeExpiredDatasets { datasets } }": typeof types.IdemPurgeDocument,
    "\n  mutation IdemConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }": typeof types.IdemConfigureDocument,
    "\n  mutation IdemInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }": typeof types.IdemInsertDocument,
    "\n  mutation IdemDeleteAll($path: EndpointPathInput!, $key: String) {\n    deleteAllEndpointRecords(path: $path, idempotencyKey: $key) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }": typeof types.IdemDeleteAllDocument,
    "\n  mutation IdemCreateParserResult($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }": typeof types.IdemCreateParserResultDocument,
    "\n  mutation CreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id name size sha256 contentType createdAt }\n  }\n": typeof types.CreateImagesDocument,
    "\n  query ImageById($id: ID!) {\n    image(id: $id) { id name size }\n  }\n": typeof types.ImageByIdDocument,
    "\n  mutation DeleteImages($ids: [ID!]!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImages(ids: $ids, wait: $wait, urgent: $urgent, strict: $strict) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n": typeof types.DeleteImagesDocument,
    "\n  mutation DeleteImage($id: ID!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImage(id: $id, wait: $wait, urgent: $urgent, strict: $strict) { id numTotal numGood numBad errors { id msg } }\n  }\n": typeof types.DeleteImageDocument,
    "\n  query OperationById($id: ID!) {\n    operation(id: $id) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n": typeof types.OperationByIdDocument,
    "\n  subscription OperationUpdated($id: ID!) {\n    operationUpdated(id: $id) { id numTotal numGood numBad isStarted isFinished allGood errors { id msg } version }\n  }\n": typeof types.OperationUpdatedDocument,
    "\n  query ImageEvents($filter: DeletionEventFilter, $after: String) {\n    deletionEvents(first: 500, filter: $filter, after: $after) {\n      edges { node { backend kind entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ImageEventsDocument,
    "\n  query AfterCommitTasksOfImage($entityId: ID!) {\n    afterCommitTasks(entityId: $entityId, first: 10) { edges { node { kind state backend } } }\n  }\n": typeof types.AfterCommitTasksOfImageDocument,
    "\n  mutation InstDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted }\n        wrapper { id status pid executionLog(last: 50) { event message } }\n      }\n      ... on WrapperStopTimeoutError { code message resourceId wrapperId instanceId }\n      ... on Error { code message }\n    }\n  }\n": typeof types.InstDeleteResourceDocument,
    "\n  mutation InstCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n": typeof types.InstCreateApiKeyDocument,
    "\n  mutation InstRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.InstRevokeApiKeyDocument,
    "\n  query InstResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n": typeof types.InstResourceDocument,
    "\n  query InstWrapper($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event message } }\n  }\n": typeof types.InstWrapperDocument,
    "\n  query InstEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 10, filter: $filter) { edges { node { entityId kind } } }\n  }\n": typeof types.InstEventsDocument,
    "\n  subscription InstDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n": typeof types.InstDeletionEventsDocument,
    "\n  mutation MetricsCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n": typeof types.MetricsCreateImagesDocument,
    "\n  mutation MetricsDeleteImage($id: ID!) { deleteImage(id: $id, wait: true) { isFinished numGood } }\n": typeof types.MetricsDeleteImageDocument,
    "\n  mutation MetricsPurge { purgeExpiredDatasets { runId datasets } }\n": typeof types.MetricsPurgeDocument,
    "\n  query MonitorApiCurrentKey { currentApiKey { id name prefix scopes workspaceId revokedAt } }\n": typeof types.MonitorApiCurrentKeyDocument,
    "\n  query MonitorApiDeletionCounts { deletionCounts { cursor counts { backend kind count since } } }\n": typeof types.MonitorApiDeletionCountsDocument,
    "\n  subscription MonitorApiCountOn($after: String) { deletionEvents(after: $after) { backend kind entityId } }\n": typeof types.MonitorApiCountOnDocument,
    "\n  mutation MonitorApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n": typeof types.MonitorApiCreateImagesDocument,
    "\n  mutation MonitorApiDeleteImages($ids: [ID!]!, $wait: Boolean) {\n    deleteImages(ids: $ids, wait: $wait) { id isFinished numTotal numGood }\n  }\n": typeof types.MonitorApiDeleteImagesDocument,
    "\n  query MonitorApiOperations($first: Int, $after: String, $last: Int, $state: OperationState) {\n    operations(first: $first, after: $after, last: $last, state: $state) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id numTotal numGood numBad isFinished } }\n    }\n  }\n": typeof types.MonitorApiOperationsDocument,
    "\n  mutation MonitorApiRetryFailed($queue: String!, $ids: [ID!]) {\n    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }\n  }\n": typeof types.MonitorApiRetryFailedDocument,
    "\n  query MonitorApiQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id state attempts lastError body } }\n    }\n  }\n": typeof types.MonitorApiQueueMessagesDocument,
    "\n  mutation MonitorPageCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n": typeof types.MonitorPageCreateImagesDocument,
    "\n  mutation OpenApiCreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId }\n  }": typeof types.OpenApiCreateParserResultDocument,
    "\n  mutation OpenApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }": typeof types.OpenApiCreateImagesDocument,
    "\n  mutation OpenApiConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { allowDeleting } }": typeof types.OpenApiConfigureDocument,
    "\n  mutation OpenApiInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }": typeof types.OpenApiInsertDocument,
    "\n  mutation CreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId files { name size sha256 contentType } data createdAt }\n  }\n": typeof types.CreateParserResultDocument,
    "\n  query ParserResultById($requestId: ID!) {\n    parserResult(requestId: $requestId) { requestId files { name size sha256 contentType } data createdAt }\n  }\n": typeof types.ParserResultByIdDocument,
    "\n  mutation DeleteParserResult($requestId: ID!) {\n    deleteParserResult(requestId: $requestId) {\n      __typename\n      ... on DeleteParserResultPayload { success message requestId deletedFiles deletedRows deletedBytes }\n      ... on Error { code message }\n    }\n  }\n": typeof types.DeleteParserResultDocument,
    "\n  query ParserResultEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [PARSER_RESULT] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n": typeof types.ParserResultEventsDocument,
    "\n  query AfterCommitTasksOf($entityId: ID!, $state: AfterCommitTaskState) {\n    afterCommitTasks(entityId: $entityId, state: $state, first: 50) {\n      edges { node { id kind state attempts lastError entityId backend payload createdAt runAt doneAt } }\n    }\n  }\n": typeof types.AfterCommitTasksOfDocument,
    "\n  mutation RlCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n": typeof types.RlCreateApiKeyDocument,
    "\n  mutation RlDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on Error { code } }\n  }\n": typeof types.RlDeleteResourceDocument,
    "\n  query RlResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n": typeof types.RlResourceDocument,
    "\n  subscription RlDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId }\n  }\n": typeof types.RlDeletionEventsDocument,
    "\n  mutation CreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) {\n      id\n      name\n      deleted\n      wrapper { id status pid statusChangedAt executionLog { event message } }\n    }\n  }\n": typeof types.CreateResourceDocument,
    "\n  mutation DeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted deletedAt }\n        wrapper { id status statusChangedAt pid executionLog { event message } }\n      }\n      ... on Error { code message }\n    }\n  }\n": typeof types.DeleteResourceDocument,
    "\n  query GetResource($id: ID!) {\n    resource(id: $id) { id name }\n  }\n": typeof types.GetResourceDocument,
    "\n  query ListResources($first: Int, $after: String) {\n    resources(first: $first, after: $after) {\n      edges { cursor node { id name wrapper { status executionLog { event } } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ListResourcesDocument,
    "\n  query ResourceQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id queue body state attempts } }\n    }\n  }\n": typeof types.ResourceQueueMessagesDocument,
    "\n  query ResourceDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) {\n      edges { cursor node { backend kind entityId workspaceId data } }\n    }\n  }\n": typeof types.ResourceDeletionEventsDocument,
    "\n  query WrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid statusChangedAt executionLog(last: 100) { event message } }\n  }\n": typeof types.WrapperByIdDocument,
    "\n  mutation RestCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id scopes } }\n  }\n": typeof types.RestCreateApiKeyDocument,
    "\n  query RestResourceById($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n": typeof types.RestResourceByIdDocument,
    "\n  query RestWrapperById($id: ID!) {\n    wrapper(id: $id) { id status statusChangedAt pid executionLog(last: 100) { event message } }\n  }\n": typeof types.RestWrapperByIdDocument,
    "\n  query RestQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { queue body } } }\n  }\n": typeof types.RestQueueMessagesDocument,
    "\n  query RestDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { backend kind entityId data } } }\n  }\n": typeof types.RestDeletionEventsDocument,
    "\n  mutation CreateWithWrapperForCrash($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id pid status } }\n  }\n": typeof types.CreateWithWrapperForCrashDocument,
    "\n  mutation DeleteForCrash($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n": typeof types.DeleteForCrashDocument,
    "\n  query AfterCrash($resourceId: ID!, $wrapperId: ID!) {\n    resource(id: $resourceId) { id }\n    wrapper(id: $wrapperId) { status statusChangedAt executionLog(last: 100) { event message } }\n    queueMessages(queue: \"resource.deletion\", first: 100) { edges { node { body } } }\n    deletionEvents(first: 100, filter: { entityId: $resourceId }) { edges { node { kind } } }\n  }\n": typeof types.AfterCrashDocument,
    "\n  query ShutdownResource($id: ID!) {\n    resource(id: $id) { id }\n  }\n": typeof types.ShutdownResourceDocument,
    "\n  subscription ShutdownDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n": typeof types.ShutdownDeletionEventsDocument,
    "\n  mutation SqlCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid } }\n  }\n": typeof types.SqlCreateResourceDocument,
    "\n  query SqlResourcesWithLogs {\n    resources(first: 100) { edges { node { wrapper { executionLog { event } } } } }\n  }\n": typeof types.SqlResourcesWithLogsDocument,
    "\n  query SqlResourcesWithEveryField {\n    resources(first: 100) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          createdAt\n          deleted\n          deletedAt\n          wrapper { id kind status pid statusChangedAt executionLog { id at event message } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SqlResourcesWithEveryFieldDocument,
    "\n  query SqlResourcesWithTwoLogWindows {\n    resources(first: 100) {\n      edges { node { wrapper { last: executionLog(last: 1) { event } all: executionLog(last: 5) { event } } } }\n    }\n  }\n": typeof types.SqlResourcesWithTwoLogWindowsDocument,
    "\n  query SqlResourcesWithWrappers {\n    resources(first: 100) { edges { node { id wrapper { status } } } }\n  }\n": typeof types.SqlResourcesWithWrappersDocument,
    "\n  query SqlResourcesOnly {\n    resources(first: 100) { edges { node { id name } } }\n  }\n": typeof types.SqlResourcesOnlyDocument,
    "\n  mutation LimitsCreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id }\n  }\n": typeof types.LimitsCreateImagesDocument,
    "\n  mutation LimitsDeleteImages($ids: [ID!]!) {\n    deleteImages(ids: $ids, wait: true) { numGood numBad isFinished }\n  }\n": typeof types.LimitsDeleteImagesDocument,
    "\n  mutation LimitsCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n": typeof types.LimitsCreateKeyDocument,
    "\n  mutation LimitsRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.LimitsRevokeKeyDocument,
    "\n  mutation LimitsCreateResource { createResource(input: { name: \"limits\" }) { id } }\n": typeof types.LimitsCreateResourceDocument,
    "\n  mutation LimitsDeleteResource($id: ID!) { deleteResource(id: $id) { __typename } }\n": typeof types.LimitsDeleteResourceDocument,
    "\n  subscription LimitsImageEvents($after: String) {\n    deletionEvents(after: $after, filter: { backends: [IMAGE], kinds: [HARD_DELETED] }) { cursor entityId }\n  }\n": typeof types.LimitsImageEventsDocument,
    "\n  subscription LimitsAllEvents { deletionEvents { cursor entityId } }\n": typeof types.LimitsAllEventsDocument,
    "\n  mutation ShareCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n": typeof types.ShareCreateWorkspaceDocument,
    "\n  mutation ShareCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n": typeof types.ShareCreateApiKeyDocument,
    "\n  mutation ShareCreateResource($name: String!) {\n    createResource(input: { name: $name }) { id }\n  }\n": typeof types.ShareCreateResourceDocument,
    "\n  subscription ShareByEntity($filter: DeletionEventFilter) {\n    deletionEvents(filter: $filter) { entityId kind }\n  }\n": typeof types.ShareByEntityDocument,
    "\n  subscription ShareWithCursor {\n    deletionEvents { cursor entityId workspaceId }\n  }\n": typeof types.ShareWithCursorDocument,
    "\n  mutation CreateResourceWithWrapper($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid status } }\n  }\n": typeof types.CreateResourceWithWrapperDocument,
    "\n  mutation DeleteResourceOutcome($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { id status } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.DeleteResourceOutcomeDocument,
    "\n  mutation DeleteResourceTypename($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n": typeof types.DeleteResourceTypenameDocument,
    "\n  query EventsOfEntity($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { entityId } } }\n  }\n": typeof types.EventsOfEntityDocument,
    "\n  mutation SupportCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }\n": typeof types.SupportCreateApiKeyDocument,
    "\n  mutation SupportCreateWorkspace($name: String!) { createWorkspace(name: $name) { id } }\n": typeof types.SupportCreateWorkspaceDocument,
};
const documents: Documents = {
    "\n  mutation AccessLogConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { hasDeleteTask } }\n": types.AccessLogConfigureDocument,
    "\n  mutation LockCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId } }\n  }\n": types.LockCreateApiKeyDocument,
    "\n  query LockFirstEvent {\n    deletionEvents(first: 1) { edges { node { id } } }\n  }\n": types.LockFirstEventDocument,
    "\n  mutation AuthCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name }\n  }\n": types.AuthCreateWorkspaceDocument,
    "\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId name prefix scopes revokedAt } }\n  }\n": types.AuthCreateApiKeyDocument,
    "\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.AuthRevokeApiKeyDocument,
    "\n  mutation AuthDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted }\n      ... on Error { code message }\n    }\n  }\n": types.AuthDeleteResourceDocument,
    "\n  query AuthResourceById($id: ID!) {\n    resource(id: $id) { id deleted wrapper { status pid } }\n  }\n": types.AuthResourceByIdDocument,
    "\n  query AuthWrapperById($id: ID!) {\n    wrapper(id: $id) { id status }\n  }\n": types.AuthWrapperByIdDocument,
    "\n  query AuthResources {\n    resources(first: 500) { edges { node { id } } pageInfo { hasNextPage } }\n  }\n": types.AuthResourcesDocument,
    "\n  query AuthFirstResource {\n    resources(first: 1) { edges { node { id } } }\n  }\n": types.AuthFirstResourceDocument,
    "\n  query AuthQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n": types.AuthQueueMessagesDocument,
    "\n  query AuthDeletionEvents {\n    deletionEvents(first: 1000) { edges { node { entityId workspaceId } } }\n  }\n": types.AuthDeletionEventsDocument,
    "\n  subscription AuthDeletionEventStream($after: String) {\n    deletionEvents(after: $after, filter: { backends: [RESOURCE] }) { entityId workspaceId kind }\n  }\n": types.AuthDeletionEventStreamDocument,
    "\n  query BrokerQueueMessages($state: QueueMessageState, $after: String) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 200, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id queue body rawBody state attempts lastError sentAt } }\n    }\n  }\n": types.BrokerQueueMessagesDocument,
    "\n  mutation BuildCreateResource($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { pid status } }\n  }\n": types.BuildCreateResourceDocument,
    "\n  mutation BuildDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on DeleteResourcePayload { wrapper { status } } }\n  }\n": types.BuildDeleteResourceDocument,
    "\n  mutation ClientCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }": types.ClientCreateImagesDocument,
    "\n  query ConcDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n": types.ConcDeletionEventsDocument,
    "\n  query ConcQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n": types.ConcQueueMessagesDocument,
    "\n  query ConcWrapperLog($id: ID!) {\n    wrapper(id: $id) { status executionLog(last: 100) { event } }\n  }\n": types.ConcWrapperLogDocument,
    "\n  mutation DbFailCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id name wrapper { id pid status } }\n  }\n": types.DbFailCreateResourceDocument,
    "\n  mutation DbFailDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { status } }\n      ... on Error { code message }\n    }\n  }\n": types.DbFailDeleteResourceDocument,
    "\n  query DbFailResourceById($id: ID!) {\n    resource(id: $id) { id name deleted deletedAt wrapper { id status pid executionLog(last: 100) { event } } }\n  }\n": types.DbFailResourceByIdDocument,
    "\n  query DbFailWrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event } }\n  }\n": types.DbFailWrapperByIdDocument,
    "\n  query DbFailQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n": types.DbFailQueueMessagesDocument,
    "\n  query DbFailDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n": types.DbFailDeletionEventsDocument,
    "\n  mutation PurgeExpired { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n": types.PurgeExpiredDocument,
    "\n  query PurgeRunList {\n    purgeRuns(first: 50) { id instanceId startedAt finishedAt datasets items keys vectors blobBytes error }\n    nextPurgeAt\n  }\n": types.PurgeRunListDocument,
    "\n  mutation MarkDataset($id: ID!) { deleteDataset(id: $id) { __typename } }\n": types.MarkDatasetDocument,
    "\n  query PurgedEvents($after: String) {\n    deletionEvents(first: 500, after: $after, filter: { backends: [DATASET], kinds: [PURGED] }) {\n      edges { node { entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.PurgedEventsDocument,
    "\n  subscription PurgedStream($entityId: ID!, $after: String) {\n    deletionEvents(after: $after, filter: { entityId: $entityId, kinds: [PURGED] }) { kind entityId }\n  }\n": types.PurgedStreamDocument,
    "\n  query DatasetGone($id: ID!) { dataset(id: $id) { id } }\n": types.DatasetGoneDocument,
    "\n  query DatasetById($id: ID!) {\n    dataset(id: $id) { id workspaceId type fileName fileExt fileSize itemCount mimeType createdAt updatedAt expiresAt\n      markedForDeletion purgeAt share { url token expiresAt } }\n  }\n": types.DatasetByIdDocument,
    "\n  query DatasetList($first: Int, $after: String, $showExpired: Boolean) {\n    datasets(first: $first, after: $after, showExpired: $showExpired) {\n      edges { cursor node { id markedForDeletion } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.DatasetListDocument,
    "\n  mutation DeleteDatasetOutcome($id: ID!) {\n    deleteDataset(id: $id) {\n      __typename\n      ... on DeleteDatasetPayload { success total data { id expiresAt markedForDeletion updatedAt } }\n      ... on Error { code message }\n    }\n  }\n": types.DeleteDatasetOutcomeDocument,
    "\n  mutation RestoreDatasetOutcome($id: ID!, $expiresAt: DateTime) {\n    restoreDataset(id: $id, expiresAt: $expiresAt) {\n      __typename\n      ... on Dataset { id expiresAt markedForDeletion purgeAt }\n      ... on ValidationError { field }\n      ... on Error { code message }\n    }\n  }\n": types.RestoreDatasetOutcomeDocument,
    "\n  query NextPurgeAt { nextPurgeAt }\n": types.NextPurgeAtDocument,
    "\n  mutation PurgeNow { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n": types.PurgeNowDocument,
    "\n  query DatasetEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [DATASET] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n": types.DatasetEventsDocument,
    "\n  mutation Configure($input: ConfigureEndpointInput!) {\n    configureEndpoint(input: $input) {\n      path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount\n    }\n  }": types.ConfigureDocument,
    "\n  query Endpoint($path: EndpointPathInput!) {\n    endpoint(path: $path) { path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount deleteMethod }\n  }": types.EndpointDocument,
    "\n  mutation Insert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id data locked references createdAt }\n  }": types.InsertDocument,
    "\n  mutation DeleteOne($path: EndpointPathInput!, $id: ID!) {\n    deleteEndpointRecord(path: $path, id: $id) {\n      __typename\n      ... on DeleteEndpointRecordPayload { id deleted }\n      ... on Error { code message }\n    }\n  }": types.DeleteOneDocument,
    "\n  mutation DeleteAll($path: EndpointPathInput!) {\n    deleteAllEndpointRecords(path: $path) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }": types.DeleteAllDocument,
    "\n  mutation Run($path: EndpointPathInput!, $input: JSON) {\n    runEndpointDeleteTask(path: $path, input: $input) {\n      __typename\n      ... on EndpointTaskRun { id status message result response savedInput savedOutput startedAt finishedAt }\n      ... on Error { code errorMessage: message }\n      ... on ValidationError { field }\n    }\n  }": types.RunDocument,
    "\n  query TaskRun($id: ID!) {\n    endpointTaskRun(id: $id) { id status message result response savedInput savedOutput startedAt finishedAt }\n  }": types.TaskRunDocument,
    "\n  query EndpointEvents($entityId: ID) {\n    deletionEvents(first: 500, filter: { backends: [ENDPOINT_RECORD], entityId: $entityId }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }": types.EndpointEventsDocument,
    "mutation W($name: String!) { createWorkspace(name: $name) { id } }": types.WDocument,
    "mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }": types.KDocument,
    "\n  mutation StreamDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on Error { code message }\n    }\n  }\n": types.StreamDeleteResourceDocument,
    "\n  query StreamEvents($first: Int, $after: String, $filter: DeletionEventFilter) {\n    deletionEvents(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id cursor entityId workspaceId kind backend occurredAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.StreamEventsDocument,
    "\n  subscription StreamDeletionEvents($after: String, $filter: DeletionEventFilter) {\n    deletionEvents(after: $after, filter: $filter) { id cursor entityId workspaceId kind }\n  }\n": types.StreamDeletionEventsDocument,
    "\n  mutation StreamCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n": types.StreamCreateWorkspaceDocument,
    "\n  mutation StreamCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { workspaceId } }\n  }\n": types.StreamCreateApiKeyDocument,
    "\n  subscription WatchEntity($after: String, $entityId: ID!) {\n    deletionEvents(after: $after, filter: { entityId: $entityId }) { kind backend entityId }\n  }\n": types.WatchEntityDocument,
    "\n  mutation CreateEventsKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n": types.CreateEventsKeyDocument,
    "\n  mutation ProtoCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { pid } }\n  }\n": types.ProtoCreateResourceDocument,
    "\n  mutation IdemCreateResource($name: String!) { createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id } } }": types.IdemCreateResourceDocument,
    "\n  mutation IdemDeleteResource($id: ID!, $key: String) {\n    deleteResource(id: $id, idempotencyKey: $key) {\n      __typename\n      ... on DeleteResourcePayload { id deleted resource { id name deletedAt } wrapper { id status statusChangedAt } }\n      ... on Error { code message }\n    }\n  }": types.IdemDeleteResourceDocument,
    "\n  query IdemEvents($entityId: ID) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { backend kind entityId } } }\n  }": types.IdemEventsDocument,
    "\n  query IdemQueue { queueMessages(queue: \"resource.deletion\", first: 500) { edges { node { id body } } } }": types.IdemQueueDocument,
    "\n  mutation IdemCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }": types.IdemCreateImagesDocument,
    "\n  mutation IdemDeleteImages($ids: [ID!]!, $key: String, $wait: Boolean) {\n    deleteImages(ids: $ids, idempotencyKey: $key, wait: $wait) { id numTotal isFinished }\n  }": types.IdemDeleteImagesDocument,
    "mutation IdemPurge { purgeExpiredDatasets { datasets } }": types.IdemPurgeDocument,
    "\n  mutation IdemConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }": types.IdemConfigureDocument,
    "\n  mutation IdemInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }": types.IdemInsertDocument,
    "\n  mutation IdemDeleteAll($path: EndpointPathInput!, $key: String) {\n    deleteAllEndpointRecords(path: $path, idempotencyKey: $key) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }": types.IdemDeleteAllDocument,
    "\n  mutation IdemCreateParserResult($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }": types.IdemCreateParserResultDocument,
    "\n  mutation CreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id name size sha256 contentType createdAt }\n  }\n": types.CreateImagesDocument,
    "\n  query ImageById($id: ID!) {\n    image(id: $id) { id name size }\n  }\n": types.ImageByIdDocument,
    "\n  mutation DeleteImages($ids: [ID!]!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImages(ids: $ids, wait: $wait, urgent: $urgent, strict: $strict) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n": types.DeleteImagesDocument,
    "\n  mutation DeleteImage($id: ID!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImage(id: $id, wait: $wait, urgent: $urgent, strict: $strict) { id numTotal numGood numBad errors { id msg } }\n  }\n": types.DeleteImageDocument,
    "\n  query OperationById($id: ID!) {\n    operation(id: $id) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n": types.OperationByIdDocument,
    "\n  subscription OperationUpdated($id: ID!) {\n    operationUpdated(id: $id) { id numTotal numGood numBad isStarted isFinished allGood errors { id msg } version }\n  }\n": types.OperationUpdatedDocument,
    "\n  query ImageEvents($filter: DeletionEventFilter, $after: String) {\n    deletionEvents(first: 500, filter: $filter, after: $after) {\n      edges { node { backend kind entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ImageEventsDocument,
    "\n  query AfterCommitTasksOfImage($entityId: ID!) {\n    afterCommitTasks(entityId: $entityId, first: 10) { edges { node { kind state backend } } }\n  }\n": types.AfterCommitTasksOfImageDocument,
    "\n  mutation InstDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted }\n        wrapper { id status pid executionLog(last: 50) { event message } }\n      }\n      ... on WrapperStopTimeoutError { code message resourceId wrapperId instanceId }\n      ... on Error { code message }\n    }\n  }\n": types.InstDeleteResourceDocument,
    "\n  mutation InstCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n": types.InstCreateApiKeyDocument,
    "\n  mutation InstRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.InstRevokeApiKeyDocument,
    "\n  query InstResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n": types.InstResourceDocument,
    "\n  query InstWrapper($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event message } }\n  }\n": types.InstWrapperDocument,
    "\n  query InstEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 10, filter: $filter) { edges { node { entityId kind } } }\n  }\n": types.InstEventsDocument,
    "\n  subscription InstDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n": types.InstDeletionEventsDocument,
    "\n  mutation MetricsCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n": types.MetricsCreateImagesDocument,
    "\n  mutation MetricsDeleteImage($id: ID!) { deleteImage(id: $id, wait: true) { isFinished numGood } }\n": types.MetricsDeleteImageDocument,
    "\n  mutation MetricsPurge { purgeExpiredDatasets { runId datasets } }\n": types.MetricsPurgeDocument,
    "\n  query MonitorApiCurrentKey { currentApiKey { id name prefix scopes workspaceId revokedAt } }\n": types.MonitorApiCurrentKeyDocument,
    "\n  query MonitorApiDeletionCounts { deletionCounts { cursor counts { backend kind count since } } }\n": types.MonitorApiDeletionCountsDocument,
    "\n  subscription MonitorApiCountOn($after: String) { deletionEvents(after: $after) { backend kind entityId } }\n": types.MonitorApiCountOnDocument,
    "\n  mutation MonitorApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n": types.MonitorApiCreateImagesDocument,
    "\n  mutation MonitorApiDeleteImages($ids: [ID!]!, $wait: Boolean) {\n    deleteImages(ids: $ids, wait: $wait) { id isFinished numTotal numGood }\n  }\n": types.MonitorApiDeleteImagesDocument,
    "\n  query MonitorApiOperations($first: Int, $after: String, $last: Int, $state: OperationState) {\n    operations(first: $first, after: $after, last: $last, state: $state) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id numTotal numGood numBad isFinished } }\n    }\n  }\n": types.MonitorApiOperationsDocument,
    "\n  mutation MonitorApiRetryFailed($queue: String!, $ids: [ID!]) {\n    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }\n  }\n": types.MonitorApiRetryFailedDocument,
    "\n  query MonitorApiQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id state attempts lastError body } }\n    }\n  }\n": types.MonitorApiQueueMessagesDocument,
    "\n  mutation MonitorPageCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n": types.MonitorPageCreateImagesDocument,
    "\n  mutation OpenApiCreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId }\n  }": types.OpenApiCreateParserResultDocument,
    "\n  mutation OpenApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }": types.OpenApiCreateImagesDocument,
    "\n  mutation OpenApiConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { allowDeleting } }": types.OpenApiConfigureDocument,
    "\n  mutation OpenApiInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }": types.OpenApiInsertDocument,
    "\n  mutation CreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId files { name size sha256 contentType } data createdAt }\n  }\n": types.CreateParserResultDocument,
    "\n  query ParserResultById($requestId: ID!) {\n    parserResult(requestId: $requestId) { requestId files { name size sha256 contentType } data createdAt }\n  }\n": types.ParserResultByIdDocument,
    "\n  mutation DeleteParserResult($requestId: ID!) {\n    deleteParserResult(requestId: $requestId) {\n      __typename\n      ... on DeleteParserResultPayload { success message requestId deletedFiles deletedRows deletedBytes }\n      ... on Error { code message }\n    }\n  }\n": types.DeleteParserResultDocument,
    "\n  query ParserResultEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [PARSER_RESULT] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n": types.ParserResultEventsDocument,
    "\n  query AfterCommitTasksOf($entityId: ID!, $state: AfterCommitTaskState) {\n    afterCommitTasks(entityId: $entityId, state: $state, first: 50) {\n      edges { node { id kind state attempts lastError entityId backend payload createdAt runAt doneAt } }\n    }\n  }\n": types.AfterCommitTasksOfDocument,
    "\n  mutation RlCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n": types.RlCreateApiKeyDocument,
    "\n  mutation RlDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on Error { code } }\n  }\n": types.RlDeleteResourceDocument,
    "\n  query RlResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n": types.RlResourceDocument,
    "\n  subscription RlDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId }\n  }\n": types.RlDeletionEventsDocument,
    "\n  mutation CreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) {\n      id\n      name\n      deleted\n      wrapper { id status pid statusChangedAt executionLog { event message } }\n    }\n  }\n": types.CreateResourceDocument,
    "\n  mutation DeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted deletedAt }\n        wrapper { id status statusChangedAt pid executionLog { event message } }\n      }\n      ... on Error { code message }\n    }\n  }\n": types.DeleteResourceDocument,
    "\n  query GetResource($id: ID!) {\n    resource(id: $id) { id name }\n  }\n": types.GetResourceDocument,
    "\n  query ListResources($first: Int, $after: String) {\n    resources(first: $first, after: $after) {\n      edges { cursor node { id name wrapper { status executionLog { event } } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ListResourcesDocument,
    "\n  query ResourceQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id queue body state attempts } }\n    }\n  }\n": types.ResourceQueueMessagesDocument,
    "\n  query ResourceDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) {\n      edges { cursor node { backend kind entityId workspaceId data } }\n    }\n  }\n": types.ResourceDeletionEventsDocument,
    "\n  query WrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid statusChangedAt executionLog(last: 100) { event message } }\n  }\n": types.WrapperByIdDocument,
    "\n  mutation RestCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id scopes } }\n  }\n": types.RestCreateApiKeyDocument,
    "\n  query RestResourceById($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n": types.RestResourceByIdDocument,
    "\n  query RestWrapperById($id: ID!) {\n    wrapper(id: $id) { id status statusChangedAt pid executionLog(last: 100) { event message } }\n  }\n": types.RestWrapperByIdDocument,
    "\n  query RestQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { queue body } } }\n  }\n": types.RestQueueMessagesDocument,
    "\n  query RestDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { backend kind entityId data } } }\n  }\n": types.RestDeletionEventsDocument,
    "\n  mutation CreateWithWrapperForCrash($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id pid status } }\n  }\n": types.CreateWithWrapperForCrashDocument,
    "\n  mutation DeleteForCrash($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n": types.DeleteForCrashDocument,
    "\n  query AfterCrash($resourceId: ID!, $wrapperId: ID!) {\n    resource(id: $resourceId) { id }\n    wrapper(id: $wrapperId) { status statusChangedAt executionLog(last: 100) { event message } }\n    queueMessages(queue: \"resource.deletion\", first: 100) { edges { node { body } } }\n    deletionEvents(first: 100, filter: { entityId: $resourceId }) { edges { node { kind } } }\n  }\n": types.AfterCrashDocument,
    "\n  query ShutdownResource($id: ID!) {\n    resource(id: $id) { id }\n  }\n": types.ShutdownResourceDocument,
    "\n  subscription ShutdownDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n": types.ShutdownDeletionEventsDocument,
    "\n  mutation SqlCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid } }\n  }\n": types.SqlCreateResourceDocument,
    "\n  query SqlResourcesWithLogs {\n    resources(first: 100) { edges { node { wrapper { executionLog { event } } } } }\n  }\n": types.SqlResourcesWithLogsDocument,
    "\n  query SqlResourcesWithEveryField {\n    resources(first: 100) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          createdAt\n          deleted\n          deletedAt\n          wrapper { id kind status pid statusChangedAt executionLog { id at event message } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SqlResourcesWithEveryFieldDocument,
    "\n  query SqlResourcesWithTwoLogWindows {\n    resources(first: 100) {\n      edges { node { wrapper { last: executionLog(last: 1) { event } all: executionLog(last: 5) { event } } } }\n    }\n  }\n": types.SqlResourcesWithTwoLogWindowsDocument,
    "\n  query SqlResourcesWithWrappers {\n    resources(first: 100) { edges { node { id wrapper { status } } } }\n  }\n": types.SqlResourcesWithWrappersDocument,
    "\n  query SqlResourcesOnly {\n    resources(first: 100) { edges { node { id name } } }\n  }\n": types.SqlResourcesOnlyDocument,
    "\n  mutation LimitsCreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id }\n  }\n": types.LimitsCreateImagesDocument,
    "\n  mutation LimitsDeleteImages($ids: [ID!]!) {\n    deleteImages(ids: $ids, wait: true) { numGood numBad isFinished }\n  }\n": types.LimitsDeleteImagesDocument,
    "\n  mutation LimitsCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n": types.LimitsCreateKeyDocument,
    "\n  mutation LimitsRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.LimitsRevokeKeyDocument,
    "\n  mutation LimitsCreateResource { createResource(input: { name: \"limits\" }) { id } }\n": types.LimitsCreateResourceDocument,
    "\n  mutation LimitsDeleteResource($id: ID!) { deleteResource(id: $id) { __typename } }\n": types.LimitsDeleteResourceDocument,
    "\n  subscription LimitsImageEvents($after: String) {\n    deletionEvents(after: $after, filter: { backends: [IMAGE], kinds: [HARD_DELETED] }) { cursor entityId }\n  }\n": types.LimitsImageEventsDocument,
    "\n  subscription LimitsAllEvents { deletionEvents { cursor entityId } }\n": types.LimitsAllEventsDocument,
    "\n  mutation ShareCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n": types.ShareCreateWorkspaceDocument,
    "\n  mutation ShareCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n": types.ShareCreateApiKeyDocument,
    "\n  mutation ShareCreateResource($name: String!) {\n    createResource(input: { name: $name }) { id }\n  }\n": types.ShareCreateResourceDocument,
    "\n  subscription ShareByEntity($filter: DeletionEventFilter) {\n    deletionEvents(filter: $filter) { entityId kind }\n  }\n": types.ShareByEntityDocument,
    "\n  subscription ShareWithCursor {\n    deletionEvents { cursor entityId workspaceId }\n  }\n": types.ShareWithCursorDocument,
    "\n  mutation CreateResourceWithWrapper($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid status } }\n  }\n": types.CreateResourceWithWrapperDocument,
    "\n  mutation DeleteResourceOutcome($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { id status } }\n      ... on Error { code message }\n    }\n  }\n": types.DeleteResourceOutcomeDocument,
    "\n  mutation DeleteResourceTypename($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n": types.DeleteResourceTypenameDocument,
    "\n  query EventsOfEntity($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { entityId } } }\n  }\n": types.EventsOfEntityDocument,
    "\n  mutation SupportCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }\n": types.SupportCreateApiKeyDocument,
    "\n  mutation SupportCreateWorkspace($name: String!) { createWorkspace(name: $name) { id } }\n": types.SupportCreateWorkspaceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccessLogConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { hasDeleteTask } }\n"): (typeof documents)["\n  mutation AccessLogConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { hasDeleteTask } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LockCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId } }\n  }\n"): (typeof documents)["\n  mutation LockCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockFirstEvent {\n    deletionEvents(first: 1) { edges { node { id } } }\n  }\n"): (typeof documents)["\n  query LockFirstEvent {\n    deletionEvents(first: 1) { edges { node { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name }\n  }\n"): (typeof documents)["\n  mutation AuthCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId name prefix scopes revokedAt } }\n  }\n"): (typeof documents)["\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id workspaceId name prefix scopes revokedAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): (typeof documents)["\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation AuthDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthResourceById($id: ID!) {\n    resource(id: $id) { id deleted wrapper { status pid } }\n  }\n"): (typeof documents)["\n  query AuthResourceById($id: ID!) {\n    resource(id: $id) { id deleted wrapper { status pid } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthWrapperById($id: ID!) {\n    wrapper(id: $id) { id status }\n  }\n"): (typeof documents)["\n  query AuthWrapperById($id: ID!) {\n    wrapper(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthResources {\n    resources(first: 500) { edges { node { id } } pageInfo { hasNextPage } }\n  }\n"): (typeof documents)["\n  query AuthResources {\n    resources(first: 500) { edges { node { id } } pageInfo { hasNextPage } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthFirstResource {\n    resources(first: 1) { edges { node { id } } }\n  }\n"): (typeof documents)["\n  query AuthFirstResource {\n    resources(first: 1) { edges { node { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n"): (typeof documents)["\n  query AuthQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthDeletionEvents {\n    deletionEvents(first: 1000) { edges { node { entityId workspaceId } } }\n  }\n"): (typeof documents)["\n  query AuthDeletionEvents {\n    deletionEvents(first: 1000) { edges { node { entityId workspaceId } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuthDeletionEventStream($after: String) {\n    deletionEvents(after: $after, filter: { backends: [RESOURCE] }) { entityId workspaceId kind }\n  }\n"): (typeof documents)["\n  subscription AuthDeletionEventStream($after: String) {\n    deletionEvents(after: $after, filter: { backends: [RESOURCE] }) { entityId workspaceId kind }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BrokerQueueMessages($state: QueueMessageState, $after: String) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 200, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id queue body rawBody state attempts lastError sentAt } }\n    }\n  }\n"): (typeof documents)["\n  query BrokerQueueMessages($state: QueueMessageState, $after: String) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 200, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id queue body rawBody state attempts lastError sentAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BuildCreateResource($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { pid status } }\n  }\n"): (typeof documents)["\n  mutation BuildCreateResource($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { pid status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BuildDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on DeleteResourcePayload { wrapper { status } } }\n  }\n"): (typeof documents)["\n  mutation BuildDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on DeleteResourcePayload { wrapper { status } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClientCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }"): (typeof documents)["\n  mutation ClientCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConcDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n"): (typeof documents)["\n  query ConcDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConcQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n"): (typeof documents)["\n  query ConcQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConcWrapperLog($id: ID!) {\n    wrapper(id: $id) { status executionLog(last: 100) { event } }\n  }\n"): (typeof documents)["\n  query ConcWrapperLog($id: ID!) {\n    wrapper(id: $id) { status executionLog(last: 100) { event } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DbFailCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id name wrapper { id pid status } }\n  }\n"): (typeof documents)["\n  mutation DbFailCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id name wrapper { id pid status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DbFailDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { status } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation DbFailDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { status } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DbFailResourceById($id: ID!) {\n    resource(id: $id) { id name deleted deletedAt wrapper { id status pid executionLog(last: 100) { event } } }\n  }\n"): (typeof documents)["\n  query DbFailResourceById($id: ID!) {\n    resource(id: $id) { id name deleted deletedAt wrapper { id status pid executionLog(last: 100) { event } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DbFailWrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event } }\n  }\n"): (typeof documents)["\n  query DbFailWrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DbFailQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n"): (typeof documents)["\n  query DbFailQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { body } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DbFailDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n"): (typeof documents)["\n  query DbFailDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PurgeExpired { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n"): (typeof documents)["\n  mutation PurgeExpired { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PurgeRunList {\n    purgeRuns(first: 50) { id instanceId startedAt finishedAt datasets items keys vectors blobBytes error }\n    nextPurgeAt\n  }\n"): (typeof documents)["\n  query PurgeRunList {\n    purgeRuns(first: 50) { id instanceId startedAt finishedAt datasets items keys vectors blobBytes error }\n    nextPurgeAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkDataset($id: ID!) { deleteDataset(id: $id) { __typename } }\n"): (typeof documents)["\n  mutation MarkDataset($id: ID!) { deleteDataset(id: $id) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PurgedEvents($after: String) {\n    deletionEvents(first: 500, after: $after, filter: { backends: [DATASET], kinds: [PURGED] }) {\n      edges { node { entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query PurgedEvents($after: String) {\n    deletionEvents(first: 500, after: $after, filter: { backends: [DATASET], kinds: [PURGED] }) {\n      edges { node { entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PurgedStream($entityId: ID!, $after: String) {\n    deletionEvents(after: $after, filter: { entityId: $entityId, kinds: [PURGED] }) { kind entityId }\n  }\n"): (typeof documents)["\n  subscription PurgedStream($entityId: ID!, $after: String) {\n    deletionEvents(after: $after, filter: { entityId: $entityId, kinds: [PURGED] }) { kind entityId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetGone($id: ID!) { dataset(id: $id) { id } }\n"): (typeof documents)["\n  query DatasetGone($id: ID!) { dataset(id: $id) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetById($id: ID!) {\n    dataset(id: $id) { id workspaceId type fileName fileExt fileSize itemCount mimeType createdAt updatedAt expiresAt\n      markedForDeletion purgeAt share { url token expiresAt } }\n  }\n"): (typeof documents)["\n  query DatasetById($id: ID!) {\n    dataset(id: $id) { id workspaceId type fileName fileExt fileSize itemCount mimeType createdAt updatedAt expiresAt\n      markedForDeletion purgeAt share { url token expiresAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetList($first: Int, $after: String, $showExpired: Boolean) {\n    datasets(first: $first, after: $after, showExpired: $showExpired) {\n      edges { cursor node { id markedForDeletion } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query DatasetList($first: Int, $after: String, $showExpired: Boolean) {\n    datasets(first: $first, after: $after, showExpired: $showExpired) {\n      edges { cursor node { id markedForDeletion } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteDatasetOutcome($id: ID!) {\n    deleteDataset(id: $id) {\n      __typename\n      ... on DeleteDatasetPayload { success total data { id expiresAt markedForDeletion updatedAt } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteDatasetOutcome($id: ID!) {\n    deleteDataset(id: $id) {\n      __typename\n      ... on DeleteDatasetPayload { success total data { id expiresAt markedForDeletion updatedAt } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestoreDatasetOutcome($id: ID!, $expiresAt: DateTime) {\n    restoreDataset(id: $id, expiresAt: $expiresAt) {\n      __typename\n      ... on Dataset { id expiresAt markedForDeletion purgeAt }\n      ... on ValidationError { field }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation RestoreDatasetOutcome($id: ID!, $expiresAt: DateTime) {\n    restoreDataset(id: $id, expiresAt: $expiresAt) {\n      __typename\n      ... on Dataset { id expiresAt markedForDeletion purgeAt }\n      ... on ValidationError { field }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NextPurgeAt { nextPurgeAt }\n"): (typeof documents)["\n  query NextPurgeAt { nextPurgeAt }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PurgeNow { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n"): (typeof documents)["\n  mutation PurgeNow { purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [DATASET] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n"): (typeof documents)["\n  query DatasetEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [DATASET] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Configure($input: ConfigureEndpointInput!) {\n    configureEndpoint(input: $input) {\n      path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount\n    }\n  }"): (typeof documents)["\n  mutation Configure($input: ConfigureEndpointInput!) {\n    configureEndpoint(input: $input) {\n      path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount\n    }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Endpoint($path: EndpointPathInput!) {\n    endpoint(path: $path) { path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount deleteMethod }\n  }"): (typeof documents)["\n  query Endpoint($path: EndpointPathInput!) {\n    endpoint(path: $path) { path { company group endpoint } allowDeleting hasDeleteTask failMessageStatus recordCount deleteMethod }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Insert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id data locked references createdAt }\n  }"): (typeof documents)["\n  mutation Insert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id data locked references createdAt }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteOne($path: EndpointPathInput!, $id: ID!) {\n    deleteEndpointRecord(path: $path, id: $id) {\n      __typename\n      ... on DeleteEndpointRecordPayload { id deleted }\n      ... on Error { code message }\n    }\n  }"): (typeof documents)["\n  mutation DeleteOne($path: EndpointPathInput!, $id: ID!) {\n    deleteEndpointRecord(path: $path, id: $id) {\n      __typename\n      ... on DeleteEndpointRecordPayload { id deleted }\n      ... on Error { code message }\n    }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAll($path: EndpointPathInput!) {\n    deleteAllEndpointRecords(path: $path) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }"): (typeof documents)["\n  mutation DeleteAll($path: EndpointPathInput!) {\n    deleteAllEndpointRecords(path: $path) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Run($path: EndpointPathInput!, $input: JSON) {\n    runEndpointDeleteTask(path: $path, input: $input) {\n      __typename\n      ... on EndpointTaskRun { id status message result response savedInput savedOutput startedAt finishedAt }\n      ... on Error { code errorMessage: message }\n      ... on ValidationError { field }\n    }\n  }"): (typeof documents)["\n  mutation Run($path: EndpointPathInput!, $input: JSON) {\n    runEndpointDeleteTask(path: $path, input: $input) {\n      __typename\n      ... on EndpointTaskRun { id status message result response savedInput savedOutput startedAt finishedAt }\n      ... on Error { code errorMessage: message }\n      ... on ValidationError { field }\n    }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TaskRun($id: ID!) {\n    endpointTaskRun(id: $id) { id status message result response savedInput savedOutput startedAt finishedAt }\n  }"): (typeof documents)["\n  query TaskRun($id: ID!) {\n    endpointTaskRun(id: $id) { id status message result response savedInput savedOutput startedAt finishedAt }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EndpointEvents($entityId: ID) {\n    deletionEvents(first: 500, filter: { backends: [ENDPOINT_RECORD], entityId: $entityId }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }"): (typeof documents)["\n  query EndpointEvents($entityId: ID) {\n    deletionEvents(first: 500, filter: { backends: [ENDPOINT_RECORD], entityId: $entityId }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation W($name: String!) { createWorkspace(name: $name) { id } }"): (typeof documents)["mutation W($name: String!) { createWorkspace(name: $name) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }"): (typeof documents)["mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation StreamDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamEvents($first: Int, $after: String, $filter: DeletionEventFilter) {\n    deletionEvents(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id cursor entityId workspaceId kind backend occurredAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query StreamEvents($first: Int, $after: String, $filter: DeletionEventFilter) {\n    deletionEvents(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id cursor entityId workspaceId kind backend occurredAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StreamDeletionEvents($after: String, $filter: DeletionEventFilter) {\n    deletionEvents(after: $after, filter: $filter) { id cursor entityId workspaceId kind }\n  }\n"): (typeof documents)["\n  subscription StreamDeletionEvents($after: String, $filter: DeletionEventFilter) {\n    deletionEvents(after: $after, filter: $filter) { id cursor entityId workspaceId kind }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n"): (typeof documents)["\n  mutation StreamCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { workspaceId } }\n  }\n"): (typeof documents)["\n  mutation StreamCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { workspaceId } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WatchEntity($after: String, $entityId: ID!) {\n    deletionEvents(after: $after, filter: { entityId: $entityId }) { kind backend entityId }\n  }\n"): (typeof documents)["\n  subscription WatchEntity($after: String, $entityId: ID!) {\n    deletionEvents(after: $after, filter: { entityId: $entityId }) { kind backend entityId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEventsKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n"): (typeof documents)["\n  mutation CreateEventsKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProtoCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { pid } }\n  }\n"): (typeof documents)["\n  mutation ProtoCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { pid } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemCreateResource($name: String!) { createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id } } }"): (typeof documents)["\n  mutation IdemCreateResource($name: String!) { createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemDeleteResource($id: ID!, $key: String) {\n    deleteResource(id: $id, idempotencyKey: $key) {\n      __typename\n      ... on DeleteResourcePayload { id deleted resource { id name deletedAt } wrapper { id status statusChangedAt } }\n      ... on Error { code message }\n    }\n  }"): (typeof documents)["\n  mutation IdemDeleteResource($id: ID!, $key: String) {\n    deleteResource(id: $id, idempotencyKey: $key) {\n      __typename\n      ... on DeleteResourcePayload { id deleted resource { id name deletedAt } wrapper { id status statusChangedAt } }\n      ... on Error { code message }\n    }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IdemEvents($entityId: ID) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { backend kind entityId } } }\n  }"): (typeof documents)["\n  query IdemEvents($entityId: ID) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { backend kind entityId } } }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IdemQueue { queueMessages(queue: \"resource.deletion\", first: 500) { edges { node { id body } } } }"): (typeof documents)["\n  query IdemQueue { queueMessages(queue: \"resource.deletion\", first: 500) { edges { node { id body } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }"): (typeof documents)["\n  mutation IdemCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemDeleteImages($ids: [ID!]!, $key: String, $wait: Boolean) {\n    deleteImages(ids: $ids, idempotencyKey: $key, wait: $wait) { id numTotal isFinished }\n  }"): (typeof documents)["\n  mutation IdemDeleteImages($ids: [ID!]!, $key: String, $wait: Boolean) {\n    deleteImages(ids: $ids, idempotencyKey: $key, wait: $wait) { id numTotal isFinished }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation IdemPurge { purgeExpiredDatasets { datasets } }"): (typeof documents)["mutation IdemPurge { purgeExpiredDatasets { datasets } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }"): (typeof documents)["\n  mutation IdemConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }"): (typeof documents)["\n  mutation IdemInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemDeleteAll($path: EndpointPathInput!, $key: String) {\n    deleteAllEndpointRecords(path: $path, idempotencyKey: $key) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }"): (typeof documents)["\n  mutation IdemDeleteAll($path: EndpointPathInput!, $key: String) {\n    deleteAllEndpointRecords(path: $path, idempotencyKey: $key) {\n      __typename\n      ... on DeleteAllEndpointRecordsPayload { deletedCount }\n      ... on Error { code message }\n    }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdemCreateParserResult($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }"): (typeof documents)["\n  mutation IdemCreateParserResult($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id name size sha256 contentType createdAt }\n  }\n"): (typeof documents)["\n  mutation CreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id name size sha256 contentType createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImageById($id: ID!) {\n    image(id: $id) { id name size }\n  }\n"): (typeof documents)["\n  query ImageById($id: ID!) {\n    image(id: $id) { id name size }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteImages($ids: [ID!]!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImages(ids: $ids, wait: $wait, urgent: $urgent, strict: $strict) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteImages($ids: [ID!]!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImages(ids: $ids, wait: $wait, urgent: $urgent, strict: $strict) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteImage($id: ID!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImage(id: $id, wait: $wait, urgent: $urgent, strict: $strict) { id numTotal numGood numBad errors { id msg } }\n  }\n"): (typeof documents)["\n  mutation DeleteImage($id: ID!, $wait: Boolean, $urgent: Boolean, $strict: Boolean) {\n    deleteImage(id: $id, wait: $wait, urgent: $urgent, strict: $strict) { id numTotal numGood numBad errors { id msg } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperationById($id: ID!) {\n    operation(id: $id) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n"): (typeof documents)["\n  query OperationById($id: ID!) {\n    operation(id: $id) {\n      id method resource numTotal numGood numBad isStarted isFinished allGood doWait doUrgent doStrict\n      idleMs execMs createdAt startedAt finishedAt errors { id msg } version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OperationUpdated($id: ID!) {\n    operationUpdated(id: $id) { id numTotal numGood numBad isStarted isFinished allGood errors { id msg } version }\n  }\n"): (typeof documents)["\n  subscription OperationUpdated($id: ID!) {\n    operationUpdated(id: $id) { id numTotal numGood numBad isStarted isFinished allGood errors { id msg } version }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImageEvents($filter: DeletionEventFilter, $after: String) {\n    deletionEvents(first: 500, filter: $filter, after: $after) {\n      edges { node { backend kind entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ImageEvents($filter: DeletionEventFilter, $after: String) {\n    deletionEvents(first: 500, filter: $filter, after: $after) {\n      edges { node { backend kind entityId workspaceId data } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AfterCommitTasksOfImage($entityId: ID!) {\n    afterCommitTasks(entityId: $entityId, first: 10) { edges { node { kind state backend } } }\n  }\n"): (typeof documents)["\n  query AfterCommitTasksOfImage($entityId: ID!) {\n    afterCommitTasks(entityId: $entityId, first: 10) { edges { node { kind state backend } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InstDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted }\n        wrapper { id status pid executionLog(last: 50) { event message } }\n      }\n      ... on WrapperStopTimeoutError { code message resourceId wrapperId instanceId }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation InstDeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted }\n        wrapper { id status pid executionLog(last: 50) { event message } }\n      }\n      ... on WrapperStopTimeoutError { code message resourceId wrapperId instanceId }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InstCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n"): (typeof documents)["\n  mutation InstCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InstRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): (typeof documents)["\n  mutation InstRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n"): (typeof documents)["\n  query InstResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstWrapper($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event message } }\n  }\n"): (typeof documents)["\n  query InstWrapper($id: ID!) {\n    wrapper(id: $id) { id status pid executionLog(last: 100) { event message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 10, filter: $filter) { edges { node { entityId kind } } }\n  }\n"): (typeof documents)["\n  query InstEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 10, filter: $filter) { edges { node { entityId kind } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InstDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n"): (typeof documents)["\n  subscription InstDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MetricsCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n"): (typeof documents)["\n  mutation MetricsCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MetricsDeleteImage($id: ID!) { deleteImage(id: $id, wait: true) { isFinished numGood } }\n"): (typeof documents)["\n  mutation MetricsDeleteImage($id: ID!) { deleteImage(id: $id, wait: true) { isFinished numGood } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MetricsPurge { purgeExpiredDatasets { runId datasets } }\n"): (typeof documents)["\n  mutation MetricsPurge { purgeExpiredDatasets { runId datasets } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorApiCurrentKey { currentApiKey { id name prefix scopes workspaceId revokedAt } }\n"): (typeof documents)["\n  query MonitorApiCurrentKey { currentApiKey { id name prefix scopes workspaceId revokedAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorApiDeletionCounts { deletionCounts { cursor counts { backend kind count since } } }\n"): (typeof documents)["\n  query MonitorApiDeletionCounts { deletionCounts { cursor counts { backend kind count since } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MonitorApiCountOn($after: String) { deletionEvents(after: $after) { backend kind entityId } }\n"): (typeof documents)["\n  subscription MonitorApiCountOn($after: String) { deletionEvents(after: $after) { backend kind entityId } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MonitorApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n"): (typeof documents)["\n  mutation MonitorApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MonitorApiDeleteImages($ids: [ID!]!, $wait: Boolean) {\n    deleteImages(ids: $ids, wait: $wait) { id isFinished numTotal numGood }\n  }\n"): (typeof documents)["\n  mutation MonitorApiDeleteImages($ids: [ID!]!, $wait: Boolean) {\n    deleteImages(ids: $ids, wait: $wait) { id isFinished numTotal numGood }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorApiOperations($first: Int, $after: String, $last: Int, $state: OperationState) {\n    operations(first: $first, after: $after, last: $last, state: $state) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id numTotal numGood numBad isFinished } }\n    }\n  }\n"): (typeof documents)["\n  query MonitorApiOperations($first: Int, $after: String, $last: Int, $state: OperationState) {\n    operations(first: $first, after: $after, last: $last, state: $state) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id numTotal numGood numBad isFinished } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MonitorApiRetryFailed($queue: String!, $ids: [ID!]) {\n    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }\n  }\n"): (typeof documents)["\n  mutation MonitorApiRetryFailed($queue: String!, $ids: [ID!]) {\n    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorApiQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id state attempts lastError body } }\n    }\n  }\n"): (typeof documents)["\n  query MonitorApiQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id state attempts lastError body } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MonitorPageCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n"): (typeof documents)["\n  mutation MonitorPageCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenApiCreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId }\n  }"): (typeof documents)["\n  mutation OpenApiCreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }"): (typeof documents)["\n  mutation OpenApiCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenApiConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { allowDeleting } }"): (typeof documents)["\n  mutation OpenApiConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { allowDeleting } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenApiInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }"): (typeof documents)["\n  mutation OpenApiInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {\n    insertEndpointRecords(path: $path, records: $records) { id }\n  }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId files { name size sha256 contentType } data createdAt }\n  }\n"): (typeof documents)["\n  mutation CreateParserResult($input: CreateParserResultInput!) {\n    createParserResult(input: $input) { requestId files { name size sha256 contentType } data createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParserResultById($requestId: ID!) {\n    parserResult(requestId: $requestId) { requestId files { name size sha256 contentType } data createdAt }\n  }\n"): (typeof documents)["\n  query ParserResultById($requestId: ID!) {\n    parserResult(requestId: $requestId) { requestId files { name size sha256 contentType } data createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteParserResult($requestId: ID!) {\n    deleteParserResult(requestId: $requestId) {\n      __typename\n      ... on DeleteParserResultPayload { success message requestId deletedFiles deletedRows deletedBytes }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteParserResult($requestId: ID!) {\n    deleteParserResult(requestId: $requestId) {\n      __typename\n      ... on DeleteParserResultPayload { success message requestId deletedFiles deletedRows deletedBytes }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParserResultEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [PARSER_RESULT] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n"): (typeof documents)["\n  query ParserResultEvents($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId, backends: [PARSER_RESULT] }) {\n      edges { node { backend kind entityId workspaceId data } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AfterCommitTasksOf($entityId: ID!, $state: AfterCommitTaskState) {\n    afterCommitTasks(entityId: $entityId, state: $state, first: 50) {\n      edges { node { id kind state attempts lastError entityId backend payload createdAt runAt doneAt } }\n    }\n  }\n"): (typeof documents)["\n  query AfterCommitTasksOf($entityId: ID!, $state: AfterCommitTaskState) {\n    afterCommitTasks(entityId: $entityId, state: $state, first: 50) {\n      edges { node { id kind state attempts lastError entityId backend payload createdAt runAt doneAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RlCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n"): (typeof documents)["\n  mutation RlCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RlDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on Error { code } }\n  }\n"): (typeof documents)["\n  mutation RlDeleteResource($id: ID!) {\n    deleteResource(id: $id) { __typename ... on Error { code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RlResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n"): (typeof documents)["\n  query RlResource($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RlDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId }\n  }\n"): (typeof documents)["\n  subscription RlDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) {\n      id\n      name\n      deleted\n      wrapper { id status pid statusChangedAt executionLog { event message } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) {\n      id\n      name\n      deleted\n      wrapper { id status pid statusChangedAt executionLog { event message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted deletedAt }\n        wrapper { id status statusChangedAt pid executionLog { event message } }\n      }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteResource($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload {\n        id\n        deleted\n        resource { id deleted deletedAt }\n        wrapper { id status statusChangedAt pid executionLog { event message } }\n      }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetResource($id: ID!) {\n    resource(id: $id) { id name }\n  }\n"): (typeof documents)["\n  query GetResource($id: ID!) {\n    resource(id: $id) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListResources($first: Int, $after: String) {\n    resources(first: $first, after: $after) {\n      edges { cursor node { id name wrapper { status executionLog { event } } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ListResources($first: Int, $after: String) {\n    resources(first: $first, after: $after) {\n      edges { cursor node { id name wrapper { status executionLog { event } } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ResourceQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id queue body state attempts } }\n    }\n  }\n"): (typeof documents)["\n  query ResourceQueueMessages($state: QueueMessageState) {\n    queueMessages(queue: \"resource.deletion\", state: $state, first: 100) {\n      edges { node { id queue body state attempts } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ResourceDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) {\n      edges { cursor node { backend kind entityId workspaceId data } }\n    }\n  }\n"): (typeof documents)["\n  query ResourceDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) {\n      edges { cursor node { backend kind entityId workspaceId data } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid statusChangedAt executionLog(last: 100) { event message } }\n  }\n"): (typeof documents)["\n  query WrapperById($id: ID!) {\n    wrapper(id: $id) { id status pid statusChangedAt executionLog(last: 100) { event message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id scopes } }\n  }\n"): (typeof documents)["\n  mutation RestCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id scopes } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RestResourceById($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n"): (typeof documents)["\n  query RestResourceById($id: ID!) {\n    resource(id: $id) { id deleted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RestWrapperById($id: ID!) {\n    wrapper(id: $id) { id status statusChangedAt pid executionLog(last: 100) { event message } }\n  }\n"): (typeof documents)["\n  query RestWrapperById($id: ID!) {\n    wrapper(id: $id) { id status statusChangedAt pid executionLog(last: 100) { event message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RestQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { queue body } } }\n  }\n"): (typeof documents)["\n  query RestQueueMessages {\n    queueMessages(queue: \"resource.deletion\", first: 1000) { edges { node { queue body } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RestDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { backend kind entityId data } } }\n  }\n"): (typeof documents)["\n  query RestDeletionEvents($filter: DeletionEventFilter) {\n    deletionEvents(first: 100, filter: $filter) { edges { node { backend kind entityId data } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWithWrapperForCrash($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id pid status } }\n  }\n"): (typeof documents)["\n  mutation CreateWithWrapperForCrash($name: String!) {\n    createResource(input: { name: $name, wrapperKind: \"idle\" }) { id wrapper { id pid status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteForCrash($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n"): (typeof documents)["\n  mutation DeleteForCrash($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AfterCrash($resourceId: ID!, $wrapperId: ID!) {\n    resource(id: $resourceId) { id }\n    wrapper(id: $wrapperId) { status statusChangedAt executionLog(last: 100) { event message } }\n    queueMessages(queue: \"resource.deletion\", first: 100) { edges { node { body } } }\n    deletionEvents(first: 100, filter: { entityId: $resourceId }) { edges { node { kind } } }\n  }\n"): (typeof documents)["\n  query AfterCrash($resourceId: ID!, $wrapperId: ID!) {\n    resource(id: $resourceId) { id }\n    wrapper(id: $wrapperId) { status statusChangedAt executionLog(last: 100) { event message } }\n    queueMessages(queue: \"resource.deletion\", first: 100) { edges { node { body } } }\n    deletionEvents(first: 100, filter: { entityId: $resourceId }) { edges { node { kind } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShutdownResource($id: ID!) {\n    resource(id: $id) { id }\n  }\n"): (typeof documents)["\n  query ShutdownResource($id: ID!) {\n    resource(id: $id) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ShutdownDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n"): (typeof documents)["\n  subscription ShutdownDeletionEvents($after: String) {\n    deletionEvents(after: $after) { entityId cursor }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SqlCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid } }\n  }\n"): (typeof documents)["\n  mutation SqlCreateResource($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SqlResourcesWithLogs {\n    resources(first: 100) { edges { node { wrapper { executionLog { event } } } } }\n  }\n"): (typeof documents)["\n  query SqlResourcesWithLogs {\n    resources(first: 100) { edges { node { wrapper { executionLog { event } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SqlResourcesWithEveryField {\n    resources(first: 100) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          createdAt\n          deleted\n          deletedAt\n          wrapper { id kind status pid statusChangedAt executionLog { id at event message } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query SqlResourcesWithEveryField {\n    resources(first: 100) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          createdAt\n          deleted\n          deletedAt\n          wrapper { id kind status pid statusChangedAt executionLog { id at event message } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SqlResourcesWithTwoLogWindows {\n    resources(first: 100) {\n      edges { node { wrapper { last: executionLog(last: 1) { event } all: executionLog(last: 5) { event } } } }\n    }\n  }\n"): (typeof documents)["\n  query SqlResourcesWithTwoLogWindows {\n    resources(first: 100) {\n      edges { node { wrapper { last: executionLog(last: 1) { event } all: executionLog(last: 5) { event } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SqlResourcesWithWrappers {\n    resources(first: 100) { edges { node { id wrapper { status } } } }\n  }\n"): (typeof documents)["\n  query SqlResourcesWithWrappers {\n    resources(first: 100) { edges { node { id wrapper { status } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SqlResourcesOnly {\n    resources(first: 100) { edges { node { id name } } }\n  }\n"): (typeof documents)["\n  query SqlResourcesOnly {\n    resources(first: 100) { edges { node { id name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsCreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id }\n  }\n"): (typeof documents)["\n  mutation LimitsCreateImages($input: [CreateImageInput!]!) {\n    createImages(input: $input) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsDeleteImages($ids: [ID!]!) {\n    deleteImages(ids: $ids, wait: true) { numGood numBad isFinished }\n  }\n"): (typeof documents)["\n  mutation LimitsDeleteImages($ids: [ID!]!) {\n    deleteImages(ids: $ids, wait: true) { numGood numBad isFinished }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n"): (typeof documents)["\n  mutation LimitsCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key apiKey { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): (typeof documents)["\n  mutation LimitsRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsCreateResource { createResource(input: { name: \"limits\" }) { id } }\n"): (typeof documents)["\n  mutation LimitsCreateResource { createResource(input: { name: \"limits\" }) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsDeleteResource($id: ID!) { deleteResource(id: $id) { __typename } }\n"): (typeof documents)["\n  mutation LimitsDeleteResource($id: ID!) { deleteResource(id: $id) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LimitsImageEvents($after: String) {\n    deletionEvents(after: $after, filter: { backends: [IMAGE], kinds: [HARD_DELETED] }) { cursor entityId }\n  }\n"): (typeof documents)["\n  subscription LimitsImageEvents($after: String) {\n    deletionEvents(after: $after, filter: { backends: [IMAGE], kinds: [HARD_DELETED] }) { cursor entityId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LimitsAllEvents { deletionEvents { cursor entityId } }\n"): (typeof documents)["\n  subscription LimitsAllEvents { deletionEvents { cursor entityId } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShareCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n"): (typeof documents)["\n  mutation ShareCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShareCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n"): (typeof documents)["\n  mutation ShareCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { key }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShareCreateResource($name: String!) {\n    createResource(input: { name: $name }) { id }\n  }\n"): (typeof documents)["\n  mutation ShareCreateResource($name: String!) {\n    createResource(input: { name: $name }) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ShareByEntity($filter: DeletionEventFilter) {\n    deletionEvents(filter: $filter) { entityId kind }\n  }\n"): (typeof documents)["\n  subscription ShareByEntity($filter: DeletionEventFilter) {\n    deletionEvents(filter: $filter) { entityId kind }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ShareWithCursor {\n    deletionEvents { cursor entityId workspaceId }\n  }\n"): (typeof documents)["\n  subscription ShareWithCursor {\n    deletionEvents { cursor entityId workspaceId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateResourceWithWrapper($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid status } }\n  }\n"): (typeof documents)["\n  mutation CreateResourceWithWrapper($input: CreateResourceInput!) {\n    createResource(input: $input) { id wrapper { id pid status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteResourceOutcome($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { id status } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteResourceOutcome($id: ID!) {\n    deleteResource(id: $id) {\n      __typename\n      ... on DeleteResourcePayload { id deleted wrapper { id status } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteResourceTypename($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n"): (typeof documents)["\n  mutation DeleteResourceTypename($id: ID!) {\n    deleteResource(id: $id) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventsOfEntity($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { entityId } } }\n  }\n"): (typeof documents)["\n  query EventsOfEntity($entityId: ID!) {\n    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { entityId } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SupportCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }\n"): (typeof documents)["\n  mutation SupportCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SupportCreateWorkspace($name: String!) { createWorkspace(name: $name) { id } }\n"): (typeof documents)["\n  mutation SupportCreateWorkspace($name: String!) { createWorkspace(name: $name) { id } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;