import { upsertRacing } from '../../platform/database';
import { DEFAULT_PREFS, type NoticeKind, type NotificationModels, type Prefs, type PrefsDoc } from './notification.models';

/** Each member's e-mail choices; the defaults for those who never chose. */
export function createPrefsService(deps: { models: NotificationModels; clock: () => Date }) {
  const { Prefs: PrefsModel } = deps.models;
  const of = (doc: PrefsDoc | null | undefined): Prefs =>
    doc ? { replies: doc.replies, mentions: doc.mentions, announcements: doc.announcements, digest: doc.digest } : { ...DEFAULT_PREFS };
  return {
    async get(userId: string): Promise<Prefs> {
      return of(await PrefsModel.findById(userId).lean<PrefsDoc>());
    },
    async many(userIds: readonly string[]): Promise<Map<string, Prefs>> {
      const docs = userIds.length ? await PrefsModel.find({ _id: { $in: userIds } }).lean<PrefsDoc[]>() : [];
      const byId = new Map(docs.map((d) => [d._id, d]));
      return new Map(userIds.map((id) => [id, of(byId.get(id))]));
    },
    async save(userId: string, prefs: Prefs): Promise<void> {
      await upsertRacing(() => PrefsModel.updateOne({ _id: userId }, { $set: { ...prefs, updatedAt: deps.clock() } }, { upsert: true }));
    },
    /** Turns one kind of e-mail off (the unsubscribe link); false when it was already off. */
    async turnOff(userId: string, kind: NoticeKind): Promise<boolean> {
      const prefs = await this.get(userId);
      const off = kind === 'digest' ? prefs.digest === 'off' : !prefs[kind];
      if (off) return false;
      await this.save(userId, kind === 'digest' ? { ...prefs, digest: 'off' } : { ...prefs, [kind]: false });
      return true;
    },
  };
}
export type PrefsService = ReturnType<typeof createPrefsService>;
