import type { Connection, Model, Schema } from 'mongoose';

/** The model `name` on this connection (each test database has its own connection), made once. */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}

/** A unique index refused an insert: the race or the double submit it exists to decide. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | undefined)?.code === 11000;
}

/**
 * Insert-once: runs an insert whose unique index says "already done". True when this call inserted,
 * false when the key was there already (a double submit or a race another request won).
 */
export async function insertOnce(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Runs `write` with a fresh random (or next) value until no unique index refuses it: the rare clash
 * of two codes, or two imports taking the same version number. Gives up after `tries` clashes.
 * `onClash` undoes what a refused attempt left behind.
 */
export async function retryOnDuplicate<T>(
  write: (attempt: number) => Promise<T>,
  options: { tries?: number; onClash?: (attempt: number) => Promise<void> } = {},
): Promise<T> {
  const tries = options.tries ?? 6;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(attempt);
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= tries - 1) throw err;
      await options.onClash?.(attempt);
    }
  }
}

/**
 * An upsert by `_id` (or another unique key) that two requests may make at once: both can find no
 * document and both insert, and the index refuses the later one. MongoDB retries such an upsert on
 * the server; FerretDB does not, so it is run again here, when it finds the winner's document and
 * updates it.
 */
export function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  return retryOnDuplicate(upsert, { tries: 3 });
}
