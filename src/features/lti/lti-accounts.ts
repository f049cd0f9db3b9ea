import crypto from 'node:crypto';
import { isDuplicateKey } from '../../platform/database';
import { isPrintableLine } from '../../platform/validation';
import { type Language, LANGUAGES } from '../../platform/i18n';
import type { AccountsService, AccountUser } from '../accounts';
import { CLAIM, type LaunchClaims, SCORE_SCOPE } from './lti-claims';
import type { LtiCollections, PlatformDoc } from './lti.models';

/** `fr-CA` → `fr`; a locale we do not speak → undefined. */
export function languageOf(locale: unknown): Language | undefined {
  const lng = typeof locale === 'string' ? locale.slice(0, 2).toLowerCase() : '';
  return (LANGUAGES as readonly string[]).includes(lng) ? (lng as Language) : undefined;
}

function displayName(claims: LaunchClaims): string {
  const name = (claims.name ?? [claims.given_name, claims.family_name].filter(Boolean).join(' ')).trim().slice(0, 120);
  return name && isPrintableLine(name) ? name : 'Learner';
}

/**
 * The account of an LMS user: the one linked to (platform, sub), or a new learner account made now.
 * An e-mail the LMS sends is used only when no account has it: an LMS cannot take over an account
 * of ours by claiming its address.
 */
export function createAccountLinking(deps: { c: LtiCollections; accounts: AccountsService; clock?: () => Date }) {
  const { c, accounts } = deps;
  const clock = deps.clock ?? (() => new Date());

  async function accountFor(platform: PlatformDoc, claims: LaunchClaims): Promise<AccountUser | undefined> {
    const linkId = `${platform._id}:${claims.sub}`;
    const link = await c.links.findOne({ _id: linkId });
    if (link) return accounts.findActiveUser(link.userId);
    const language = languageOf(claims[CLAIM.presentation]?.locale) ?? 'en';
    const placeholder = `lti-${crypto.createHash('sha256').update(linkId).digest('hex').slice(0, 20)}@lti.invalid`;
    const base = { role: 'learner' as const, name: displayName(claims), language, password: crypto.randomBytes(32).toString('base64url') };
    let created = claims.email ? await accounts.createUser({ ...base, email: claims.email }, 'lti') : undefined;
    if (!created?.ok) created = await accounts.createUser({ ...base, email: placeholder }, 'lti');
    if (!created.ok) return undefined;
    try {
      await c.links.insertOne({ _id: linkId, platformId: String(platform._id), sub: claims.sub, userId: created.user.id, createdAt: clock() });
      return created.user;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // two launches at once: the first link stands
      const winner = await c.links.findOne({ _id: linkId });
      return winner ? accounts.findActiveUser(winner.userId) : undefined;
    }
  }

  /** Remembers the launch's gradebook column for the module, when the LMS lets us post scores. */
  async function rememberLineItem(platform: PlatformDoc, claims: LaunchClaims, userId: string, moduleId: string): Promise<void> {
    const ags = claims[CLAIM.ags];
    if (!ags?.lineitem || !ags.scope?.includes(SCORE_SCOPE)) return;
    const _id = `${userId}:${moduleId}:${crypto.createHash('sha1').update(`${platform._id}\n${ags.lineitem}`).digest('hex')}`;
    try {
      await c.gradeLinks.insertOne({ _id, userId, moduleId, platformId: String(platform._id), sub: claims.sub, lineitem: ags.lineitem, createdAt: clock() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  return { accountFor, rememberLineItem };
}
export type AccountLinking = ReturnType<typeof createAccountLinking>;
