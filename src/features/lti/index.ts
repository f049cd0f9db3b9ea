/**
 * The course as an LTI 1.3 tool: LMSs registered at /admin/lti launch it (OIDC login, id_token
 * verified with jose against the platform's key set), their users get linked accounts, teachers
 * place modules and lessons by Deep Linking 2.0, and module results go back by AGS 2.0 through a
 * durable queue (lti_scores) that the worker in server.ts sends.
 */
import type { Connection } from 'mongoose';
import type { JWTVerifyGetKey } from 'jose';
import type { CookieSecurity } from '../../config';
import type { Logger } from '../../platform/logger';
import type { RetryPolicy } from '../../platform/outbox';
import type { AccountsService } from '../accounts';
import type { ContentService } from '../content';
import { createAccountLinking } from './lti-accounts';
import { ltiAdminRouter } from './lti-admin';
import { createGradePassback, createScoreWorker, scoreQueue } from './lti-grades';
import { createToolKeys } from './lti-keys';
import { createLaunchService } from './lti-launch';
import { createPlatformRegistry } from './lti-platforms';
import { ltiController } from './lti.controller';
import { createLtiCollectionIndexes, ltiCollections, type PlatformDoc, purgeExpiredLtiRecords } from './lti.models';
import { ltiDeepLinkingRouter, ltiProtocolRouter } from './lti.routes';

export { SCORES_QUEUE, scoresUrl } from './lti-grades';
export { toolValues } from './lti-admin';
export { CLAIM } from './lti-claims';
export { purgeExpiredLtiRecords };

/** Sends module results to the gradebooks of the LMSs the learner launched from (the activity port's observer). */
export function ltiGradePassback(connection: Connection) {
  return createGradePassback({ c: ltiCollections(connection), queue: scoreQueue(connection) });
}

export function createLti(deps: {
  connection: Connection;
  accounts: AccountsService;
  content: ContentService;
  baseUrl: string;
  secureCookies: CookieSecurity;
  /** tests may resolve platform keys without HTTP; by default the platform's JWKS URL is fetched */
  keySet?: (platform: PlatformDoc) => JWTVerifyGetKey;
}) {
  const c = ltiCollections(deps.connection);
  const platforms = createPlatformRegistry(c);
  const keys = createToolKeys(c);
  const scores = scoreQueue(deps.connection);
  const controller = ltiController({
    launches: createLaunchService({ c, platforms, baseUrl: deps.baseUrl, keySet: deps.keySet }),
    linking: createAccountLinking({ c, accounts: deps.accounts }),
    platforms,
    keys,
    content: deps.content,
    baseUrl: deps.baseUrl,
    secureCookies: deps.secureCookies,
  });
  return {
    protocolRouter: ltiProtocolRouter(controller),
    router: [ltiDeepLinkingRouter(controller), ltiAdminRouter({ platforms, scores, baseUrl: deps.baseUrl })],
  };
}

/** The worker that sends queued scores to the LMS gradebooks. */
export function createLtiScoreWorker(options: { connection: Connection; logger: Logger; retry?: RetryPolicy; pollMs?: number }) {
  const c = ltiCollections(options.connection);
  return createScoreWorker({ ...options, platforms: createPlatformRegistry(c), keys: createToolKeys(c) });
}

export async function createLtiIndexes(connection: Connection): Promise<void> {
  await createLtiCollectionIndexes(connection);
  await scoreQueue(connection).createIndexes();
}
