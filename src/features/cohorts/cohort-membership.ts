import type { Request, Response } from 'express';
import { Types } from 'mongoose';
import { setFlash } from '../../platform/flash';
import { NotFoundError } from '../../platform/errors';
import { can, type Role } from '../../platform/roles';
import type { AuditLog } from '../audit';
import { cohortOf } from './cohort-access';
import { cohortPath } from './cohort-view';
import { type CohortDoc, type CohortModels, memberKey } from './cohorts.model';

/**
 * Who belongs to a cohort, for the features that work inside one (the discussion): its members,
 * its trainers, and a trainer's power to take a learner out of it.
 */
export type CohortAccess = { cohort: { id: string; name: string; language: string }; moderator: boolean };

export function createMembershipService(deps: { models: CohortModels; audit: AuditLog; clock?: () => Date }) {
  const { models, audit } = deps;
  const { Cohort, CohortTrainer, CohortMember } = models;
  return {
    /**
     * The cohort as this user may see it from inside: a member, one of its trainers, or someone
     * who may run every cohort (a moderator then); undefined for anyone else, who must see "not found".
     */
    async accessFor(user: { id: string; role: Role }, cohortId: string): Promise<CohortAccess | undefined> {
      if (!Types.ObjectId.isValid(cohortId) || String(new Types.ObjectId(cohortId)) !== cohortId) return undefined;
      const key = memberKey(cohortId, user.id);
      const [doc, trainer, member] = await Promise.all([
        Cohort.findById(cohortId, { name: 1, language: 1 }).lean<CohortDoc>(),
        can(user.role, 'cohorts.all') ? true : CohortTrainer.exists({ _id: key }).then((r) => r !== null),
        CohortMember.exists({ _id: key }).then((r) => r !== null),
      ]);
      if (!doc || (!trainer && !member)) return undefined;
      return { cohort: { id: cohortId, name: doc.name, language: doc.language }, moderator: trainer && can(user.role, 'cohorts.manage') };
    },

    async memberIds(cohortId: string): Promise<string[]> {
      return (await CohortMember.find({ cohortId }, { userId: 1 }).lean()).map((m) => m.userId);
    },

    async trainerIds(cohortId: string): Promise<string[]> {
      return (await CohortTrainer.find({ cohortId }, { userId: 1 }).lean()).map((m) => m.userId);
    },

    /** Everyone in some cohorts, learners and trainers: cohort id → user ids. */
    async everyoneIn(cohortIds: string[]): Promise<Map<string, string[]>> {
      const [members, trainers] = await Promise.all([
        CohortMember.find({ cohortId: { $in: cohortIds } }, { cohortId: 1, userId: 1 }).lean(),
        CohortTrainer.find({ cohortId: { $in: cohortIds } }, { cohortId: 1, userId: 1 }).lean(),
      ]);
      const out = new Map<string, string[]>(cohortIds.map((id) => [id, []]));
      for (const r of [...members, ...trainers]) if (!out.get(r.cohortId)!.includes(r.userId)) out.get(r.cohortId)!.push(r.userId);
      return out;
    },

    /** The cohorts a person is in, as a learner or as a trainer. */
    async cohortIdsOf(userId: string): Promise<string[]> {
      const [member, trainer] = await Promise.all([
        CohortMember.find({ userId }, { cohortId: 1 }).lean(),
        CohortTrainer.find({ userId }, { cohortId: 1 }).lean(),
      ]);
      return [...new Set([...member, ...trainer].map((r) => r.cohortId))];
    },

    /**
     * The cohorts a learner is enrolled in, with their names (the dashboard's links to their
     * discussions; trainers reach theirs from the cohort's own pages).
     */
    async cohortsOf(userId: string): Promise<{ id: string; name: string }[]> {
      const ids = (await CohortMember.find({ userId }, { cohortId: 1 }).lean()).map((m) => m.cohortId);
      if (ids.length === 0) return [];
      const docs = await Cohort.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { name: 1 }).lean<CohortDoc[]>();
      return docs.map((d) => ({ id: String(d._id), name: d.name }));
    },

    /** Takes a learner out of a cohort (they keep their own progress); recorded in the audit log. */
    async removeLearner(actor: { id: string; email: string }, cohort: { id: string; name: string }, userId: string): Promise<boolean> {
      const result = await CohortMember.deleteOne({ _id: memberKey(cohort.id, userId) });
      if (result.deletedCount === 0) return false;
      await audit.record({ action: 'cohort.learnerRemoved', actor, target: { id: userId }, details: { cohort: cohort.name } });
      return true;
    },
  };
}
export type MembershipService = ReturnType<typeof createMembershipService>;

/** POST /trainer/cohorts/:id/learners/:userId/remove — a trainer takes a learner out of the cohort */
export function removeLearnerHandler(membership: MembershipService) {
  return async (req: Request, res: Response) => {
    const cohort = cohortOf(res);
    const removed = await membership.removeLearner({ id: req.user!.id, email: req.user!.email }, cohort, String(req.params.userId ?? ''));
    if (!removed) throw new NotFoundError();
    setFlash(req, { type: 'success', messageKey: 'cohorts:flash.learnerRemoved' });
    res.redirect(303, cohortPath(cohort.id));
  };
}
