import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/platform/logger';
import { csrfFrom, testConfig } from '../../helpers/build-app';
import { createCohort } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { createUser } from '../../helpers/factories';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { attemptIdFrom } from '../../helpers/quiz';

jest.setTimeout(600_000);

/*
 * Every form and route, sent what an attacker sends: operator injection, prototype-pollution keys,
 * oversized and deeply nested values, bidi overrides, NUL bytes, lone surrogates, bad escapes, bad
 * cookies, bad multipart bodies, wrong methods and content types. What must hold: no answer is a
 * server error, and a refused request (4xx) changes no document in a business collection.
 */

/** What a request may change even when refused: the security log, sessions and limit slots. */
const NOT_BUSINESS = new Set(['sessions', 'attempts', 'audit_events']);
/** Stored once and never changed (a new version is a new document): their ids say whether they changed. */
const IMMUTABLE = new Set(['module_versions', 'media.chunks', 'media.files']);

let connection: Connection;
let app: ReturnType<typeof createApp>;
let learner: SignedIn;
let trainer: SignedIn;
let admin: SignedIn;
let cohortId: string;
let targetUserId: string;

beforeAll(async () => {
  connection = await connectTestDatabase('_hostile', { monitorCommands: true });
  watchWrites(connection.getClient());
  await seedCourse(connection);
  // the coarse POST cap is tested elsewhere; here it would only turn later requests into 429s
  app = createApp({ config: testConfig(), connection, logger: createLogger('silent'), postCap: { max: 1_000_000, windowMs: 60_000 } });
  learner = await signedInAgent(connection, { app });
  trainer = await signedInAgent(connection, { role: 'trainer', app });
  admin = await signedInAgent(connection, { role: 'admin', app });
  cohortId = (await createCohort(trainer.agent)).id;
  targetUserId = (await createUser(connection, { email: 'target@example.org' })).id;
});
afterAll(async () => {
  await connection.close();
});

/*
 * A hash of every business collection, to tell whether a request changed anything. Reading every
 * collection after each of 1,000 requests took most of this test's time (the three module versions
 * alone weigh megabytes), so each collection's hash is kept and re-read only after a command that
 * may write reached it: every write goes through this connection, whose commands are watched
 * (monitorCommands). The hash is the same as a full re-read's, and the test checks that: every
 * FULL_EVERY requests, and at the end, it reads everything again and compares.
 */
const READ_ONLY = new Set([
  'find', 'getMore', 'count', 'distinct', 'listCollections', 'listIndexes', 'killCursors', 'endSessions',
  'ping', 'hello', 'isMaster', 'ismaster', 'buildInfo', 'explain', 'dbStats', 'collStats',
]);
const FULL_EVERY = 100;
const collectionHashes = new Map<string, string>();
/** Collections a command that may write reached since they were last read; `all`: anything may have changed. */
const dirty = { all: true, names: new Set<string>() };
const targets = new Map<number, string | null>();

function markDirty(target: string | null) {
  if (target === null) dirty.all = true;
  else dirty.names.add(target);
}

/** Marks what a command may write, when it starts and again when it ends (a read may fall in between). */
function watchWrites(client: ReturnType<Connection['getClient']>) {
  client.on('commandStarted', (e) => {
    if (READ_ONLY.has(e.commandName)) return;
    const pipeline = e.commandName === 'aggregate' ? (e.command.pipeline as object[] | undefined) : undefined;
    if (pipeline && !pipeline.some((stage) => '$out' in stage || '$merge' in stage)) return;
    const name = e.command[e.commandName];
    const target = typeof name === 'string' && e.commandName !== 'aggregate' ? name : null;
    targets.set(e.requestId, target);
    markDirty(target);
  });
  const ended = (e: { requestId: number }) => {
    if (!targets.has(e.requestId)) return;
    markDirty(targets.get(e.requestId) ?? null);
    targets.delete(e.requestId);
  };
  client.on('commandSucceeded', ended);
  client.on('commandFailed', ended);
}

async function collectionHash(name: string): Promise<string> {
  const docs = await connection
    .collection(name)
    .find({}, { projection: IMMUTABLE.has(name) ? { _id: 1 } : {} })
    .sort({ _id: 1 })
    .toArray();
  return crypto.createHash('sha256').update(name).update(JSON.stringify(docs)).digest('hex');
}

