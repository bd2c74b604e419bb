import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_KEY_REVOKED_CHANNEL } from '../auth/key-cache.js';
import { keyStanding, recheckStreamKeys } from '../auth/key-watch.js';
import { RateLimiter } from '../auth/rate-limiter.js';
import { blobDeleteHandler } from '../blobs/after-commit.js';
import { FsBlobStore } from '../blobs/fs-store.js';
import { isCronProblem, parseCronSchedule } from '../config/cron.js';
import { type Config, ConfigError, PURGE_OFF } from '../config/index.js';
import { type Database, openDatabase } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { runMigrations } from '../db/migrate.js';
import { migrationNames } from '../db/schema-engine.js';
import { CommitSignals, DELETIONS_COMMITTED_CHANNEL, keysOfPayload } from '../events/commit-signals.js';
import { isPruned, pruneDeletionEvents, readDeletionEvents, readHeadPosition } from '../events/event-log.js';
import { LiveEvents } from '../events/live.js';
import { OperationUpdates } from '../events/operation-updates.js';
import { OutboxRelay } from '../events/relay.js';
import { createFailpoints } from '../failpoints.js';
import { AfterCommitWorker } from '../jobs/after-commit.js';
import { Background, PeriodicJob } from '../jobs/background.js';
import { OPERATIONS_CHANGED_CHANNEL, OPERATIONS_QUEUED_CHANNEL, OperationQueue } from '../jobs/operation-queue.js';
import { PurgeSchedule } from '../jobs/purge-schedule.js';
import type { Logger } from '../logger.js';
import { registerDatabaseGauges } from '../metrics/database-gauges.js';
import { countRefusedDeletions } from '../metrics/deletions.js';
import { createMetricsHandler, METRICS_PATH, metricsAccess } from '../metrics/endpoint.js';
import { createMetrics } from '../metrics/registry.js';
import { referencedBlobKeys } from '../services/blob-references.js';
import { hasInterruptedRun, purgeExpiredDatasets } from '../services/dataset-purge.js';
import { datasetMarking, datasetRestoration } from '../services/datasets.js';
import { endpointRecordDeletion } from '../services/endpoints.js';
import { pruneIdempotencyKeys } from '../services/idempotency.js';
import { type DeletedImageRow, imageDeleteHandler, imageDeletion } from '../services/images.js';
import { createServices, type Services } from '../services/index.js';
import { readOperationStates } from '../services/operations.js';
import { parserResultDeletion } from '../services/parser-results.js';
import { Deleter } from '../services/pipeline.js';
import { readiness } from '../services/readiness.js';
import {
  reconcileWrappers,
  resourceDeletion,
  WRAPPER_STOP_CHANNEL,
  wrapperStopHandler,
} from '../services/resources.js';
import { bootstrapAdminKey } from '../services/workspaces.js';
import { WrapperSupervisor } from '../wrappers/supervisor.js';
import { createAccessLog } from './access-log.js';
import { createCorsPolicy } from './cors.js';
import { createGraphQLHandler } from './graphql.js';
import { attachGraphQLWebSocket } from './graphql-ws.js';
import { describeRequests, InFlightRequests } from './in-flight.js';
import { lingerOnClose } from './linger.js';
import { createMonitorHandler, isMonitorPath } from './monitor.js';
import { createOpenApiHandler, OPENAPI_PATH } from './openapi.js';
import { persistedDocumentsProblem } from './persisted-documents.js';
import { createRestHandler } from './rest.js';
import { createShareHandler } from './share.js';
import { WsFanout } from './ws-fanout.js';

export interface App {
  db: Database;
  services: Services;
  server: http.Server;
  /** the key created on a fresh database (null when keys already existed) */
  bootstrapKey: { key: string; generated: boolean } | null;
  listen(port?: number, host?: string): Promise<string>;
  /**
   * The one way to stop: stops accepting connections, lets requests in flight finish within
   * SHUTDOWN_GRACE, ends subscriptions (graphql-ws: close 1001; SSE: complete), stops the
   * background work and closes the database.
   */
  close(): Promise<void>;
}

/** How long graphql-ws close handshakes and the last SSE writes may take once requests are done. */
const STREAMS_CLOSE_TIMEOUT_MS = 2_000;
/** Subscription frames written between two yields to the event loop during a burst of events. */
const FANOUT_CHUNK = 256;
/** The longest an endpoint's DELETE task may hold its transaction (its HTTP steps time out sooner). */
const ENDPOINT_TASK_TIMEOUT_MS = 60_000;

