// The gateway's Prometheus metrics (prom-client): one registry per app, counted where things happen.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PurgeObserver } from '../services/dataset-purge.js';
import type { DeletionObserver } from '../services/pipeline.js';
import { lowerLabel } from './labels.js';

export const METRIC_PREFIX = 'deletion_gateway_';

/** Request latencies: from a fast REST delete (ms) to a `wait=true` image delete (up to a minute). */
const REQUEST_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Queue waits of image operations: immediate to many minutes behind a long queue. */
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];
/** Purge runs: seconds for a few datasets, up to hours for a backlog. */
const PURGE_BUCKETS = [0.1, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600];

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The metrics counted in this process. `defaults`: also Node's process metrics (CPU, memory,
 * event-loop lag, GC), whose collectors cost a little even when nobody scrapes.
 */
export function createMetrics({ defaults }: { defaults: boolean }) {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const deletions = new Counter({
    name: `${METRIC_PREFIX}deletions_total`,
    help: 'Deletions by backend and outcome: committed ones by what they did (soft_deleted, hard_deleted, marked_for_deletion, purged, restored), one per entity; refused ones by error code (not_found, invalid_id, conflict, ...), one per request',
    labelNames: ['backend', 'outcome'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: `${METRIC_PREFIX}request_duration_seconds`,
    help: 'Requests answered (subscriptions left out) by transport (http, ws), operation (REST route pattern or GraphQL operation) and status',
    labelNames: ['transport', 'operation', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const subscribers = new Gauge({
    name: `${METRIC_PREFIX}subscribers`,
    help: 'Open GraphQL subscriptions on this instance by transport (ws, sse, multipart)',
    labelNames: ['transport'] as const,
    registers,
  });
  // every transport is reported, 0 while none is open
  for (const transport of ['ws', 'sse']) subscribers.set({ transport }, 0);
  const operationWait = new Histogram({
    name: `${METRIC_PREFIX}image_operation_wait_seconds`,
    help: 'How long image operations waited in the queue before a worker of this instance started them',
    buckets: WAIT_BUCKETS,
    registers,
  });
  const purgeRuns = new Counter({
    name: `${METRIC_PREFIX}purge_runs_total`,
    help: 'Dataset purge runs of this instance by outcome (completed, stopped by a shutdown, failed, skipped while another instance purged)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const purgeDuration = new Histogram({
    name: `${METRIC_PREFIX}purge_duration_seconds`,
    help: 'How long dataset purge runs of this instance took (skipped runs left out)',
    labelNames: ['outcome'] as const,
    buckets: PURGE_BUCKETS,
    registers,
  });

  /** The pipeline's observer: every committed deletion statement, by what it did. */
  const deletionObserver: DeletionObserver = {
    committed: (kind, count) =>
      deletions.inc({ backend: lowerLabel(kind.backend), outcome: lowerLabel(kind.eventKind) }, count),
  };
  const purgeObserver: PurgeObserver = {
    ran(outcome, durationMs) {
      purgeRuns.inc({ outcome });
      if (durationMs !== null) purgeDuration.observe({ outcome }, durationMs / 1000);
    },
  };

  return {
    registry,
    deletions,
    requestDuration,
    subscribers,
    deletionObserver,
    purgeObserver,
    /** for the operation queue: an operation's wait before its first start */
    operationStarted: (waitedMs: number) => operationWait.observe(waitedMs / 1000),
    /** a deletion request refused with a domain error (by its code) */
    deletionRefused: (backend: string, code: string) =>
      deletions.inc({ backend: lowerLabel(backend), outcome: lowerLabel(code) }),
  };
}
