import type http from 'node:http';
import net from 'node:net';
import type { Connection } from 'mongoose';
import { createApp } from './app';
import { type Config, ConfigError, configWarnings, loadConfig } from './config';
import { createHttpServer } from './platform/http-server';
import { connectWithRetry, type LocalDatabase, LocalDatabaseUnavailable, openDatabase } from './platform/database';
import { createLogger } from './platform/logger';
import { createMailer } from './platform/mailer';
import { createOutboxWorker } from './platform/outbox';
import { startSessionPurge } from './platform/session';
import { startAccountsPurge } from './features/accounts';
import { createDiscussionDigest, startDigestTimer } from './features/discussion';
import { createOutbox } from './platform/outbox';
import { createLtiScoreWorker, purgeExpiredLtiRecords } from './features/lti';
import { createStatementWorker } from './features/xapi';

/** How long in-flight requests may run after SIGTERM before their connections are closed. */
const DRAIN_MS = 25_000;

/** How long a keep-alive connection that is idle at SIGTERM may still bring a request. */
const IDLE_GRACE_MS = 1000;

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
  for (const warning of configWarnings(config)) logger.warn(warning);
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
  const statements = config.xapi ? createStatementWorker({ connection, lrs: config.xapi, logger }) : undefined;
  statements?.start();
  const scores = createLtiScoreWorker({ connection, logger });
  scores.start();
  const ltiPurge = setInterval(() => purgeExpiredLtiRecords(connection).catch((err) => logger.warn({ err }, 'LTI purge failed')), 15 * 60_000);
  ltiPurge.unref();
  // While draining, every answer says `Connection: close`, so a keep-alive client opens its next
  // request elsewhere instead of having it reset on a connection we are about to close.
  let draining = false;
  const inFlight = new Set<http.ServerResponse>();
  const server = createHttpServer(app, (req, res) => {
    if (draining) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    app(req, res);
  });
  const stopPurge = startSessionPurge(connection, (err) => logger.warn({ err }, 'session purge failed'));
  const stopAccountsPurge = startAccountsPurge(connection, (err) => logger.warn({ err }, 'accounts purge failed'));
  // hourly: each person's daily or weekly digest goes out once per period, whichever instance runs first
  const digest = createDiscussionDigest(connection, { mailer: createOutbox(connection), baseUrl: config.baseUrl, secret: config.sessionSecret });
  const stopDigests = startDigestTimer(digest, (err) => logger.warn({ err }, 'discussion digest failed'));
  server.listen(config.port, () => {
    logger.info(`SDG Learn listening on http://localhost:${config.port} (${config.env})`);
  });

  const shutdown = (reason: string, exitCode = 0) => {
    if (draining) return;
    draining = true;
    logger.info(`${reason}: finishing in-flight requests`);
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    stopPurge();
    stopAccountsPurge();
    stopDigests();
    // Requests already accepted get up to DRAIN_MS (a quiz submission on a busy machine takes
    // seconds, not tens of them); the orchestrator's grace period must be longer than this.
    const force = setTimeout(() => {
      logger.warn(`requests still running after ${DRAIN_MS / 1000} s, closing them`);
      server.closeAllConnections();
    }, DRAIN_MS);
    force.unref();
    // Stops accepting connections. Node's own http close would also close every idle keep-alive
    // connection at once, and a client that is writing its next request on one at that moment gets
    // a reset; so the listening socket is closed first, requests arriving on open connections are
    // still answered (with `Connection: close`), and the connections that stayed idle are closed a
    // moment later.
    net.Server.prototype.close.call(server, async () => {
      clearTimeout(force);
      await mail.stop();
      await statements?.stop();
      await scores.stop();
      clearInterval(ltiPurge);
      await connection.close().catch(() => {});
      await local?.stop();
      logger.info('stopped');
      process.exit(exitCode);
    });
    setTimeout(() => server.closeIdleConnections(), IDLE_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM received'));
  process.on('SIGINT', () => shutdown('SIGINT received'));
  // Node's own practice: after an unhandled rejection or exception the process state is unknown,
  // so it stops (answering what it can) and exits non-zero for the supervisor to start it again.
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    shutdown('unhandled rejection', 1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    shutdown('uncaught exception', 1);
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
