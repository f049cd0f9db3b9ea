export { connectWithRetry, isDatabaseReady } from './connection';
export { LocalDatabaseUnavailable, type LocalDatabase, startLocalDatabase } from './local-server';
export { buildFerretDb } from './ferretdb-build';
export { openDatabase } from './open-database';
export { insertOnce, isDuplicateKey, modelOn, retryOnDuplicate, upsertRacing } from './models';
export { DatabaseUnavailableError, isDatabaseUnreachable, requireDatabase, RETRY_AFTER_SECONDS } from './availability';
export { chunked, IN_CHUNK, inChunks } from './in-chunks';
export { escapeRegex, paginate, type Paged } from './queries';
export { findFew, findFirst } from './plain-find';
