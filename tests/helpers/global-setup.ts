import path from 'node:path';
import { startLocalDatabase } from '../../src/platform/database';

/**
 * Starts (or reuses) the local database once per run. Workers inherit TEST_MONGODB_URI and each
 * uses its own database on it. With MONGODB_URI set, the tests run against that server instead.
 */
export default async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = path.resolve(process.env.TEST_DATA_DIR ?? '.test-data');
  const local = await startLocalDatabase({ dataDir, log: { info: () => {}, warn: (m) => console.warn(m) } });
  process.env.TEST_MONGODB_URI = local.uri;
  (globalThis as { __localDb?: typeof local }).__localDb = local;
}
