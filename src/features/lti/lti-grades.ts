import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import { createDeliveryQueue, createDeliveryWorker, type DeliveryQueue } from '../../platform/delivery-queue';
import type { Logger } from '../../platform/logger';
import type { RetryPolicy } from '../../platform/outbox';
import { SCORE_SCOPE } from './lti-claims';
import type { ToolKeys } from './lti-keys';
import type { PlatformRegistry } from './lti-platforms';
import type { LtiCollections } from './lti.models';

/** An AGS 2.0 score (application/vnd.ims.lis.v1.score+json) for one line item. */
export type ScorePayload = {
  platformId: string;
  lineitem: string;
  score: {
    userId: string;
    scoreGiven: number;
    scoreMaximum: number;
    activityProgress: 'Submitted' | 'Completed';
    gradingProgress: 'FullyGraded';
    timestamp: string;
    comment?: string;
  };
};

export const SCORES_QUEUE = 'lti_scores';
export const scoreQueue = (connection: Connection): DeliveryQueue<ScorePayload> => createDeliveryQueue<ScorePayload>(connection, SCORES_QUEUE);

/**
 * Sends each module's quiz result and completion to the LMS gradebook: a graded attempt is
 * "Submitted" with its score, the module's completion "Completed" with the passing score. Queued
 * in the request (one item per line item and event, with a fixed id), sent by the worker.
 */
const NO_LINKS_RECHECK_MS = 5_000;

export function createGradePassback(deps: { c: LtiCollections; queue: DeliveryQueue<ScorePayload> }): ActivityObserver {
  // Most platforms never see an LMS launch: until some learner has a grade link, a graded quiz
  // should not cost a query. A link, once made, stays; "none yet" is asked again every few
  // seconds, so a first launch on another instance is noticed long before its learner is graded.
  let linksExist = false;
  let checkedAt = -Infinity;
  async function anyLinks(): Promise<boolean> {
    if (linksExist || Date.now() - checkedAt < NO_LINKS_RECHECK_MS) return linksExist;
    checkedAt = Date.now();
    linksExist = (await deps.c.gradeLinks.findOne({}, { projection: { _id: 1 } })) !== null;
    return linksExist;
  }
  return {
    async record(a) {
      if (a.type !== 'quiz-graded' && a.type !== 'module-completed') return;
      if (!(await anyLinks())) return;
      const links = await deps.c.gradeLinks.find({ userId: a.userId, moduleId: a.moduleId }).toArray();
      for (const link of links) {
        const completed = a.type === 'module-completed';
        const key = completed ? `completed:${a.userId}:${a.moduleId}` : `graded:${a.attemptId}`;
        const score: ScorePayload['score'] = {
          userId: link.sub,
          scoreGiven: a.scorePercent ?? 0,
          scoreMaximum: 100,
          activityProgress: completed ? 'Completed' : 'Submitted',
          gradingProgress: 'FullyGraded',
          // the platform keeps the latest by timestamp: the completion follows its passing attempt
          timestamp: new Date(a.at.getTime() + (completed ? 1 : 0)).toISOString(),
        };
        await deps.queue.enqueue(`${key}:${link._id}`, { platformId: link.platformId, lineitem: link.lineitem, score }, `${key} → ${link.lineitem}`);
      }
    },
  };
}

/** `<lineitem>/scores`, keeping the line item's query string (AGS 2.0 §3.4). */
export function scoresUrl(lineitem: string): string {
  const url = new URL(lineitem);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}

/** Posts scores with an OAuth 2 client-credentials token got with a signed JWT (LTI Security §4.1). */
export function createScoreSender(deps: { platforms: PlatformRegistry; keys: ToolKeys; timeoutMs?: number }) {
  const tokens = new Map<string, { token: string; until: number }>();
  const timeout = () => AbortSignal.timeout(deps.timeoutMs ?? 15_000);

  async function accessToken(platformId: string) {
    const cached = tokens.get(platformId);
    if (cached && cached.until > Date.now()) return cached.token;
    const platform = await deps.platforms.byId(platformId);
    if (!platform) throw new Error('the platform is no longer registered');
    const key = await deps.keys.current();
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: deps.keys.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.tokenUrl)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(crypto.randomUUID())
      .sign(key.privateKey);
    const res = await fetch(platform.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: SCORE_SCOPE,
      }),
      signal: timeout(),
    });
    if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error('token endpoint gave no access_token');
    tokens.set(platformId, { token: body.access_token, until: Date.now() + Math.max(0, (body.expires_in ?? 3600) - 60) * 1000 });
    return body.access_token;
  }

  return async (payload: ScorePayload) => {
    const token = await accessToken(payload.platformId);
    const res = await fetch(scoresUrl(payload.lineitem), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify(payload.score),
      signal: timeout(),
    });
    if (res.status === 401) tokens.delete(payload.platformId);
    if (!res.ok) throw new Error(`scores endpoint answered ${res.status}`);
  };
}

export function createScoreWorker(options: {
  connection: Connection;
  platforms: PlatformRegistry;
  keys: ToolKeys;
  logger: Logger;
  retry?: RetryPolicy;
  pollMs?: number;
}) {
  const send = createScoreSender({ platforms: options.platforms, keys: options.keys });
  return createDeliveryWorker<ScorePayload>({
    queue: scoreQueue(options.connection),
    send,
    logger: options.logger,
    what: 'LTI score',
    retry: options.retry,
    pollMs: options.pollMs,
  });
}
