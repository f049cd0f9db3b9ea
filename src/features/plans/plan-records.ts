import type { Connection } from 'mongoose';
import { inChunks } from '../../platform/database';
import { type PlanModels, planModels, type PlanShareDoc, type WorksheetRevisionDoc } from './plans.model';

/*
 * The plan records other features read (learning's completion rule, the cohort reports): for one
 * learner or a set of learners, each a query on `userId`, the leading field of the collection's
 * index, sent once per IN_CHUNK learners, never once per learner.
 */

/** A worksheet the learner has marked finished, and when they first did. */
export type FinishedWorksheet = { userId: string; moduleId: string; finishedAt: Date };

type FinishRow = Pick<WorksheetRevisionDoc, 'userId' | 'moduleId' | 'createdAt'>;
type ShareRow = Pick<PlanShareDoc, 'userId' | 'shared' | 'createdAt'> & { _id: unknown };

/**
 * The first finishing save of each (learner, module). Finishing is a milestone, like marking a
 * lesson complete: a draft saved afterwards changes what the plan shows, not that it was finished.
 */
function firstFinishes(rows: FinishRow[]): FinishedWorksheet[] {
  const first = new Map<string, FinishedWorksheet>();
  for (const r of rows) {
    const key = `${r.userId}\0${r.moduleId}`;
    const seen = first.get(key);
    if (!seen || r.createdAt < seen.finishedAt) first.set(key, { userId: r.userId, moduleId: r.moduleId, finishedAt: r.createdAt });
  }
  return [...first.values()];
}

const FINISH_FIELDS = { _id: 0, userId: 1, moduleId: 1, createdAt: 1 } as const;

export function createPlanRecords(models: Pick<PlanModels, 'WorksheetRevision' | 'PlanShare'>) {
  const { WorksheetRevision, PlanShare } = models;

  return {
    /** One learner's finished worksheets (in one module, if given): one query. */
    async finishedOf(userId: string, moduleId?: string): Promise<FinishedWorksheet[]> {
      const filter = moduleId ? { userId, moduleId, finished: true } : { userId, finished: true };
      return firstFinishes(await WorksheetRevision.find(filter, FINISH_FIELDS).lean<FinishRow[]>());
    },

    /** The finished worksheets of a set of learners: one query per IN_CHUNK learners. */
    async finishedOfLearners(userIds: readonly string[]): Promise<FinishedWorksheet[]> {
      const rows = await inChunks(userIds, (ids) =>
        WorksheetRevision.find({ userId: { $in: ids }, finished: true }, FINISH_FIELDS).lean<FinishRow[]>(),
      );
      return firstFinishes(rows);
    },

    /** Which of these learners share their plan now (their latest choice): one query per IN_CHUNK learners. */
    async sharingOf(userIds: readonly string[]): Promise<Set<string>> {
      const rows = await inChunks(userIds, (ids) =>
        PlanShare.find({ userId: { $in: ids } }, { userId: 1, shared: 1, createdAt: 1 }).lean<ShareRow[]>(),
      );
      const latest = new Map<string, ShareRow>();
      for (const r of rows) {
        const seen = latest.get(r.userId);
        // the newest by time, then by id (two choices in one millisecond), as the learner's own page reads it
        if (!seen || r.createdAt > seen.createdAt || (r.createdAt.getTime() === seen.createdAt.getTime() && String(r._id) > String(seen._id))) {
          latest.set(r.userId, r);
        }
      }
      return new Set([...latest.values()].filter((r) => r.shared).map((r) => r.userId));
    },
  };
}

export type PlanRecords = ReturnType<typeof createPlanRecords>;

/** The plan records' read functions on this connection, for the features that report on learners. */
export const planRecordsOn = (connection: Connection): PlanRecords => createPlanRecords(planModels(connection));

/**
 * A set of learners' plan figures: how many share their plan, and how many finished every
 * worksheet of the course (`worksheetModuleIds`, the published modules that have one).
 */
export async function planFigures(records: PlanRecords, userIds: readonly string[], worksheetModuleIds: readonly string[]) {
  const [sharing, finished] = await Promise.all([records.sharingOf(userIds), records.finishedOfLearners(userIds)]);
  const wanted = new Set(worksheetModuleIds);
  const finishedBy = new Map<string, number>();
  for (const f of finished) if (wanted.has(f.moduleId)) finishedBy.set(f.userId, (finishedBy.get(f.userId) ?? 0) + 1);
  const members = new Set(userIds);
  return {
    learners: members.size,
    shared: [...sharing].filter((id) => members.has(id)).length,
    finished: wanted.size === 0 ? 0 : [...finishedBy.values()].filter((n) => n === wanted.size).length,
    /** learner id → worksheets finished (of worksheetModuleIds) */
    finishedBy,
    sharing,
  };
}
