import crypto from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/platform/logger';
import { buildApp, decoded, testConfig } from '../../helpers/build-app';
import { codeFrom, recordCourseCompletion } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

/** The credential a learner downloads from their certificate page, and the JWT inside it. */
async function downloadCredential(options: { language?: 'en' | 'es' | 'fr'; name: string }) {
  const learner = await signedInAgent(connection, options);
  await recordCourseCompletion(connection, learner.userId);
  const page = await learner.agent.get('/certificate');
  const code = codeFrom(page.text);
  const href = `/certificates/${code}/credential.json`;
  expect(page.text).toContain(`href="${href}"`);
  const res = await learner.agent.get(href);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['content-disposition']).toContain(`credential-${code}.json`);
  const json = JSON.parse(res.text) as { type: string; id: string };
  expect(json.type).toBe('EnvelopedVerifiableCredential');
  const jwt = json.id.replace(/^data:application\/vc\+jwt,/, '');
  return { code, jwt };
}

async function publishedKeys(): Promise<JSONWebKeySet> {
  const res = await supertest(buildApp(connection)).get('/.well-known/jwks.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
  return JSON.parse(res.text) as JSONWebKeySet;
}

/** Changes one byte of the JWT's payload: a character of its base64url text. */
function tamper(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const at = Math.floor(payload.length / 2);
  const swapped = payload[at] === 'A' ? 'B' : 'A';
  return `${header}.${payload.slice(0, at)}${swapped}${payload.slice(at + 1)}.${signature}`;
}

describe('the Open Badges credential', () => {
  it('when a learner downloads it, then it is an OpenBadgeCredential signed with Ed25519 that verifies with the published key', async () => {
    const { code, jwt } = await downloadCredential({ language: 'fr', name: 'Nguyễn Thị Minh Khai-Øre Ñúñez' });
    const keys = await publishedKeys();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(keys.keys[0]).not.toHaveProperty('d');

    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(keys), { algorithms: ['EdDSA'] });
    expect(protectedHeader.kid).toBe(keys.keys[0]?.kid);
    const credential = payload as Record<string, unknown> & { credentialSubject: Record<string, unknown>; issuer: { id: string } };
    expect(credential['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.id).toBe(`http://localhost:3000/verify/${code}`);
    expect(payload.jti).toBe(credential.id);
    expect(payload.iss).toBe(credential.issuer.id);
    expect(credential.credentialSubject.identifier).toEqual([
      { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Nguyễn Thị Minh Khai-Øre Ñúñez' },
    ]);
    expect(credential.credentialSubject.achievement).toMatchObject({
      type: ['Achievement'],
      achievementType: 'Certificate',
      name: 'Localisation des ODD',
      inLanguage: 'fr',
    });
  });

  it('when one byte of the credential is changed, then the signature no longer verifies', async () => {
    const { jwt } = await downloadCredential({ name: 'Ana Tamper' });
    const keys = createLocalJWKSet(await publishedKeys());
    await expect(jwtVerify(jwt, keys)).resolves.toBeDefined();
    await expect(jwtVerify(tamper(jwt), keys)).rejects.toThrow();
    const signatureTampered = `${jwt.slice(0, -2)}${jwt.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(jwtVerify(signatureTampered, keys)).rejects.toThrow();
  });

  it('when the credential is pasted into the verification page, then it leads to its certificate; a changed one is refused', async () => {
    const { code, jwt } = await downloadCredential({ name: 'Ana Paste' });
    const visitor = supertest(buildApp(connection));
    const ok = await visitor.get('/verify').query({ code: JSON.stringify({ id: `data:application/vc+jwt,${jwt}` }) });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/verify/${code}`);

    const bad = await visitor.get('/verify').query({ code: tamper(jwt), lng: 'es' });
    expect(bad.status).toBe(422);
    expect(decoded(bad.text)).toContain('Esta credencial no fue firmada con la clave de este sitio');
  });

  it('when the issuer profile is read, then it names the organisation the credentials name', async () => {
    const { jwt } = await downloadCredential({ name: 'Ana Issuer' });
    const res = await supertest(buildApp(connection)).get('/issuer');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: ['Profile'], name: 'SDG Learn', id: 'http://localhost:3000/issuer' });
    expect(decodeProtectedHeader(jwt).alg).toBe('EdDSA');
  });

  it('when the signing key is rotated with the old public key kept, then credentials signed before still verify, here and with the published keys', async () => {
    const { code, jwt } = await downloadCredential({ name: 'Ana Rotation' });
    // the key that signed it, as the site publishes it before the rotation
    const [oldJwk] = (await publishedKeys()).keys;
    const oldPublic = crypto.createPublicKey({ key: oldJwk as crypto.JsonWebKey, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
    const newPrivate = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const appWith = (env: Record<string, string>) =>
      createApp({ config: testConfig({ CREDENTIAL_PRIVATE_KEY: newPrivate, ...env }), connection, logger: createLogger('silent') });
    const rotated = supertest(appWith({ CREDENTIAL_PREVIOUS_PUBLIC_KEYS: oldPublic.replace(/\n/g, '\\n') }));

    const published = await rotated.get('/.well-known/jwks.json');
    expect(published.status).toBe(200);
    const keys = JSON.parse(published.text) as JSONWebKeySet;
    expect(keys.keys).toHaveLength(2);
    expect(keys.keys[1]?.kid).toBe(decodeProtectedHeader(jwt).kid);
    await expect(jwtVerify(jwt, createLocalJWKSet(keys), { algorithms: ['EdDSA'] })).resolves.toBeDefined();
    const pasted = await rotated.get('/verify').query({ code: jwt });
    expect(pasted.status).toBe(303);
    expect(pasted.headers.location).toBe(`/verify/${code}`);

    // without the old public key, the same credential is refused: the kept key is what verifies it
    const forgotten = await supertest(appWith({})).get('/verify').query({ code: jwt });
    expect(forgotten.status).toBe(422);
  });
});
