import crypto from 'node:crypto';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a whole number from 1 to 65535' })
  .int('must be a whole number from 1 to 65535')
  .min(1, 'must be a whole number from 1 to 65535')
  .max(65535, 'must be a whole number from 1 to 65535');

export const envSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'], {
        error: 'must be development, test or production',
      })
      .default('development'),
    PORT: port.default(3000),
    MONGODB_URI: z
      .string()
      .trim()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// connection string')
      .optional(),
    DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
    LOCALDB_CACHE: z.string().trim().optional(),
    BASE_URL: z.url({ error: 'must be an absolute http(s) URL' }).optional(),
    SESSION_SECRET: z.string().optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional(),
    TRUST_PROXY: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    SMTP_URL: z
      .string()
      .trim()
      .regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.org')
      .optional(),
    MAIL_FROM: z
      .string()
      .trim()
      .regex(/^[^<>@\s]+@[^<>@\s]+$|^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/, 'must be an address, e.g. SDG Learn <learn@example.org>')
      .optional(),
    CONTACT_EMAIL: z.string().trim().regex(/^[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+$/, 'must be an e-mail address, e.g. learn@example.org').optional(),
    XAPI_ENDPOINT: z.url({ error: 'must be the absolute http(s) URL of the LRS xAPI endpoint, e.g. https://lrs.example.org/xapi/' }).optional(),
    XAPI_USERNAME: z.string().optional(),
    XAPI_PASSWORD: z.string().optional(),
    XAPI_KEY: z.string().optional(),
    XAPI_SECRET: z.string().optional(),
    CERTIFICATE_ISSUER: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters').optional(),
    CERTIFICATE_SIGNATORY: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters').optional(),
    CREDENTIAL_PRIVATE_KEY: z
      .string()
      .transform((text, ctx) => {
        const pem = ed25519PrivateKeyPem(text);
        if (!pem) {
          ctx.addIssue({ code: 'custom', message: 'must be an Ed25519 private key, as PKCS#8 PEM or as a JWK (JSON with "d")' });
          return z.NEVER;
        }
        return pem;
      })
      .optional(),
    CREDENTIAL_PREVIOUS_PUBLIC_KEYS: z
      .string()
      .transform((text, ctx) => {
        const pems = ed25519PublicKeyPems(text);
        if (!pems) {
          ctx.addIssue({ code: 'custom', message: 'must be Ed25519 public keys as PEM blocks (BEGIN PUBLIC KEY), one after another' });
          return z.NEVER;
        }
        return pems;
      })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.XAPI_ENDPOINT && !((env.XAPI_USERNAME && env.XAPI_PASSWORD) || (env.XAPI_KEY && env.XAPI_SECRET))) {
      ctx.addIssue({ code: 'custom', path: ['XAPI_ENDPOINT'], message: 'needs XAPI_USERNAME and XAPI_PASSWORD (or XAPI_KEY and XAPI_SECRET): the LRS credentials' });
    }
    if (env.NODE_ENV === 'production') {
      if (!env.CREDENTIAL_PRIVATE_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['CREDENTIAL_PRIVATE_KEY'],
          message: 'is required in production (an Ed25519 private key that signs the Open Badges credentials)',
        });
      }
      if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32) {
        ctx.addIssue({
          code: 'custom',
          path: ['SESSION_SECRET'],
          message: 'is required in production and must be at least 32 characters',
        });
      }
      if (!env.BASE_URL) {
        ctx.addIssue({ code: 'custom', path: ['BASE_URL'], message: 'is required in production' });
      }
    } else if (env.SESSION_SECRET !== undefined && env.SESSION_SECRET.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'must be at least 16 characters' });
    }
  });

export type RawEnv = z.input<typeof envSchema>;

/**
 * The Ed25519 private key in `text` as PKCS#8 PEM, or undefined. Accepts PEM (its line breaks may be
 * written as `\n`, as one-line environment files need) or a private JWK.
 */
export function ed25519PrivateKeyPem(text: string): string | undefined {
  const trimmed = text.trim();
  try {
    const key = trimmed.startsWith('{')
      ? crypto.createPrivateKey({ key: JSON.parse(trimmed) as crypto.JsonWebKey, format: 'jwk' })
      : crypto.createPrivateKey(trimmed.replace(/\\n/g, '\n'));
    if (key.asymmetricKeyType !== 'ed25519') return undefined;
    return key.export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch {
    return undefined;
  }
}

/**
 * The public keys of earlier credential signing keys, as SPKI PEM blocks one after another (line
 * breaks may be written `\n`); undefined if any block is not an Ed25519 public key.
 */
export function ed25519PublicKeyPems(text: string): string[] | undefined {
  const blocks = text.replace(/\\n/g, '\n').match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) return undefined;
  const pems: string[] = [];
  for (const block of blocks) {
    try {
      const key = crypto.createPublicKey(block);
      if (key.asymmetricKeyType !== 'ed25519') return undefined;
      pems.push(key.export({ format: 'pem', type: 'spki' }).toString());
    } catch {
      return undefined;
    }
  }
  return pems;
}
