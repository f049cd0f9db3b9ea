import type { RequestHandler } from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { Connection } from 'mongoose';

export const SESSION_COLLECTION = 'sessions';
export const SESSION_COOKIE = 'sdg.sid';
const SESSION_TTL_SECONDS = 14 * 24 * 3600;

/**
 * Sessions live in the database so any number of app instances can serve a user. FerretDB has
 * no TTL indexes, so expiry is ours: connect-mongo stores `expires` and `purgeExpiredSessions` runs
 * on a timer started by the server.
 */
export function sessionMiddleware(options: {
  connection: Connection;
  secret: string;
  /** 'auto': Secure exactly when the request came over TLS, as a trusted proxy reports it */
  secureCookie: boolean | 'auto';
}): RequestHandler {
  const store = MongoStore.create({
    client: options.connection.getClient(),
    dbName: options.connection.name,
    collectionName: SESSION_COLLECTION,
    autoRemove: 'disabled',
    ttl: SESSION_TTL_SECONDS,
    touchAfter: 3600,
    stringify: false,
  });
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookie,
      maxAge: SESSION_TTL_SECONDS * 1000,
    },
  });
}

export async function purgeExpiredSessions(connection: Connection, now = new Date()): Promise<number> {
  const result = await connection.collection(SESSION_COLLECTION).deleteMany({ expires: { $lt: now } });
  return result.deletedCount;
}

/** Starts the periodic purge; returns a function that stops it. */
export function startSessionPurge(connection: Connection, onError: (err: unknown) => void, everyMs = 15 * 60_000) {
  const timer = setInterval(() => {
    purgeExpiredSessions(connection).catch(onError);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Ends every session of a user, except `exceptSessionId` (the one making the change). Passport
 * keeps the signed-in user's id alone at `session.passport.user`, so the sessions are found by it.
 */
export async function endSessionsOfUser(connection: Connection, userId: string, exceptSessionId?: string): Promise<number> {
  const filter: Record<string, unknown> = { 'session.passport.user': userId };
  if (exceptSessionId) filter._id = { $ne: exceptSessionId };
  const result = await connection.collection(SESSION_COLLECTION).deleteMany(filter);
  return result.deletedCount;
}
