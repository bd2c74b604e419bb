// Gauges read when Prometheus scrapes: the background machinery's state, one cheap query per source.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PrismaClient } from '../db/client.js';
import type { EventPosition } from '../events/event-log.js';
import type { BrokerState } from '../events/relay.js';
import type { Logger } from '../logger.js';
import { METRIC_PREFIX } from './registry.js';

export interface DatabaseGaugeDeps {
  prisma: PrismaClient;
  log: Logger;
  /** how far this instance's live tail has handed out events */
  tailPosition: () => EventPosition | null;
  /** the relay's connection to the message broker */
  brokerState: () => BrokerState;
  /** when the schedule purges next; null when PURGE_CRON=off */
  nextPurgeAt: () => Date | null;
}

/** Events counted behind the live tail at most: a stuck tail must not make scrapes slow. */
const LAG_COUNT_LIMIT = 100_000;

/**
 * One read shared by every gauge of a scrape: prom-client collects all metrics at once, so the
 * gauges of a source that ask while its query runs share it. A failed read is logged and
 * counted, and its gauges keep their last values.
 */
function perScrape<T>(
  source: string,
  deps: Pick<DatabaseGaugeDeps, 'log'> & { failures: Counter<'source'> },
  read: () => Promise<T>,
): () => Promise<T | null> {
  let pending: Promise<T | null> | null = null;
  return () =>
    (pending ??= read()
      .catch((err) => {
        deps.log.warn({ err, source }, 'could not read a metric from the database');
        deps.failures.inc({ source });
        return null;
      })
      .finally(() => {
        pending = null;
      }));
}

/** A gauge set from a shared read on each scrape; labelled values are all set (0 when absent). */
function gauge<T, L extends string = never>(
  registry: Registry,
  name: string,
  help: string,
  read: () => Promise<T | null>,
  set: (g: Gauge<L>, value: T) => void,
  labelNames: readonly L[] = [],
) {
  return new Gauge<L>({
    name: `${METRIC_PREFIX}${name}`,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const value = await read();
      if (value === null) return;
      this.reset();
      set(this, value);
    },
  });
}

const setAge = (g: Gauge, seconds: number | null) => g.set(seconds === null ? 0 : Math.max(0, seconds));

const BROKER_STATES: readonly BrokerState[] = ['not configured', 'connecting', 'connected', 'disconnected'];

