import { type ChildProcess, execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../paths';

const execFileAsync = promisify(execFile);

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

type Log = { info(msg: string): void; warn(msg: string): void };

/** Raised when no local database can be had here; its message is the one line to show the user. */
export class LocalDatabaseUnavailable extends Error {
  override name = 'LocalDatabaseUnavailable';
}

const sourceDir = path.join(projectRoot, 'tools', 'localdb');
const START_TIMEOUT_MS = 60_000;

export function findOnPath(command: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

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

/** Our files laid over FerretDB's module at build time, by their path inside it (see its README). */
const patchDir = path.join(sourceDir, '_ferretdb');

function patchFiles(): string[] {
  return (fs.readdirSync(patchDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.go'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** The binary's name carries a hash of our Go sources and patch, so editing them rebuilds it. */
export function ferretBinaryPath(): string {
  const hash = crypto.createHash('sha256');
  const sources = fs.readdirSync(sourceDir).filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'));
  for (const f of sources.sort()) hash.update(f).update(fs.readFileSync(path.join(sourceDir, f)));
  for (const f of patchFiles()) hash.update(`_ferretdb/${f}`).update(fs.readFileSync(path.join(patchDir, f)));
  const dir = process.env.LOCALDB_CACHE ?? path.join(projectRoot, 'node_modules', '.cache', 'sdg-learn');
  return path.join(dir, `localdb-${hash.digest('hex').slice(0, 16)}`);
}

/** Copies the files `keep` accepts, writable (the module cache's are read-only). */
function copyTree(from: string, to: string, keep: (file: string) => boolean): void {
  for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !keep(entry.name)) continue;
    const source = path.join(entry.parentPath, entry.name);
    const target = path.join(to, path.relative(from, source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.rmSync(target, { force: true });
    fs.writeFileSync(target, fs.readFileSync(source), { mode: 0o644 });
  }
}

export async function buildFerretDb(log: Log): Promise<string> {
  const binary = ferretBinaryPath();
  if (fs.existsSync(binary)) return binary;
  const go = findOnPath('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new LocalDatabaseUnavailable(
      'No local database available: install Go 1.24 or newer (to build FerretDB) or mongod, or set MONGODB_URI to a MongoDB server.',
    );
  }
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  log.info('Building the local database (FerretDB v1.24.2) once; this takes a minute or two…');
  const started = Date.now();
  // Built beside the target and renamed, so a concurrent builder never sees half a file.
  const tmp = `${binary}.${process.pid}.tmp`;
  const env = { ...process.env, CGO_ENABLED: '0' };
  // Go refuses to overlay files inside the module cache, so the pinned module is copied, our
  // files are laid over the copy, and a go.mod beside the build replaces the module by the copy.
  const work = `${binary}.${process.pid}.src`;
  try {
    const { stdout } = await execFileAsync(go, ['mod', 'download', '-json', 'github.com/FerretDB/FerretDB'], {
      cwd: sourceDir,
      env,
    });
    const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
    const copy = path.join(work, 'ferretdb');
    copyTree(moduleDir, copy, (f) => !f.endsWith('_test.go'));
    copyTree(patchDir, copy, (f) => f.endsWith('.go'));
    const goMod = fs.readFileSync(path.join(sourceDir, 'go.mod'), 'utf8');
    fs.writeFileSync(path.join(work, 'build.mod'), `${goMod}\nreplace github.com/FerretDB/FerretDB => ${copy}\n`);
    fs.copyFileSync(path.join(sourceDir, 'go.sum'), path.join(work, 'build.sum'));
    await execFileAsync(go, ['build', '-trimpath', '-modfile', path.join(work, 'build.mod'), '-o', tmp, '.'], {
      cwd: sourceDir,
      maxBuffer: 16 * 1024 * 1024,
      env,
    });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? err).trim();
    throw new LocalDatabaseUnavailable(
      `Building the local database with Go failed (${stderr.split('\n').pop()}); set MONGODB_URI to a MongoDB server instead.`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  fs.renameSync(tmp, binary);
  log.info(`Local database built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return binary;
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

async function spawnFerretDb(dataDir: string, port: number, log: Log): Promise<{ child: ChildProcess; uri: string }> {
  const binary = await buildFerretDb(log);
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
export async function startLocalDatabase(options: { dataDir: string; port?: number; log: Log }): Promise<LocalDatabase> {
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
    const spawnServer = () => (mongod ? spawnMongod(mongod, dataDir, port) : spawnFerretDb(dataDir, port, log));
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
