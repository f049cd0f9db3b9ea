import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
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
    await new Promise((r) => setTimeout(r, 200));
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
});
