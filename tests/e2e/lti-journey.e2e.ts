import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUserWithCli, logIn } from './helpers/accounts';
import { accessibilityViolations, horizontalOverflow, newContext, screenshot } from './helpers/browser';
import { useJourney } from './helpers/journey';

/**
 * An LMS on loopback, as far as the browser sees one: its keyset, an authorization endpoint that
 * answers with the signed id_token in a form the user sends (no script, so the journey runs
 * without JavaScript too), and the deep-linking return address that records what came back.
 * It signs RS256 with node:crypto, as the IMS Security Framework says.
 */
async function startLms() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomUUID();
  const returned: string[] = [];
  let next: (q: URLSearchParams) => Record<string, unknown> = () => ({});
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sign = (payload: Record<string, unknown>) => {
    const head = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64(payload)}`;
    return `${head}.${crypto.sign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/jwks') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }));
        return;
      }
      if (url.pathname === '/auth') {
        const now = Math.floor(Date.now() / 1000);
        const token = sign({ iss: base, aud: 'moodle-client', iat: now, exp: now + 300, nonce: url.searchParams.get('nonce'), ...next(url.searchParams) });
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(`<!doctype html><html lang="en"><title>LMS</title><form method="post" action="${url.searchParams.get('redirect_uri')}">
<input type="hidden" name="id_token" value="${token}"><input type="hidden" name="state" value="${url.searchParams.get('state')}">
<button type="submit">Open the activity</button></form></html>`);
        return;
      }
      if (req.method === 'POST' && url.pathname === '/return') returned.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>LMS</title><p>Content placed.</p>');
    });
  });
  await new Promise<void>((r) => server.listen(0, 'localhost', r));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    base,
    returned,
    willSign(claims: (q: URLSearchParams) => Record<string, unknown>) {
      next = claims;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
let lms: Awaited<ReturnType<typeof startLms>>;
const journey = useJourney(async (p) => {
  createUserWithCli(p, 'admin', 'lti-admin@example.org', 'Lea Admin', 'an admin passphrase long enough');
  lms = await startLms();
});
afterAll(() => lms?.close());

describe('an LMS journey (the learner without JavaScript)', () => {
  it('when an admin registers an LMS, a teacher places a lesson and a learner launches a module, then each lands where they should', async () => {
    const admin = await newContext(journey.browser, journey.platform.url);
    const page = await logIn(admin.context, 'lti-admin@example.org', 'an admin passphrase long enough');
    await page.goto('/admin/lti');
    const values = { name: 'Moodle of the Association', issuer: lms.base, clientId: 'moodle-client', deploymentIds: 'd1', jwksUrl: `${lms.base}/jwks`, authUrl: `${lms.base}/auth`, tokenUrl: `${lms.base}/token` };
    for (const [field, value] of Object.entries(values)) await page.fill(`#lti-${field}`, value);
    await page.click('form[action="/admin/lti"] button[type=submit]');
    await page.locator('tr[data-platform]').waitFor();
    expect(await page.locator('main').innerText()).toContain('Moodle of the Association is registered');
    expect(await page.locator('[data-tool="loginUrl"]').innerText()).toBe(`${journey.platform.url}/lti/login`);
    await screenshot(page, 'admin-lti');
    await page.setViewportSize({ width: 360, height: 900 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await accessibilityViolations(page)).toEqual([]);

    // a teacher comes from the LMS: login initiation, the LMS's form, our launch, the chooser
    lms.willSign(() => ({
      sub: 'teacher-1',
      name: 'Tomás Teacher',
      [`${LTI}/message_type`]: 'LtiDeepLinkingRequest',
      [`${LTI}/version`]: '1.3.0',
      [`${LTI}/deployment_id`]: 'd1',
      [`${LTI}/roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
      [`${LTI}/launch_presentation`]: { locale: 'es-AR' },
      'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': { deep_link_return_url: `${lms.base}/return`, accept_types: ['ltiResourceLink'] },
    }));
    const teacher = await (await newContext(journey.browser, journey.platform.url)).context.newPage();
    teacher.setDefaultTimeout(20_000);
    await teacher.goto(`/lti/login?iss=${encodeURIComponent(lms.base)}&login_hint=teacher-1&client_id=moodle-client`);
    await Promise.all([teacher.waitForURL('**/lti/deep-linking'), teacher.click('button[type=submit]')]);
    expect(await teacher.locator('h1').innerText()).toBe('Coloque un módulo o una lección en su curso');
    await screenshot(teacher, 'lti-deep-linking');
    expect(await accessibilityViolations(teacher)).toEqual([]);
    await teacher.check('input[value="lesson:introduction:the-roadmap"]');
    await Promise.all([teacher.waitForLoadState('load'), teacher.click('form[action="/lti/deep-linking"] button[type=submit]')]);
    await Promise.all([teacher.waitForURL(`${lms.base}/return`), teacher.click('form[data-deep-link-return] button[type=submit]')]);
    const jwt = new URLSearchParams(lms.returned.at(-1)).get('JWT')!;
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'][0].custom).toEqual({ module: 'introduction', lesson: 'the-roadmap' });

    // a learner launches the module placed in their course
    lms.willSign(() => ({
      sub: 'learner-1',
      name: 'Amina Diallo',
      [`${LTI}/message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}/version`]: '1.3.0',
      [`${LTI}/deployment_id`]: 'd1',
      [`${LTI}/resource_link`]: { id: 'rl-1' },
      [`${LTI}/custom`]: { module: 'introduction' },
      [`${LTI}/launch_presentation`]: { locale: 'fr-FR' },
    }));
    const learner = await (await newContext(journey.browser, journey.platform.url, { javaScript: false })).context.newPage();
    await learner.goto(`/lti/login?iss=${encodeURIComponent(lms.base)}&login_hint=learner-1&client_id=moodle-client`);
    await Promise.all([learner.waitForURL('**/modules/introduction'), learner.click('button[type=submit]')]);
    expect(await learner.locator('html').getAttribute('lang')).toBe('fr');
    expect(await learner.locator('header').innerText()).toContain('Amina Diallo');
    await admin.context.close();
  });
});
