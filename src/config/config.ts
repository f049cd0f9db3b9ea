import path from 'node:path';
import { envSchema } from './config.schema';

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  port: number;
  mongodbUri: string | undefined;
  dataDir: string;
  baseUrl: string;
  sessionSecret: string;
  logLevel: string;
  trustProxy: boolean;
}>;

/** Thrown with every configuration problem at once, one per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

// A fixed development secret keeps sessions across restarts on a developer's machine;
// production refuses to start without a real one (see the schema).
const DEV_SECRET = 'sdg-learn-development-secret-not-for-production';

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // Empty strings from `FOO= npm start` mean "unset", as a shell user expects.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')} ${i.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    dataDir: path.resolve(e.DATA_DIR),
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    trustProxy: e.TRUST_PROXY === 'true',
  });
}