let fingerprintMs = 0;
let fullReads = 0;
async function fingerprint(options: { full?: boolean } = {}): Promise<string> {
  const started = Date.now();
  const full = options.full === true || dirty.all;
  const stale = new Set(dirty.names);
  dirty.all = false;
  dirty.names.clear();
  const names = (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !NOT_BUSINESS.has(n)).sort();
  const toRead = names.filter((name) => full || stale.has(name) || !collectionHashes.has(name));
  const read = await Promise.all(toRead.map(collectionHash));
  if (full) {
    collectionHashes.clear();
    fullReads++;
  }
  for (const [i, name] of toRead.entries()) collectionHashes.set(name, read[i]!);
  const hash = crypto.createHash('sha256');
  for (const name of names) hash.update(name).update(collectionHashes.get(name)!);
  fingerprintMs += Date.now() - started;
  return hash.digest('hex');
}

type Who = 'anonymous' | 'learner' | 'trainer' | 'admin';
type Form = { who: Who; path: string; fields: Record<string, string> };

const FORMS = (): Form[] => [
  { who: 'anonymous', path: '/register', fields: { name: 'Ana Hostile', email: 'hostile-@example.org', password: 'a passphrase long enough', language: 'en' } },
  { who: 'anonymous', path: '/login', fields: { email: 'nobody@example.org', password: 'wrong password here', next: '/dashboard' } },
  { who: 'anonymous', path: '/password/forgot', fields: { email: 'nobody@example.org' } },
  { who: 'anonymous', path: `/password/reset/${'A'.repeat(43)}`, fields: { password: 'a passphrase long enough' } },
  { who: 'learner', path: '/language', fields: { language: 'fr', next: '/profile' } },
  { who: 'learner', path: '/profile', fields: { name: 'Ana Learner', organisation: 'Quito', country: 'EC', position: 'Planner', language: 'en' } },
  { who: 'learner', path: '/profile/email', fields: { email: 'new@example.org', currentPassword: 'not the password' } },
  { who: 'learner', path: '/profile/password', fields: { currentPassword: 'not the password', newPassword: 'another passphrase long' } },
  { who: 'learner', path: '/modules/introduction/quiz', fields: { attemptId: '0123456789abcdef01234567', 'q.x': 'y' } },
  { who: 'learner', path: '/cohorts/join', fields: { code: 'ZZZZ-2345' } },
  { who: 'trainer', path: '/trainer/cohorts', fields: { name: 'Hostile cohort', language: 'en', startsOn: '2026-01-01', endsOn: '2026-02-01' } },
  { who: 'trainer', path: `/trainer/cohorts/${'COHORT'}/trainers`, fields: { email: 'nobody@example.org' } },
  { who: 'trainer', path: `/trainer/cohorts/${'COHORT'}/enrol`, fields: { emails: 'nobody@example.org' } },
  { who: 'admin', path: `/admin/users/${'TARGET'}/role`, fields: { role: 'trainer', back: '/admin/users' } },
  { who: 'admin', path: '/admin/certificates/NOSUCHCODE/revoke', fields: { reason: 'hostile' } },
  { who: 'admin', path: '/admin/content', fields: { package: 'not a zip' } },
  { who: 'anonymous', path: '/verify', fields: { code: 'NOT-A-CODE' } },
];

/** Each hostile value put in place of one field (urlencoded), or the whole body (JSON). */
const STRING_PAYLOADS: [string, string][] = [
  ['NUL', 'Ana\u0000Pérez'],
  ['RTL override', 'Ana \u202egnp.exe'],
  ['control characters', '\u0007\u001b[31mred\u001b[0m\r\n'],
  ['script', '<script>alert(1)</script>'],
  ['10 kB', 'x'.repeat(10_000)],
  ['emoji and CJK', '🙂 日本語 عربى'],
];
const URLENCODED_BODIES: [string, (field: string) => string][] = [
  ['operator key', (f) => `${f}[$ne]=x`],
  ['proto key', () => '__proto__[role]=admin&__proto__%5Badmin%5D=1'],
  ['constructor key', () => 'constructor[prototype][role]=admin'],
  ['repeated field', (f) => `${f}=a&${f}=b`],
  ['bad escape', (f) => `${f}=%E0%A4%A&x=%`],
  ['lone surrogate escape', (f) => `${f}=%ED%A0%80`],
];
const JSON_VALUES: [string, unknown][] = [
  ['$gt operator', { $gt: '' }],
  ['$where operator', { $where: 'sleep(1000)' }],
  ['array', ['a', 'b']],
  ['number', 42],
  ['null', null],
  ['lone surrogate', '\ud800'],
];

function agentOf(who: Who): TestAgent | undefined {
  return who === 'learner' ? learner.agent : who === 'trainer' ? trainer.agent : who === 'admin' ? admin.agent : undefined;
}

