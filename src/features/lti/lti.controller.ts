import type { Request, Response } from 'express';
import type { CookieSecurity } from '../../config';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { currentLanguage } from '../../platform/i18n';
import type { ContentService } from '../content';
import type { AccountLinking } from './lti-accounts';
import { CLAIM, LaunchRefused, mayPlaceContent } from './lti-claims';
import { type DeepLinkRequest, deepLinkingResponse, placeableContent } from './lti-deep-linking';
import type { ToolKeys } from './lti-keys';
import type { LaunchService, LoginRequest } from './lti-launch';
import type { PlatformRegistry } from './lti-platforms';

const STATE_COOKIE = 'lti_state';
type WithDeepLink = { ltiDeepLink?: DeepLinkRequest };
const stringsOf = (source: unknown): LoginRequest =>
  Object.fromEntries(Object.entries((source ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as LoginRequest;

/** Where a launch goes: the module or lesson deep linking placed, else our address it names, else the dashboard. */
function targetOf(custom: Record<string, unknown> | undefined, targetLinkUri: string | undefined, baseUrl: string): { path: string; moduleId?: string } {
  const moduleId = typeof custom?.module === 'string' && /^[a-z0-9-]+$/.test(custom.module) ? custom.module : undefined;
  const lessonId = typeof custom?.lesson === 'string' && /^[a-z0-9-]+$/.test(custom.lesson) ? custom.lesson : undefined;
  if (moduleId) return { path: lessonId ? `/modules/${moduleId}/lessons/${lessonId}` : `/modules/${moduleId}`, moduleId };
  const m = targetLinkUri?.startsWith(`${baseUrl}/`) ? /^\/modules\/([a-z0-9-]+)(\/lessons\/[a-z0-9-]+)?$/.exec(targetLinkUri.slice(baseUrl.length)) : null;
  return m ? { path: m[0], moduleId: m[1] } : { path: '/dashboard' };
}

export function ltiController(deps: {
  launches: LaunchService;
  linking: AccountLinking;
  platforms: PlatformRegistry;
  keys: ToolKeys;
  content: ContentService;
  baseUrl: string;
  secureCookies: CookieSecurity;
}) {
  const { launches, linking, baseUrl } = deps;
  const secure = (req: Request) => (deps.secureCookies === 'auto' ? req.secure : deps.secureCookies);

  return {
    /** GET /lti/jwks — our public key, for the platforms that verify what we sign */
    async jwks(_req: Request, res: Response) {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json({ keys: [(await deps.keys.current()).publicJwk] });
    },

    /** GET|POST /lti/login — OIDC third-party login initiation: off to the platform's authorization endpoint */
    async login(req: Request, res: Response) {
      const { redirect, state } = await launches.startLogin(stringsOf(req.method === 'POST' ? req.body : req.query));
      // the launch comes back as a cross-site POST: only a SameSite=None cookie (which must be Secure) returns with it
      const s = secure(req);
      res.cookie(STATE_COOKIE, state, { httpOnly: true, secure: s, sameSite: s ? 'none' : 'lax', maxAge: 10 * 60_000, path: '/lti' });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, redirect);
    },

    /** POST /lti/launch — a verified id_token signs the LMS user in and opens what they launched */
    async launch(req: Request, res: Response) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { platform, claims } = await launches.verifyLaunch({ idToken: body.id_token, state: body.state, cookieState: req.cookies?.[STATE_COOKIE] });
      res.clearCookie(STATE_COOKIE, { path: '/lti' });
      const deepLinking = claims[CLAIM.messageType] === 'LtiDeepLinkingRequest';
      const settings = claims[CLAIM.deepLinking];
      if (deepLinking && (!settings?.deep_link_return_url || !mayPlaceContent(claims[CLAIM.roles]))) throw new LaunchRefused('role');
      const user = await linking.accountFor(platform, claims);
      if (!user) throw new LaunchRefused('token');
      await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
      res.setHeader('Cache-Control', 'no-store');
      if (deepLinking && settings) {
        (req.session as unknown as WithDeepLink).ltiDeepLink = {
          platformId: String(platform._id),
          deploymentId: claims[CLAIM.deploymentId],
          returnUrl: settings.deep_link_return_url,
          ...(settings.data ? { data: settings.data } : {}),
        };
        // saved before answering: express-session would send the redirect while still saving, and
        // a quick browser asks for the next page before the request is in the session
        await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
        res.redirect(303, '/lti/deep-linking');
        return;
      }
      const target = targetOf(claims[CLAIM.custom], claims[CLAIM.targetLinkUri], baseUrl);
      if (target.moduleId && (await deps.content.getModule(target.moduleId))) await linking.rememberLineItem(platform, claims, user.id, target.moduleId);
      res.redirect(303, target.path);
    },

    /** GET /lti/deep-linking — the teacher chooses the module or lesson to place in their course */
    async chooser(req: Request, res: Response) {
      const request = (req.session as unknown as WithDeepLink).ltiDeepLink;
      if (!request) throw new NotFoundError();
      res.setHeader('Cache-Control', 'no-store');
      res.render('lti/deep-linking', { title: 'lti:deepLinking.title', modules: await placeableContent(deps.content, currentLanguage(req)) });
    },

    /** POST /lti/deep-linking — sends the choice back to the LMS, signed */
    async place(req: Request, res: Response) {
      const session = req.session as unknown as WithDeepLink;
      const request = session.ltiDeepLink;
      if (!request) throw new NotFoundError();
      const platform = await deps.platforms.byId(request.platformId);
      if (!platform) throw new NotFoundError();
      const choice = typeof req.body?.item === 'string' ? req.body.item : '';
      const jwt = await deepLinkingResponse({ content: deps.content, keys: deps.keys, baseUrl, platform, request, choice });
      if (!jwt) throw new BadRequestError('lti:deepLinking.chooseOne');
      delete session.ltiDeepLink;
      // this one page posts its form to the LMS: its origin joins form-action, the rest of the policy stays
      const csp = String(res.getHeader('Content-Security-Policy') ?? '');
      res.setHeader('Content-Security-Policy', csp.replace("form-action 'self'", `form-action 'self' ${new URL(request.returnUrl).origin}`));
      res.setHeader('Cache-Control', 'no-store');
      res.render('lti/deep-linking-return', { title: 'lti:deepLinking.title', returnUrl: request.returnUrl, jwt });
    },
  };
}
