import { Types } from 'mongoose';
import { inChunks, insertOnce, isDuplicateKey, retryOnDuplicate } from '../../platform/database';
import type { AttemptLimiter } from '../../platform/attempt-limiter';
import { type Actor, can } from '../../platform/roles';
import type { UserModel } from '../accounts';
import type { AuditLog } from '../audit';
import type { CreateCohortInput } from './cohorts.schemas';
import { type CohortDoc, type CohortModels, memberKey } from './cohorts.model';
import { codeExpiresAt, isWellFormedJoinCode, newJoinCode, normalizeJoinCode } from './join-codes';

export type { Actor };

/** A cohort as the pages see it: the stored fields with a string id, and when its join code stops working. */
export type Cohort = Omit<CohortDoc, '_id' | 'createdBy'> & { id: string; codeExpiresAt?: Date };

export type JoinOutcome =
  | { status: 'joined' | 'already'; cohort: Cohort }
  | { status: 'unknown' }
  | { status: 'expired'; expiredAt: Date }
  | { status: 'limited' };

export type EnrolReport<E extends { email: string }> = {
  enrolled: { email: string; name: string }[];
  already: { email: string; name: string }[];
  /** the addresses with no account, as they were given */
  unknown: E[];
};

export type TrainerOutcome = 'added' | 'already' | 'unknown' | 'notTrainer' | 'removed' | 'last' | 'notFound';

/** Wrong join codes a learner may type in an hour before being asked to wait. */
const JOIN_LIMIT = { max: 20, windowMs: 3600_000 };

function toCohort(doc: CohortDoc): Cohort {
  return {
    id: String(doc._id),
    name: doc.name,
    language: doc.language,
    startsOn: doc.startsOn,
    endsOn: doc.endsOn,
    joinClosesOn: doc.joinClosesOn,
    joinCode: doc.joinCode,
    codeExpiresAt: codeExpiresAt(doc),
    createdAt: doc.createdAt,
  };
}

