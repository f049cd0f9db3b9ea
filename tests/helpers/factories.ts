import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import type TestAgent from 'supertest/lib/agent';
import { createPasswordHasher, getUserModel } from '../../src/features/accounts';
import type { Language } from '../../src/platform/i18n';
import type { Role } from '../../src/platform/roles';
import { csrfFrom, testConfig } from './build-app';

export type TestUser = {
  id: string;
  email: string;
  name: string;
  password: string;
  role: Role;
  language: Language;
};

const hasher = createPasswordHasher(testConfig().passwordHashing);

/** A fresh password that passes the policy. */
export function strongPassword(): string {
  return `Lantern harbour ${crypto.randomBytes(6).toString('hex')}`;
}

/**
 * An account stored straight in the database (fast, no HTTP), with a unique e-mail unless one is
 * given. `deactivated: true` makes a deactivated account.
 */
export async function createUser(
  connection: Connection,
  overrides: Partial<Omit<TestUser, 'id'>> & {
    deactivated?: boolean;
    organisation?: string;
    country?: string;
    position?: string;
  } = {},
): Promise<TestUser> {
  const { deactivated, organisation, country, position, ...rest } = overrides;
  const user = {
    email: `user-${crypto.randomUUID()}@example.org`,
    name: 'Ana Pérez',
    password: strongPassword(),
    role: 'learner' as Role,
    language: 'en' as Language,
    ...rest,
  };
  const doc = await getUserModel(connection).create({
    email: user.email,
    name: user.name,
    role: user.role,
    language: user.language,
    passwordHash: await hasher.hash(user.password),
    ...(organisation ? { organisation } : {}),
    ...(country ? { country } : {}),
    ...(position ? { position } : {}),
    ...(deactivated ? { deactivatedAt: new Date() } : {}),
  });
  return { ...user, email: doc.email, id: String(doc._id) };
}

/** Logs the agent in through the real form, as a browser would; returns the login response. */
export async function loginAs(agent: TestAgent, user: { email: string; password: string }) {
  const token = csrfFrom((await agent.get('/login')).text);
  const res = await agent.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: token });
  if (res.status !== 303) throw new Error(`login as ${user.email} failed with ${res.status}`);
  return res;
}

/** A CSRF token for the agent's current session, read from a page with a form. */
export async function csrfFor(agent: TestAgent, page = '/login'): Promise<string> {
  return csrfFrom((await agent.get(page)).text);
}

/**
 * The documents of some collections, in a stable order, to compare before and after a request
 * that must change nothing.
 */
export async function snapshot(connection: Connection, collections: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of collections) {
    const docs = await connection.collection(name).find().sort({ _id: 1 }).toArray();
    out[name] = JSON.parse(JSON.stringify(docs));
  }
  return out;
}