/** An agent and its CSRF token; anonymous forms get a fresh visitor each time. */
async function sender(who: Who): Promise<{ agent: TestAgent; token: string }> {
  const agent = agentOf(who) ?? supertest.agent(app);
  const page = who === 'trainer' ? '/trainer/cohorts' : who === 'admin' ? '/admin/users' : who === 'learner' ? '/profile' : '/login';
  return { agent, token: csrfFrom((await agent.get(page)).text) };
}

type Probe = { label: string; send: (agent: TestAgent, token: string) => supertest.Test; who: Who };

function probes(): Probe[] {
  const list: Probe[] = [];
  for (const form of FORMS()) {
    const path = form.path.replace('COHORT', cohortId).replace('TARGET', targetUserId);
    const { who } = form;
    const base = () => ({ ...form.fields, ...(form.fields.email?.startsWith('hostile-') ? { email: `hostile-${crypto.randomUUID()}@example.org` } : {}) });
    for (const field of Object.keys(form.fields)) {
      for (const [name, value] of STRING_PAYLOADS) {
        list.push({ who, label: `POST ${form.path} ${field}=${name}`, send: (a, t) => a.post(path).type('form').send({ ...base(), [field]: value, _csrf: t }) });
      }
      for (const [name, body] of URLENCODED_BODIES) {
        list.push({
          who,
          label: `POST ${form.path} urlencoded ${field} ${name}`,
          send: (a, t) => a.post(path).type('form').send(`${new URLSearchParams({ ...base(), _csrf: t }).toString().replace(new RegExp(`(^|&)${field.replace('.', '\\.')}=[^&]*`), '')}&${body(field)}`),
        });
      }
      for (const [name, value] of JSON_VALUES) {
        list.push({ who, label: `POST ${form.path} JSON ${field}=${name}`, send: (a, t) => a.post(path).type('json').send(JSON.stringify({ ...base(), [field]: value, _csrf: t })) });
      }
    }
    list.push(
      { who, label: `POST ${form.path} JSON __proto__`, send: (a, t) => a.post(path).type('json').send(`{"__proto__":{"role":"admin","isAdmin":true},"_csrf":"${t}"}`) },
      { who, label: `POST ${form.path} JSON constructor`, send: (a, t) => a.post(path).type('json').send(`{"constructor":{"prototype":{"role":"admin"}},"_csrf":"${t}"}`) },
      { who, label: `POST ${form.path} 1 MB field`, send: (a, t) => a.post(path).type('form').send({ ...base(), [Object.keys(form.fields)[0]!]: 'x'.repeat(1024 * 1024), _csrf: t }) },
      { who, label: `POST ${form.path} deep nesting`, send: (a, t) => a.post(path).type('json').send(`{"_csrf":"${t}","a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`) },
      { who, label: `POST ${form.path} malformed JSON`, send: (a, t) => a.post(path).set('x-csrf-token', t).type('json').send('{"a":') },
      { who, label: `POST ${form.path} XML`, send: (a, t) => a.post(path).set('x-csrf-token', t).set('Content-Type', 'text/xml').send('<a>&xxe;</a>') },
      { who, label: `POST ${form.path} utf-7 charset`, send: (a, t) => a.post(path).set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-7').send(`_csrf=${t}&a=%2BADw-`) },
      { who, label: `POST ${form.path} multipart without boundary`, send: (a, t) => a.post(path).set('x-csrf-token', t).set('Content-Type', 'multipart/form-data').send('--x\r\n') },
      { who, label: `POST ${form.path} truncated multipart`, send: (a, t) => a.post(path).set('x-csrf-token', t).set('Content-Type', 'multipart/form-data; boundary=b').send(`--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${t}\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc`) },
      { who, label: `POST ${form.path} without token`, send: (a) => a.post(path).type('form').send(base()) },
      { who, label: `POST ${form.path} bad JSON cookie`, send: (a, t) => a.post(path).set('Cookie', 'sdg.sid=j:{"a":1}').type('form').send({ ...base(), _csrf: t }) },
      ...['PUT', 'DELETE', 'PATCH'].map((method) => ({
        who,
        label: `${method} ${form.path}`,
        send: (a: TestAgent, t: string) => a[method.toLowerCase() as 'put'](path).type('form').send({ ...base(), _csrf: t }),
      })),
    );
  }
  return list;
}

const GET_PATHS = [
  '/', '/modules', '/modules/introduction', '/modules/introduction/lessons/from-mdgs-to-sdgs', '/modules/introduction/quiz', '/dashboard',
  '/profile', '/certificate', '/verify', '/glossary', '/login', '/register', '/password/forgot', '/cohorts/join', '/trainer/cohorts',
  '/admin/users', '/admin/audit', '/admin/mail', '/admin/content', '/admin/certificates',
];
const PATH_ATTACKS = [
  '/modules/%C0%AF', '/modules/%E0%A4%A', '/modules/%', '/modules/..%2f..%2fetc%2fpasswd', '/modules/introduction/lessons/%00',
  '/modules/introduction/media/..%2F..%2Fpackage.json', '/verify/%FF%FE', '/verify/%u202e', '/certificates/%00.pdf',
  '/trainer/cohorts/%7B%22%24gt%22%3A%22%22%7D', '/trainer/cohorts/000000000000000000000000', '/trainer/cohorts/zzz/export.csv',
  '/admin/users?q[$regex]=.*', '/admin/users?q=%00&page=-1', '/admin/users?page=1e309', '/admin/audit?page[$gt]=0',
  '/trainer/cohorts/COHORT?sort[$ne]=1&dir=%E0&page=NaN', '/trainer/cohorts/COHORT?status=__proto__&inactive=-1&q=%00',
  '/admin/certificates?q=' + 'a'.repeat(5000), '/password/reset/%E0%A4%A', '/password/reset/' + 'A'.repeat(5000),
  '/login?next=%2F.%2F%2Fevil.example', '/login?lng=__proto__', '/?lng[$ne]=en', '/modules/introduction/handbook.pdf?lng=xx',
];
const BAD_COOKIES = ['sdg.sid=j:{"a":1}', 'sdg.sid=%', 'i18next=j:["fr"]', 'i18next=__proto__', `sdg.sid=${'a'.repeat(4000)}`, 'sdg.sid=s:%00.%00'];

describe('hostile input', () => {
  it('when at least 500 hostile requests hit every form and route, then none gets a server error and no refused one changes a business document', async () => {
    const results: { label: string; status: number; changed: boolean }[] = [];
    let before = await fingerprint();
    /** Requests after which the kept hashes differed from a full re-read (must be none). */
    const missed: string[] = [];
    const record = async (label: string, res: supertest.Response) => {
      let after = await fingerprint();
      if ((results.length + 1) % FULL_EVERY === 0) {
        const full = await fingerprint({ full: true });
        if (full !== after) missed.push(label);
        after = full;
      }
      results.push({ label, status: res.status, changed: after !== before });
      expect(res.text).not.toContain('<script>alert(1)</script>');
      before = after;
    };

    for (const probe of probes()) {
      const { agent, token } = await sender(probe.who);
      await record(probe.label, await probe.send(agent, token));
    }
    for (const who of ['anonymous', 'learner', 'trainer', 'admin'] as Who[]) {
      for (const raw of [...GET_PATHS, ...PATH_ATTACKS]) {
        const path = raw.replace('COHORT', cohortId);
        const agent = agentOf(who) ?? supertest(app);
        await record(`GET ${path.slice(0, 80)} as ${who}`, await agent.get(path));
      }
    }
    for (const cookie of BAD_COOKIES) {
      for (const path of ['/', '/dashboard', '/modules/introduction', '/login']) {
        await record(`GET ${path} cookie ${cookie.slice(0, 30)}`, await supertest(app).get(path).set('Cookie', cookie));
      }
    }
    // a quiz attempt with answers that are not the drawn options
    const quiz = await learner.agent.get('/modules/introduction/quiz');
    const attemptId = attemptIdFrom(quiz.text);
    for (const [name, body] of [
      ['unknown question', `attemptId=${attemptId}&q.nope=x`],
      ['operator answer', `attemptId=${attemptId}&q.x[$ne]=1`],
      ['every option', `attemptId=${attemptId}${'&q.a=b'.repeat(150)}`],
    ] as const) {
      await record(`POST quiz ${name}`, await learner.agent.post('/modules/introduction/quiz').type('form').send(`${body}&_csrf=${await learner.csrf()}`));
    }

    if ((await fingerprint({ full: true })) !== before) missed.push('the last request');
    const labels = new Set(results.map((r) => r.label));
    const serverErrors = results.filter((r) => r.status >= 500);
    const refusedAndChanged = results.filter((r) => r.status >= 400 && r.changed);
    process.stdout.write(
      `hostile input: ${results.length} requests (${labels.size} distinct), ${results.filter((r) => r.status >= 400).length} refused, ` +
        `${serverErrors.length} server errors, ${refusedAndChanged.length} refused requests that changed documents (${fingerprintMs} ms comparing, ${fullReads} full reads)\n`,
    );
    expect(labels.size).toBeGreaterThanOrEqual(500);
    expect(serverErrors).toEqual([]);
    expect(refusedAndChanged).toEqual([]);
    expect(missed).toEqual([]);
  });
});
