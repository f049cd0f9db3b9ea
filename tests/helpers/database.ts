import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../src/bootstrap';
import { createContentService } from '../../src/features/content';
import { connectWithRetry } from '../../src/platform/database';
import { modulesDir } from '../../src/platform/paths';

const silent = { warn: () => {} };

/** This jest worker's own database on the shared test server, emptied for the test file. */
export async function connectTestDatabase(suffix = '', options: { monitorCommands?: boolean } = {}): Promise<Connection> {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global setup)');
  const dbName = `sdglearn_test_${process.env.TEST_RUN_ID ?? 'x'}_${process.env.JEST_WORKER_ID ?? '0'}${suffix}`;
  const connection = await connectWithRetry(uri, { dbName, log: silent, attempts: 3, ...options });
  await connection.dropDatabase();
  await ensureIndexes(connection);
  return connection;
}

/** Loads the real course from modules/ into the test database, as `npm run seed` does. */
export async function seedCourse(connection: Connection) {
  return createContentService({ connection }).seedFromFolder(modulesDir);
}
