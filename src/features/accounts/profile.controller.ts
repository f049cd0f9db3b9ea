import type { Request, Response } from 'express';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { type FormErrors, type FormValues, parseForm } from '../../platform/validation';
import { changeEmailSchema, changePasswordSchema, profileSchema } from './accounts.schemas';
import type { AccountsService, Profile } from './accounts.service';
import { countryOptions } from './countries';

/** What other features add to the profile page: view locals, shown by the partials profile.ejs includes. */
export type ProfileExtras = (req: Request) => Promise<Record<string, unknown>>;

type Section = { values?: FormValues; errors?: FormErrors };
type Sections = { details?: Section; email?: Section; password?: Section };

/** The profile page: three forms, each re-shown with its own errors and the rest as saved. */
async function renderProfile(req: Request, res: Response, status: number, profile: Profile, sections: Sections = {}, extras?: ProfileExtras) {
  const saved: FormValues = {
    name: profile.name,
    organisation: profile.organisation ?? '',
    country: profile.country ?? '',
    position: profile.position ?? '',
    language: profile.language,
  };
  res.status(status).render('accounts/profile', {
    title: 'accounts:profile.title',
    profile,
    countries: countryOptions(currentLanguage(req)),
    details: { values: sections.details?.values ?? saved, errors: sections.details?.errors ?? {} },
    emailForm: { values: sections.email?.values ?? { email: profile.email }, errors: sections.email?.errors ?? {} },
    passwordForm: { errors: sections.password?.errors ?? {} },
    ...(extras ? await extras(req) : {}),
  });
}

export function profileController(deps: { accounts: AccountsService; profileExtras?: ProfileExtras }) {
  const { accounts } = deps;
  const render = (req: Request, res: Response, status: number, profile: Profile, sections: Sections = {}) =>
    renderProfile(req, res, status, profile, sections, deps.profileExtras);
  /** The signed-in user's profile; requireLogin runs first, and deserialisation dropped vanished accounts. */
  const load = async (req: Request) => (await accounts.getProfile(req.user!.id))!;

  return {
    /** GET /profile — the certificate name, organisation, country, position, language; e-mail; password */
    async show(req: Request, res: Response) {
      await render(req, res, 200, await load(req));
    },

    /** POST /profile — save the details */
    async update(req: Request, res: Response) {
      const form = parseForm(profileSchema, req.body);
      if (!form.ok) return render(req, res, 422, await load(req), { details: form });
      await accounts.updateProfile(req.user!.id, form.data);
      setFlash(req, { type: 'success', messageKey: 'accounts:flash.profileSaved' });
      res.redirect(303, '/profile');
    },

    /** POST /profile/email — a new e-mail address, with the current password */
    async changeEmail(req: Request, res: Response) {
      const form = parseForm(changeEmailSchema, req.body, { secret: ['currentPassword'] });
      if (!form.ok) return render(req, res, 422, await load(req), { email: form });
      const result = await accounts.changeEmail(req.user!.id, { ...form.data, ip: req.ip ?? 'unknown' });
      if (!result.ok) {
        const section = { values: { email: form.data.email }, errors: { [result.field]: result.error } };
        return render(req, res, 422, await load(req), { email: section });
      }
      setFlash(req, { type: 'success', messageKey: 'accounts:flash.emailChanged' });
      res.redirect(303, '/profile');
    },

    /** POST /profile/password — a new password, with the current one; other sessions end */
    async changePassword(req: Request, res: Response) {
      const form = parseForm(changePasswordSchema, req.body, { secret: ['currentPassword', 'newPassword'] });
      if (!form.ok) return render(req, res, 422, await load(req), { password: form });
      const result = await accounts.changePassword(req.user!.id, {
        ...form.data,
        sessionId: req.sessionID,
        ip: req.ip ?? 'unknown',
      });
      if (!result.ok) {
        return render(req, res, 422, await load(req), { password: { errors: { [result.field]: result.error } } });
      }
      setFlash(req, { type: 'success', messageKey: 'accounts:flash.passwordChanged' });
      res.redirect(303, '/profile');
    },
  };
}
