import type { NextFunction, Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import type { DiscussionModels, ThreadDoc } from './discussion.models';
import type { CohortAccess, Membership, Viewer } from './ports';
import type { ReadingService } from './reading.service';

/*
 * Only the cohort's members and trainers (and admins) read its discussion; everyone else, a learner
 * removed from it included, gets "not found", so the page does not even say that the cohort exists.
 */
export const viewerOf = (req: Request): Viewer => ({ id: req.user!.id, email: req.user!.email, role: req.user!.role });
export const accessOf = (res: Response): CohortAccess => res.locals.access as CohortAccess;
export const threadOf = (res: Response): ThreadDoc => res.locals.thread as ThreadDoc;

export function loadAccess(membership: Membership) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const access = await membership.accessFor(viewerOf(req), String(req.params.id ?? ''));
    if (!access) throw new NotFoundError();
    res.locals.access = access;
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

export function loadThread(reading: ReadingService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const thread = await reading.thread(viewerOf(req), accessOf(res), String(req.params.threadId ?? ''));
    if (!thread) throw new NotFoundError();
    res.locals.thread = thread;
    next();
  };
}

/** Trainers of this cohort and admins only; to others the moderation routes do not exist. */
export function moderatorsOnly(_req: Request, res: Response, next: NextFunction) {
  if (!accessOf(res).moderator) throw new NotFoundError();
  next();
}

export type { DiscussionModels };
