/**
 * What each role may do (the domain policy: the IT administrator has every right;
 * information officers all but export and user management; approvers decide
 * overrides; auditors read). The server enforces; the console only hides.
 */
import type { Role } from './api';

export type Capability =
  | 'policy.view'
  | 'policy.edit'
  | 'events.view'
  | 'overrides.decide'
  | 'devices.view'
  | 'codes.manage'
  | 'devices.revoke'
  | 'report.view'
  | 'report.csv'
  | 'audit.view'
  | 'users.manage'
  | 'register.import';

const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  'it-admin': [
    'policy.view',
    'policy.edit',
    'events.view',
    'overrides.decide',
    'devices.view',
    'devices.revoke',
    'codes.manage',
    'report.view',
    'report.csv',
    'audit.view',
    'users.manage',
    'register.import',
  ],
  'info-officer': [
    'policy.view',
    'policy.edit',
    'events.view',
    'overrides.decide',
    'devices.view',
    'devices.revoke',
    'codes.manage',
    'report.view',
    'audit.view',
  ],
  approver: ['overrides.decide'],
  auditor: ['policy.view', 'events.view', 'devices.view', 'report.view', 'report.csv', 'audit.view'],
};

export function can(role: Role | string | undefined, capability: Capability): boolean {
  return (ROLE_CAPABILITIES[role as Role] ?? []).includes(capability);
}
