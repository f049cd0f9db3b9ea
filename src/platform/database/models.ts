import type { Connection, Model, Schema } from 'mongoose';

/** The model `name` on this connection (each test database has its own connection), made once. */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}

/** A unique index refused an insert: the race or the double submit it exists to decide. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | undefined)?.code === 11000;
}
