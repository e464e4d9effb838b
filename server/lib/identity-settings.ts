/** The console's identity settings (IT administrator), read where enrollment and SSO decide. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ROLES } from '../../utils/api/permissions';
import type { Database } from '../db/schema';
import { getSetting } from '../db/repositories/settings';

export const groupRoleRulesSchema = z.array(z.object({ group: z.string().trim().min(1).max(300), role: z.enum(ROLES) }).strict()).max(50);

export interface IdentitySettings {
  /** Small offices: a typed name enrolls, stored and shown as unverified. Off by default. */
  selfDeclared: boolean;
  /** Directory group → console role, first match wins (server/lib/identity.ts roleForGroups). */
  groupRoles: z.infer<typeof groupRoleRulesSchema>;
}

export async function readIdentitySettings(db: Kysely<Database>): Promise<IdentitySettings> {
  const [selfDeclared, groupRoles] = await Promise.all([getSetting(db, 'identity-self-declared'), getSetting(db, 'sso-group-roles')]);
  const rules = groupRoles ? groupRoleRulesSchema.safeParse(JSON.parse(groupRoles.value)) : null;
  return { selfDeclared: selfDeclared?.value === 'on', groupRoles: rules?.success ? rules.data : [] };
}
