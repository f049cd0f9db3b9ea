import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config';
import { projectRoot } from '../../helpers/server-process';

/*
 * Both compose setups as Docker Compose resolves them (`docker compose config`, or Debian's
 * `docker-compose config`, which CI installs): the files are valid, and the resolved services keep
 * the promises of the README — replica set, two replicas, named volumes, grace periods, health checks
 * — and hand the app an environment its own configuration accepts. No engine is needed for this.
 */

// src/server.ts lets in-flight requests finish for up to 10 s after SIGTERM before it closes them.
/** the drain limit server.ts gives in-flight requests on SIGTERM, read from its source so the two stay in step */
const APP_DRAIN_SECONDS =
  Number(/const DRAIN_MS = ([\d_]+);/.exec(fs.readFileSync(path.join(__dirname, '../../../src/server.ts'), 'utf8'))?.[1]?.replaceAll('_', '')) / 1000;

type Service = {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  ports?: (string | { host_ip?: string; published?: string | number; target: number; protocol?: string })[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  deploy?: { replicas?: number };
  networks?: Record<string, unknown> | string[];
  depends_on?: Record<string, { condition: string }>;
  init?: boolean;
};
type Resolved = { services: Record<string, Service>; volumes?: Record<string, unknown>; networks?: Record<string, { internal?: boolean }> };

function composeCommand(): string[] | undefined {
  const candidates = [['docker', 'compose'], ['docker-compose']];
  return candidates.find(([cmd, ...args]) => spawnSync(cmd!, [...args, 'version'], { stdio: 'ignore' }).status === 0);
}
const compose = composeCommand();

/** An environment with only what compose itself needs, plus `vars` (no .env surprises from the caller). */
function resolve(file: string, vars: Record<string, string> = {}) {
  const [cmd, ...args] = compose!;
  const result = spawnSync(cmd!, [...args, '-f', file, 'config'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...vars },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, config: result.status === 0 ? (parse(result.stdout) as Resolved) : undefined };
}

const seconds = (duration: string | undefined) => {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(duration ?? '');
  if (!duration || !m) return 0;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
};

/** Volume mounts as { source, target }, from either compose version's output. */
const mounts = (s: Service) =>
  (s.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? '', target: v.target };
    const [source = '', target = ''] = v.split(':');
    return { source, target };
  });

/** Published ports as { hostIp, published, target }, from either compose version's output. */
const published = (s: Service) =>
  (s.ports ?? []).map((p) => {
    if (typeof p !== 'string') return { hostIp: p.host_ip ?? '', published: Number(p.published), target: p.target };
    const parts = p.replace(/\/\w+$/, '').split(':');
    const [target, pub, hostIp] = parts.reverse();
    return { hostIp: hostIp ?? '', published: Number(pub), target: Number(target) };
  });

const environment = (s: Service) =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v ?? ''])) as Record<string, string>;

const oneLinePem = () =>
  crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().replace(/\n/g, '\\n');

const productionVars = {
  SITE_HOST: 'learn.example.org',
  SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
  CREDENTIAL_PRIVATE_KEY: oneLinePem(),
};

