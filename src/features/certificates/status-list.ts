import crypto from 'node:crypto';
import { Bitstring } from '@digitalbazaar/bitstring';
import { insertOnce } from '../../platform/database';
import type { CertificateDoc, CertificateModels } from './certificate.model';
import { type BitstringStatusListEntry, type CredentialSigner, ISSUER_PATH, OB_CONTEXT } from './credential';

/*
 * Revocation that wallets can see: a W3C Bitstring Status List credential, signed with the issuer
 * key as a VC-JWT like the certificates' credentials, at `/credentials/status/1`. Every credential
 * issued since carries a `credentialStatus` entry naming the list and its bit; a bit is 1 when the
 * certificate holding that index has a revocation. The list is built from the stored revocations
 * on each request (no copy to keep in step); HTTP caches keep it for STATUS_LIST_TTL_SECONDS.
 *
 * Indexes are drawn at random (the specification's advice: an index should not tell when its
 * certificate was issued) and taken by inserting `certificate_status_indexes` with the index as
 * primary key: a clash is refused by the key on MongoDB and FerretDB alike, and the issuer draws
 * again. No counter, no update, no transaction.
 */

export const STATUS_LIST_PATH = '/credentials/status';
/** The one list there is: its number in the address. */
export const STATUS_LIST_NUMBER = 1;
/** 16 KB of bits, the specification's minimum size, so a revoked bit hides among 131,072. */
export const STATUS_LIST_LENGTH = 131_072;
export const STATUS_LIST_TTL_SECONDS = 300;
/** Draws before giving up: at half full, all 24 clash once in 16 million issues. */
const DRAWS = 24;

export function createStatusList(deps: {
  models: Pick<CertificateModels, 'Certificate' | 'CertificateRevocation' | 'CertificateStatusIndex'>;
  signer: CredentialSigner;
  baseUrl: string;
  issuerName: string;
  clock?: () => Date;
  /** the index to try on each draw; random unless a test needs clashes */
  draw?: () => number;
}) {
  const { models, signer, baseUrl } = deps;
  const clock = deps.clock ?? (() => new Date());
  const draw = deps.draw ?? (() => crypto.randomInt(STATUS_LIST_LENGTH));
  const listUrl = `${baseUrl}${STATUS_LIST_PATH}/${STATUS_LIST_NUMBER}`;

  /** A free index, taken for `code`: one insert per draw, the primary key refusing a taken one. */
  async function allocate(code: string): Promise<number> {
    for (let attempt = 0; attempt < DRAWS; attempt++) {
      const index = draw();
      if (await insertOnce(() => models.CertificateStatusIndex.create({ _id: index, code }))) return index;
    }
    throw new Error(`no free status list index after ${DRAWS} draws: the list needs a successor`);
  }

  /** The `credentialStatus` of a credential whose certificate holds `index`. */
  function entry(index: number): BitstringStatusListEntry {
    return {
      id: `${listUrl}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: listUrl,
    };
  }

  /** The revoked certificates' indexes: the revocations, then their certificates by primary key. */
  async function revokedIndexes(): Promise<number[]> {
    const revocations = await models.CertificateRevocation.find({}, { _id: 1 }).lean();
    if (revocations.length === 0) return [];
    const certificates = await models.Certificate.find(
      { _id: { $in: revocations.map((r) => r._id) } },
      { statusListIndex: 1 },
    ).lean<Pick<CertificateDoc, '_id' | 'statusListIndex'>[]>();
    return certificates.flatMap((c) => (typeof c.statusListIndex === 'number' ? [c.statusListIndex] : []));
  }

  /** The signed status list credential (a VC-JWT), or undefined for a list number that does not exist. */
  async function credential(listNumber: string): Promise<string | undefined> {
    if (listNumber !== String(STATUS_LIST_NUMBER)) return undefined;
    const bits = new Bitstring({ length: STATUS_LIST_LENGTH });
    for (const index of await revokedIndexes()) bits.set(index, true);
    return signer.sign({
      '@context': [OB_CONTEXT[0]],
      id: listUrl,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: `${baseUrl}${ISSUER_PATH}`, type: ['Profile'], name: deps.issuerName, url: baseUrl },
      validFrom: clock().toISOString(),
      credentialSubject: {
        id: `${listUrl}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: `u${await bits.encodeBits()}`,
        ttl: STATUS_LIST_TTL_SECONDS * 1000,
      },
    });
  }

  return { allocate, entry, credential, listUrl };
}

export type StatusList = ReturnType<typeof createStatusList>;
