// Every GraphQL document the monitor sends, in one place (typed by `npm run generate`).
import { graphql } from './generated/gql';

export const CurrentKey = graphql(`
  query MonitorCurrentKey {
    currentApiKey { id name prefix scopes workspaceId }
  }
`);

export const DeletionCounts = graphql(`
  query MonitorDeletionCounts {
    deletionCounts { cursor counts { backend kind count } }
  }
`);

export const RecentEvents = graphql(`
  query MonitorRecentEvents($filter: DeletionEventFilter, $last: Int!) {
    deletionEvents(last: $last, filter: $filter) {
      edges { node { id cursor backend kind entityId occurredAt data } }
    }
  }
`);

export const LiveEvents = graphql(`
  subscription MonitorLiveEvents($filter: DeletionEventFilter, $after: String) {
    deletionEvents(filter: $filter, after: $after) { id cursor backend kind entityId occurredAt data }
  }
`);

export const RecentOperations = graphql(`
  query MonitorRecentOperations($last: Int!) {
    operations(last: $last) {
      edges {
        node {
          id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version
        }
      }
    }
  }
`);

export const OperationUpdated = graphql(`
  subscription MonitorOperationUpdated($id: ID!) {
    operationUpdated(id: $id) {
      id numTotal numGood numBad isStarted isFinished allGood doUrgent doStrict createdAt finishedAt version
    }
  }
`);

export const Outbox = graphql(`
  query MonitorOutbox($queue: String!, $last: Int!) {
    recent: queueMessages(queue: $queue, last: $last) {
      edges { node { id state attempts lastError createdAt sentAt body } }
    }
    failed: queueMessages(queue: $queue, state: FAILED, last: 100) {
      edges { node { id state attempts lastError createdAt sentAt body } }
    }
    oldestPending: queueMessages(queue: $queue, state: PENDING, first: 1) {
      edges { node { id createdAt } }
    }
  }
`);

export const RetryFailedMessages = graphql(`
  mutation MonitorRetryFailedMessages($queue: String!, $ids: [ID!]) {
    retryFailedQueueMessages(queue: $queue, ids: $ids) { queue retried }
  }
`);

export const AfterCommitWork = graphql(`
  query MonitorAfterCommitWork($last: Int!) {
    recent: afterCommitTasks(last: $last) {
      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }
    }
    failed: afterCommitTasks(state: FAILED, last: 100) {
      edges { node { id kind state attempts lastError backend entityId createdAt runAt doneAt } }
    }
    oldestPending: afterCommitTasks(state: PENDING, first: 1) {
      edges { node { id createdAt } }
    }
  }
`);

export const NextPurge = graphql(`
  query MonitorNextPurge { nextPurgeAt }
`);

export const PurgeRuns = graphql(`
  query MonitorPurgeRuns($first: Int!) {
    purgeRuns(first: $first) { id startedAt finishedAt datasets items keys vectors blobBytes error }
  }
`);

export const PurgeNow = graphql(`
  mutation MonitorPurgeNow {
    purgeExpiredDatasets { runId datasets items keys vectors blobBytes durationMs }
  }
`);
