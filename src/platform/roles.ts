/**
 * The one place that says what each role may do. Routes ask for a right (`requireRight`), not a
 * role, so giving trainers a new power later is a change here and nowhere else.
 */
export const ROLES = ['learner', 'trainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting, as services see the signed-in user (never `req`); a service asks for the fields it needs. */
export type Actor = { id: string; email: string; role: Role };

export const RIGHTS = [
  /** read modules, take quizzes, earn a certificate */
  'learn',
  /** run cohorts: enrol learners, watch their progress, export it */
  'cohorts.manage',
  /** see and run every cohort, not only those one is a trainer of */
  'cohorts.all',
  /** upload and publish module content */
  'content.manage',
  /** list accounts, change roles, deactivate */
  'users.manage',
  /** read the security audit log */
  'audit.read',
  /** issue and revoke certificates */
  'certificates.manage',
] as const;
export type Right = (typeof RIGHTS)[number];

const RIGHTS_BY_ROLE: Readonly<Record<Role, readonly Right[]>> = {
  learner: ['learn'],
  trainer: ['learn', 'cohorts.manage'],
  admin: ['learn', 'cohorts.manage', 'cohorts.all', 'content.manage', 'users.manage', 'audit.read', 'certificates.manage'],
};

export function rightsOf(role: Role): readonly Right[] {
  return RIGHTS_BY_ROLE[role] ?? [];
}

/** True when a user with this role holds the right; anonymous (undefined) holds none. */
export function can(role: Role | undefined, right: Right): boolean {
  return role !== undefined && rightsOf(role).includes(right);
}
