import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from 'jose';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { certificateModels, parseCode } from '../../../src/features/certificates';
import { createCredentialSigner } from '../../../src/features/certificates/credential';
import { createStatusList, STATUS_LIST_LENGTH } from '../../../src/features/certificates/status-list';
import { buildApp, csrfFrom } from '../../helpers/build-app';
import { codeFrom, recordCourseCompletion } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

let connection: Connection;
let admin: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
  admin = await signedInAgent(connection, { role: 'admin', name: 'Ada Admin' });
});
afterAll(async () => {
  await connection.close();
});

type StatusEntry = { id: string; type: string; statusPurpose: string; statusListIndex: string; statusListCredential: string };

/** A learner who completed the course, their certificate's code and the credential they download. */
async function holderWithCredential(name: string) {
  const learner = await signedInAgent(connection, { name });
  await recordCourseCompletion(connection, learner.userId);
  const code = codeFrom((await learner.agent.get('/certificate')).text);
  const res = await learner.agent.get(`/certificates/${code}/credential.json`);
  expect(res.status).toBe(200);
  const jwt = (JSON.parse(res.text) as { id: string }).id.replace(/^data:application\/vc\+jwt,/, '');
  const credential = decodeJwt(jwt) as { credentialStatus?: StatusEntry };
  return { code, jwt, credential };
}

async function publishedKeys(): Promise<JSONWebKeySet> {
  return JSON.parse((await supertest(buildApp(connection)).get('/.well-known/jwks.json')).text) as JSONWebKeySet;
}

/** What a wallet does: fetch the list the entry names (no login), check its signature, decode, read the bit. */
async function walletCheck(entry: StatusEntry): Promise<boolean> {
  const url = new URL(entry.statusListCredential);
  const res = await supertest(buildApp(connection)).get(url.pathname);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/vc\+jwt/);
  expect(res.headers['cache-control']).toBe('public, max-age=300');
  expect(res.headers['access-control-allow-origin']).toBe('*');
  const { payload } = await jwtVerify(res.text, createLocalJWKSet(await publishedKeys()), { algorithms: ['EdDSA'] });
  const list = payload as unknown as {
    id: string;
    type: string[];
    issuer: { id: string };
    credentialSubject: { type: string; statusPurpose: string; encodedList: string };
  };
  expect(list.id).toBe(entry.statusListCredential);
  expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  expect(payload.iss).toBe('http://localhost:3000/issuer');
  expect(list.credentialSubject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: entry.statusPurpose });
  const decodedList = await decodeList({ encodedList: list.credentialSubject.encodedList });
  expect(decodedList.length).toBe(STATUS_LIST_LENGTH);
  return decodedList.getStatus(Number(entry.statusListIndex));
}

async function revoke(code: string) {
  const page = await admin.agent.get(`/admin/certificates/${code}`);
  const res = await admin.agent.post(`/admin/certificates/${code}/revoke`).type('form').send({ reason: 'issuedInError', _csrf: csrfFrom(page.text) });
  expect(res.status).toBe(303);
}

describe('the revocation status list', () => {
  it('when a credential is issued, then its entry names the public list and its bit is 0; revoked, the bit is 1', async () => {
    const { code, credential } = await holderWithCredential('Ana Status');
    const entry = credential.credentialStatus!;
    expect(entry).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: 'http://localhost:3000/credentials/status/1',
    });
    expect(entry.statusListIndex).toMatch(/^\d+$/);
    expect(entry.id).toBe(`${entry.statusListCredential}#${entry.statusListIndex}`);
    const index = Number(entry.statusListIndex);
    const { Certificate, CertificateStatusIndex } = certificateModels(connection);
    const canonical = parseCode(code)!;
    expect((await Certificate.findById(canonical).lean())?.statusListIndex).toBe(index);
    expect(await CertificateStatusIndex.findById(index).lean()).toEqual({ _id: index, code: canonical });

    // a certificate held by someone else, revoked: its bit, not ours, flips
    const other = await holderWithCredential('Ben Other');
    await revoke(other.code);
    expect(await walletCheck(entry)).toBe(false);
    expect(await walletCheck(other.credential.credentialStatus!)).toBe(true);

    await revoke(code);
    expect(await walletCheck(entry)).toBe(true);
  });

  it('when the list is changed to clear a revoked bit, then it no longer verifies; an unknown list number is 404', async () => {
    const { code } = await holderWithCredential('Ana Forged');
    await revoke(code);
    const res = await supertest(buildApp(connection)).get('/credentials/status/1');
    const [header, payload, signature] = res.text.split('.') as [string, string, string];
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { credentialSubject: { encodedList: string } };
    // the specification's example: 131,072 bits, all 0
    const nothingRevoked = 'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA';
    expect(body.credentialSubject.encodedList).not.toBe(nothingRevoked);
    body.credentialSubject.encodedList = nothingRevoked;
    const forged = `${header}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
    await expect(jwtVerify(forged, createLocalJWKSet(await publishedKeys()))).rejects.toThrow();
    expect((await supertest(buildApp(connection)).get('/credentials/status/2')).status).toBe(404);
  });

  it('when learners are issued certificates at the same time, then each gets its own index', async () => {
    const learners = await Promise.all(['Ana', 'Ben', 'Chi', 'Dan', 'Eve', 'Fay'].map((n) => signedInAgent(connection, { name: `${n} Concurrent` })));
    for (const l of learners) await recordCourseCompletion(connection, l.userId);
    const pages = await Promise.all(learners.map((l) => l.agent.get('/certificate')));
    const codes = pages.map((p) => parseCode(codeFrom(p.text))!);
    const stored = await certificateModels(connection).Certificate.find({ _id: { $in: codes } }, { statusListIndex: 1 }).lean();
    const indexes = stored.map((c) => c.statusListIndex);
    expect(indexes).toHaveLength(6);
    expect(indexes.every((i) => typeof i === 'number')).toBe(true);
    expect(new Set(indexes).size).toBe(6);
  });

  it('when concurrent allocations draw the same indexes, then the primary key hands each index to one certificate', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    let drawn = 0;
    const statusList = createStatusList({
      models: certificateModels(connection),
      signer: createCredentialSigner(generateKeyPairSync('ed25519').privateKey),
      baseUrl: 'http://localhost:3000',
      issuerName: 'SDG Learn',
      // the allocations draw the same eight indexes, each twice in a row, so first draws clash
      draw: () => STATUS_LIST_LENGTH - 1 - (Math.floor(drawn++ / 2) % 8),
    });
    const codes = Array.from({ length: 8 }, (_, i) => `CLASH${i}`);
    const indexes = await Promise.all(codes.map((code) => statusList.allocate(code)));
    expect(new Set(indexes).size).toBe(8);
    const stored = await certificateModels(connection).CertificateStatusIndex.find({ _id: { $in: indexes } }).lean();
    expect(stored.map((s) => s.code).sort()).toEqual([...codes].sort());
    expect(drawn).toBeGreaterThan(8);
  });
});
