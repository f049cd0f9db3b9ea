import type { NextFunction, Request, Response } from 'express';

/** A one-shot message shown on the next page: an i18n key and its variables, never text. */
export type Flash = { type: 'success' | 'error' | 'info'; messageKey: string; vars?: Record<string, string> };

declare module 'express-session' {
  interface SessionData {
    flash?: Flash;
  }
}

/** Stores a message for the page the user is redirected to (post/redirect/get). */
export function setFlash(req: Request, flash: Flash): void {
  if (req.session) req.session.flash = flash;
}

/** Moves a stored message into `res.locals.flash` and forgets it, so it shows exactly once. */
export function flashMessages(req: Request, res: Response, next: NextFunction): void {
  const flash = req.session?.flash;
  if (flash) {
    res.locals.flash = flash;
    delete req.session.flash;
  }
  next();
}
