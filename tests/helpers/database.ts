import type { Connection } from 'mongoose';
import { connectWithRetry } from '../../src/platform/database';

const silent = { warn: () => {} };

/** This jest worker's own database on the shared test server, emptied for the test file. */
export async function connectTestDatabase(suffix = ''): Promise<Connection> {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global setup)');
  const dbName = `sdglearn_test_${process.env.JEST_WORKER_ID ?? '0'}${suffix}`;
  const connection = await connectWithRetry(uri, { dbName, log: silent, attempts: 3 });
  await connection.dropDatabase();
  return connection;
}
