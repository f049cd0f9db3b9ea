import { can, RIGHTS, ROLES, rightsOf } from '../../../src/platform/roles';

describe('roles and rights', () => {
  it('when the rights are listed, then admins hold every right', () => {
    expect([...rightsOf('admin')].sort()).toEqual([...RIGHTS].sort());
  });

  it.each([
    ['learner', 'learn', true],
    ['learner', 'cohorts.manage', false],
    ['learner', 'users.manage', false],
    ['trainer', 'cohorts.manage', true],
    ['trainer', 'users.manage', false],
    ['trainer', 'audit.read', false],
    ['trainer', 'content.manage', false],
    ['admin', 'users.manage', true],
  ] as const)('when a %s asks for %s, then the answer is %s', (role, right, expected) => {
    expect(can(role, right)).toBe(expected);
  });

  it('when nobody is signed in, then no right is held', () => {
    for (const right of RIGHTS) expect(can(undefined, right)).toBe(false);
  });

  it('when a role is listed, then it has at least the right to learn', () => {
    for (const role of ROLES) expect(can(role, 'learn')).toBe(true);
  });
});
