import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, type JWK, type JWTVerifyGetKey, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

/**
 * An LTI 1.3 platform (an LMS) on loopback, as the tests' counterpart: its own RS256 key pair and
 * JWKS, an id_token signer (IMS LTI 1.3 Core, Deep Linking 2.0), an OAuth 2 token endpoint that
 * checks the tool's signed client assertion, and AGS 2.0 line items that record the scores posted.
 */
export async function startLtiPlatform(options: { toolKeys: () => Promise<JWTVerifyGetKey> }) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = crypto.randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const scores: { lineitem: string; body: Record<string, unknown>; contentType: string }[] = [];
  const tokenRequests: Record<string, string>[] = [];
  const tokens = new Set<string>();
  let failScores = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://platform');
        const send = (status: number, json?: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(json === undefined ? undefined : JSON.stringify(json));
        };
        if (req.method === 'GET' && url.pathname === '/jwks') return send(200, { keys: [publicJwk] });
        if (req.method === 'POST' && url.pathname === '/token') {
          const form = Object.fromEntries(new URLSearchParams(body));
          tokenRequests.push(form);
          try {
            await jwtVerify(form.client_assertion ?? '', await options.toolKeys(), { issuer: CLIENT_ID, subject: CLIENT_ID, audience: `${base}/token` });
          } catch {
            return send(401, { error: 'invalid_client' });
          }
          if (form.grant_type !== 'client_credentials' || !form.scope?.includes('https://purl.imsglobal.org/spec/lti-ags/scope/score')) return send(400, { error: 'invalid_request' });
          const token = crypto.randomBytes(16).toString('hex');
          tokens.add(token);
          return send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.scope });
        }
        const m = /^\/lineitems\/([\w-]+)\/scores$/.exec(url.pathname);
        if (req.method === 'POST' && m) {
          if (!tokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))) return send(401, {});
          if (req.headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json') return send(415, {});
          if (failScores > 0) {
            failScores--;
            return send(503, {});
          }
          scores.push({ lineitem: `${base}/lineitems/${m[1]}`, body: JSON.parse(body), contentType: String(req.headers['content-type']) });
          return send(204);
        }
        send(404, {});
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const CLIENT_ID = `client-${crypto.randomUUID()}`;
  const DEPLOYMENT_ID = 'deployment-1';

  type Claims = Record<string, unknown>;
  /** An id_token as the platform signs it after the OIDC authorization request. */
  async function idToken(o: { nonce: string; sub?: string; claims?: Claims; audience?: string; expiresIn?: number | string; key?: CryptoKey; issuedAt?: number }) {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      nonce: o.nonce,
      name: 'Amina Diallo',
      given_name: 'Amina',
      family_name: 'Diallo',
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': DEPLOYMENT_ID,
      'https://purl.imsglobal.org/spec/lti/claim/target_link_uri': 'http://localhost:3000/lti/launch',
      'https://purl.imsglobal.org/spec/lti/claim/resource_link': { id: 'resource-link-1' },
      'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      'https://purl.imsglobal.org/spec/lti/claim/launch_presentation': { locale: 'fr-FR', document_target: 'window' },
      ...o.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(base)
      .setSubject(o.sub ?? 'lms-user-1')
      .setAudience(o.audience ?? CLIENT_ID)
      .setIssuedAt(o.issuedAt ?? now)
      .setExpirationTime(o.expiresIn ?? '5m');
    return jwt.sign(o.key ?? privateKey);
  }

  return {
    issuer: base,
    clientId: CLIENT_ID,
    deploymentId: DEPLOYMENT_ID,
    registration: {
      name: 'Test Moodle',
      issuer: base,
      clientId: CLIENT_ID,
      deploymentIds: DEPLOYMENT_ID,
      jwksUrl: `${base}/jwks`,
      authUrl: `${base}/auth`,
      tokenUrl: `${base}/token`,
    },
    lineitem: (id: string) => `${base}/lineitems/${id}`,
    idToken,
    scores,
    tokenRequests,
    failNextScores(n: number) {
      failScores = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
