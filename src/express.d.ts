import 'passport';
import type { Language } from './platform/i18n';
import type { Role } from './platform/roles';

declare global {
  namespace Express {
    /**
     * What a signed-in request carries. The accounts feature loads it from the database on each
     * request (the session holds the user's id alone), so a role change or a deactivation counts at once.
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
