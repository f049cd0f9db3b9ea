import type { Connection } from 'mongoose';
import type { ObjectId } from 'mongodb';

/** An LMS registered by an admin (LTI 1.3 "platform"); issuer + client id are unique together. */
export type PlatformDoc = {
  _id: ObjectId;
  name: string;
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  jwksUrl: string;
  authUrl: string;
  tokenUrl: string;
  createdAt: Date;
};
/** A login we started (OIDC third-party initiation): used once, within `expiresAt`. */
export type LoginDoc = { _id: string; nonce: string; platformId: string; createdAt: Date; expiresAt: Date };
/** A nonce seen in a verified id_token: `<issuer>\n<nonce>`; inserted once, so a replay is refused. */
export type NonceDoc = { _id: string; expiresAt: Date };
/** The LMS user `sub` of a platform, linked to one of our accounts: `<platformId>:<sub>`. */
export type AccountLinkDoc = { _id: string; platformId: string; sub: string; userId: string; createdAt: Date };
/** Where a learner's module result goes: an AGS line item of a launch. */
export type GradeLinkDoc = {
  _id: string;
  userId: string;
  moduleId: string;
  platformId: string;
  sub: string;
  lineitem: string;
  createdAt: Date;
};

export function ltiCollections(connection: Connection) {
  return {
    platforms: connection.collection<PlatformDoc>('lti_platforms'),
    logins: connection.collection<LoginDoc>('lti_logins'),
    nonces: connection.collection<NonceDoc>('lti_nonces'),
    links: connection.collection<AccountLinkDoc>('lti_account_links'),
    gradeLinks: connection.collection<GradeLinkDoc>('lti_grade_links'),
    keys: connection.collection<{ _id: string; privateJwk: Record<string, unknown>; createdAt: Date }>('lti_keys'),
  };
}
export type LtiCollections = ReturnType<typeof ltiCollections>;

export async function createLtiCollectionIndexes(connection: Connection): Promise<void> {
  const c = ltiCollections(connection);
  await c.platforms.createIndex({ issuer: 1, clientId: 1 }, { unique: true });
  await c.logins.createIndex({ expiresAt: 1 });
  await c.nonces.createIndex({ expiresAt: 1 });
  await c.gradeLinks.createIndex({ userId: 1, moduleId: 1 });
}

/** Deletes logins and nonces past their time (FerretDB has no TTL indexes). */
export async function purgeExpiredLtiRecords(connection: Connection, now = new Date()): Promise<void> {
  const c = ltiCollections(connection);
  await c.logins.deleteMany({ expiresAt: { $lt: now } });
  await c.nonces.deleteMany({ expiresAt: { $lt: now } });
}
