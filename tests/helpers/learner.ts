import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { accountsServiceFor } from '../../src/features/accounts';
import type { Role } from '../../src/platform/roles';
import { buildApp, csrfFrom, testConfig } from './build-app';

export type SignedIn = { agent: TestAgent; userId: string; email: string; password: string; csrf: () => Promise<string> };

/** Creates an account with the real service and signs it in through the real login form. */
export async function signedInAgent(
  connection: Connection,
  options: { role?: Role; language?: 'en' | 'es' | 'fr'; name?: string; app?: ReturnType<typeof buildApp> } = {},
): Promise<SignedIn> {
  const email = `user-${crypto.randomUUID()}@example.org`;
  const password = `Correct horse ${crypto.randomUUID()}`;
  const accounts = accountsServiceFor(connection, testConfig().passwordHashing);
  const created = await accounts.createUser({
    role: options.role ?? 'learner',
    name: options.name ?? 'Ana Learner',
    email,
    password,
    language: options.language ?? 'en',
  });
  if (!created.ok) throw new Error(`could not create user: ${created.field} ${created.error}`);
  const agent = supertest.agent(options.app ?? buildApp(connection));
  const token = csrfFrom((await agent.get('/login')).text);
  const res = await agent.post('/login').type('form').send({ email, password, _csrf: token });
  if (res.status !== 302 && res.status !== 303) throw new Error(`login failed with ${res.status}`);
  const csrf = async () => csrfFrom((await agent.get('/profile')).text);
  return { agent, userId: created.user.id, email, password, csrf };
}
