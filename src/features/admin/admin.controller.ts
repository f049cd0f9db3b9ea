import type { Request, Response } from 'express';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { safeLocalPath } from '../../platform/local-path';
import type { OutboxEntry } from '../../platform/outbox';
import { ROLES } from '../../platform/roles';
import { parseForm } from '../../platform/validation';
import { countryName } from '../accounts';
import type { AuditLog } from '../audit';
import { auditListQuery, roleForm, userListQuery } from './admin.schemas';
import type { AdminService, ChangeOutcome } from './admin.service';

const USERS_PATH = '/admin/users';

/** Back to the list the admin was on (its search and page), never anywhere else. */
function backToList(value: unknown): string {
  const path = safeLocalPath(value, USERS_PATH);
  return path === USERS_PATH || path.startsWith(`${USERS_PATH}?`) ? path : USERS_PATH;
}

function pageHref(base: string, params: Record<string, string | number>) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== 1) query.set(k, String(v));
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

/** Refusals become error pages; a done change goes back to the list with a message. */
function afterChange(req: Request, res: Response, outcome: ChangeOutcome, flashKey: string) {
  if (outcome.status === 'not-found') throw new NotFoundError();
  if (outcome.status === 'self') throw new ConflictError('admin:errors.notYourself');
  setFlash(req, { type: 'success', messageKey: flashKey, vars: { name: outcome.name } });
  res.redirect(303, backToList(req.body?.back));
}

const idOf = (req: Request) => String(req.params.id ?? '');

/** The e-mails the outbox worker gave up on (platform/outbox.ts). */
export type MailReport = { listFailed(): Promise<{ entries: OutboxEntry[]; queued: number }> };

export function adminController(deps: { admin: AdminService; audit: AuditLog; mail: MailReport }) {
  const { admin, audit, mail } = deps;
  return {
    /** GET /admin/users — find accounts, change their role, deactivate them */
    async users(req: Request, res: Response) {
      const query = userListQuery.parse(req.query);
      const result = await admin.listUsers(query);
      const lng = currentLanguage(req);
      res.render('admin/users', {
        title: 'admin:users.title',
        ...result,
        users: result.users.map((u) => ({ ...u, countryName: countryName(u.country, lng) })),
        roles: ROLES,
        back: pageHref(USERS_PATH, { q: result.q, page: result.page }),
        prevHref: result.page > 1 ? pageHref(USERS_PATH, { q: result.q, page: result.page - 1 }) : undefined,
        nextHref: result.page < result.pages ? pageHref(USERS_PATH, { q: result.q, page: result.page + 1 }) : undefined,
      });
    },

    /** POST /admin/users/:id/role — give an account another role */
    async changeRole(req: Request, res: Response) {
      const form = parseForm(roleForm, req.body);
      if (!form.ok) throw new BadRequestError('admin:errors.roleInvalid');
      const outcome = await admin.changeRole(req.user!, idOf(req), form.data.role, req.ip ?? 'unknown');
      afterChange(req, res, outcome, `admin:flash.roleChanged.${form.data.role}`);
    },

    /** POST /admin/users/:id/deactivate — the account cannot log in any more; its sessions end */
    async deactivate(req: Request, res: Response) {
      afterChange(req, res, await admin.deactivate(req.user!, idOf(req), req.ip ?? 'unknown'), 'admin:flash.deactivated');
    },

    /** POST /admin/users/:id/reactivate — the account can log in again */
    async reactivate(req: Request, res: Response) {
      afterChange(req, res, await admin.reactivate(req.user!, idOf(req), req.ip ?? 'unknown'), 'admin:flash.reactivated');
    },

    /** GET /admin/audit — the security events, newest first */
    async auditLog(req: Request, res: Response) {
      const { page } = auditListQuery.parse(req.query);
      const result = await audit.list({ page });
      res.render('admin/audit', {
        title: 'admin:audit.title',
        ...result,
        prevHref: result.page > 1 ? pageHref('/admin/audit', { page: result.page - 1 }) : undefined,
        nextHref: result.page < result.pages ? pageHref('/admin/audit', { page: result.page + 1 }) : undefined,
      });
    },

    /** GET /admin/mail — e-mails that could not be delivered after every retry, and how many are waiting */
    async mail(_req: Request, res: Response) {
      res.render('admin/mail', { title: 'admin:mail.title', ...(await mail.listFailed()) });
    },
  };
}
