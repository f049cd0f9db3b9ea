import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import type { ContentService } from '../content';
import { CLAIM } from './lti-claims';
import type { ToolKeys } from './lti-keys';
import type { PlatformDoc } from './lti.models';

/** What a deep-linking launch asked for, kept in the teacher's session until they choose. */
export type DeepLinkRequest = { platformId: string; deploymentId: string; returnUrl: string; data?: string };

/** The choices: each module, and each lesson in it, in the teacher's language. */
export async function placeableContent(content: ContentService, lng: 'en' | 'es' | 'fr') {
  const modules = await content.modules();
  return modules.map((m) => ({
    value: `module:${m.moduleId}`,
    title: m.title[lng],
    lessons: m.lessons.map((l) => ({ value: `lesson:${m.moduleId}:${l.id}`, title: l.title[lng] })),
  }));
}

/**
 * The LtiDeepLinkingResponse (Deep Linking 2.0 §4.2) placing one module or lesson: an LTI resource
 * link that launches into it; a module brings a gradebook line item (scores out of 100) for AGS.
 */
export async function deepLinkingResponse(deps: {
  content: ContentService;
  keys: ToolKeys;
  baseUrl: string;
  platform: PlatformDoc;
  request: DeepLinkRequest;
  choice: string;
}): Promise<string | undefined> {
  const [kind, moduleId, lessonId] = deps.choice.split(':');
  const module = moduleId ? await deps.content.getModule(moduleId) : undefined;
  if (!module || (kind === 'lesson' ? !lessonId || !module.lessonIndex.has(lessonId) : kind !== 'module')) return undefined;
  const lesson = lessonId ? module.lessons.find((l) => l.id === lessonId) : undefined;
  const title = lesson ? `${module.title.en} — ${lesson.title.en}` : module.title.en;
  const item = {
    type: 'ltiResourceLink',
    title,
    url: `${deps.baseUrl}/lti/launch`,
    custom: lesson ? { module: module.moduleId, lesson: lesson.id } : { module: module.moduleId },
    ...(lesson ? {} : { lineItem: { scoreMaximum: 100, label: title, resourceId: module.moduleId, tag: 'quiz' } }),
  };
  const key = await deps.keys.current();
  return new SignJWT({
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: deps.request.deploymentId,
    [CLAIM.contentItems]: [item],
    ...(deps.request.data ? { [CLAIM.data]: deps.request.data } : {}),
    nonce: crypto.randomBytes(16).toString('base64url'),
  })
    .setProtectedHeader({ alg: deps.keys.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(deps.platform.clientId)
    .setAudience(deps.platform.issuer)
    .setIssuedAt()
    .setExpirationTime('10m')
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}
