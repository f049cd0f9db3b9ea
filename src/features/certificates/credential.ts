import crypto from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, type JWK, jwtVerify, SignJWT } from 'jose';

/*
 * The Open Badges 3.0 credential for a certificate: an `OpenBadgeCredential` (a W3C Verifiable
 * Credential, data model 2.0) secured as a VC-JWT as Open Badges §8.2 describes — the JWT's payload
 * is the credential itself plus the registered claims `iss`, `nbf` and `jti`, and the JOSE header
 * carries the issuer's public key (`jwk`) and its thumbprint (`kid`). The same key is published as
 * a JWKS at /.well-known/jwks.json, so anyone can check a credential without asking us.
 */

export const OB_CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];
export const JWKS_PATH = '/.well-known/jwks.json';
export const ISSUER_PATH = '/issuer';

export type CredentialInput = {
  /** the credential's id: the certificate's verification address */
  id: string;
  issuer: { id: string; name: string; url: string };
  validFrom: Date;
  holderName: string;
  completedAt: Date;
  language: string;
  achievement: { id: string; name: string; description: string; criteria: string };
  name: string;
  /** the certificate's revocation entry in our status list (status-list.ts); absent before it existed */
  credentialStatus?: BitstringStatusListEntry;
};

/** A credential's place in a W3C Bitstring Status List: the list's address and the bit's index. */
export type BitstringStatusListEntry = {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  /** a decimal string, as the specification writes it */
  statusListIndex: string;
  statusListCredential: string;
};

export function openBadgeCredential(input: CredentialInput) {
  return {
    '@context': OB_CONTEXT,
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: input.name,
    issuer: { id: input.issuer.id, type: ['Profile'], name: input.issuer.name, url: input.issuer.url },
    validFrom: input.validFrom.toISOString(),
    credentialSubject: {
      type: ['AchievementSubject'],
      // No DID or e-mail of the learner leaves the platform: the name is what the certificate shows.
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.holderName }],
      activityEndDate: input.completedAt.toISOString(),
      achievement: {
        id: input.achievement.id,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: input.achievement.name,
        description: input.achievement.description,
        criteria: { narrative: input.achievement.criteria },
        inLanguage: input.language,
      },
    },
    ...(input.credentialStatus ? { credentialStatus: input.credentialStatus } : {}),
  };
}

export type OpenBadgeCredential = ReturnType<typeof openBadgeCredential>;

/** What the signer needs of any credential it signs: the Open Badges ones and the status lists. */
export type SignableCredential = { id: string; issuer: { id: string; [field: string]: unknown }; validFrom: string; [claim: string]: unknown };

export type CredentialSigner = {
  sign(credential: SignableCredential): Promise<string>;
  /** the credential in a valid VC-JWT signed by our key, else null (bad signature, not ours, garbled) */
  verify(jwt: string): Promise<OpenBadgeCredential | null>;
  jwks(): Promise<{ keys: JWK[] }>;
};

const publicJwkOf = async (key: crypto.KeyObject): Promise<JWK> => {
  const raw = (key.type === 'public' ? key : crypto.createPublicKey(key)).export({ format: 'jwk' }) as JWK;
  return { ...raw, kid: await calculateJwkThumbprint(raw), alg: 'EdDSA', use: 'sig' };
};

/**
 * Signs with `privateKey`; verifies and publishes its public key and the `previous` ones, so a
 * credential signed before a key rotation keeps verifying, here and in wallets that read the JWKS.
 */
export function createCredentialSigner(privateKey: crypto.KeyObject, previous: readonly crypto.KeyObject[] = []): CredentialSigner {
  const publicJwk = publicJwkOf(privateKey);
  const published: Promise<JWK[]> = Promise.all([publicJwk, ...previous.map(publicJwkOf)]);

  return {
    async sign(credential) {
      const jwk = await publicJwk;
      const { kid, ...headerKey } = jwk;
      return new SignJWT({ ...credential })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid, jwk: { kty: headerKey.kty!, crv: headerKey.crv!, x: headerKey.x! } })
        .setIssuer(credential.issuer.id)
        .setNotBefore(new Date(credential.validFrom))
        .setJti(credential.id)
        .sign(privateKey);
    },

    async verify(jwt) {
      try {
        const { payload } = await jwtVerify(jwt.trim(), createLocalJWKSet({ keys: await published }), { algorithms: ['EdDSA'] });
        const types = payload.type;
        if (!Array.isArray(types) || !types.includes('OpenBadgeCredential')) return null;
        return payload as unknown as OpenBadgeCredential;
      } catch {
        return null;
      }
    },

    async jwks() {
      return { keys: await published };
    },
  };
}
