export { connectWithRetry, isDatabaseReady } from './connection';
export { LocalDatabaseUnavailable, type LocalDatabase, startLocalDatabase, buildFerretDb } from './local-server';
export { isDuplicateKey, modelOn } from './models';
export { chunked, IN_CHUNK, inChunks } from './in-chunks';
