import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Connection } from 'mongoose';
import { SessionStore } from './session-store';

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
  const store = new SessionStore({
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
 * Ends every session of a user, except `exceptSessionId` (the one making the change). Sessions are
 * found by the `userId` the store writes beside them (indexed); sessions signed in before that field
 * existed hold the id alone at `session.passport.user` and are found there until they expire.
 */
export async function endSessionsOfUser(connection: Connection, userId: string, exceptSessionId?: string): Promise<number> {
  const except = exceptSessionId ? { _id: { $ne: exceptSessionId } } : {};
  const sessions = connection.collection(SESSION_COLLECTION);
  const current = await sessions.deleteMany({ userId, ...except } as never);
  const older = await sessions.deleteMany({ 'session.passport.user': userId, ...except } as never);
  return current.deletedCount + older.deletedCount;
}

/**
 * Writes the user's new snapshot (what `req.user` carries: name, e-mail, role, language) into every
 * session they are signed in with, so the change counts on their next request in every browser.
 */
export async function rewriteSessionUser(connection: Connection, userId: string, user: Record<string, unknown>): Promise<void> {
  await connection.collection(SESSION_COLLECTION).updateMany({ userId } as never, { $set: { 'session.passport.user': user } });
}
