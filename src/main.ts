import { ConfigError, loadConfig } from './config/index.js';
import { DataDirectoryInUseError } from './db/directory-lock.js';
import { buildApp } from './http/server.js';
import { createLogger } from './logger.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.LOG_LEVEL, config.LOG_FORMAT);
let app: Awaited<ReturnType<typeof buildApp>>;
try {
  app = await buildApp(config, log);
} catch (err) {
  // Settings only the built app can check (a persisted document against the schema).
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  if (err instanceof DataDirectoryInUseError) {
    console.error(
      `error: ${err.message}; stop it first, or give this gateway its own DATABASE_URL (several gateways share one postgres://... database)`,
    );
    process.exit(1);
  }
  throw err;
}
const url = await app.listen();
log.info({ url, database: app.db.kind, instance: config.INSTANCE_ID }, 'deletion gateway listening');
if (app.bootstrapKey?.generated) {
  // Printed once: the key is stored only as a hash.
  console.log(`\nAdmin API key (shown once, keep it): ${app.bootstrapKey.key}\nGraphiQL: ${url}\n`);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) {
      log.warn({ signal }, 'second signal during shutdown: exiting at once');
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