if (!compose) {
  // Only a machine without either tool gets here; CI installs Debian's docker-compose (.ci/run).
  if (process.env.CI) {
    it('needs docker compose or docker-compose to validate the compose files', () => {
      throw new Error('neither `docker compose` nor `docker-compose` is installed; .ci/run installs docker-compose');
    });
  } else {
    console.warn('compose-config tests skipped: install `docker compose` or Debian\'s `docker-compose` (apt-get install -y docker-compose)');
    it.skip('docker compose config (no compose tool on this machine)', () => {});
  }
} else {
  describe('docker compose up (the trial)', () => {
    const { status, stderr, config } = resolve('docker-compose.yml');

    it('when resolved with no variables at all, then it is valid', () => {
      expect(stderr).not.toMatch(/error|invalid/i);
      expect(status).toBe(0);
    });

    it('when the app starts with the resolved environment, then its configuration accepts it: development mode on http://localhost:3000, cookies not Secure', () => {
      const app = config!.services.app!;
      const appConfig = loadConfig(environment(app));
      expect(appConfig).toMatchObject({ env: 'development', baseUrl: 'http://localhost:3000', secureCookies: false, databaseName: 'sdglearn' });
      expect(appConfig.mongodbUri).toMatch(/^mongodb:\/\/mongo:27017\//);
      // Development secrets are public: the port is reachable from this machine only.
      expect(published(app)).toEqual([{ hostIp: '127.0.0.1', published: 3000, target: 3000 }]);
    });

    it('when resolved, then the database and DATA_DIR are named volumes, and both get more time to stop than the app needs to drain', () => {
      const { app, mongo } = config!.services;
      expect(Object.keys(config!.volumes ?? {})).toEqual(expect.arrayContaining(['trial-app-data', 'trial-mongo-data']));
      expect(mounts(mongo!)).toContainEqual({ source: 'trial-mongo-data', target: '/data/db' });
      expect(mounts(app!)).toContainEqual({ source: 'trial-app-data', target: environment(app!).DATA_DIR });
      expect(seconds(app!.stop_grace_period)).toBeGreaterThan(APP_DRAIN_SECONDS);
      expect(seconds(mongo!.stop_grace_period)).toBeGreaterThanOrEqual(30);
      expect(app!.depends_on?.mongo?.condition).toBe('service_healthy');
      expect(mongo!.healthcheck?.test.join(' ')).toContain('ping');
    });
  });

  describe('docker compose -f docker-compose.production.yml up (production)', () => {
    const { status, stderr, config } = resolve('docker-compose.production.yml', productionVars);

    it('when resolved with the site host and the two secrets, then it is valid', () => {
      expect(stderr).not.toMatch(/error|invalid/i);
      expect(status).toBe(0);
    });

    it('when a secret is missing, then compose refuses and names it', () => {
      const { SESSION_SECRET: _, ...withoutSecret } = productionVars;
      const refused = resolve('docker-compose.production.yml', withoutSecret);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('SESSION_SECRET');
    });

    it('when resolved, then two app replicas start in production mode with an environment the app accepts: https BASE_URL, trusted proxy, Secure cookies', () => {
      const app = config!.services.app!;
      expect(app.deploy?.replicas).toBe(2);
      const appConfig = loadConfig(environment(app));
      expect(appConfig).toMatchObject({
        env: 'production',
        baseUrl: 'https://learn.example.org',
        trustProxy: true,
        secureCookies: true,
        databaseName: 'sdglearn',
      });
      expect(appConfig.certificates.credentialPrivateKey).toContain('BEGIN PRIVATE KEY');
      // Replicas publish no port of their own: Caddy is the way in.
      expect(published(app)).toEqual([]);
      expect(app.healthcheck?.test.join(' ')).toContain('/readyz');
    });

    it('when resolved, then MongoDB is a replica set the app connects to with majority writes, initiated by its own health check', () => {
      const { app, mongo } = config!.services;
      const command = mongo!.command ?? [];
      const setName = command[command.indexOf('--replSet') + 1];
      expect(setName).toBe('rs0');
      const uri = new URL(environment(app!).MONGODB_URI!);
      expect(uri.searchParams.get('replicaSet')).toBe(setName);
      expect(uri.searchParams.get('w')).toBe('majority');
      const check = mongo!.healthcheck?.test.join(' ') ?? '';
      expect(check).toContain(`rs.initiate({ _id: '${setName}', members: [{ _id: 0, host: '${uri.host}' }] })`);
      expect(check).toContain('isWritablePrimary');
      expect(app!.depends_on?.mongo?.condition).toBe('service_healthy');
      expect(published(mongo!)).toEqual([]);
      expect(config!.networks?.backend?.internal).toBe(true);
    });

    it('when resolved, then the data lives in named volumes and every service stops later than the app drains', () => {
      const { app, mongo, backup, caddy } = config!.services;
      const named = Object.keys(config!.volumes ?? {});
      expect(named).toEqual(expect.arrayContaining(['mongo-data', 'mongo-config', 'app-data', 'backups', 'caddy-data']));
      expect(mounts(mongo!)).toContainEqual({ source: 'mongo-data', target: '/data/db' });
      expect(mounts(caddy!)).toContainEqual({ source: 'caddy-data', target: '/data' }); // certificates survive re-creation
      expect(mounts(backup!)).toContainEqual({ source: 'backups', target: '/backups' });
      expect(seconds(app!.stop_grace_period)).toBeGreaterThan(APP_DRAIN_SECONDS);
      expect(seconds(mongo!.stop_grace_period)).toBeGreaterThanOrEqual(30);
    });

    it('when resolved, then Caddy serves 80 and 443 with the Caddyfile in the repository, and the backup runs the script in the repository', () => {
      const { caddy, backup } = config!.services;
      expect(published(caddy!).map((p) => p.published)).toEqual(expect.arrayContaining([80, 443]));
      expect(environment(caddy!).SITE_HOST).toBe('learn.example.org');
      const caddyfile = mounts(caddy!).find((m) => m.target === '/etc/caddy/Caddyfile');
      expect(fs.readFileSync(caddyfile!.source, 'utf8')).toMatch(/\{\$SITE_HOST\}[\s\S]*reverse_proxy[\s\S]*name app\s+port 3000/);
      const script = mounts(backup!).find((m) => backup!.entrypoint?.includes(m.target));
      expect(path.relative(projectRoot, script!.source)).toBe(path.join('deploy', 'mongo-backup.sh'));
      expect(fs.readFileSync(script!.source, 'utf8')).toContain('mongodump --uri="$uri" --oplog --gzip');
      expect(backup!.init).toBe(true);
    });
  });
}
