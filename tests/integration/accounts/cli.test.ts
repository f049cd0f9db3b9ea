import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../../src/bootstrap';
import { getUserModel } from '../../../src/features/accounts';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, strongPassword } from '../../helpers/factories';

const root = path.resolve(__dirname, '../../..');
const SUFFIX = '_cli';
let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase(SUFFIX);
  await ensureIndexes(connection);
});
afterAll(async () => {
  await connection.close();
});

/** Runs `npm run cli -- …` as a user would (through tsx), with `stdin` piped in. */
function cli(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, MONGODB_URI: `${process.env.TEST_MONGODB_URI}${connection.name}`, NODE_ENV: 'test', LOG_LEVEL: 'error' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run cli -- create-user', () => {
  it('when given a role, e-mail, name and a password on standard input, then the account is created with an argon2id hash', async () => {
    const password = strongPassword();
    const result = await cli(['create-user', '--role', 'admin', '--email', 'Root.Admin@Example.org', '--name', 'Root Admin'], `${password}\n`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/created admin root\.admin@example\.org/);
    const user = await getUserModel(connection).findOne({ email: 'root.admin@example.org' }).lean();
    expect(user).toMatchObject({ role: 'admin', name: 'Root Admin', language: 'en' });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await connection.collection('audit_events').countDocuments({ action: 'user.created', targetEmail: 'root.admin@example.org' })).toBe(1);
  }, 60_000);

  it('when the input is invalid or the e-mail is taken, then it exits 65 naming each problem and creates nothing', async () => {
    await createUser(connection, { email: 'already.here@example.org' });
    const before = await getUserModel(connection).countDocuments();
    const weak = await cli(['create-user', '--role', 'boss', '--email', 'nope', '--name', 'X'], 'short\n');
    expect(weak.code).toBe(65);
    expect(weak.stdout).toContain('role: Choose a role');
    expect(weak.stdout).toContain('email: Enter an e-mail address in the right format');
    expect(weak.stdout).toContain('password: Your password must have at least 12 characters.');
    const taken = await cli(['create-user', '--role', 'trainer', '--email', 'Already.Here@example.org', '--name', 'Copy'], `${strongPassword()}\n`);
    expect(taken.code).toBe(65);
    expect(taken.stdout).toContain('email: An account already uses this e-mail address.');
    expect(await getUserModel(connection).countDocuments()).toBe(before);
  }, 60_000);

  it('when an option is unknown, then it exits 64 with the usage', async () => {
    const result = await cli(['create-user', '--rol', 'admin'], '');
    expect(result.code).toBe(64);
    expect(result.stdout).toContain('usage: npm run cli -- create-user --role');
  }, 60_000);
});
