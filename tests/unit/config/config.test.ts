import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { ConfigError, configWarnings, loadConfig } from '../../../src/config';

const root = path.resolve(__dirname, '../../..');

describe('loadConfig', () => {
  it('when nothing is set, then it uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.env).toBe('development');
    expect(config.mongodbUri).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when several variables are wrong, then every one is named at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', BASE_URL: 'not a url' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT /m);
    expect(problems).toMatch(/^MONGODB_URI /m);
    expect(problems).toMatch(/^BASE_URL /m);
  });

  it('when production has no session secret or base URL, then it refuses', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET.*BASE_URL|BASE_URL.*SESSION_SECRET/);
    const CREDENTIAL_PRIVATE_KEY = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'https://learn.example.org/', CREDENTIAL_PRIVATE_KEY }),
    ).not.toThrow();
  });

  it('when SMTP_URL or MAIL_FROM are malformed, then each is named', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'not an address' })).toThrow(
      /SMTP_URL .*MAIL_FROM|MAIL_FROM .*SMTP_URL/,
    );
    const ok = loadConfig({ SMTP_URL: 'smtps://user:pw@mail.example.org:465', MAIL_FROM: 'SDG Learn <learn@example.org>' });
    expect(ok.smtpUrl).toBe('smtps://user:pw@mail.example.org:465');
    expect(ok.mailFrom).toBe('SDG Learn <learn@example.org>');
    expect(loadConfig({}).smtpUrl).toBeUndefined();
  });

  it('when XAPI_ENDPOINT is set, then it needs credentials, and a key/secret pair counts as them', () => {
    expect(loadConfig({}).xapi).toBeUndefined();
    expect(() => loadConfig({ XAPI_ENDPOINT: 'https://lrs.example.org/xapi/' })).toThrow(/XAPI_ENDPOINT needs XAPI_USERNAME and XAPI_PASSWORD/);
    expect(() => loadConfig({ XAPI_ENDPOINT: 'not a url', XAPI_USERNAME: 'u', XAPI_PASSWORD: 'p' })).toThrow(/XAPI_ENDPOINT must be the absolute/);
    expect(loadConfig({ XAPI_ENDPOINT: 'https://lrs.example.org/xapi/', XAPI_KEY: 'k', XAPI_SECRET: 's' }).xapi).toEqual({
      endpoint: 'https://lrs.example.org/xapi/',
      username: 'k',
      password: 's',
    });
  });

  it('when running tests, then password hashing is cheaper than anywhere else', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).passwordHashing.memoryCost).toBeLessThan(loadConfig({}).passwordHashing.memoryCost);
    expect(loadConfig({}).passwordHashing).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it('when a variable is set to an empty string, then it counts as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '' }).port).toBe(3000);
  });
});

describe('the database name', () => {
  it.each([
    ['mongodb://mongo:27017', 'sdglearn'],
    ['mongodb://mongo:27017/', 'sdglearn'],
    ['mongodb://mongo:27017/?replicaSet=rs0&w=majority', 'sdglearn'],
    ['mongodb://mongo:27017/learn?replicaSet=rs0', 'learn'],
    ['mongodb://user:p%40ss@a:27017,b:27017,c:27017/platform?replicaSet=rs0', 'platform'],
    ['mongodb+srv://user:pw@cluster0.example.mongodb.net/sdg?retryWrites=true', 'sdg'],
  ])('when MONGODB_URI is %s, then the app uses the database %s', (uri, name) => {
    expect(loadConfig({ MONGODB_URI: uri }).databaseName).toBe(name);
  });

  it('when MONGODB_URI is unset, then the local database is used under the name sdglearn', () => {
    expect(loadConfig({}).databaseName).toBe('sdglearn');
  });
});

describe('secure cookies', () => {
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    CREDENTIAL_PRIVATE_KEY: crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };

  it('when BASE_URL is https, then cookies are Secure, with or without a proxy', () => {
    expect(loadConfig({ ...production, BASE_URL: 'https://learn.example.org' }).secureCookies).toBe(true);
    expect(loadConfig({ BASE_URL: 'https://learn.example.org', TRUST_PROXY: 'true' }).secureCookies).toBe(true);
  });

  it('when BASE_URL is plain http, then cookies are not Secure, unless a trusted proxy reports TLS per request', () => {
    expect(loadConfig({ ...production, BASE_URL: 'http://localhost:3000' }).secureCookies).toBe(false);
    expect(loadConfig({}).secureCookies).toBe(false);
    expect(loadConfig({ BASE_URL: 'http://learn.example.org', TRUST_PROXY: 'true' }).secureCookies).toBe('auto');
  });

  it('when production runs on plain HTTP, or on https without trusting the proxy, then start-up warns; a proper setup and development do not', () => {
    expect(configWarnings(loadConfig({ ...production, BASE_URL: 'http://localhost:3000' }))).toEqual([
      expect.stringMatching(/^BASE_URL is plain HTTP \(http:\/\/localhost:3000\)/),
    ]);
    expect(configWarnings(loadConfig({ ...production, BASE_URL: 'https://learn.example.org' }))).toEqual([
      expect.stringContaining('TRUST_PROXY'),
    ]);
    expect(configWarnings(loadConfig({ ...production, BASE_URL: 'https://learn.example.org', TRUST_PROXY: 'true' }))).toEqual([]);
    expect(configWarnings(loadConfig({}))).toEqual([]);
  });
});

describe('server start-up with bad configuration', () => {
  it('when PORT is not a number, then the process exits non-zero with one line naming PORT', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'abc', NODE_ENV: 'development' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: PORT /);
  });
});
