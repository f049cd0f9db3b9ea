import type { Config } from '../../config';
import { type LocalDatabase, startLocalDatabase } from './local-server';

/** Where the database comes from: MONGODB_URI, or the local server for DATA_DIR. */
export async function openDatabase(
  config: Pick<Config, 'mongodbUri' | 'dataDir' | 'databaseName' | 'localDbCache'>,
  log: { info(m: string): void; warn(m: string): void },
): Promise<{ uri: string; local: LocalDatabase | undefined; dbName: string }> {
  let local: LocalDatabase | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    local = await startLocalDatabase({ dataDir: config.dataDir, log, cacheDir: config.localDbCache });
    uri = local.uri;
  }
  return { uri, local, dbName: config.databaseName };
}
