import MongoStore from 'connect-mongo';
import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';
import type { Db, MongoClient } from 'mongodb';
import { upsertRacing } from './database/models';
import { findFirst } from './database/plain-find';

// The keys a session had when it was read from the database, kept out of sight of the session's own
// JSON (express-session hashes that to decide whether to save).
const LOADED_KEYS = Symbol('keys when loaded');
// Owned by the accounts feature once the session exists: see the class comment.
const SIGNED_IN = 'passport';

type Stored = { _id: string; session: Record<string, unknown>; expires: Date; lastModified: Date; userId?: string };

/** The id of the user a session is signed in as, from what passport keeps (a snapshot or, before, the id). */
function userIdOf(session: Record<string, unknown>): string | undefined {
  const user = (session[SIGNED_IN] as { user?: unknown } | undefined)?.user;
  if (typeof user === 'string') return user;
  const id = (user as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * connect-mongo's store, writing sessions back in a way that lets a session carry the signed-in
 * user (id, name, e-mail, role, language) instead of the user being read on every request:
 *  - a new session (signing in regenerates it) is written whole, with the user's id beside it
 *    (`userId`, indexed) so the user's sessions can be found;
 *  - a session read earlier is written back field by field, never its signed-in user, and only if
 *    it still exists. The user in a session changes only through `rewriteSessionUser` and
 *    `endSessionsOfUser`, which the accounts and admin features call when a user changes. So a
 *    request that loaded the session before an admin changed the role, or ended the account's
 *    sessions, and saves a flash message after, can neither bring the old role back nor revive
 *    the ended session.
 */
export class SessionStore extends MongoStore {
  // how long a session without a cookie expiry lives, as connect-mongo's own write gives it (ttl)
  private readonly ttlMs: number;
  private readonly db: Db;
  private readonly collectionName: string;

  constructor(options: ConstructorParameters<typeof MongoStore>[0] & { client: MongoClient; dbName: string }) {
    super(options);
    this.ttlMs = (options.ttl ?? 14 * 24 * 3600) * 1000;
    this.db = options.client.db(options.dbName);
    this.collectionName = options.collectionName ?? 'sessions';
  }

  /**
   * Reads the session by its id alone and leaves an expired one unread in code: connect-mongo asks
   * the database with `$or` over `expires`, a filter the local database evaluates document by
   * document after the `_id` lookup (measured: a fifth more of its CPU per read, on every request).
   */
  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.read(sid).then((session) => callback(null, session), callback);
  }

  private async read(sid: string): Promise<SessionData | null> {
    const stored = await findFirst<Stored>(this.db, this.collectionName, { _id: sid });
    // expired and not yet purged is gone all the same (a session without `expires` never expires)
    if (!stored || (stored.expires instanceof Date && stored.expires.getTime() <= Date.now())) return null;
    const session = stored.session as unknown as SessionData & { lastModified?: Date };
    // connect-mongo's touch compares with it (touchAfter): kept beside the session, handed over as it does
    if (stored.lastModified) session.lastModified = stored.lastModified;
    return session;
  }

  override createSession(req: Request, data: SessionData): Session & SessionData {
    const keys = Object.keys(data);
    const session = super.createSession(req, data);
    Object.defineProperty(session, LOADED_KEYS, { value: keys });
    return session;
  }

  override set(sid: string, session: SessionData, callback: (err?: unknown) => void = () => {}): void {
    this.write(sid, session).then(() => callback(), callback);
  }

  private async write(sid: string, session: SessionData): Promise<void> {
    const collection = (await this.collectionP) as unknown as import('mongodb').Collection<Stored>;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(session)) {
      // connect-mongo adds lastModified to what it reads; it lives beside the session, not in it
      if (key === 'lastModified') continue;
      fields[key] = key === 'cookie' ? (session.cookie as unknown as { toJSON(): object }).toJSON() : value;
    }
    const expires = session.cookie.expires ? new Date(session.cookie.expires) : new Date(Date.now() + this.ttlMs);
    const loaded = (session as unknown as Record<symbol, string[] | undefined>)[LOADED_KEYS];
    if (!loaded) {
      const userId = userIdOf(fields);
      await upsertRacing(() =>
        collection.updateOne(
          { _id: sid },
          { $set: { session: fields, expires, lastModified: new Date(), ...(userId ? { userId } : {}) } },
          { upsert: true },
        ),
      );
      return;
    }
    const set: Record<string, unknown> = { expires, lastModified: new Date() };
    const unset: Record<string, ''> = {};
    for (const [key, value] of Object.entries(fields)) if (key !== SIGNED_IN) set[`session.${key}`] = value;
    for (const key of loaded) if (key !== SIGNED_IN && key !== 'lastModified' && !(key in fields)) unset[`session.${key}`] = '';
    await collection.updateOne({ _id: sid }, { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) });
  }
}
