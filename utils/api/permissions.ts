/**
 * Who may do what in the admin console: the one role → permission table, enforced by
 * the server (lib/admin-auth.ts `can()`) and used by the console only to hide what a
 * role may not open. The domain policy: the IT administrator has every right;
 * information officers all but export and user management; approvers decide
 * overrides; auditors read (and export, to hand the report on).
 */
export const ROLES = ['it-admin', 'info-officer', 'approver', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'policy:read': ['it-admin', 'info-officer', 'auditor'],
  'policy:write': ['it-admin', 'info-officer'],
  'events:read': ['it-admin', 'info-officer', 'auditor'],
  'overrides:read': ['it-admin', 'info-officer', 'approver'],
  'overrides:decide': ['it-admin', 'info-officer', 'approver'],
  'devices:read': ['it-admin', 'info-officer', 'auditor'],
  'codes:read': ['it-admin', 'info-officer'],
  'codes:write': ['it-admin', 'info-officer'],
  'devices:revoke': ['it-admin', 'info-officer'],
  'reports:read': ['it-admin', 'info-officer', 'auditor'],
  /** Export (CSV): the domain policy gives information officers all rights except import/export. */
  'reports:export': ['it-admin', 'auditor'],
  'audit:read': ['it-admin', 'info-officer', 'auditor'],
  'users:manage': ['it-admin'],
  /** The landing page's figures: whoever reads events and devices. */
  'overview:read': ['it-admin', 'info-officer', 'auditor'],
  /** Suspected leaks staff reported: read by auditors, handled by the officers who investigate. */
  'incidents:read': ['it-admin', 'info-officer', 'auditor'],
  'incidents:handle': ['it-admin', 'info-officer'],
  /** Company settings (name on the report). */
  'settings:write': ['it-admin'],
  /** Customer register (issue 15): import is the domain policy's import/export right. */
  'register:import': ['it-admin'],
  'register:read': ['it-admin', 'info-officer', 'auditor'],
  /** Deployment (issue 27): the extension id, published versions and the policy files staff machines get. */
  'deployment:manage': ['it-admin'],
  /** Approval alerts (issue 26): the channels hold webhook tokens and SMTP passwords. */
  'alerts:manage': ['it-admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** The role that can manage users: at least one active account must keep it (last-admin rule). */
export const ADMIN_ROLE: Role = 'it-admin';

/** Unknown roles (an old session, a typo in a test) have no permission at all. */
export function hasPermission(role: Role | string | undefined, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).includes(role ?? '');
}
