import http from 'node:http';
import type { Connection } from 'mongoose';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { connectWithRetry, type LocalDatabase, LocalDatabaseUnavailable, startLocalDatabase } from './platform/database';
import { createLogger } from './platform/logger';
import { createMailer } from './platform/mailer';
import { createOutboxWorker } from './platform/outbox';
import { startSessionPurge } from './platform/session';
import { startAccountsPurge } from './features/accounts';

/** Where the database comes from: MONGODB_URI, or the local server for DATA_DIR. */
export async function openDatabase(config: Config, log: { info(m: string): void; warn(m: string): void }) {
  let local: LocalDatabase | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    local = await startLocalDatabase({ dataDir: config.dataDir, log });
    uri = local.uri;
  }
  return { uri, local, dbName: config.mongodbUri ? undefined : 'sdglearn' };
}

async function main() {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.problems.join('; ')}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.env === 'production' && !config.smtpUrl) {
    logger.warn('SMTP_URL is not set: e-mails such as password resets are written to DATA_DIR/outbox, not sent');
  }
  const log = { info: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m) };

  let local: LocalDatabase | undefined;
  let connection: Connection;
  try {
    const db = await openDatabase(config, log);
    local = db.local;
    connection = await connectWithRetry(db.uri, { dbName: db.dbName, log: logger });
  } catch (err) {
    if (err instanceof LocalDatabaseUnavailable) {
      console.error(err.message);
      process.exit(3);
    }
    throw err;
  }

  const { prepareDatabase } = await import('./bootstrap');
  await prepareDatabase(connection, logger);

  const app = createApp({ config, connection, logger });
  const mail = createOutboxWorker({
    connection,
    transport: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, logger }),
    logger,
  });
  mail.start();
  const server = http.createServer(app);
  const stopPurge = startSessionPurge(connection, (err) => logger.warn({ err }, 'session purge failed'));
  const stopAccountsPurge = startAccountsPurge(connection, (err) => logger.warn({ err }, 'accounts purge failed'));
  server.listen(config.port, () => {
    logger.info(`SDG Learn listening on http://localhost:${config.port} (${config.env})`);
  });

  let stopping = false;
  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests`);
    stopPurge();
    stopAccountsPurge();
    // Give slow requests a bounded time; the load balancer has already stopped sending new ones.
    const force = setTimeout(() => {
      logger.warn('requests still running after 10 s, closing them');
      server.closeAllConnections();
    }, 10_000);
    force.unref();
    server.close(async () => {
      clearTimeout(force);
      await mail.stop();
      await connection.close().catch(() => {});
      await local?.stop();
      logger.info('stopped');
      process.exit(exitCode);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    shutdown('uncaughtException', 1);
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
