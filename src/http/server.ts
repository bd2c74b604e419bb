import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import { applyMigrations } from '../db/schema-engine.js';
import { readDeletionEvents } from '../events/event-log.js';
import { LiveEvents } from '../events/live.js';
import { createFailpoints } from '../failpoints.js';
import type { Logger } from '../logger.js';
import { createServices, type Services } from '../services/index.js';
import { reconcileWrappers } from '../services/resources.js';
import { bootstrapAdminKey } from '../services/workspaces.js';
import { WrapperSupervisor } from '../wrappers/supervisor.js';
import { createGraphQLHandler } from './graphql.js';
import { attachGraphQLWebSocket } from './graphql-ws.js';
import { createRestHandler } from './rest.js';

export interface App {
  db: Database;
  services: Services;
  server: http.Server;
  /** the key created on a fresh database (null when keys already existed) */
  bootstrapKey: { key: string; generated: boolean } | null;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the whole gateway without listening: opens and migrates the database, repairs
 * whatever a crash left half done, and wires HTTP, GraphQL, graphql-ws and REST together.
 */
export async function buildApp(config: Config, log: Logger): Promise<App> {
  const db = openDatabase(config.DATABASE_URL);
  const applied = await applyMigrations(db.adapter);
  if (applied.length) log.info({ applied }, 'applied migrations');
  if (config.TEST_STARTUP_SQL) await db.prisma.$executeRawUnsafe(config.TEST_STARTUP_SQL);
  const bootstrapKey = await bootstrapAdminKey(db.prisma, config.BOOTSTRAP_ADMIN_KEY);

  const supervisor = new WrapperSupervisor(config.WRAPPER_STOP_GRACE, config.WRAPPER_KINDS);
  const deps = {
    prisma: db.prisma,
    supervisor,
    instanceId: config.INSTANCE_ID,
    failpoints: createFailpoints(config.FAILPOINT),
    log,
  };
  const services = createServices(deps);
  const repaired = await reconcileWrappers(deps);
  if (repaired.stopped + repaired.started + repaired.failed > 0) log.info(repaired, 'reconciled wrappers');
  const reconcileTimer = setInterval(() => {
    reconcileWrappers(deps).catch((err) => log.error({ err }, 'wrapper reconciliation failed'));
  }, 30_000);
  reconcileTimer.unref();

  const live = new LiveEvents((opts) => readDeletionEvents(db.prisma, opts), log);
  await live.start();

  const yoga = createGraphQLHandler({
    prisma: db.prisma,
    services,
    live,
    log,
    graphiql: config.GRAPHIQL,
    exposeSqlCount: config.EXPOSE_SQL_COUNT,
  });
  const handleRest = createRestHandler({ prisma: db.prisma, services, log });

  let ready = true;
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/ready') {
      const database = ready && (await db.prisma.$queryRaw`SELECT 1`.then(() => true, () => false));
      return json(res, database ? 200 : 503, { status: database ? 'ready' : 'not ready', database: database ? 'up' : 'down', migrated: true });
    }
    if (req.method === 'GET' && path === '/') {
      res.writeHead(302, { location: '/graphql' }).end();
      return;
    }
    if (await handleRest(req, res)) return;
    yoga(req, res);
  });
  const ws = attachGraphQLWebSocket(server, yoga, db.prisma);

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
    async close() {
      ready = false;
      clearInterval(reconcileTimer);
      live.stop();
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
