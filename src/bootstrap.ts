import type { Connection } from 'mongoose';
import type { Logger } from './platform/logger';

/**
 * Makes the database ready for the app: indexes, and (once the content feature lands) the course
 * on first start. Idempotent, so every instance may run it at boot.
 */
export async function prepareDatabase(connection: Connection, logger: Logger): Promise<void> {
  await connection.collection('sessions').createIndex({ expires: 1 });
  logger.debug('database prepared');
}
