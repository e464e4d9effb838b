/**
 * Who is who (issue 27), the pure part: which identity an enrollment binds a device to, how
 * the identity provider's claims become a person, and which console role a person's directory
 * groups give. No database, no network: the routes gather the inputs and act on the answer.
 */

/**
 * What an enrollment code is for. `general`: any staff member, identity proven by OIDC (or
 * self-declared where the admin allows it). `managed-deployment`: the code written into the
 * browser policy with the user the admin assigned (`userId` in the managed configuration).
 * `personal`: issued to one named person, who is the identity whatever is typed.
 */
export const CODE_KINDS = ['general', 'managed-deployment', 'personal'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

/**
 * How an enrolled identity was proven; `self-declared` and `unassigned` are not verified.
 * `unassigned`: a device the browser policy enrolled with a managed-deployment code that names
 * no user (one company-wide policy file): it gets the policy and reports, under no person's
 * name, until someone signs in with the company account on it (re-enrolling binds that person).
 */
export const IDENTITY_SOURCES = ['oidc', 'managed', 'personal-code', 'self-declared', 'unassigned'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

/** The user id of a device enrolled by policy with no user named: never a person's id (ids have no spaces). */
export const UNASSIGNED_USER = '(unassigned)';

export interface EnrolledIdentity {
  userId: string;
  department: string | null;
  displayName: string | null;
  email: string | null;
  /** The identity provider's `sub` (OIDC only). */
  subject: string | null;
  source: IdentitySource;
  verified: boolean;
}

/** A person as the identity provider describes them (from `claimsToPerson`). */
export interface DirectoryPerson {
  subject: string;
  userId: string;
  displayName: string | null;
  department: string | null;
  email: string | null;
  groups: string[];
}

export interface ClaimNames {
  /** The staff id shown everywhere (default `preferred_username`, then `email`, then `sub`). */
  user: string;
  name: string;
  department: string;
  groups: string;
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = { user: 'preferred_username', name: 'name', department: 'department', groups: 'groups' };

/** A claim by name; a dotted name reads nested objects (Keycloak's `realm_access.roles`). */
function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
  if (typeof value === 'number') return String(value);
  return null;
}

/** Groups as a list: an array of strings, or one string of names separated by commas or spaces. */
function groupList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text).filter((g): g is string => g !== null);
  const one = text(value);
  return one ? one.split(/[,\s]+/).filter(Boolean) : [];
}

/** Null when the claims name no subject (no person to bind). */
export function claimsToPerson(claims: Record<string, unknown>, names: ClaimNames = DEFAULT_CLAIM_NAMES): DirectoryPerson | null {
  const subject = text(claims.sub);
  if (!subject) return null;
  const email = text(claims.email);
  return {
    subject,
    userId: text(claimAt(claims, names.user)) ?? email ?? subject,
    displayName: text(claimAt(claims, names.name)),
    department: text(claimAt(claims, names.department)),
    email,
    groups: groupList(claimAt(claims, names.groups)),
  };
}

/** What the device claims: an OIDC login it completed, the managed configuration's user, or a typed name. */
export type IdentityClaim =
  | { kind: 'oidc'; person: DirectoryPerson }
  | { kind: 'managed'; userId: string; department: string | null }
  | { kind: 'typed'; userId: string; department: string | null }
  | { kind: 'none' };

export interface CodeIdentity {
  kind: CodeKind;
  issuedTo: { userId: string; department: string | null } | null;
}

export type IdentityRefusal =
  /** A free-typed name while the self-declared mode is off. */
  | 'self-declared-disabled'
  /** A managed-configuration user with a code that is not a managed-deployment code. */
  | 'managed-code-required'
  /** Nothing names a person (no login, no name, a general code). */
  | 'identity-required';

export type IdentityDecision = { ok: true; identity: EnrolledIdentity } | { ok: false; refusal: IdentityRefusal };

/**
 * The identity an enrollment binds. A completed OIDC login wins (the directory said who it
 * is); then a personal code's person (what was typed does not matter); then the managed
 * configuration's user, only with a managed-deployment code; a typed name only in the
 * self-declared mode, and then unverified. A managed user with another code in that mode is
 * taken as what it then is: self-declared.
 */
export function decideEnrollmentIdentity(code: CodeIdentity, claim: IdentityClaim, selfDeclaredAllowed: boolean): IdentityDecision {
  if (claim.kind === 'oidc') {
    const { person } = claim;
    return {
      ok: true,
      identity: {
        userId: person.userId,
        department: person.department,
        displayName: person.displayName,
        email: person.email,
        subject: person.subject,
        source: 'oidc',
        verified: true,
      },
    };
  }
  if (code.kind === 'personal' && code.issuedTo) {
    return {
      ok: true,
      identity: { ...code.issuedTo, displayName: null, email: null, subject: null, source: 'personal-code', verified: true },
    };
  }
  if (claim.kind === 'none') {
    if (code.kind !== 'managed-deployment') return { ok: false, refusal: 'identity-required' };
    return {
      ok: true,
      identity: {
        userId: UNASSIGNED_USER,
        department: null,
        displayName: null,
        email: null,
        subject: null,
        source: 'unassigned',
        verified: false,
      },
    };
  }
  if (claim.kind === 'managed' && code.kind === 'managed-deployment') {
    return {
      ok: true,
      identity: {
        userId: claim.userId,
        department: claim.department,
        displayName: null,
        email: null,
        subject: null,
        source: 'managed',
        verified: true,
      },
    };
  }
  if (!selfDeclaredAllowed) return { ok: false, refusal: claim.kind === 'managed' ? 'managed-code-required' : 'self-declared-disabled' };
  return {
    ok: true,
    identity: {
      userId: claim.userId,
      department: claim.department,
      displayName: null,
      email: null,
      subject: null,
      source: 'self-declared',
      verified: false,
    },
  };
}

/**
 * The claim an enrollment request makes. `identity` is absent in requests of extensions from
 * before issue 27: their managed configuration and their options page both sent a plain
 * `userId`; with a managed-deployment code it came from the policy, with any other code it
 * was typed.
 */
export function requestClaim(
  body: { identity?: 'managed' | 'typed' | 'oidc'; userId?: string; department?: string },
  codeKind: CodeKind,
): IdentityClaim {
  if (!body.userId) return { kind: 'none' };
  const department = body.department || null;
  const kind = body.identity ?? (codeKind === 'managed-deployment' ? 'managed' : 'typed');
  return kind === 'managed' ? { kind: 'managed', userId: body.userId, department } : { kind: 'typed', userId: body.userId, department };
}

/** One line of the console's group → role table, in the order the admin set it. */
export interface GroupRoleRule {
  group: string;
  role: string;
}

/**
 * The console role a person's groups give: the first rule (in the admin's order) whose group
 * the person is in; null when none matches (no SSO login at all). Group names compare exactly,
 * as directories spell them (Entra gives object ids, Keycloak paths such as `/baomi-approvers`
 * match a rule written that way).
 */
export function roleForGroups(groups: readonly string[], rules: readonly GroupRoleRule[]): string | null {
  const held = new Set(groups);
  return rules.find((rule) => held.has(rule.group))?.role ?? null;
}
