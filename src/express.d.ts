import 'passport';

declare global {
  namespace Express {
    /** What a signed-in request carries; the accounts feature fills it from the session. */
    interface User {
      id: string;
      language?: string;
    }
  }
}
