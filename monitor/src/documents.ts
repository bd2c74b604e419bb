// Every GraphQL document the monitor sends: the typed client's (client/operations/monitor.graphql).
export {
  MonitorAfterCommitWorkDocument as AfterCommitWork,
  MonitorCurrentKeyDocument as CurrentKey,
  MonitorDeletionCountsDocument as DeletionCounts,
  MonitorLiveEventsDocument as LiveEvents,
  MonitorNextPurgeDocument as NextPurge,
  MonitorOperationUpdatedDocument as OperationUpdated,
  MonitorOutboxDocument as Outbox,
  MonitorPurgeNowDocument as PurgeNow,
  MonitorPurgeRunsDocument as PurgeRuns,
  MonitorRecentEventsDocument as RecentEvents,
  MonitorRecentOperationsDocument as RecentOperations,
  MonitorRetryFailedMessagesDocument as RetryFailedMessages,
} from '../../client/generated/graphql';
