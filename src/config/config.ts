import path from 'node:path';
import { envSchema } from './config.schema';

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  port: number;
  mongodbUri: string | undefined;
  dataDir: string;
  /** where the local database's built FerretDB binary is kept (LOCALDB_CACHE); unset = node_modules/.cache */
  localDbCache: string | undefined;
  baseUrl: string;
  sessionSecret: string;
  /** SESSION_SECRET is unset and the public development secret is in use: what it signs proves nothing */
  sessionSecretIsPublic: boolean;
  logLevel: string;
  trustProxy: boolean;
  /**
   * The `Secure` attribute of our cookies: true when BASE_URL is https (browsers then send them only
   * over TLS), 'auto' when a trusted proxy says per request whether it terminated TLS, else false.
   */
  secureCookies: CookieSecurity;
  /** the database the app uses: the one MONGODB_URI names, else `sdglearn` */
  databaseName: string;
  /** unset: e-mails are written to DATA_DIR/outbox instead of being sent */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** where "ask the course team" leads (certificate pages, the no-attempts page); unset: no address shown */
  contactEmail: string | undefined;
  /** what certificates print and the Open Badges credential says of its issuer */
  certificates: Readonly<{
    issuer: string;
    /** unset: a translated default in the certificate's language ("The SDG Learn course team") */
    signatory: string | undefined;
    /** PKCS#8 PEM; unset outside production, where one is generated into DATA_DIR */
    credentialPrivateKey: string | undefined;
    /** public keys of earlier signing keys, still published so credentials they signed verify */
    credentialPreviousPublicKeys: readonly string[];
  }>;
  /** the learning record store statements are sent to; unset: no statements are made */
  xapi: Readonly<{ endpoint: string; username: string; password: string }> | undefined;
  /** argon2id cost; cheaper in tests only, where hashing speed is all that matters */
  passwordHashing: Readonly<{ memoryCost: number; timeCost: number; parallelism: number }>;
}>;

export type CookieSecurity = boolean | 'auto';

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

// OWASP's first argon2id setting (19 MiB, 2 passes, 1 lane): strong, yet a burst of logins does not
// exhaust a small server's memory. Hashes carry their parameters, so raising these later still
// verifies old hashes, and logins rehash them.
const HASHING = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const TEST_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** `defaults` are for what differs by entry point (the command line logs only warnings unless LOG_LEVEL says otherwise). */
export function loadConfig(env: NodeJS.ProcessEnv, defaults: { logLevel?: string } = {}): Config {
  // Empty strings from `FOO= npm start` mean "unset", as a shell user expects.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')} ${i.message}`));
  }
  const e = parsed.data;
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const trustProxy = e.TRUST_PROXY === 'true';
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    dataDir: path.resolve(e.DATA_DIR),
    localDbCache: e.LOCALDB_CACHE ? path.resolve(e.LOCALDB_CACHE) : undefined,
    baseUrl,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    sessionSecretIsPublic: e.SESSION_SECRET === undefined,
    logLevel: e.LOG_LEVEL ?? defaults.logLevel ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    trustProxy,
    secureCookies: baseUrl.startsWith('https://') ? true : trustProxy ? 'auto' : false,
    databaseName: (e.MONGODB_URI && databaseNamedIn(e.MONGODB_URI)) || DEFAULT_DATABASE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'SDG Learn <no-reply@localhost>',
    contactEmail: e.CONTACT_EMAIL,
    certificates: Object.freeze({
      issuer: e.CERTIFICATE_ISSUER ?? 'SDG Learn',
      signatory: e.CERTIFICATE_SIGNATORY,
      credentialPrivateKey: e.CREDENTIAL_PRIVATE_KEY,
      credentialPreviousPublicKeys: Object.freeze(e.CREDENTIAL_PREVIOUS_PUBLIC_KEYS ?? []),
    }),
    xapi: e.XAPI_ENDPOINT
      ? Object.freeze({
          endpoint: e.XAPI_ENDPOINT,
          username: (e.XAPI_USERNAME ?? e.XAPI_KEY)!,
          password: (e.XAPI_USERNAME ? e.XAPI_PASSWORD : e.XAPI_SECRET)!,
        })
      : undefined,
    passwordHashing: Object.freeze(e.NODE_ENV === 'test' ? TEST_HASHING : HASHING),
  });
}

const DEFAULT_DATABASE = 'sdglearn';

/**
 * The database a connection string names in its path (`mongodb://h1,h2/<name>?…`), if any. Parsed by
 * hand because a URI with several hosts is not a WHATWG URL; credentials cannot hold a raw `/`.
 */
export function databaseNamedIn(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

/**
 * What an operator should hear at start-up about a configuration that runs but is likely wrong.
 * Cookies are the usual trap: a `Secure` cookie on a plain-HTTP site is never sent back, and an
 * https site behind a proxy that is not trusted never sees a secure request, so nobody stays signed in.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.env !== 'production') return warnings;
  if (!config.baseUrl.startsWith('https://')) {
    warnings.push(
      `BASE_URL is plain HTTP (${config.baseUrl}): session cookies are not marked Secure and travel unencrypted; put the site behind HTTPS and set BASE_URL=https://…`,
    );
  } else if (!config.trustProxy) {
    warnings.push(
      'BASE_URL is https but TRUST_PROXY is not true: this server speaks plain HTTP, so behind a TLS proxy set TRUST_PROXY=true (and have the proxy send X-Forwarded-Proto), or no session cookie will be set',
    );
  }
  return warnings;
}
