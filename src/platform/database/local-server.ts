import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildFerretDb, findOnPath, LocalDatabaseUnavailable, type Log } from './ferretdb-build';

export type LocalDatabase = {
  uri: string;
  kind: 'mongod' | 'ferretdb';
  /** true when this process started the server and so must stop it */
  owned: boolean;
  /** the server's process id, when this process runs it (it changes when the server is restarted) */
  pid?: () => number | undefined;
  stop(): Promise<void>;
};

type State = { pid: number; uri: string; kind: 'mongod' | 'ferretdb' };


export { LocalDatabaseUnavailable };

const START_TIMEOUT_MS = 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function canConnect(uri: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function spawnFerretDb(dataDir: string, port: number, log: Log, cacheDir?: string): Promise<{ child: ChildProcess; uri: string }> {
  const binary = await buildFerretDb(log, cacheDir);
  const logFd = fs.openSync(path.join(dataDir, 'localdb.log'), 'a');
  const child = spawn(binary, ['--listen', `127.0.0.1:${port}`, '--dir', path.join(dataDir, 'ferretdb')], {
    stdio: ['ignore', 'pipe', logFd],
  });
  fs.closeSync(logFd);
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('FerretDB did not become ready in time')), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new LocalDatabaseUnavailable(
          `The local database exited at start (code ${code}); see ${path.join(dataDir, 'localdb.log')}.`,
        ),
      );
    });
  });
  return { child, uri };
}

async function spawnMongod(mongod: string, dataDir: string, port: number): Promise<{ child: ChildProcess; uri: string }> {
  const dbPath = path.join(dataDir, 'mongod');
  fs.mkdirSync(dbPath, { recursive: true });
  const logFd = fs.openSync(path.join(dataDir, 'localdb.log'), 'a');
  const child = spawn(mongod, ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  const uri = `mongodb://127.0.0.1:${port}/`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await canConnect(uri))) {
    if (child.exitCode !== null) throw new LocalDatabaseUnavailable(`mongod exited at start (code ${child.exitCode}).`);
    if (Date.now() > deadline) throw new LocalDatabaseUnavailable('mongod did not become ready in time.');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, uri };
}

function readState(file: string): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

async function reuseRunning(stateFile: string): Promise<State | undefined> {
  const state = readState(stateFile);
  if (state && isAlive(state.pid) && (await canConnect(state.uri))) return state;
  return undefined;
}

/** Takes the start-up lock, or waits while another live process holds it. */
async function acquireLock(lockFile: string): Promise<void> {
  const deadline = Date.now() + 10 * 60_000; // a first FerretDB build can take minutes
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (!holder || !isAlive(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new LocalDatabaseUnavailable(`Timed out waiting for ${lockFile}.`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Starts the local MongoDB-compatible server for DATA_DIR, or reuses the one another process
 * (the app, the command line, a test run) already runs there.
 */
export async function startLocalDatabase(options: {
  dataDir: string;
  port?: number;
  log: Log;
  /** where the built FerretDB binary is kept (LOCALDB_CACHE); default node_modules/.cache/sdg-learn */
  cacheDir?: string;
}): Promise<LocalDatabase> {
  const { dataDir, log } = options;
  fs.mkdirSync(dataDir, { recursive: true });
  const stateFile = path.join(dataDir, 'localdb.json');
  const lockFile = path.join(dataDir, 'localdb.lock');
  const notOwned = (s: State): LocalDatabase => ({ uri: s.uri, kind: s.kind, owned: false, stop: async () => {} });

  const running = await reuseRunning(stateFile);
  if (running) return notOwned(running);

  await acquireLock(lockFile);
  try {
    const again = await reuseRunning(stateFile);
    if (again) return notOwned(again);

    const port = options.port ?? (await freePort());
    const mongod = findOnPath('mongod');
    const kind = mongod ? 'mongod' : 'ferretdb';
    const spawnServer = () => (mongod ? spawnMongod(mongod, dataDir, port) : spawnFerretDb(dataDir, port, log, options.cacheDir));
    let { child, uri } = await spawnServer();
    if (child.pid === undefined) throw new LocalDatabaseUnavailable(`The local ${kind} did not start.`);
    const writeState = () => fs.writeFileSync(stateFile, JSON.stringify({ pid: child.pid ?? 0, uri, kind } satisfies State));
    writeState();
    log.info(`Local database (${kind}) listening at ${uri}, data in ${dataDir}`);

    /*
     * The platform is its database's supervisor: when the server dies (a crash, SIGKILL from the
     * OOM killer), it is started again on the same port (so the driver's connections find it again
     * by themselves), waiting longer after each death in a row and starting over once it has run
     * for a minute. Meanwhile pages answer 503 (platform/database/availability.ts).
     */
    let stopping = false;
    let failures = 0;
    let startedAt = Date.now();
    const watch = () => {
      child.once('exit', (code, signal) => {
        if (stopping) return;
        // a clean exit is someone stopping it on purpose (the last test run, an operator): not a crash
        if (code === 0 || signal === 'SIGTERM' || signal === 'SIGINT') {
          log.info(`Local database (${kind}) was stopped from outside (${signal ?? `code ${code}`}); not restarting it`);
          return;
        }
        failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
        const delay = Math.min(10_000, 250 * 2 ** (failures - 1));
        log.warn(`Local database (${kind}) stopped (${signal ?? `code ${code}`}); restarting it in ${delay} ms (restart ${failures} in a row)`);
        const timer = setTimeout(restart, delay);
        timer.unref();
      });
    };
    const restart = async () => {
      if (stopping) return;
      try {
        ({ child, uri } = await spawnServer());
        startedAt = Date.now();
        writeState();
        log.info(`Local database (${kind}) restarted at ${uri}`);
        watch();
      } catch (err) {
        failures++;
        const delay = Math.min(10_000, 250 * 2 ** (failures - 1));
        log.warn(`Local database (${kind}) could not be restarted (${err instanceof Error ? err.message : err}); trying again in ${delay} ms`);
        setTimeout(restart, delay).unref();
      }
    };
    watch();
    return {
      uri,
      kind,
      owned: true,
      pid: () => child.pid,
      async stop() {
        stopping = true;
        child.kill('SIGTERM');
        await waitForExit(child, 5000);
        if (readState(stateFile)?.pid === child.pid) fs.rmSync(stateFile, { force: true });
      },
    };
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
