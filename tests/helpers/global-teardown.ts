import mongoose from 'mongoose';
import type { LocalDatabase } from '../../src/platform/database';

export default async function globalTeardown() {
  const uri = process.env.TEST_MONGODB_URI;
  const runId = process.env.TEST_RUN_ID;
  if (uri && runId) {
    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      const { databases } = await connection.db!.admin().listDatabases();
      for (const { name } of databases) {
        if (name.includes(runId)) await connection.useDb(name).dropDatabase();
      }
    } finally {
      await connection.close();
    }
  }
  await (globalThis as { __localDb?: LocalDatabase }).__localDb?.stop();
}
