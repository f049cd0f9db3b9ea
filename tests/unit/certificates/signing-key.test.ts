import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { GENERATED_KEY_FILE, loadSigningKey } from '../../../src/features/certificates/signing-key';

const pemOf = (key: crypto.KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('the credential signing key', () => {
  it('when none is configured outside production, then one is generated into DATA_DIR once and reused', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-key-'));
    const first = loadSigningKey({ configuredPem: undefined, dataDir });
    const second = loadSigningKey({ configuredPem: undefined, dataDir });
    expect(first.asymmetricKeyType).toBe('ed25519');
    expect(pemOf(second)).toBe(pemOf(first));
    expect(fs.statSync(path.join(dataDir, GENERATED_KEY_FILE)).mode & 0o077).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a key is configured as PEM (one line, with \\n) or as a JWK, then the configuration reads it', () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const oneLine = pemOf(privateKey).trim().replace(/\n/g, '\\n');
    expect(loadConfig({ CREDENTIAL_PRIVATE_KEY: oneLine }).certificates.credentialPrivateKey).toBe(pemOf(privateKey));
    const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    expect(loadConfig({ CREDENTIAL_PRIVATE_KEY: jwk }).certificates.credentialPrivateKey).toBe(pemOf(privateKey));
    const loaded = loadSigningKey({ configuredPem: pemOf(privateKey), dataDir: '/nonexistent' });
    expect(pemOf(loaded)).toBe(pemOf(privateKey));
  });

  it('when the key is not an Ed25519 private key, or production has none, then start-up is refused naming the variable', () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => loadConfig({ CREDENTIAL_PRIVATE_KEY: pemOf(rsa) })).toThrow(/CREDENTIAL_PRIVATE_KEY must be an Ed25519 private key/);
    expect(() => loadConfig({ CREDENTIAL_PRIVATE_KEY: 'not a key' })).toThrow(/CREDENTIAL_PRIVATE_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'https://learn.example.org' })).toThrow(
      /CREDENTIAL_PRIVATE_KEY is required in production/,
    );
  });

  it('when the issuer and signatory are not set, then the defaults apply; when set, they are used', () => {
    expect(loadConfig({}).certificates).toMatchObject({ issuer: 'SDG Learn', signatory: undefined }); // translated per certificate
    const set = loadConfig({ CERTIFICATE_ISSUER: 'UCLG Learning', CERTIFICATE_SIGNATORY: 'Jane Doe, Director' }).certificates;
    expect(set).toMatchObject({ issuer: 'UCLG Learning', signatory: 'Jane Doe, Director' });
    expect(() => loadConfig({ CERTIFICATE_ISSUER: 'x'.repeat(121) })).toThrow(/CERTIFICATE_ISSUER/);
  });
});
