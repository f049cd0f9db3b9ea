import type { Request, Response } from 'express';
import { setFlash } from '../../platform/flash';
import { parseForm } from '../../platform/validation';
import type { AuditLog } from '../audit';
import { prefsSchema } from './discussion.schemas';
import type { PrefsService } from './prefs.service';
import type { UnsubscribeTokens } from './unsubscribe-token';

export function notificationsController(deps: { prefs: PrefsService; tokens: UnsubscribeTokens; audit: AuditLog }) {
  const { prefs, tokens, audit } = deps;

  const unsubscribePage = (res: Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('discussion/unsubscribe', { title: 'discussion:unsubscribe.title', ...locals });

  return {
    /** What /profile shows of the discussion: the e-mail choices (accounts' profile extras). */
    async profilePanel(req: Request) {
      if (!req.user) return {};
      return { notificationChoices: await prefs.get(req.user.id) };
    },

    /** POST /profile/notifications — which discussion e-mails to receive */
    async save(req: Request, res: Response) {
      const form = parseForm(prefsSchema, req.body);
      if (!form.ok) {
        setFlash(req, { type: 'error', messageKey: 'discussion:errors.digest' });
        return res.redirect(303, '/profile#notifications-heading');
      }
      await prefs.save(req.user!.id, form.data);
      setFlash(req, { type: 'success', messageKey: 'discussion:flash.prefsSaved' });
      res.redirect(303, '/profile#notifications-heading');
    },

    /** GET /discussion/unsubscribe/:token — asks to confirm (a mail scanner following the link changes nothing) */
    async confirm(req: Request, res: Response) {
      const found = tokens.read(String(req.params.token ?? ''));
      if (!found) return unsubscribePage(res, 404, { state: 'invalid' });
      unsubscribePage(res, 200, { state: 'confirm', kind: found.kind, action: req.originalUrl.split('?')[0] });
    },

    /**
     * POST /discussion/unsubscribe/:token — turns that kind of e-mail off, without login: the signed
     * token is the proof (also the RFC 8058 one-click POST that mail clients send, with no CSRF token).
     */
    async unsubscribe(req: Request, res: Response) {
      const found = tokens.read(String(req.params.token ?? ''));
      if (!found) return unsubscribePage(res, 404, { state: 'invalid' });
      if (await prefs.turnOff(found.userId, found.kind)) {
        await audit.record({ action: 'discussion.unsubscribed', target: { id: found.userId }, ip: req.ip, details: { kind: found.kind, via: 'link' } });
      }
      unsubscribePage(res, 200, { state: 'done', kind: found.kind });
    },
  };
}
