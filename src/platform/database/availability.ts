import type { RequestHandler } from 'express';
import mongoose, { type Connection } from 'mongoose';
import { AppError } from '../errors';

/** Seconds a client is told to wait: about how long the local database takes to be restarted. */
export const RETRY_AFTER_SECONDS = 5;

export class DatabaseUnavailableError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(503, 'DATABASE_UNAVAILABLE', 'errors:unavailable', options);
  }
}

const { MongoNetworkError, MongoServerSelectionError, MongoTopologyClosedError, MongoNotConnectedError } = mongoose.mongo;

/**
 * True for the driver's errors that mean "the database cannot be reached" (dead, restarting,
 * paused past the timeouts), as opposed to a query it refused. Timeouts are network errors too.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  return (
    // a command written just as the server died: the driver lets Node's own socket error through
    (err as { code?: unknown } | undefined)?.code === 'EPIPE' ||
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError ||
    err instanceof mongoose.Error.MongooseServerSelectionError
  );
}

/**
 * While the driver knows the database is down (its heartbeat failed: within about 4 s of a death or
 * a pause), requests that would need it get the 503 page at once instead of waiting for the
 * server-selection timeout. The probes and static files are mounted before this.
 */
export function requireDatabase(connection: Connection): RequestHandler {
  return (_req, _res, next) => {
    if (connection.readyState === mongoose.ConnectionStates.connected) return next();
    throw new DatabaseUnavailableError();
  };
}
