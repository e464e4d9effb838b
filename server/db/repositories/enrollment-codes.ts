/**
 * Enrollment codes. Stored as SHA-256 hashes with a short hint: a code is shown once
 * when created (or comes from BAOMI_ENROLLMENT_CODE); a database dump cannot enroll devices.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { Database } from '../schema';
import type { CodeIdentity, CodeKind } from '../../lib/identity';

export interface EnrollmentCodeInfo {
  id: string;
  hint: string;
  label: string | null;
  maxUses: number | null;
  uses: number;
  expiresAt: string | null;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
  /** 'active' | 'expired' | 'used-up' | 'revoked' */
  status: string;
  kind: CodeKind;
  /** A personal code: the person it was issued to. */
  issuedTo: { userId: string; department: string | null } | null;
}

type Row = Database['enrollment_codes'];

function statusOf(row: Pick<Row, 'revoked_at' | 'expires_at' | 'max_uses'> & { uses: number }, now: Date): string {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at && row.expires_at <= now.toISOString()) return 'expired';
  if (row.max_uses !== null && Number(row.uses) >= Number(row.max_uses)) return 'used-up';
  return 'active';
}

export async function createEnrollmentCode(
  db: Kysely<Database>,
  input: {
    codeHash: string;
    hint: string;
    label: string | null;
    maxUses: number | null;
    expiresAt: Date | null;
    createdBy: string;
    now: Date;
    kind?: CodeKind;
    issuedTo?: { userId: string; department: string | null } | null;
  },
): Promise<string> {
  const id = uuidv7(input.now.getTime());
  await db
    .insertInto('enrollment_codes')
    .values({
      id,
      code_hash: input.codeHash,
      code_hint: input.hint,
      label: input.label,
      max_uses: input.maxUses,
      expires_at: input.expiresAt?.toISOString() ?? null,
      revoked_at: null,
      created_by: input.createdBy,
      created_at: input.now.toISOString(),
      kind: input.kind ?? 'general',
      issued_to_user_id: input.issuedTo?.userId ?? null,
      issued_to_department: input.issuedTo?.department ?? null,
    })
    .onConflict((oc) => oc.column('code_hash').doNothing())
    .execute();
  return id;
}

export async function findCodeByHash(db: Kysely<Database>, codeHash: string) {
  return db.selectFrom('enrollment_codes').select(['id', 'revoked_at']).where('code_hash', '=', codeHash).executeTakeFirst();
}

/** Why a code cannot enroll: 'unknown', or its state ('revoked' | 'expired' | 'used-up'), or 'active'. */
export async function codeStatusByHash(db: Kysely<Database>, codeHash: string, now: Date): Promise<string> {
  const row = await db
    .selectFrom('enrollment_codes')
    .select(['revoked_at', 'expires_at', 'max_uses', 'uses'])
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  return row ? statusOf({ ...row, uses: Number(row.uses) }, now) : 'unknown';
}

/** What a code says about identity (its kind, the person a personal code names); null when unknown. */
export async function codeIdentityByHash(db: Kysely<Database>, codeHash: string): Promise<CodeIdentity | null> {
  const row = await db
    .selectFrom('enrollment_codes')
    .select(['kind', 'issued_to_user_id', 'issued_to_department'])
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    kind: (row.kind ?? 'general') as CodeKind,
    issuedTo: row.issued_to_user_id ? { userId: row.issued_to_user_id, department: row.issued_to_department ?? null } : null,
  };
}

export async function findCodeById(db: Kysely<Database>, id: string) {
  return db.selectFrom('enrollment_codes').select(['id', 'code_hint', 'label']).where('id', '=', id).executeTakeFirst();
}

export async function listEnrollmentCodes(db: Kysely<Database>, now: Date): Promise<EnrollmentCodeInfo[]> {
  const rows = await db.selectFrom('enrollment_codes').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map((row) => ({
    id: row.id,
    hint: row.code_hint,
    label: row.label,
    maxUses: row.max_uses === null ? null : Number(row.max_uses),
    uses: Number(row.uses),
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    status: statusOf({ ...row, uses: Number(row.uses) }, now),
    kind: (row.kind ?? 'general') as CodeKind,
    issuedTo: row.issued_to_user_id ? { userId: row.issued_to_user_id, department: row.issued_to_department ?? null } : null,
  }));
}

export async function countActiveCodes(db: Kysely<Database>, now: Date): Promise<number> {
  return (await listEnrollmentCodes(db, now)).filter((c) => c.status === 'active').length;
}

/** Returns false when there is no such code or it was already revoked. */
export async function revokeEnrollmentCode(db: Kysely<Database>, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('enrollment_codes')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Uses a code once, atomically: one conditional UPDATE, so two devices racing for the
 * last use cannot both win. Returns the code id, or null when unknown/expired/revoked/used up.
 */
export async function consumeEnrollmentCode(db: Kysely<Database>, codeHash: string, now: Date): Promise<string | null> {
  const iso = now.toISOString();
  const row = await db
    .updateTable('enrollment_codes')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('code_hash', '=', codeHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', iso)]))
    .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
