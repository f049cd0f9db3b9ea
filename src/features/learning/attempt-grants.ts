import type { AuditLog } from '../audit';
import type { LearningModels } from './learning.model';

/** The most extra attempts one grant may give: enough for a retake or two, not a lifted limit. */
export const MAX_EXTRA_PER_GRANT = 3;

/**
 * Extra quiz attempts beyond a quiz's `maxAttempts`, given by a trainer or an admin. Each grant is
 * its own inserted document (no counter to lose on FerretDB) and an audit entry.
 */
export function createAttemptGrants(deps: { models: LearningModels; audit: AuditLog; clock?: () => Date }) {
  const { AttemptGrant } = deps.models;
  const clock = deps.clock ?? (() => new Date());

  /** Extra attempts per module for one learner (one indexed query). */
  async function extraByModule(userId: string): Promise<Map<string, number>> {
    const rows = await AttemptGrant.find({ userId }, { moduleId: 1, extra: 1 }).lean();
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r.moduleId, (sums.get(r.moduleId) ?? 0) + r.extra);
    return sums;
  }

  async function extraFor(userId: string, moduleId: string): Promise<number> {
    const rows = await AttemptGrant.find({ userId, moduleId }, { extra: 1 }).lean();
    return rows.reduce((sum, r) => sum + r.extra, 0);
  }

  async function grant(input: { actor: { id: string; email: string }; userId: string; moduleId: string; extra: number; cohortName?: string }) {
    await AttemptGrant.create({ userId: input.userId, moduleId: input.moduleId, extra: input.extra, grantedBy: input.actor.id, grantedAt: clock() });
    await deps.audit.record({
      action: 'quiz.attemptsGranted',
      actor: { id: input.actor.id, email: input.actor.email },
      target: { id: input.userId },
      details: { module: input.moduleId, extra: String(input.extra), ...(input.cohortName ? { cohort: input.cohortName } : {}) },
    });
  }

  return { extraByModule, extraFor, grant };
}

export type AttemptGrants = ReturnType<typeof createAttemptGrants>;
