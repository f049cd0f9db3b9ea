import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { isDuplicateKey } from '../../platform/database';
import type { LtiCollections } from './lti.models';

const ALG = 'RS256';
const KEY_ID = 'current';

export type ToolKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

/**
 * The tool's signing key (deep-linking responses, AGS client assertions). Made once and kept in
 * the database, so every instance signs with the same key; the first instance to store one wins.
 */
export function createToolKeys(c: LtiCollections) {
  let cached: Promise<ToolKey> | undefined;

  async function load(): Promise<ToolKey> {
    let doc = await c.keys.findOne({ _id: KEY_ID });
    if (!doc) {
      const { privateKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
      try {
        await c.keys.insertOne({ _id: KEY_ID, privateJwk: (await exportJWK(privateKey)) as Record<string, unknown>, createdAt: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      doc = await c.keys.findOne({ _id: KEY_ID });
    }
    const jwk = doc!.privateJwk as JWK;
    const publicJwk: JWK = { kty: jwk.kty, n: jwk.n, e: jwk.e };
    const kid = await calculateJwkThumbprint(publicJwk);
    return { kid, privateKey: (await importJWK(jwk, ALG)) as CryptoKey, publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' } };
  }

  return {
    alg: ALG,
    current(): Promise<ToolKey> {
      cached ??= load().catch((err) => {
        cached = undefined;
        throw err;
      });
      return cached;
    },
  };
}
export type ToolKeys = ReturnType<typeof createToolKeys>;
