import type { Connection } from 'mongoose';
import { createLocalJWKSet, decodeJwt, generateKeyPair, jwtVerify } from 'jose';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../../src/app';
import { CLAIM, createLtiScoreWorker, SCORES_QUEUE } from '../../../src/features/lti';
import { createLogger } from '../../../src/platform/logger';
import { csrfFrom, decoded, testConfig } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { startLtiPlatform } from '../../helpers/lti-platform';
import { answersFor, attemptIdFrom, formBody } from '../../helpers/quiz';

const INTRODUCTION = ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap', 'awareness-and-advocacy', 'implementation-and-monitoring', 'worksheet'];
const logger = createLogger('silent');
let connection: Connection;
let platform: Awaited<ReturnType<typeof startLtiPlatform>>;
const app = () => createApp({ config: testConfig(), connection, logger });
const toolKeys = async () => createLocalJWKSet((await supertest(app()).get('/lti/jwks')).body);

beforeAll(async () => {
  connection = await connectTestDatabase('_lti');
  await seedCourse(connection);
  platform = await startLtiPlatform({ toolKeys });
  const admin = await signedInAgent(connection, { role: 'admin', app: app() });
  const res = await admin.agent.post('/admin/lti').type('form').send({ ...platform.registration, _csrf: await admin.csrf() });
  expect(res.status).toBe(303);
});
afterAll(async () => {
  await platform.close();
  await connection.close();
});

/** The OIDC third-party login: our answer is a redirect to the platform with state and nonce. */
async function login(agent: TestAgent) {
  const res = await agent
    .get('/lti/login')
    .query({ iss: platform.issuer, login_hint: 'lms-user-1', target_link_uri: 'http://localhost:3000/lti/launch', client_id: platform.clientId });
  expect(res.status).toBe(302);
  const auth = new URL(res.headers.location!);
  expect(auth.origin + auth.pathname).toBe(`${platform.issuer}/auth`);
  expect(Object.fromEntries(auth.searchParams)).toMatchObject({
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: 'http://localhost:3000/lti/launch',
    login_hint: 'lms-user-1',
  });
  expect(String(res.headers['set-cookie'])).toMatch(/lti_state=[^;]+; Max-Age=600; Path=\/lti; Expires=[^;]+; HttpOnly; SameSite=Lax/);
  return { state: auth.searchParams.get('state')!, nonce: auth.searchParams.get('nonce')! };
}

const counts = async () => ({
  users: await connection.collection('users').countDocuments(),
  links: await connection.collection('lti_account_links').countDocuments(),
  grades: await connection.collection('lti_grade_links').countDocuments(),
  nonces: await connection.collection('lti_nonces').countDocuments(),
});

