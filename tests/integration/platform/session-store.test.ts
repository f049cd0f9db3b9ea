import type { Request } from 'express';
import type { SessionData } from 'express-session';
import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../../src/bootstrap';
import { endSessionsOfUser, rewriteSessionUser, SESSION_COLLECTION } from '../../../src/platform/session';
import { SessionStore } from '../../../src/platform/session-store';
import { agentFor, csrfFrom } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, loginAs } from '../../helpers/factories';

/*
 * Sessions carry the signed-in user, so a request reads its session and not the user as well. These
 * check what keeps that honest: a change to the user reaches every session of theirs, and a request
 * that loaded its session before the change and saves it after cannot undo the change.
 */

let connection: Connection;
let store: SessionStore;

beforeAll(async () => {
  connection = await connectTestDatabase('_session_store', { monitorCommands: true });
  await ensureIndexes(connection);
  store = new SessionStore({ client: connection.getClient(), dbName: connection.name, collectionName: SESSION_COLLECTION, autoRemove: 'disabled', stringify: false, touchAfter: 3600 });
});
afterAll(async () => {
  await connection.close();
});

const sessions = () => connection.collection<{ _id: string; userId?: string; session: Record<string, unknown> }>(SESSION_COLLECTION);
const cookie = () => ({ originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000).toISOString(), httpOnly: true, path: '/' });
const userOf = (id: string, role = 'learner') => ({ id, email: `${id}@example.org`, name: 'Ama Mensah', role, language: 'en' });

function callback<T>(run: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** What express-session does on a request: the session read from the store, as a Session. */
async function load(sid: string) {
  const data = await callback<SessionData | null>((done) => store.get(sid, done));
  if (!data) return undefined;
  return store.createSession({ sessionID: sid } as unknown as Request, data);
}
const save = (sid: string, session: SessionData) => callback<void>((done) => store.set(sid, session, done));

/** A session as signing in leaves it: written whole, with the user's id beside it. */
async function signedIn(sid: string, userId: string) {
  const fresh = store.createSession({ sessionID: sid } as unknown as Request, { cookie: cookie() } as never);
  // a new session (not read from the store) is written whole: drop the mark createSession left
  const whole = Object.assign(Object.create(Object.getPrototypeOf(fresh)), { ...fresh, passport: { user: userOf(userId) } });
  await save(sid, whole);
}

it('when a session is created, then it is stored whole with the user id beside it', async () => {
  await signedIn('s-created', 'u-created');
  const stored = await sessions().findOne({ _id: 's-created' });
  expect(stored!.userId).toBe('u-created');
  expect(stored!.session.passport).toEqual({ user: userOf('u-created') });
});

it('when a stored session has expired but is not purged yet, then it is not loaded; one that has not expired is, by its id alone', async () => {
  await signedIn('s-expired', 'u-expired');
  await signedIn('s-current', 'u-current');
  await sessions().updateOne({ _id: 's-expired' }, { $set: { expires: new Date(Date.now() - 1000) } });
  expect(await load('s-expired')).toBeUndefined();
  const sent: Record<string, unknown>[] = [];
  const listener = (e: { commandName: string; command: Record<string, unknown> }) => {
    if (e.commandName === 'find' && e.command.find === SESSION_COLLECTION) sent.push(e.command.filter as Record<string, unknown>);
  };
  connection.getClient().on('commandStarted', listener);
  const current = await load('s-current');
  connection.getClient().off('commandStarted', listener);
  expect((current as unknown as { passport: unknown }).passport).toEqual({ user: userOf('u-current') });
  expect((current as unknown as { lastModified: unknown }).lastModified).toBeInstanceOf(Date);
  expect(sent).toEqual([{ _id: 's-current' }]);
  expect(await load('s-never-stored')).toBeUndefined();
});

it('when a request loaded its session before the role changed and saves a flash after, then the new role stays', async () => {
  await signedIn('s-role', 'u-role');
  const session = (await load('s-role'))!;
  await rewriteSessionUser(connection, 'u-role', userOf('u-role', 'trainer'));
  (session as unknown as Record<string, unknown>).flash = { key: 'common:saved' };
  await save('s-role', session);
  const stored = await sessions().findOne({ _id: 's-role' });
  expect(stored!.session.passport).toEqual({ user: userOf('u-role', 'trainer') });
  expect(stored!.session.flash).toEqual({ key: 'common:saved' });
});

it('when a request loaded its session before the sessions were ended and saves after, then the session stays ended', async () => {
  await signedIn('s-ended', 'u-ended');
  const session = (await load('s-ended'))!;
  expect(await endSessionsOfUser(connection, 'u-ended')).toBe(1);
  (session as unknown as Record<string, unknown>).flash = { key: 'common:saved' };
  await save('s-ended', session);
  expect(await sessions().countDocuments({ _id: 's-ended' })).toBe(0);
});

it('when a field is taken out of a loaded session, then it is removed from the stored one too', async () => {
  await signedIn('s-flash', 'u-flash');
  const first = (await load('s-flash'))!;
  (first as unknown as Record<string, unknown>).flash = { key: 'common:saved' };
  await save('s-flash', first);
  const second = (await load('s-flash'))!;
  delete (second as unknown as Record<string, unknown>).flash;
  await save('s-flash', second);
  const stored = await sessions().findOne({ _id: 's-flash' });
  expect(stored!.session).not.toHaveProperty('flash');
  expect(stored!.session.passport).toEqual({ user: userOf('u-flash') });
});

describe('through the app', () => {
  it('when a user changes language in one browser, then their other browser shows it on its next page', async () => {
    const user = await createUser(connection, { language: 'en' });
    const [a, b] = [agentFor(connection), agentFor(connection)];
    await loginAs(a, user);
    await loginAs(b, user);
    const token = csrfFrom((await a.get('/profile')).text);
    expect((await a.post('/language').type('form').send({ language: 'fr', _csrf: token })).status).toBe(303);
    expect((await b.get('/profile')).text).toContain('<html lang="fr">');
  });

  it('when a signed-in learner opens a page, then the users collection is not read', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const read: string[] = [];
    const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
      read.push(`${e.commandName}:${String(e.command[e.commandName])}:${JSON.stringify([e.command.filter, e.command.projection])}`);
    };
    connection.getClient().on('commandStarted', watch);
    const page = await agent.get('/dashboard');
    connection.getClient().off('commandStarted', watch);
    expect(page.status).toBe(200);
    expect(read.some((c) => c.startsWith('find:sessions:'))).toBe(true);
    expect(read.filter((c) => c.includes(':users:'))).toEqual([]);
  });
});
