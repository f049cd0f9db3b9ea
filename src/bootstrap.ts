import type { Connection } from 'mongoose';
import { prepareAccountsDatabase } from './features/accounts';
import { createAuditIndexes } from './features/audit';
import { createCertificateIndexes } from './features/certificates';
import { createCohortIndexes } from './features/cohorts';
import { createContentIndexes, createContentService, formatPackageError, InvalidContentError } from './features/content';
import { createDiscussionIndexes } from './features/discussion';
import { learningModels } from './features/learning';
import { createPlanIndexes } from './features/plans';
import { createLtiIndexes } from './features/lti';
import { createXapiIndexes } from './features/xapi';
import type { Logger } from './platform/logger';
import { createOutboxIndexes } from './platform/outbox';
import { modulesDir } from './platform/paths';

/** Creates every collection's indexes. Idempotent; the connection has autoIndex off on purpose. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await connection.collection('sessions').createIndex({ expires: 1 });
  // a user's sessions, to end them (password reset, deactivation) or rewrite the user they carry
  // (role, language, name changed) without a collection scan
  await connection.collection('sessions').createIndex({ userId: 1 });
  // sessions signed in before `userId` was written beside them (they expire within 14 days)
  await connection.collection('sessions').createIndex({ 'session.passport.user': 1 });
  await prepareAccountsDatabase(connection);
  await createAuditIndexes(connection);
  await createContentIndexes(connection);
  for (const model of Object.values(learningModels(connection))) await model.createIndexes();
  await createCertificateIndexes(connection);
  await createCohortIndexes(connection);
  await createOutboxIndexes(connection);
  await createPlanIndexes(connection);
  await createDiscussionIndexes(connection);
  await createXapiIndexes(connection);
  await createLtiIndexes(connection);
}

/**
 * Makes the database ready for the app: indexes, and the course from modules/ on first start
 * (when no module is published yet). Every instance may run it at boot.
 */
export async function prepareDatabase(connection: Connection, logger: Logger): Promise<void> {
  await ensureIndexes(connection);
  const content = createContentService({ connection });
  if (!(await content.hasCourse())) {
    try {
      const report = await content.seedFromFolder(modulesDir);
      logger.info(`course loaded: ${report.map((r) => `${r.moduleId} v${r.version}`).join(', ')}`);
    } catch (err) {
      if (err instanceof InvalidContentError) {
        logger.error(`the course in modules/ is invalid:\n${err.errors.map(formatPackageError).join('\n')}`);
      } else throw err;
    }
  }
}