export function registerDatabaseGauges(registry: Registry, deps: DatabaseGaugeDeps): void {
  const { prisma } = deps;
  const failures = new Counter({
    name: `${METRIC_PREFIX}metrics_read_failures_total`,
    help: 'Scrapes whose query of a source failed (its gauges then keep their last values)',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const log = { log: deps.log, failures };

  // queue_message: SENT rows stay for the record, so only the unsettled states are counted.
  const outbox = perScrape('outbox', log, async () => {
    const [row] = await prisma.$queryRaw<{ pending: number; failed: number; oldest: number | null }[]>`
      SELECT count(*) FILTER (WHERE state = 'PENDING')::int AS pending,
             count(*) FILTER (WHERE state = 'FAILED')::int AS failed,
             extract(epoch FROM now() - min(created_at) FILTER (WHERE state = 'PENDING'))::float8 AS oldest
        FROM queue_message WHERE state IN ('PENDING', 'FAILED')`;
    return row!;
  });
  gauge(
    registry,
    'outbox_messages',
    'Outbox messages not yet published by state (pending: waiting for the relay, held ones included; failed: attempts exhausted, retried only by an operator); all instances',
    outbox,
    (g, r) => {
      g.set({ state: 'pending' }, r.pending);
      g.set({ state: 'failed' }, r.failed);
    },
    ['state'],
  );
  gauge(
    registry,
    'outbox_oldest_pending_age_seconds',
    'Age of the oldest pending outbox message (0 when none); all instances',
    outbox,
    (g, r) => setAge(g, r.oldest),
  );

  const afterCommit = perScrape('after-commit work', log, async () => {
    const [row] = await prisma.$queryRaw<
      { pending: number; retrying: number; failed: number; oldest: number | null }[]
    >`
      SELECT count(*) FILTER (WHERE state = 'PENDING' AND last_error IS NULL)::int AS pending,
             count(*) FILTER (WHERE state = 'PENDING' AND last_error IS NOT NULL)::int AS retrying,
             count(*) FILTER (WHERE state = 'FAILED')::int AS failed,
             extract(epoch FROM now() - min(created_at) FILTER (WHERE state = 'PENDING'))::float8 AS oldest
        FROM after_commit_task WHERE state IN ('PENDING', 'FAILED')`;
    return row!;
  });
  gauge(
    registry,
    'after_commit_tasks',
    'After-commit work (process stops, blob unlinks) not done by state (pending; retrying: failed at least once, retried with backoff; failed: attempts exhausted); all instances',
    afterCommit,
    (g, r) => {
      g.set({ state: 'pending' }, r.pending);
      g.set({ state: 'retrying' }, r.retrying);
      g.set({ state: 'failed' }, r.failed);
    },
    ['state'],
  );
  gauge(
    registry,
    'after_commit_oldest_pending_age_seconds',
    'Age of the oldest after-commit work not done yet (0 when none); all instances',
    afterCommit,
    (g, r) => setAge(g, r.oldest),
  );

  // The head is the newest event a reader can see; the lag is what this instance's tail has not handed out.
  const eventLog = perScrape('event log', log, async () => {
    const tail = deps.tailPosition() ?? { txid: 0n, id: 0n };
    const [row] = await prisma.$queryRaw<
      { head_id: bigint | null; head_at: number | null; lag_events: number; lag_oldest: number | null }[]
    >`
      WITH head AS (
             SELECT id, occurred_at FROM deletion_event
              WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
              ORDER BY txid DESC, id DESC LIMIT 1),
           behind AS (
             SELECT occurred_at FROM deletion_event
              WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
                AND (txid, id) > (${tail.txid.toString()}::xid8, ${tail.id}::bigint)
              ORDER BY txid, id LIMIT ${LAG_COUNT_LIMIT})
      SELECT (SELECT id FROM head) AS head_id,
             extract(epoch FROM (SELECT occurred_at FROM head))::float8 AS head_at,
             (SELECT count(*) FROM behind)::int AS lag_events,
             extract(epoch FROM now() - (SELECT min(occurred_at) FROM behind))::float8 AS lag_oldest`;
    return { ...row!, tailStarted: deps.tailPosition() !== null };
  });
  gauge(
    registry,
    'event_log_head_id',
    'Id of the newest deletion event readers can see (its rate is the event rate); 0 while the log is empty',
    eventLog,
    (g, r) => g.set(Number(r.head_id ?? 0)),
  );
  gauge(
    registry,
    'event_log_head_timestamp_seconds',
    'When the newest visible deletion event happened (Unix time); 0 while the log is empty',
    eventLog,
    (g, r) => g.set(r.head_at ?? 0),
  );
  gauge(
    registry,
    'live_tail_lag_events',
    `Visible deletion events this instance's live tail has not handed to its subscribers yet (counted up to ${LAG_COUNT_LIMIT})`,
    eventLog,
    (g, r) => g.set(r.tailStarted ? r.lag_events : 0),
  );
  gauge(
    registry,
    'live_tail_lag_seconds',
    "Age of the oldest visible deletion event this instance's live tail has not handed out (0 when caught up)",
    eventLog,
    (g, r) => setAge(g, r.tailStarted ? r.lag_oldest : null),
  );

  const operations = perScrape('image operations', log, async () => {
    const [row] = await prisma.$queryRaw<{ queued: number; running: number; oldest: number | null }[]>`
      SELECT count(*) FILTER (WHERE state = 'QUEUED')::int AS queued,
             count(*) FILTER (WHERE state = 'RUNNING')::int AS running,
             extract(epoch FROM now() - min(created_at) FILTER (WHERE state = 'QUEUED'))::float8 AS oldest
        FROM operation WHERE state IN ('QUEUED', 'RUNNING')`;
    return row!;
  });
  gauge(
    registry,
    'image_operations',
    'Image delete operations not finished by state (queued, running); all instances',
    operations,
    (g, r) => {
      g.set({ state: 'queued' }, r.queued);
      g.set({ state: 'running' }, r.running);
    },
    ['state'],
  );
  gauge(
    registry,
    'image_operation_oldest_queued_age_seconds',
    'Age of the oldest image operation no worker has started (0 when none); all instances',
    operations,
    (g, r) => setAge(g, r.oldest),
  );

  const purge = perScrape('purge runs', log, async () => {
    const [row] = await prisma.$queryRaw<{ last_success: number | null }[]>`
      SELECT extract(epoch FROM max(finished_at))::float8 AS last_success
        FROM purge_run WHERE finished_at IS NOT NULL AND error IS NULL`;
    return row!;
  });
  gauge(
    registry,
    'purge_last_success_timestamp_seconds',
    'When the last dataset purge run (of any instance) finished without error (Unix time); 0 before the first',
    purge,
    (g, r) => g.set(r.last_success ?? 0),
  );

  new Gauge({
    name: `${METRIC_PREFIX}purge_next_run_timestamp_seconds`,
    help: 'When the purge schedule runs next (Unix time); 0 when PURGE_CRON=off',
    registers: [registry],
    collect() {
      this.set((deps.nextPurgeAt()?.getTime() ?? 0) / 1000);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}broker_state`,
    help: "1 for the state of this instance's connection to the message broker (not configured, connecting, connected, disconnected), 0 for the others",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = deps.brokerState();
      for (const state of BROKER_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
}
