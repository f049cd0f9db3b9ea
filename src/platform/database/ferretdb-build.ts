import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../paths';

/** Building the patched FerretDB (tools/localdb) that the local database runs when no mongod is installed. */
const execFileAsync = promisify(execFile);
const sourceDir = path.join(projectRoot, 'tools', 'localdb');

export type Log = { info(msg: string): void; warn(msg: string): void };

/** Raised when no local database can be had here; its message is the one line to show the user. */
export class LocalDatabaseUnavailable extends Error {
  override name = 'LocalDatabaseUnavailable';
}

/** The executable `command` on the PATH (an operating-system lookup, not configuration). */
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

/** Our files laid over FerretDB's module at build time, by their path inside it (see its README). */
const patchDir = path.join(sourceDir, '_ferretdb');

function patchFiles(): string[] {
  return (fs.readdirSync(patchDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.go'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** The binary's name carries a hash of our Go sources and patch, so editing them rebuilds it. */
export function ferretBinaryPath(cacheDir = path.join(projectRoot, 'node_modules', '.cache', 'sdg-learn')): string {
  const hash = crypto.createHash('sha256');
  const sources = fs.readdirSync(sourceDir).filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'));
  for (const f of sources.sort()) hash.update(f).update(fs.readFileSync(path.join(sourceDir, f)));
  for (const f of patchFiles()) hash.update(`_ferretdb/${f}`).update(fs.readFileSync(path.join(patchDir, f)));
  return path.join(cacheDir, `localdb-${hash.digest('hex').slice(0, 16)}`);
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

export async function buildFerretDb(log: Log, cacheDir?: string): Promise<string> {
  const binary = ferretBinaryPath(cacheDir);
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
  // Go needs the caller's PATH, HOME and GOPATH/GOCACHE: the process's own environment, not configuration.
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

