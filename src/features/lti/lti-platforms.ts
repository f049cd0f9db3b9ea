import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey } from '../../platform/database';
import type { LtiCollections, PlatformDoc } from './lti.models';

const url = z
  .string()
  .trim()
  .url('lti:admin.errors.url')
  .refine((v) => /^https?:\/\//.test(v), 'lti:admin.errors.url');

/** The registration form at /admin/lti: the values the LMS shows for this tool. */
export const platformForm = z.object({
  name: z.string().trim().min(1, 'lti:admin.errors.name').max(120, 'lti:admin.errors.name'),
  issuer: url,
  clientId: z.string().trim().min(1, 'lti:admin.errors.clientId').max(200, 'lti:admin.errors.clientId'),
  deploymentIds: z
    .string()
    .transform((v) => [...new Set(v.split(/[\s,]+/).filter(Boolean))])
    .refine((ids) => ids.length > 0 && ids.length <= 50 && ids.every((id) => id.length <= 200), 'lti:admin.errors.deploymentIds'),
  jwksUrl: url,
  authUrl: url,
  tokenUrl: url,
});
export type PlatformInput = z.output<typeof platformForm>;

export function createPlatformRegistry(c: LtiCollections, clock: () => Date = () => new Date()) {
  return {
    async register(input: PlatformInput): Promise<{ ok: true; id: string } | { ok: false; duplicate: true }> {
      const _id = new ObjectId();
      try {
        await c.platforms.insertOne({ _id, ...input, createdAt: clock() });
        return { ok: true, id: String(_id) };
      } catch (err) {
        if (isDuplicateKey(err)) return { ok: false, duplicate: true };
        throw err;
      }
    },
    async remove(id: string): Promise<boolean> {
      if (!ObjectId.isValid(id)) return false;
      return (await c.platforms.deleteOne({ _id: new ObjectId(id) })).deletedCount === 1;
    },
    list: (): Promise<PlatformDoc[]> => c.platforms.find({}).sort({ createdAt: 1 }).limit(200).toArray(),
    async byId(id: string): Promise<PlatformDoc | null> {
      return ObjectId.isValid(id) ? c.platforms.findOne({ _id: new ObjectId(id) }) : null;
    },
    /** The platform an OIDC login names: its issuer, and its client id when the LMS sends one. */
    async forLogin(issuer: string, clientId: string | undefined): Promise<PlatformDoc | null> {
      const found = await c.platforms.find(clientId ? { issuer, clientId } : { issuer }).limit(2).toArray();
      return found.length === 1 ? found[0]! : null;
    },
  };
}
export type PlatformRegistry = ReturnType<typeof createPlatformRegistry>;
