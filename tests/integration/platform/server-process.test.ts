import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import type { Connection } from 'mongoose';
import { csrfFrom } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { freePort } from '../../helpers/ports';

const root = path.resolve(__dirname, '../../..');


async function waitReady(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      http
        .get({ port, path: '/readyz' }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not become ready');
}

describe('the server process', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('when SIGTERM arrives during a request, then that request is answered and the process exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), MONGODB_URI: `${process.env.TEST_MONGODB_URI}sdglearn_test_${process.env.TEST_RUN_ID}_server`, NODE_ENV: 'test' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitReady(port, 20000);

    // A request whose body is still arriving is in flight when the signal comes.
    const response = new Promise<number>((resolve, reject) => {
      const req = http.request(
        { port, method: 'POST', path: '/anything', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': 10 } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('value=');
      setTimeout(() => {
        child!.kill('SIGTERM');
        setTimeout(() => req.end('abcd'), 500);
      }, 200);
    });

    expect(await response).toBe(403); // answered (refused for lack of a CSRF token), not cut off
    expect(await exited).toBe(0);
  });

  it('when a promise rejects with nobody to handle it, then the error is logged and the process drains and exits 1', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--require', path.join(__dirname, '../../helpers/reject-on-signal.cjs'), '--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), MONGODB_URI: `${process.env.TEST_MONGODB_URI}sdglearn_test_${process.env.TEST_RUN_ID}_server`, NODE_ENV: 'test', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitReady(port, 20000);
    child.kill('SIGUSR2');
    expect(await exited).toBe(1);
    const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; level: number; err?: { message: string } });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'unhandled rejection', level: 60, err: expect.objectContaining({ message: 'a rejection nobody handles' }) }));
    expect(lines.map((l) => l.msg)).toContain('stopped');
  });
});

describe('draining under load', () => {
  let child: ChildProcess | undefined;
  let connection: Connection;
  const dbName = () => `sdglearn_test_${process.env.TEST_RUN_ID ?? 'x'}_${process.env.JEST_WORKER_ID ?? '0'}_drain`;
  beforeAll(async () => {
    connection = await connectTestDatabase('_drain');
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await connection.close();
  });

  it('when SIGTERM arrives while keep-alive clients post forms, then no request is reset, every acknowledged write is stored and the exit code is 0', async () => {
    // a trainer signed in through the in-process app: its session lives in the same database
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const token = csrfFrom((await trainer.agent.get('/trainer/cohorts')).text);
    const cookie = trainer.agent.jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false } as never)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');

    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-drain-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        MONGODB_URI: `${process.env.TEST_MONGODB_URI}${dbName()}`,
        NODE_ENV: 'test',
        SESSION_SECRET: 'test-secret-test-secret',
        DATA_DIR: dataDir,
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitReady(port, 20000);

    const outcomes: { status?: number; error?: string; afterSignal: boolean }[] = [];
    const acknowledged: string[] = [];
    let signalled = false;
    let n = 0;
    // six clients at six loopback addresses: the coarse POST cap (300 a minute per address) would
    // otherwise answer 429 to one address posting as fast as it can, which is not what this tests
    const post = (agent: http.Agent, localAddress: string, name: string) =>
      new Promise<number>((resolve, reject) => {
        const body = new URLSearchParams({ name, language: 'en', _csrf: token }).toString();
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            agent,
            localAddress,
            method: 'POST',
            path: '/trainer/cohorts',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const client = async (_: unknown, i: number) => {
      const localAddress = `127.0.0.${i + 2}`;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (;;) {
        const name = `Drain ${n++}`;
        try {
          const status = await post(agent, localAddress, name);
          outcomes.push({ status, afterSignal: signalled });
          if (status === 303) acknowledged.push(name);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? String(err);
          // refused at the door once the server stopped listening: never accepted, so not lost
          if (code === 'ECONNREFUSED') break;
          outcomes.push({ error: code, afterSignal: signalled });
        }
      }
      agent.destroy();
    };
    const load = Promise.all(Array.from({ length: 6 }, client));
    await new Promise((r) => setTimeout(r, 1500));
    signalled = true;
    child.kill('SIGTERM');
    await load;

    expect(await exited).toBe(0);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes.filter((o) => o.status !== 303)).toEqual([]);
    const stored = new Set((await connection.collection('cohorts').find({}, { projection: { name: 1 } }).toArray()).map((c) => c.name as string));
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    process.stdout.write(
      `shutdown under load: ${outcomes.length} requests answered (${outcomes.filter((o) => o.afterSignal).length} after SIGTERM), 0 reset, ${acknowledged.length} writes acknowledged and stored\n`,
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