const AGS = (lineitem: string) => ({
  [CLAIM.ags]: { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem'], lineitem },
  [CLAIM.custom]: { module: 'introduction' },
});

describe('LTI 1.3 launch', () => {
  it('when a platform launches a learner, then an account in the launch language is linked, signed in and taken to the module', async () => {
    const agent = supertest.agent(app());
    const { state, nonce } = await login(agent);
    const before = await counts();
    const id_token = await platform.idToken({ nonce, sub: 'launch-ok', claims: AGS(platform.lineitem('li-1')) });

    const res = await agent.post('/lti/launch').type('form').send({ id_token, state });

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/modules/introduction');
    const link = await connection.collection('lti_account_links').findOne({ sub: 'launch-ok' });
    const user = await connection.collection('users').findOne({ _id: new (await import('mongodb')).ObjectId(link!.userId) });
    expect(user).toMatchObject({ name: 'Amina Diallo', language: 'fr', role: 'learner' });
    expect(await counts()).toEqual({ ...before, users: before.users + 1, links: before.links + 1, grades: before.grades + 1, nonces: before.nonces + 1 });
    const page = await agent.get('/dashboard');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="fr">');

    // a second launch of the same LMS user finds the same account
    const again = await login(agent);
    const second = await agent.post('/lti/launch').type('form').send({ id_token: await platform.idToken({ nonce: again.nonce, sub: 'launch-ok' }), state: again.state });
    expect(second.status).toBe(303);
    expect((await counts()).users).toBe(before.users + 1);
  });

  const refusals: [string, (a: { nonce: string }) => Promise<string>, number, string][] = [
    ['the audience is another tool', ({ nonce }) => platform.idToken({ nonce, audience: 'someone-else' }), 401, 'The launch was meant for another tool'],
    ['the token has expired', ({ nonce }) => platform.idToken({ nonce, issuedAt: Math.floor(Date.now() / 1000) - 600, expiresIn: Math.floor(Date.now() / 1000) - 300 }), 401, 'The launch has expired'],
    ['the deployment is unknown', ({ nonce }) => platform.idToken({ nonce, claims: { [CLAIM.deploymentId]: 'deployment-9' } }), 400, 'This deployment of the tool is not registered here'],
    ['the nonce is not the one we sent', () => platform.idToken({ nonce: 'another-nonce' }), 400, 'The launch does not match the login'],
    ['another key signed it', async ({ nonce }) => platform.idToken({ nonce, key: (await generateKeyPair('RS256')).privateKey }), 401, 'The launch could not be verified'],
  ];
  it.each(refusals)('when %s, then the launch is refused with a clear error and nothing is stored', async (_case, token, status, message) => {
    const agent = supertest.agent(app());
    const { state, nonce } = await login(agent);
    const before = await counts();
    const res = await agent.post('/lti/launch').type('form').send({ id_token: await token({ nonce }), state });
    expect(res.status).toBe(status);
    expect(decoded(res.text)).toContain(message);
    expect(await counts()).toEqual(before);
    expect((await agent.get('/dashboard')).status).toBe(302); // not signed in
  });

  it('when a launch is replayed, then it is refused and nothing more is stored', async () => {
    const agent = supertest.agent(app());
    const { state, nonce } = await login(agent);
    const id_token = await platform.idToken({ nonce, sub: 'replayed' });
    expect((await agent.post('/lti/launch').type('form').send({ id_token, state })).status).toBe(303);
    const before = await counts();

    const replay = await supertest.agent(app()).post('/lti/launch').set('Cookie', `lti_state=${state}`).type('form').send({ id_token, state });
    expect(replay.status).toBe(400);
    expect(decoded(replay.text)).toContain('This launch has expired or was already used');
    // the same id_token with a fresh login: its nonce is not this login's, and was already used
    const fresh = await login(agent);
    const again = await agent.post('/lti/launch').type('form').send({ id_token, state: fresh.state });
    expect(again.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('when the state cookie is missing (another browser), then the launch is refused', async () => {
    const { state, nonce } = await login(supertest.agent(app()));
    const res = await supertest(app()).post('/lti/launch').type('form').send({ id_token: await platform.idToken({ nonce }), state });
    expect(res.status).toBe(400);
  });

  it('when the site is https, then the state cookie is SameSite=None and Secure, so it comes back with the cross-site launch', async () => {
    const secureApp = createApp({ config: testConfig({ BASE_URL: 'https://learn.example.org' }), connection, logger });
    const res = await supertest(secureApp).get('/lti/login').query({ iss: platform.issuer, login_hint: 'x', client_id: platform.clientId });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location!).searchParams.get('redirect_uri')).toBe('https://learn.example.org/lti/launch');
    expect(String(res.headers['set-cookie'])).toMatch(/lti_state=[^;]+;.*HttpOnly; Secure; SameSite=None/);
  });

  it('when the issuer is not registered, then the login is refused with a clear error', async () => {
    const res = await supertest(app()).get('/lti/login').query({ iss: 'https://unknown.example.org', login_hint: 'x' });
    expect(res.status).toBe(400);
    expect(decoded(res.text)).toContain('This learning platform is not registered here');
  });

  it('when the tool key set is asked for, then it holds our public RSA key and nothing private', async () => {
    const res = await supertest(app()).get('/lti/jwks');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(res.body.keys[0].d).toBeUndefined();
  });
});

describe('LTI Assignment and Grade Services', () => {
  it('when a launched learner passes the module quiz, then the quiz result and the completion reach the LMS gradebook once, even after a failure', async () => {
    const agent = supertest.agent(app());
    const { state, nonce } = await login(agent);
    const lineitem = platform.lineitem('li-grades');
    await agent.post('/lti/launch').type('form').send({ id_token: await platform.idToken({ nonce, sub: 'grade-learner', claims: AGS(lineitem) }), state });

    for (const lesson of INTRODUCTION) {
      const page = await agent.get(`/modules/introduction/lessons/${lesson}`);
      await agent.post(`/modules/introduction/lessons/${lesson}/complete`).type('form').send({ _csrf: csrfFrom(page.text) });
    }
    const quiz = await agent.get('/modules/introduction/quiz');
    const body = formBody({ ...(await answersFor(connection, attemptIdFrom(quiz.text), 9)), _csrf: csrfFrom(quiz.text) });
    expect((await agent.post('/modules/introduction/quiz').type('form').send(body)).status).toBeLessThan(400);
    expect(platform.scores.filter((s) => s.lineitem === lineitem)).toHaveLength(0); // queued, not sent in the request
    expect(await connection.collection(SCORES_QUEUE).countDocuments({ state: 'queued' })).toBe(2);

    platform.failNextScores(1);
    const worker = createLtiScoreWorker({ connection, logger, retry: { firstDelayMs: 0, maxDelayMs: 0, maxAttempts: 3 } });
    for (let i = 0; i < 5 && (await worker.deliverDue()) > 0; i++);

    const mine = platform.scores.filter((s) => s.lineitem === lineitem).map((s) => s.body);
    expect(mine).toHaveLength(2);
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: 'grade-learner', scoreGiven: 90, scoreMaximum: 100, activityProgress: 'Submitted', gradingProgress: 'FullyGraded' }),
        expect.objectContaining({ userId: 'grade-learner', scoreGiven: 90, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' }),
      ]),
    );
    expect(await connection.collection(SCORES_QUEUE).countDocuments({ state: 'sent' })).toBe(2);
    expect(platform.tokenRequests.at(-1)).toMatchObject({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' });
  });
});

describe('LTI Deep Linking', () => {
  const deepLinkClaims = (roles: string[]) => ({
    [CLAIM.messageType]: 'LtiDeepLinkingRequest',
    [CLAIM.roles]: roles,
    [CLAIM.deepLinking]: { deep_link_return_url: `${platform.issuer}/deep-link-return`, accept_types: ['ltiResourceLink'], data: 'opaque-123' },
  });

  it('when a teacher places a module, then the LMS gets a signed resource link with a gradebook line item', async () => {
    const agent = supertest.agent(app());
    const { state, nonce } = await login(agent);
    const id_token = await platform.idToken({ nonce, sub: 'teacher-1', claims: deepLinkClaims(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']) });
    const launch = await agent.post('/lti/launch').type('form').send({ id_token, state });
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/lti/deep-linking');

    const chooser = await agent.get('/lti/deep-linking');
    expect(chooser.status).toBe(200);
    expect(chooser.text).toContain('value="module:introduction"');
    expect(chooser.text).toContain('value="lesson:introduction:the-roadmap"');
    const bad = await agent.post('/lti/deep-linking').type('form').send({ item: 'module:nope', _csrf: csrfFrom(chooser.text) });
    expect(bad.status).toBe(400);

    const placed = await agent.post('/lti/deep-linking').type('form').send({ item: 'module:introduction', _csrf: csrfFrom(chooser.text) });
    expect(placed.status).toBe(200);
    expect(placed.headers['content-security-policy']).toContain(`form-action 'self' ${platform.issuer}`);
    expect(placed.text).toContain(`action="${platform.issuer}/deep-link-return"`);
    const jwt = /name="JWT" value="([^"]+)"/.exec(placed.text)![1]!;
    const { payload } = await jwtVerify(jwt, await toolKeys(), { issuer: platform.clientId, audience: platform.issuer });
    expect(payload[CLAIM.messageType]).toBe('LtiDeepLinkingResponse');
    expect(payload[CLAIM.deploymentId]).toBe(platform.deploymentId);
    expect(payload[CLAIM.data]).toBe('opaque-123');
    expect(payload[CLAIM.contentItems]).toEqual([
      expect.objectContaining({
        type: 'ltiResourceLink',
        url: 'http://localhost:3000/lti/launch',
        custom: { module: 'introduction' },
        lineItem: expect.objectContaining({ scoreMaximum: 100, resourceId: 'introduction' }),
      }),
    ]);
    expect(decodeJwt(jwt).nonce).toBeTruthy();
    // used once: the choice is gone from the session
    expect((await agent.get('/lti/deep-linking')).status).toBe(404);
  });

  it('when a learner sends a deep-linking request, then it is refused', async () => {
    const agent = supertest.agent(app());
    const { state, nonce } = await login(agent);
    const id_token = await platform.idToken({ nonce, sub: 'student-dl', claims: deepLinkClaims(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']) });
    const res = await agent.post('/lti/launch').type('form').send({ id_token, state });
    expect(res.status).toBe(400);
    expect(decoded(res.text)).toContain('Only teachers can place course content');
  });
});

describe('/admin/lti', () => {
  it('when an admin opens it, then it shows the values for the LMS and the registered platform', async () => {
    const admin = await signedInAgent(connection, { role: 'admin', app: app() });
    const page = await admin.agent.get('/admin/lti');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-tool="loginUrl">http://localhost:3000/lti/login<');
    expect(page.text).toContain('data-tool="jwksUrl">http://localhost:3000/lti/jwks<');
    expect(page.text).toContain(platform.clientId);
  });

  it('when the form is wrong, then every error is shown beside its field and nothing is stored', async () => {
    const admin = await signedInAgent(connection, { role: 'admin', language: 'es', app: app() });
    const before = await connection.collection('lti_platforms').countDocuments();
    const res = await admin.agent.post('/admin/lti').type('form').send({ name: '', issuer: 'not a url', clientId: '', deploymentIds: ' ', _csrf: await admin.csrf() });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Escriba una dirección completa');
    expect(decoded(res.text)).toContain('Escriba al menos un ID de despliegue');
    expect(await connection.collection('lti_platforms').countDocuments()).toBe(before);
    const dup = await admin.agent.post('/admin/lti').type('form').send({ ...platform.registration, _csrf: await admin.csrf() });
    expect(dup.status).toBe(409);
    expect(await connection.collection('lti_platforms').countDocuments()).toBe(before);
  });

  it('when a learner or trainer asks for it, then it is forbidden', async () => {
    for (const role of ['learner', 'trainer'] as const) {
      const user = await signedInAgent(connection, { role, app: app() });
      expect((await user.agent.get('/admin/lti')).status).toBe(403);
      expect((await user.agent.post('/admin/lti').type('form').send({ ...platform.registration, _csrf: await user.csrf() })).status).toBe(403);
    }
  });
});
