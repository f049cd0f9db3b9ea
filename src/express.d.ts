import 'passport';
import type { Language } from './platform/i18n';
import type { Role } from './platform/roles';

declare global {
  namespace Express {
    /**
     * What a signed-in request carries, as its session holds it (accounts/authentication.ts): every
     * change to these fields is written into the user's sessions, so a role change or a deactivation
     * counts on the next request.
     */
    interface User {
      id: string;
      email: string;
      /** the name as it prints on the certificate */
      name: string;
      role: Role;
      language: Language;
    }
  }
}
