/** Company-wide settings kept in the database (shared by every server process). */
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export const SETTING_NAMES = [
  'company-name',
  'retention-events-days',
  'retention-audit-days',
  'identity-self-declared',
  'sso-group-roles',
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export interface SettingValue {
  value: string;
  updatedAt: string;
  updatedBy: string;
}

export async function getSetting(db: Kysely<Database>, name: SettingName): Promise<SettingValue | null> {
  const row = await db.selectFrom('settings').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? { value: row.value, updatedAt: row.updated_at, updatedBy: row.updated_by } : null;
}

/** Sets (or, with an empty value, clears) a setting. */
export async function putSetting(db: Kysely<Database>, name: SettingName, value: string, by: string, now: Date): Promise<void> {
  if (value === '') {
    await db.deleteFrom('settings').where('name', '=', name).execute();
    return;
  }
  const row = { name, value, updated_at: now.toISOString(), updated_by: by };
  await db
    .insertInto('settings')
    .values(row)
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: row.updated_by }))
    .execute();
}
