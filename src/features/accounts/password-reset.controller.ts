import type { Request, Response } from 'express';
import { setFlash } from '../../platform/flash';
import { type FormErrors, type FormValues, parseForm } from '../../platform/validation';
import { forgotSchema, resetSchema } from './accounts.schemas';
import type { PasswordResetService } from './password-reset.service';

function renderForgot(res: Response, status: number, page: { values?: FormValues; errors?: FormErrors; messageKey?: string }) {
  res.status(status).render('accounts/forgot', {
    title: 'accounts:forgot.title',
    values: page.values ?? {},
    errors: page.errors ?? {},
    messageKey: page.messageKey,
  });
}

function renderReset(res: Response, status: number, token: string, page: { errors?: FormErrors; messageKey?: string } = {}) {
  res.status(status).render('accounts/reset', {
    title: 'accounts:reset.title',
    token,
    errors: page.errors ?? {},
    messageKey: page.messageKey,
  });
}

function renderResetInvalid(res: Response, status: number, messageKey = 'accounts:reset.invalid') {
  res.status(status).render('accounts/reset-invalid', { title: 'accounts:reset.invalidTitle', messageKey });
}

const tokenOf = (req: Request) => String(req.params.token ?? '');

export function passwordResetController(deps: { resets: PasswordResetService }) {
  const { resets } = deps;
  return {
    /** GET /password/forgot — ask for a reset link */
    showForgot(_req: Request, res: Response) {
      renderForgot(res, 200, {});
    },

    /** POST /password/forgot — e-mail a link if the address has an account; the answer never says */
    async forgot(req: Request, res: Response) {
      const form = parseForm(forgotSchema, req.body);
      if (!form.ok) return renderForgot(res, 422, form);
      const result = await resets.requestReset({ email: form.data.email, ip: req.ip ?? 'unknown' });
      if (result.status === 'limited') {
        res.setHeader('Retry-After', '3600');
        return renderForgot(res, 429, { values: { email: form.data.email }, messageKey: 'accounts:errors.tooManyResets' });
      }
      setFlash(req, { type: 'info', messageKey: 'accounts:flash.resetSent', vars: { email: form.data.email } });
      res.redirect(303, '/login');
    },

    /** GET /password/reset/:token — the new-password form, or why the link no longer works */
    async showReset(req: Request, res: Response) {
      res.setHeader('Cache-Control', 'no-store');
      if (!(await resets.isUsable(tokenOf(req)))) return renderResetInvalid(res, 400);
      renderReset(res, 200, tokenOf(req));
    },

    /** POST /password/reset/:token — set the new password; the link is used up and other sessions end */
    async reset(req: Request, res: Response) {
      res.setHeader('Cache-Control', 'no-store');
      const form = parseForm(resetSchema, req.body, { secret: ['password'] });
      if (!form.ok) {
        if (!(await resets.isUsable(tokenOf(req)))) return renderResetInvalid(res, 400);
        return renderReset(res, 422, tokenOf(req), form);
      }
      const result = await resets.resetPassword({
        token: tokenOf(req),
        password: form.data.password,
        ip: req.ip ?? 'unknown',
        sessionId: req.user ? req.sessionID : undefined,
      });
      if (result.status === 'limited') {
        res.setHeader('Retry-After', '3600');
        return renderResetInvalid(res, 429, 'accounts:errors.tooManyResets');
      }
      if (result.status === 'invalid') return renderResetInvalid(res, 400);
      setFlash(req, { type: 'success', messageKey: 'accounts:flash.passwordReset' });
      res.redirect(303, '/login');
    },
  };
}
