import mongoose, { type Connection } from 'mongoose';

type Log = { warn(obj: object, msg: string): void };

/** Connects, retrying with back-off: at start-up the database may still be coming up. */
export async function connectWithRetry(
  uri: string,
  options: { dbName?: string; log: Log; attempts?: number; serverSelectionTimeoutMS?: number; monitorCommands?: boolean },
): Promise<Connection> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const conn = mongoose.createConnection(uri, {
      dbName: options.dbName,
      // A dead or paused database must turn into the 503 page within about 5 s, not hang a request:
      // server selection gives up after 3 s; the heartbeat every second, with a 2 s connect
      // timeout, notices a paused server and interrupts the operations waiting on it. There is
      // no socket timeout, since a large cohort's page can legitimately query for a minute.
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 3000,
      connectTimeoutMS: 2000,
      heartbeatFrequencyMS: 1000,
      // fail at once while disconnected instead of queueing for mongoose's 10 s buffer timeout
      bufferCommands: false,
      // Mongoose would create indexes in the background; we create them on purpose with syncIndexes.
      autoIndex: false,
      autoCreate: false,
      monitorCommands: options.monitorCommands ?? false,
    });
    try {
      await conn.asPromise();
      return conn;
    } catch (err) {
      await conn.close().catch(() => {});
      if (attempt >= attempts) throw err;
      const delay = Math.min(5000, 250 * 2 ** attempt);
      options.log.warn({ err, attempt }, `database not reachable, retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** True while the database answers a ping within the time limit. */
export async function isDatabaseReady(conn: Connection, timeoutMs = 1000): Promise<boolean> {
  if (conn.readyState !== 1 || !conn.db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = conn.db
    .admin()
    .ping()
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
