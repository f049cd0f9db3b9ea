import crypto from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { isDuplicateKey } from '../../platform/database';
import { CLAIM, type LaunchClaims, LaunchRefused } from './lti-claims';
import type { PlatformRegistry } from './lti-platforms';
import type { LtiCollections, PlatformDoc } from './lti.models';

const LOGIN_TTL_MS = 10 * 60_000;
const NONCE_TTL_MS = 24 * 60 * 60_000;

export type LoginRequest = { iss?: string; login_hint?: string; target_link_uri?: string; lti_message_hint?: string; client_id?: string };

/**
 * OIDC third-party login and the launch that follows (IMS LTI 1.3 Core §5.1, Security Framework
 * §5.1.1): the state is bound to the browser by a cookie and used once; the nonce is checked
 * against the one we sent and remembered so the same id_token never launches twice.
 */
export function createLaunchService(deps: {
  c: LtiCollections;
  platforms: PlatformRegistry;
  baseUrl: string;
  clock?: () => Date;
  /** the platform's key set; tests may give their own fetcher, production fetches jwksUrl */
  keySet?: (platform: PlatformDoc) => JWTVerifyGetKey;
}) {
  const { c, platforms, baseUrl } = deps;
  const clock = deps.clock ?? (() => new Date());
  const keySets = new Map<string, JWTVerifyGetKey>();
  const keySet =
    deps.keySet ??
    ((p: PlatformDoc) => {
      let set = keySets.get(p.jwksUrl);
      if (!set) {
        set = createRemoteJWKSet(new URL(p.jwksUrl), { timeoutDuration: 10_000 });
        keySets.set(p.jwksUrl, set);
      }
      return set;
    });

  /** Starts a login: the address of the platform's authorization endpoint, and the state to bind. */
  async function startLogin(req: LoginRequest): Promise<{ redirect: string; state: string }> {
    if (!req.iss || !req.login_hint) throw new LaunchRefused('platform');
    const platform = await platforms.forLogin(req.iss, req.client_id);
    if (!platform) throw new LaunchRefused('platform');
    const state = crypto.randomBytes(24).toString('base64url');
    const nonce = crypto.randomBytes(24).toString('base64url');
    const now = clock();
    await c.logins.insertOne({ _id: state, nonce, platformId: String(platform._id), createdAt: now, expiresAt: new Date(now.getTime() + LOGIN_TTL_MS) });
    const url = new URL(platform.authUrl);
    const params: Record<string, string | undefined> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: `${baseUrl}/lti/launch`,
      login_hint: req.login_hint,
      lti_message_hint: req.lti_message_hint,
      state,
      nonce,
    };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return { redirect: url.toString(), state };
  }

  /** Verifies a launch; refuses with the reason, having stored nothing but the use of the state. */
  async function verifyLaunch(input: { idToken: unknown; state: unknown; cookieState: unknown }): Promise<{ platform: PlatformDoc; claims: LaunchClaims }> {
    const { idToken, state, cookieState } = input;
    if (typeof state !== 'string' || !state || state !== cookieState || typeof idToken !== 'string') throw new LaunchRefused('state');
    const login = await c.logins.findOne({ _id: state });
    // deleting it is what makes it one-time: of two launches with one state, one deletes it
    if (!login || (await c.logins.deleteOne({ _id: state })).deletedCount !== 1) throw new LaunchRefused('state');
    if (login.expiresAt.getTime() < clock().getTime()) throw new LaunchRefused('state');
    const platform = await platforms.byId(login.platformId);
    if (!platform) throw new LaunchRefused('platform');

    let claims: LaunchClaims;
    try {
      const verified = await jwtVerify(idToken, keySet(platform), {
        issuer: platform.issuer,
        audience: platform.clientId,
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'PS256'],
        clockTolerance: 5,
        currentDate: clock(),
        requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
      });
      claims = verified.payload as unknown as LaunchClaims;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new LaunchRefused('expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud') throw new LaunchRefused('audience');
      throw new LaunchRefused('token');
    }
    const aud = (claims as unknown as { aud: string | string[]; azp?: string }).aud;
    if (Array.isArray(aud) && aud.length > 1 && (claims as unknown as { azp?: string }).azp !== platform.clientId) throw new LaunchRefused('audience');
    if (claims.nonce !== login.nonce) throw new LaunchRefused('nonce');
    if (!platform.deploymentIds.includes(claims[CLAIM.deploymentId])) throw new LaunchRefused('deployment');
    if (claims[CLAIM.version] !== '1.3.0' || !['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'].includes(claims[CLAIM.messageType])) {
      throw new LaunchRefused('message');
    }
    try {
      await c.nonces.insertOne({ _id: `${platform.issuer}\n${claims.nonce}`, expiresAt: new Date(clock().getTime() + NONCE_TTL_MS) });
    } catch (err) {
      if (isDuplicateKey(err)) throw new LaunchRefused('replay');
      throw err;
    }
    return { platform, claims };
  }

  return { startLogin, verifyLaunch };
}
export type LaunchService = ReturnType<typeof createLaunchService>;
