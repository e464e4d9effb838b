import { describe, expect, it } from 'vitest';
import {
  claimsToPerson,
  decideEnrollmentIdentity,
  requestClaim,
  roleForGroups,
  type CodeIdentity,
  type DirectoryPerson,
  type IdentityClaim,
} from './identity';

const NAMES = { user: 'preferred_username', name: 'name', department: 'department', groups: 'groups' };

describe('claimsToPerson', () => {
  it('reads subject, staff id, name, department, email and groups by the configured names', () => {
    expect(
      claimsToPerson({
        sub: 'u-1',
        preferred_username: 'zhang.san',
        name: '张三',
        department: '销售部',
        email: 'zhang.san@corp.example',
        groups: ['baomi-approvers', 'staff'],
      }),
    ).toEqual({
      subject: 'u-1',
      userId: 'zhang.san',
      displayName: '张三',
      department: '销售部',
      email: 'zhang.san@corp.example',
      groups: ['baomi-approvers', 'staff'],
    });
  });

  it.each([
    ['no preferred_username: the e-mail', { sub: 's', email: 'li.si@corp.example' }, 'li.si@corp.example'],
    ['neither: the subject', { sub: 'opaque-sub' }, 'opaque-sub'],
    ['a numeric staff id (工号)', { sub: 's', preferred_username: 20231234 }, '20231234'],
  ])('user id falls back — %s', (_, claims, userId) => {
    expect(claimsToPerson(claims)?.userId).toBe(userId);
  });

  it('reads nested claims by a dotted name and groups given as one string', () => {
    const person = claimsToPerson(
      { sub: 's', upn: 'wang.wu', org: { unit: '财务部' }, realm_access: { roles: 'baomi-auditors, staff' } },
      { ...NAMES, user: 'upn', department: 'org.unit', groups: 'realm_access.roles' },
    );
    expect(person).toMatchObject({ userId: 'wang.wu', department: '财务部', groups: ['baomi-auditors', 'staff'] });
  });

  it('no subject, no person', () => {
    expect(claimsToPerson({ preferred_username: 'zhang.san' })).toBeNull();
    expect(claimsToPerson({ sub: '  ' })).toBeNull();
  });
});

describe('decideEnrollmentIdentity', () => {
  const person: DirectoryPerson = {
    subject: 'sub-1',
    userId: 'zhang.san',
    displayName: '张三',
    department: '销售部',
    email: null,
    groups: [],
  };
  const general: CodeIdentity = { kind: 'general', issuedTo: null };
  const managedCode: CodeIdentity = { kind: 'managed-deployment', issuedTo: null };
  const personal: CodeIdentity = { kind: 'personal', issuedTo: { userId: 'li.si', department: '财务部' } };
  const typed: IdentityClaim = { kind: 'typed', userId: 'someone', department: null };
  const managed: IdentityClaim = { kind: 'managed', userId: 'wang.wu', department: '市场部' };
  const oidc: IdentityClaim = { kind: 'oidc', person };
  const none: IdentityClaim = { kind: 'none' };

  it.each([
    // code, claim, self-declared mode, → user id / source / verified, or the refusal
    ['general', general, oidc, false, 'zhang.san', 'oidc', true],
    ['managed-deployment', managedCode, oidc, false, 'zhang.san', 'oidc', true],
    ['personal (a login names its own person)', personal, oidc, false, 'zhang.san', 'oidc', true],
    ['personal', personal, typed, false, 'li.si', 'personal-code', true],
    ['personal', personal, none, false, 'li.si', 'personal-code', true],
    ['managed-deployment', managedCode, managed, false, 'wang.wu', 'managed', true],
    ['general, self-declared on', general, typed, true, 'someone', 'self-declared', false],
    ['general, self-declared on (a managed user without its code)', general, managed, true, 'wang.wu', 'self-declared', false],
    ['managed-deployment, self-declared on (typed on the options page)', managedCode, typed, true, 'someone', 'self-declared', false],
  ] as const)('%s → %s', (_, code, claim, selfDeclared, userId, source, verified) => {
    const decision = decideEnrollmentIdentity(code, claim, selfDeclared);
    expect(decision).toMatchObject({ ok: true, identity: { userId, source, verified } });
  });

  it.each([
    ['general, typed', general, typed, 'self-declared-disabled'],
    ['managed-deployment, typed on the options page', managedCode, typed, 'self-declared-disabled'],
    ['general, managed user', general, managed, 'managed-code-required'],
    ['general, nothing', general, none, 'identity-required'],
    ['personal code without its person', { kind: 'personal', issuedTo: null }, none, 'identity-required'],
  ] as const)('refused while the self-declared mode is off: %s', (_, code, claim, refusal) => {
    expect(decideEnrollmentIdentity(code, claim, false)).toEqual({ ok: false, refusal });
  });

  it('a managed-deployment code with no user named (one company-wide policy file) enrolls the device under no person, unverified', () => {
    expect(decideEnrollmentIdentity(managedCode, none, false)).toMatchObject({
      ok: true,
      identity: { userId: '(unassigned)', source: 'unassigned', verified: false },
    });
  });

  it('an OIDC identity keeps the directory name, department and subject', () => {
    expect(decideEnrollmentIdentity(general, oidc, false)).toEqual({
      ok: true,
      identity: {
        userId: 'zhang.san',
        department: '销售部',
        displayName: '张三',
        email: null,
        subject: 'sub-1',
        source: 'oidc',
        verified: true,
      },
    });
  });
});

describe('requestClaim', () => {
  it.each([
    ['managed', { identity: 'managed', userId: 'a' }, 'general', 'managed'],
    ['typed', { identity: 'typed', userId: 'a' }, 'managed-deployment', 'typed'],
    ['older extension, managed-deployment code: from the policy', { userId: 'a' }, 'managed-deployment', 'managed'],
    ['older extension, general code: typed', { userId: 'a' }, 'general', 'typed'],
    ['no user id', { identity: 'typed' }, 'general', 'none'],
  ] as const)('%s', (_, body, codeKind, kind) => {
    expect(requestClaim(body, codeKind).kind).toBe(kind);
  });
});

describe('roleForGroups', () => {
  const rules = [
    { group: 'baomi-admins', role: 'it-admin' },
    { group: 'baomi-approvers', role: 'approver' },
    { group: 'baomi-auditors', role: 'auditor' },
  ];
  it.each([
    [['staff', 'baomi-approvers'], 'approver'],
    [['baomi-auditors', 'baomi-approvers'], 'approver'],
    [['baomi-admins', 'baomi-auditors'], 'it-admin'],
    [['Baomi-Approvers'], null],
    [[], null],
  ])('%j → %s (first rule in the admin’s order; exact names)', (groups, role) => {
    expect(roleForGroups(groups, rules)).toBe(role);
  });
});
