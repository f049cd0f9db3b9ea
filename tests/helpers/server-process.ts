import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { freePort } from './ports';

export const projectRoot = path.resolve(__dirname, '../..');

/** `npm run build`, as the Dockerfile does: the compiled server lands in dist/. */
export function buildCompiledServer(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'pipe' });
}

/** The test server's connection string with this jest worker's database `suffix` in its path. */
export function testDatabaseUri(suffix: string): { uri: string; dbName: string } {
  const base = process.env.TEST_MONGODB_URI;
  if (!base) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global setup)');
  const dbName = `sdglearn_test_${process.env.TEST_RUN_ID ?? 'x'}_${process.env.JEST_WORKER_ID ?? '0'}${suffix}`;
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!m) throw new Error(`cannot read ${base}`);
  return { uri: `${m[1]}/${dbName}${m[2] ?? ''}`, dbName };
}

/** Secrets as an operator makes them: 32 random bytes, and an Ed25519 key as PEM. */
export function productionSecrets() {
  return {
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    CREDENTIAL_PRIVATE_KEY: crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export type ServerProcess = {
  port: number;
  /** everything the process wrote to stdout and stderr so far (pino's JSON lines) */
  output(): string;
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>;
};

async function ready(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/readyz' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

/** Starts `node <script>` with exactly `env` (plus PATH) and waits until /readyz answers 200. */
export async function startServerProcess(
  script: string,
  env: Record<string, string>,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await ready(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready (exit ${child.exitCode}):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