export function createCohortsService(deps: {
  models: CohortModels;
  User: UserModel;
  limiter: AttemptLimiter;
  audit: AuditLog;
  clock?: () => Date;
  randomInt?: (max: number) => number;
}) {
  const { models, User, limiter, audit } = deps;
  const clock = deps.clock ?? (() => new Date());
  const { Cohort: CohortModel, CohortTrainer, CohortMember } = models;

  /** Stores the cohort under a fresh code; the unique index settles the rare clash of two codes. */
  function insertWithNewCode(fields: Omit<CohortDoc, '_id' | 'joinCode'>): Promise<CohortDoc> {
    return retryOnDuplicate(async () => (await CohortModel.create({ ...fields, joinCode: newJoinCode(deps.randomInt) })).toObject());
  }

  function addTrainerRow(cohortId: string, userId: string, by: string): Promise<boolean> {
    return insertOnce(() => CohortTrainer.create({ _id: memberKey(cohortId, userId), cohortId, userId, addedAt: clock(), addedBy: by }));
  }

  return {
    /** A new cohort with its join code; the trainer who creates it is its first trainer. */
    async create(actor: Actor, input: CreateCohortInput): Promise<Cohort> {
      const fields: Omit<CohortDoc, '_id' | 'joinCode'> = { name: input.name, language: input.language, createdBy: actor.id, createdAt: clock() };
      if (input.startsOn) fields.startsOn = input.startsOn;
      if (input.endsOn) fields.endsOn = input.endsOn;
      if (input.joinClosesOn) fields.joinClosesOn = input.joinClosesOn;
      const doc = await insertWithNewCode(fields);
      await addTrainerRow(String(doc._id), actor.id, actor.id);
      await audit.record({ action: 'cohort.created', actor: { id: actor.id, email: actor.email }, details: { cohort: doc.name } });
      return toCohort(doc);
    },

    /** The cohorts a trainer runs (every cohort for those who may see all), newest first, with their sizes. */
    async listFor(actor: Actor): Promise<(Cohort & { enrolled: number })[]> {
      const all = can(actor.role, 'cohorts.all');
      const ids = all ? undefined : (await CohortTrainer.find({ userId: actor.id }, { cohortId: 1 }).lean()).map((t) => t.cohortId);
      if (ids?.length === 0) return [];
      const docs = await CohortModel.find(ids ? { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } } : {})
        .sort({ createdAt: -1 })
        .lean<CohortDoc[]>();
      const counts = await CohortMember.aggregate<{ _id: string; n: number }>([
        ...(ids ? [{ $match: { cohortId: { $in: ids } } }] : []),
        { $group: { _id: '$cohortId', n: { $sum: 1 } } },
      ]);
      const enrolled = new Map(counts.map((c) => [c._id, c.n]));
      return docs.map((d) => ({ ...toCohort(d), enrolled: enrolled.get(String(d._id)) ?? 0 }));
    },

    /** The cohort if this user may run it; undefined otherwise, so that others see "not found". */
    async findFor(actor: Pick<Actor, 'id' | 'role'>, cohortId: string): Promise<Cohort | undefined> {
      if (!Types.ObjectId.isValid(cohortId) || String(new Types.ObjectId(cohortId)) !== cohortId) return undefined;
      const [doc, trainer] = await Promise.all([
        CohortModel.findById(cohortId).lean<CohortDoc>(),
        can(actor.role, 'cohorts.all') ? true : CohortTrainer.exists({ _id: memberKey(cohortId, actor.id) }),
      ]);
      return doc && trainer ? toCohort(doc) : undefined;
    },

    async trainersOf(cohortId: string) {
      const rows = await CohortTrainer.find({ cohortId }, { userId: 1 }).lean();
      const users = await User.find({ _id: { $in: rows.map((r) => new Types.ObjectId(r.userId)) } }, { name: 1, email: 1 }).lean();
      return users.map((u) => ({ id: String(u._id), name: u.name, email: u.email })).sort((a, b) => a.name.localeCompare(b.name));
    },

    /** The ids of a cohort's learners (plans: who may have shared a plan with its trainers). */
    async memberIds(cohortId: string): Promise<string[]> {
      return (await CohortMember.find({ cohortId }, { userId: 1 }).lean()).map((m) => m.userId);
    },

    /** The cohorts a learner belongs to. */
    async cohortIdsOf(userId: string): Promise<string[]> {
      return (await CohortMember.find({ userId }, { cohortId: 1 }).lean()).map((m) => m.cohortId);
    },

    async isMember(cohortId: string, userId: string): Promise<boolean> {
      return (await CohortMember.exists({ _id: memberKey(cohortId, userId) })) !== null;
    },

    /** A learner joins with the code the trainer gave; wrong codes count towards a limit. */
    async join(userId: string, input: string): Promise<JoinOutcome> {
      const limit = [{ key: `cohort-join:${userId}`, ...JOIN_LIMIT }];
      const claim = await limiter.take(limit);
      if (!claim.allowed) return { status: 'limited' };
      const code = normalizeJoinCode(input);
      const doc = isWellFormedJoinCode(code) ? await CohortModel.findOne({ joinCode: code }).lean<CohortDoc>() : null;
      if (!doc) return { status: 'unknown' };
      // only wrong codes count
      await claim.release();
      const cohort = toCohort(doc);
      if (cohort.codeExpiresAt && cohort.codeExpiresAt <= clock()) return { status: 'expired', expiredAt: cohort.codeExpiresAt };
      const joined = await insertOnce(() =>
        CohortMember.create({ _id: memberKey(cohort.id, userId), cohortId: cohort.id, userId, enrolledAt: clock(), via: 'code' }),
      );
      return joined ? { status: 'joined', cohort } : { status: 'already', cohort };
    },

    /**
     * Enrols the accounts behind a list of addresses; addresses with no account are returned, never
     * dropped. Enrolling is idempotent: someone already in the cohort is reported as such.
     */
    async enrol<E extends { email: string }>(cohortId: string, entries: E[]): Promise<EnrolReport<E>> {
      const wanted = new Set(entries.map((e) => e.email));
      const users = await inChunks([...wanted], (emails) => User.find({ email: { $in: emails } }, { email: 1, name: 1 }).lean());
      const found = users.filter((u) => wanted.has(u.email));
      const members = new Set(
        (await CohortMember.find({ cohortId }, { userId: 1 }).lean()).map((m) => m.userId),
      );
      const fresh = found.filter((u) => !members.has(String(u._id)));
      const now = clock();
      if (fresh.length > 0) {
        try {
          await CohortMember.insertMany(
            fresh.map((u) => ({ _id: memberKey(cohortId, String(u._id)), cohortId, userId: String(u._id), enrolledAt: now, via: 'list' as const })),
            { ordered: false },
          );
        } catch (err) {
          // Someone joined with the code meanwhile: the primary key kept them in once.
          if (!isDuplicateKey(err) && !(err as { writeErrors?: unknown[] }).writeErrors) throw err;
        }
      }
      const known = new Set(found.map((u) => u.email));
      const person = (u: { email: string; name: string }) => ({ email: u.email, name: u.name });
      return {
        enrolled: fresh.map(person),
        already: found.filter((u) => members.has(String(u._id))).map(person),
        unknown: entries.filter((e) => !known.has(e.email)),
      };
    },

    /** Another trainer (or admin) joins the cohort's trainers, by e-mail. */
    async addTrainer(actor: Actor, cohort: Cohort, email: string): Promise<TrainerOutcome> {
      const user = await User.findOne({ email }, { role: 1, email: 1 }).lean();
      if (!user) return 'unknown';
      if (!can(user.role, 'cohorts.manage')) return 'notTrainer';
      if (!(await addTrainerRow(cohort.id, String(user._id), actor.id))) return 'already';
      await audit.record({
        action: 'cohort.trainerAdded',
        actor: { id: actor.id, email: actor.email },
        target: { id: String(user._id), email: user.email },
        details: { cohort: cohort.name },
      });
      return 'added';
    },

    /** A trainer leaves the cohort; the last one cannot, so that someone still runs it. */
    async removeTrainer(actor: Actor, cohort: Cohort, userId: string): Promise<TrainerOutcome> {
      const rows = await CohortTrainer.find({ cohortId: cohort.id }, { userId: 1 }).lean();
      if (!rows.some((r) => r.userId === userId)) return 'notFound';
      if (rows.length === 1) return 'last';
      await CohortTrainer.deleteOne({ _id: memberKey(cohort.id, userId) });
      await audit.record({
        action: 'cohort.trainerRemoved',
        actor: { id: actor.id, email: actor.email },
        target: { id: userId },
        details: { cohort: cohort.name },
      });
      return 'removed';
    },

    /** A fresh join code: the old one stops working at once (say, after it was posted publicly). */
    async newCode(cohortId: string): Promise<void> {
      await retryOnDuplicate(() => CohortModel.updateOne({ _id: cohortId }, { $set: { joinCode: newJoinCode(deps.randomInt) } }));
    },

    /** An export carries learners' personal data out of the platform: who took it is recorded. */
    async recordExport(actor: Actor, cohort: Cohort): Promise<void> {
      await audit.record({ action: 'cohort.exported', actor: { id: actor.id, email: actor.email }, details: { cohort: cohort.name } });
    },
  };
}

export type CohortsService = ReturnType<typeof createCohortsService>;
