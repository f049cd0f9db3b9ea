import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const GENERATED_KEY_FILE = 'credential-key.pem';

/**
 * The Ed25519 key that signs the Open Badges credentials. Production sets CREDENTIAL_PRIVATE_KEY
 * (the configuration refuses to start without it). Elsewhere one is generated once into
 * `DATA_DIR/credential-key.pem` and reused, so credentials issued on a developer's machine keep
 * verifying across restarts; two processes starting at once agree on the first file written.
 */
export function loadSigningKey(options: { configuredPem: string | undefined; dataDir: string }): crypto.KeyObject {
  if (options.configuredPem) return crypto.createPrivateKey(options.configuredPem);
  const file = path.join(options.dataDir, GENERATED_KEY_FILE);
  if (!fs.existsSync(file)) {
    const pem = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    fs.mkdirSync(options.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const key = crypto.createPrivateKey(fs.readFileSync(file, 'utf8'));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 private key`);
  return key;
}
