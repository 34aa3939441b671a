// Process entry: config → open DB → migrate → seed if empty → buildApp → listen → graceful close on signals.
import { buildApp } from './app.js';
import { ConfigError, databaseLocation, loadConfig, shownDatabaseLocation } from './config.js';
import { prepareDatabase } from './curation/prepare.js';
import { loggerOptions } from './plugins/hardening.js';
import { openDatabase, waitForDatabase } from './store/client.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const db = openDatabase(databaseLocation(config), {
    busyWaitMs: config.WRITE_LOCK_WAIT_MS,
    poolSize: config.DATABASE_POOL_SIZE,
    replicaUrls: config.DATABASE_REPLICA_URLS,
    replicaMaxLagMs: config.DATABASE_REPLICA_MAX_LAG_MS,
  });
  try {
    // PostgreSQL may still be starting beside us (compose, a failover): retried with backoff for DATABASE_WAIT_MS.
    await waitForDatabase(db, { waitMs: config.DATABASE_WAIT_MS });
  } catch (error) {
    process.stderr.write(
      `Failed to start: the database at ${shownDatabaseLocation(config)} cannot be reached: ${(error as Error).message}\n`,
    );
    process.exit(69); // EX_UNAVAILABLE
  }
  const { seeded, reconciled } = await prepareDatabase(db);
  const app = await buildApp({
    db,
    logger: loggerOptions(config.LOG_LEVEL),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    connectionTimeoutMs: config.CONNECTION_TIMEOUT_MS,
    config,
  });
  app.log.info({ database: shownDatabaseLocation(config), seeded, reconciled }, 'database ready');

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // A request that never finishes must not keep the process alive forever.
    const timer = setTimeout(() => {
      app.log.error('shutdown grace period over; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