/**
 * Builds the whole gateway without listening: opens and migrates the database, repairs
 * whatever a crash left half done, and wires HTTP, GraphQL, graphql-ws and REST together.
 */
export async function buildApp(config: Config, log: Logger): Promise<App> {
  // Before anything is opened: a manifest document the schema refuses could never run.
  const persisted = config.PERSISTED_DOCUMENTS
    ? { documents: config.PERSISTED_DOCUMENTS, required: config.PERSISTED_DOCUMENTS_REQUIRED }
    : null;
  const manifestProblem = persisted && persistedDocumentsProblem(persisted.documents);
  if (manifestProblem) throw new ConfigError(`Invalid configuration: PERSISTED_DOCUMENTS: ${manifestProblem}`);
  const db = await openDatabase(config.DATABASE_URL, { log, holder: 'the gateway' });
  const applied = await runMigrations(config.DATABASE_URL, db);
  if (applied.length) log.info({ applied }, 'applied migrations');
  // What /ready expects to find applied: the migrations this build ships.
  const migrations = migrationNames();
  if (config.TEST_STARTUP_SQL) await db.prisma.$executeRawUnsafe(config.TEST_STARTUP_SQL);
  const bootstrapKey = await bootstrapAdminKey(db.prisma, config.BOOTSTRAP_ADMIN_KEY);
  log.info(config.rateLimits, 'rate limits per API key (tokens per second, burst; null: none)');
  const metricsPolicy = metricsAccess(config);
  const metrics = createMetrics({ defaults: metricsPolicy.kind !== 'off' });

  /** Wake-ups on `channel`: in process at once, other instances (PostgreSQL only) by one coalesced NOTIFY. */
  const commitSignals = async (channel: string, what: string) => {
    const signals = new CommitSignals(
      db.prepared
        ? (payload) => db.prepared!.query(Prisma.sql`SELECT pg_notify(${channel}, ${payload})`).then(() => {})
        : null,
      (err) => log.warn({ err, channel }, `could not notify other instances of ${what}; they will poll`),
    );
    await db.notifications.listen(channel, (payload) => signals.committed(false, keysOfPayload(payload)));
    return signals;
  };
  const signals = await commitSignals(DELETIONS_COMMITTED_CHANNEL, 'committed deletions');
  // Every background part is registered here; background.start() and stop() run them all.
  const background = new Background(log);
  const wrappers = {
    prisma: db.prisma,
    supervisor: new WrapperSupervisor(config.WRAPPER_STOP_GRACE, config.WRAPPER_KINDS),
    instanceId: config.INSTANCE_ID,
    log,
  };
  const blobs = new FsBlobStore(config.BLOB_DIR);
  const worker = background.register(
    new AfterCommitWorker({
      prisma: db.prisma,
      log,
      instanceId: config.INSTANCE_ID,
      handlers: [wrapperStopHandler(wrappers), blobDeleteHandler(blobs)],
    }),
  );
  // No wake-up per committed deletion (each cost a claim statement): the pipeline writes the work
  // this instance may do already claimed and runs it at once; another instance's is announced below.
  // Another instance deleted a resource whose wrapper runs here: its stop is this worker's work.
  await db.notifications.listen(WRAPPER_STOP_CHANNEL, (instanceId) => {
    if (instanceId === '' || instanceId === config.INSTANCE_ID) worker.wake();
  });
  // Aborted as the shutdown begins: long runs (the purge) stop between their batches.
  const stopping = new AbortController();
  const failpoints = createFailpoints(config.FAILPOINT);
  const pipeline = {
    prisma: db.prisma,
    prepared: db.prepared,
    signals,
    worker,
    failpoints,
    instanceId: config.INSTANCE_ID,
    observer: metrics.deletionObserver,
  };
  const purgeSchedule = config.PURGE_CRON === PURGE_OFF ? null : parseCronSchedule(config.PURGE_CRON, config.PURGE_TZ);
  if (purgeSchedule && isCronProblem(purgeSchedule)) throw new Error(purgeSchedule.message); // loadConfig refuses it first
  const purge = {
    prisma: db.prisma,
    pipeline,
    exclusive: db.exclusive,
    failpoints,
    log,
    instanceId: config.INSTANCE_ID,
    batchRows: config.PURGE_BATCH_ROWS,
    shutdown: stopping.signal,
    observer: metrics.purgeObserver,
  };
  // Operations (seed 004): a table queue with workers on every instance, and their live states.
  const operationsQueued = await commitSignals(OPERATIONS_QUEUED_CHANNEL, 'queued operations');
  const operationChanges = await commitSignals(OPERATIONS_CHANGED_CHANNEL, 'operation changes');
  const operationUpdates = background.register(new OperationUpdates(readOperationStates(db.prisma), log));
  operationChanges.listen((ids) => operationUpdates.changed(ids));
  const imageDeleter = new Deleter<DeletedImageRow>(pipeline, imageDeletion);
  const operationQueue = new OperationQueue({
    prisma: db.prisma,
    log,
    instanceId: config.INSTANCE_ID,
    handlers: [imageDeleteHandler({ deleter: imageDeleter, log })],
    concurrency: config.WORKER_CONCURRENCY,
    queued: operationsQueued,
    changes: operationChanges,
    failpoints,
    leaseMs: config.OPERATION_LEASE,
    onFirstStart: metrics.operationStarted,
  });
  operationsQueued.listen(() => operationQueue.wake());
  // Each backend: its deps with its deleter on the pipeline.
  const services = createServices({
    prisma: db.prisma,
    idempotencyTtlMs: config.IDEMPOTENCY_TTL,
    // Leases on PostgreSQL as prepared statements: they run beside the hot path.
    rateLimiter: new RateLimiter(
      config.rateLimits,
      db.prepared ? (sql) => db.prepared!.query(sql) : (sql) => db.prisma.$queryRaw(sql),
      log,
    ),
    resources: {
      ...wrappers,
      remoteStopTimeoutMs: config.WRAPPER_REMOTE_STOP_TIMEOUT,
      deleter: new Deleter(pipeline, resourceDeletion),
    },
    parserResults: {
      prisma: db.prisma,
      blobs,
      log,
      limits: { maxFileBytes: config.MAX_UPLOAD_BYTES, maxFiles: config.MAX_UPLOAD_FILES },
      deleter: new Deleter(pipeline, parserResultDeletion),
    },
    datasets: {
      prisma: db.prisma,
      blobs,
      log,
      maxFileBytes: config.MAX_UPLOAD_BYTES,
      schedule: purgeSchedule,
      marker: new Deleter(pipeline, datasetMarking),
      restorer: new Deleter(pipeline, datasetRestoration),
    },
    purge,
    images: {
      prisma: db.prisma,
      blobs,
      log,
      limits: { maxFileBytes: config.MAX_UPLOAD_BYTES, maxFiles: config.MAX_UPLOAD_FILES },
      deleter: imageDeleter,
      queue: operationQueue,
      updates: operationUpdates,
      waitTimeoutMs: config.OPERATION_WAIT_TIMEOUT,
    },
    endpoints: {
      prisma: db.prisma,
      log,
      pipeline,
      deleter: new Deleter(pipeline, endpointRecordDeletion),
      taskTimeoutMs: ENDPOINT_TASK_TIMEOUT_MS,
    },
    operationUpdates,
    // Retried outbox messages: the relays (every instance) take them now rather than at their next poll.
    messagesDue: () => signals.committed(),
  });
  countRefusedDeletions(services, metrics.deletionRefused);
  background.register(
    new PeriodicJob(
      'wrapper reconciliation',
      30_000,
      async () => {
        const repaired = await reconcileWrappers(wrappers);
        if (repaired.started + repaired.failed > 0) log.info(repaired, 'reconciled wrappers');
      },
      log,
      true,
    ),
  );

  // Live deletionEvents frames to graphql-ws sockets (see attachGraphQLWebSocket below).
  const fanout = new WsFanout(
    {
      maxBufferedBytes: config.SUBSCRIBER_BUFFER_BYTES,
      maxBufferedEvents: config.SUBSCRIBER_BUFFER_EVENTS,
      chunk: FANOUT_CHUNK,
    },
    log,
  );
  const live = background.register(
    new LiveEvents(
      (opts) => readDeletionEvents(db.prisma, opts),
      () => readHeadPosition(db.prisma),
      (position) => isPruned(db.prisma, position),
      log,
      { maxBufferedEvents: config.SUBSCRIBER_BUFFER_EVENTS, handedOut: () => fanout.flushed() },
    ),
  );
  // Open streams whose key was revoked or lost events:read end on every instance: at the
  // announcement of a revocation, and at the next check for what an announcement cannot carry.
  let ws: ReturnType<typeof attachGraphQLWebSocket> | null = null;
  const keyRecheck = background.register(
    new PeriodicJob(
      'stream key check',
      config.KEY_RECHECK_INTERVAL,
      async () => {
        const ended = await recheckStreamKeys((ids) => keyStanding(db.prisma, ids, 'events:read'), {
          subscriptionKeyIds: () => live.keyIds(),
          connectionKeyIds: () => ws?.connectionKeyIds() ?? new Set(),
          endSubscriptionsOf: (ids) => live.revoke(ids),
          closeConnectionsOf: (ids) => ws?.closeConnectionsOf(ids) ?? 0,
        });
        if (ended.subscriptions + ended.connections > 0) log.info(ended, 'ended streams of revoked API keys');
      },
      log,
    ),
  );
  await db.notifications.listen(API_KEY_REVOKED_CHANNEL, (keyId) => {
    services.auth.forget(keyId);
    void keyRecheck.trigger();
  });
  signals.listen(() => live.wake());

  // Outbox rows wait in the database until a broker is configured and reachable.
  const relay = background.register(
    new OutboxRelay({
      prisma: db.prisma,
      log,
      instanceId: config.INSTANCE_ID,
      amqpUrl: config.AMQP_URL,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      heartbeatMs: config.AMQP_HEARTBEAT,
      publishTimeoutMs: config.AMQP_CONFIRM_TIMEOUT,
      leaseMs: config.OUTBOX_LEASE,
      failpoints,
    }),
  );
  signals.listen(() => relay.wake());

  background.register(
    new PeriodicJob(
      'event log pruning',
      config.EVENT_PRUNE_INTERVAL,
      async () => {
        const pruned = await pruneDeletionEvents(db.prisma, config.EVENT_RETENTION);
        if (pruned) log.info({ pruned }, 'pruned expired deletion events');
        const keys = await pruneIdempotencyKeys(db.prisma);
        if (keys) log.info({ keys }, 'pruned expired idempotency keys');
      },
      log,
    ),
  );
  // Blobs of uploads that never got their row (a crash, a failed create whose cleanup failed).
  background.register(
    new PeriodicJob(
      'blob sweep',
      config.BLOB_SWEEP_INTERVAL,
      async () => {
        const swept = await blobs.sweep(referencedBlobKeys(db.prisma), { olderThanMs: config.BLOB_SWEEP_MIN_AGE });
        if (swept.removed) log.info(swept, 'removed unreferenced blobs');
      },
      log,
    ),
  );
  background.register(
    new PurgeSchedule({
      schedule: purgeSchedule,
      // a scheduled run skips when another instance is purging
      purge: () => purgeExpiredDatasets(purge, 0),
      hasInterruptedRun: () => hasInterruptedRun(db.prisma),
      log,
    }),
  );
  registerDatabaseGauges(metrics.registry, {
    prisma: db.prisma,
    log,
    tailPosition: () => live.tailPosition,
    brokerState: () => relay.state,
    nextPurgeAt: () => services.datasets.nextPurgeAt(),
  });
  // Last: it stops first, letting its runs finish their step while everything they use still works.
  background.register(operationQueue);
  await background.start();

  const requests = new InFlightRequests();
  const accessLog = createAccessLog({ log, metrics });
  const yoga = createGraphQLHandler({
    prisma: db.prisma,
    services,
    live,
    log,
    graphiql: config.GRAPHIQL,
    introspection: config.INTROSPECTION,
    persisted,
    exposeSqlCount: config.EXPOSE_SQL_COUNT,
    requests,
    accessLog,
    uploads: {
      maxFileBytes: config.MAX_UPLOAD_BYTES,
      maxFiles: config.MAX_UPLOAD_FILES,
      maxJsonBytes: config.MAX_JSON_BYTES,
    },
    bodies: { maxJsonBytes: config.MAX_JSON_BYTES, maxRequestBytes: config.MAX_REQUEST_BYTES },
  });
  const handleRest = createRestHandler({ prisma: db.prisma, services, log, maxBodyBytes: config.MAX_JSON_BYTES });
  const handleShare = createShareHandler({ services, log });
  const serveOpenApi = createOpenApiHandler();
  const applyCors = createCorsPolicy(config.CORS_ORIGINS);
  const handleMonitor = createMonitorHandler({ dir: config.MONITOR_DIR, log });
  const handleMetrics = createMetricsHandler(metrics.registry, metricsPolicy, log);

  let shuttingDown = false;
  const handleRequest = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (applyCors(req, res)) return;
    requests.track(res); // a shutdown waits for the answer
    // Only origin-form targets (`/path?query`): `*` or `http://host/...` names nothing served here.
    if (!req.url?.startsWith('/')) {
      return json(res, 400, {
        error: 'invalid_request',
        message: 'The request target must be a path such as /graphql',
      });
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/ready') {
      if (shuttingDown) return json(res, 503, { status: 'shutting down' });
      // The broker is reported, not required: deletions keep working while it is away.
      const probe = await readiness(db.prisma, migrations);
      return json(res, probe.ready ? 200 : 503, {
        status: probe.ready ? 'ready' : 'not ready',
        database: probe.database,
        migrated: probe.migrated,
        broker: { state: relay.state, lastError: relay.lastError, pendingMessages: probe.pendingMessages },
      });
    }
    if (path === OPENAPI_PATH) return serveOpenApi(req, res);
    if (isMonitorPath(path)) return handleMonitor(req, res, path);
    if (path === METRICS_PATH) return handleMetrics(req, res);
    if (req.method === 'GET' && path === '/' && config.GRAPHIQL) {
      res.writeHead(302, { location: '/graphql' }).end();
      return;
    }
    // No REST route or share link is /graphql: its requests skip their URL parsing and matching.
    if (path !== '/graphql' && ((await handleShare(req, res)) || (await handleRest(req, res)))) return;
    yoga(req, res);
  };
  const server = http.createServer(
    accessLog.http((req, res) =>
      // A failure no route caught is answered as a masked 500; left to reject, it would end the process.
      handleRequest(req, res).catch((err) => {
        log.error({ err, method: req.method, url: req.url }, 'request failed');
        if (res.headersSent) res.destroy();
        else json(res, 500, { error: 'internal_error', message: 'Internal server error' });
      }),
    ),
  );
  // A 413 sent before the body was read reaches the client instead of a connection reset.
  lingerOnClose(server);
  ws = attachGraphQLWebSocket(server, yoga, services, {
    fanout,
    persisted,
    accessLog,
    connectionInitWaitTimeoutMs: config.WS_INIT_TIMEOUT,
  });
  const sockets = ws;
  let closing: Promise<void> | null = null;

  return {
    db,
    services,
    server,
    bootstrapKey,
    listen(port = config.PORT, host = config.HOST) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo;
          resolve(`http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/graphql`);
        });
      });
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };

  async function shutdown() {
    shuttingDown = true;
    stopping.abort();
    requests.beginClosing();
    // Deletes waiting for their operation answer now, with the operation as it stands (202 + Location).
    operationUpdates.endWaits();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections would otherwise stay open until their time-out; busy ones
    // close after their answer (beginClosing).
    server.closeIdleConnections();
    log.info(
      { running: requests.running, graceMs: config.SHUTDOWN_GRACE },
      'stopped accepting connections; finishing the requests in flight',
    );
    const cut = await requests.settled(Date.now() + config.SHUTDOWN_GRACE, { streams: false });
    if (cut.length) {
      log.warn({ requests: describeRequests(cut) }, 'shutdown grace expired; cutting the requests still running');
      for (const res of cut) res.destroy();
    }
    // Subscribers kept receiving events (those of the requests above too) until now.
    await sockets.close(STREAMS_CLOSE_TIMEOUT_MS);
    await live.stop();
    await operationUpdates.stop();
    await requests.settled(Date.now() + STREAMS_CLOSE_TIMEOUT_MS, { streams: true });
    server.closeAllConnections();
    await closed;

    // Every background job; a pass in progress finishes first.
    await background.stop();
    await signals.close();
    await db.close();
    log.info('shut down');
  }
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
