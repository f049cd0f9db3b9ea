import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import type { Connection } from 'mongoose';
import { createApp } from '../src/app';
import { ensureIndexes } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { connectWithRetry, startLocalDatabase } from '../src/platform/database';
import { createHttpServer } from '../src/platform/http-server';
import { createLogger } from '../src/platform/logger';

/** The benchmark's own database: MONGODB_URI if set, else the local server under .bench-data/. */
export async function benchDatabase(name: string) {
  const quiet = { info: () => {}, warn: (m: string) => console.warn(m) };
  const local = process.env.MONGODB_URI ? undefined : await startLocalDatabase({ dataDir: path.resolve('.bench-data'), log: quiet });
  const uri = process.env.MONGODB_URI ?? local!.uri;
  const connection = await connectWithRetry(uri, { dbName: `sdglearn_bench_${name}`, log: { warn: () => {} } });
  await connection.dropDatabase();
  await ensureIndexes(connection);
  return {
    connection,
    /** the local database server's process id (undefined on MONGODB_URI) */
    serverPid: () => local?.pid?.(),
    async close() {
      await connection.close();
      await local?.stop();
    },
  };
}

/** The session secret of the benchmarks' servers (in this process or their own). */
export const BENCH_SESSION_SECRET = 'bench-secret-bench-secret-bench-secret';

/** The real app on an ephemeral loopback port. */
export async function benchServer(connection: Connection) {
  // behind one trusted proxy: a benchmark stands for many learners, so it may say which address each
  // request comes from (X-Forwarded-For) and per-address limits count them apart, as in production
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: BENCH_SESSION_SECRET, TRUST_PROXY: 'true' });
  const app = createApp({ config, connection, logger: createLogger('silent') });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** POST a form with the CSRF token of `formPage` (a page that carries one); resolves with the status and redirect. */
export async function postForm(url: string, cookie: string, fields: Record<string, string | string[]>, csrfToken: string) {
  const body = new URLSearchParams({ _csrf: csrfToken });
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') ?? '' };
}

export const csrfIn = (html: string | undefined) => /name="_csrf" value="([^"]+)"/.exec(html ?? '')?.[1] ?? '';

/** The median of some timings. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** GET with a cookie; resolves when the whole body has arrived (read and dropped chunk by chunk). */
export function get(url: string, cookie: string): Promise<{ status: number; bytes: number; text?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { cookie, 'accept-encoding': 'identity' } }, (res) => {
        let bytes = 0;
        const keep = !url.endsWith('.csv');
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (keep) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, text: keep ? Buffer.concat(chunks).toString() : undefined }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  const first = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
    body: new URLSearchParams({ email, password, _csrf: token }),
  });
  if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || first;
}

/** CPU seconds a process has used so far, from /proc (0 when it cannot be read). */
function processCpuSeconds(pid: number): number {
  try {
    // fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 per second)
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by this process and by the other processes named (the database server,
 * an app server of its own). On a machine others share, throughput swings with their load; the CPU
 * an operation costs does not, so benchmarks report it next to their rates.
 */
export function cpuSeconds(...pids: (number | undefined)[]): { own: number; others: number; total: number } {
  const own = process.cpuUsage();
  const mine = (own.user + own.system) / 1e6;
  const others = pids.reduce<number>((sum, pid) => sum + (pid ? processCpuSeconds(pid) : 0), 0);
  return { own: mine, others, total: mine + others };
}

export function ratio(a: number, b: number): string {
  return (a / b).toFixed(3);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The server as `npm start` runs it, in its own process, on the benchmark's database: the load
 * generator then does not share the server's event loop (nor its CPU time). It trusts one proxy,
 * so a benchmark may say through X-Forwarded-For which learner's address a request comes from.
 * BENCH_SERVER_ARGS passes flags to its node, e.g. --cpu-prof to see where its time goes.
 */
export async function spawnServer(connection: Connection) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const uri = process.env.MONGODB_URI ?? `mongodb://${connection.host}:${connection.port}/`;
  const nodeArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(__dirname, '..', 'src', 'server.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      MONGODB_URI: `${uri.replace(/\/[^/]*$/, '/')}${connection.name}`,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      SESSION_SECRET: BENCH_SESSION_SECRET,
      DATA_DIR: path.resolve('.bench-data', 'app'),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; ; i++) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200).catch(() => false);
    if (ready) break;
    if (i > 600) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
