import fs from 'node:fs';
import path from 'node:path';
import { startLocalDatabase } from '../../src/platform/database';

export const testDataDir = () => path.resolve(process.env.TEST_DATA_DIR ?? '.test-data');
export const runsDir = () => path.join(testDataDir(), 'runs');

/**
 * Starts (or reuses) the local database once per run. Workers inherit TEST_MONGODB_URI and each
 * uses its own database on it. With MONGODB_URI set, the tests run against that server instead.
 */
export default async function globalSetup() {
  // Several test runs may share one database server (a developer's and a helper's): each run's
  // databases carry its own id, and teardown drops them.
  process.env.TEST_RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const local = await startLocalDatabase({ dataDir: testDataDir(), log: { info: () => {}, warn: (m) => console.warn(m) } });
  process.env.TEST_MONGODB_URI = local.uri;
  // Each live run leaves a marker, so the last run to finish stops the server, not the first.
  fs.mkdirSync(runsDir(), { recursive: true });
  fs.writeFileSync(path.join(runsDir(), String(process.pid)), '');
}
