/** Override requests: pending → approved (with a signed grant) | denied; approved → expired by time. */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BlockDetail } from '../../../utils/api/device-api';
import type { ChosenScope } from '../../lib/grant-scope';
import type { Level } from '../../../utils/detect/types';
import type { Channel } from '../../../utils/policy/schema';
import type { OverrideState } from '../../../utils/api/device-api';
import type { Database, OverrideTable } from '../schema';

export type OverrideRow = OverrideTable;

export interface OverrideItem {
  id: string;
  deviceId: string;
  userId: string;
  /** False when the device's identity was self-declared (shown 未验证 / Unverified). */
  userVerified: boolean;
  origin: string;
  /** Stored as validated at intake, so read back as the schema's types. */
  channel: Channel;
  reason: string;
  durationMinutes: number;
  state: OverrideState;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
  expiresAt: string | null;
  /** The block behind the request: level, rule and masked samples (null for older requests). */
  level: Level | null;
  ruleId: string | null;
  masked: string[];
  /** The requesting device's department (from its enrollment). */
  department: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  /** What was blocked (reasons, counts, file, destination); null for older requests. */
  detail: BlockDetail | null;
  /** How many distinct findings a content grant would open (0: the request carries none). */
  contentCount: number;
  /** Identifies the blocked content (requests for different content are never grouped). */
  contentId: string | null;
  /** The scope the approver chose, once approved. */
  scope: ChosenScope | null;
  grantId: string | null;
  /** Actions the grant let through, from the asking device's events (the register of what was lent). */
  usedCount: number;
}

/** Approved grants past their expiry read as 'expired' (no background job needed). */
export function effectiveState(row: Pick<OverrideRow, 'state' | 'expires_at' | 'revoked_at'>, now: Date): OverrideState {
  if (row.state === 'approved' && row.revoked_at) return 'revoked';
  if (row.state === 'approved' && row.expires_at && row.expires_at <= now.toISOString()) return 'expired';
  return row.state as OverrideState;
}

function parsed<T>(json: string | null | undefined): T | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

export function detailOf(row: Pick<OverrideRow, 'detail'>): BlockDetail | null {
  return parsed<BlockDetail>(row.detail);
}

export function fingerprintsOf(row: Pick<OverrideRow, 'fingerprints'>): string[] {
  const value = parsed<unknown>(row.fingerprints);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function contentIdOf(fingerprints: readonly string[]): string | null {
  if (fingerprints.length === 0) return null;
  return createHash('sha256')
    .update([...fingerprints].sort().join(','))
    .digest('hex')
    .slice(0, 16);
}

function maskedOf(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export function toOverrideItem(row: OverrideRow & { department?: string | null }, now: Date): OverrideItem {
  return {
    id: row.id,
    deviceId: row.device_id,
    userId: row.user_id,
    userVerified: Number(row.user_verified ?? 0) === 1,
    origin: row.origin,
    channel: row.channel as Channel,
    reason: row.reason,
    durationMinutes: Number(row.approved_minutes ?? row.duration_minutes),
    state: effectiveState(row, now),
    requestedAt: row.requested_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    decisionNote: row.decision_note,
    expiresAt: row.expires_at,
    level: (row.level as Level | null) ?? null,
    ruleId: row.rule_id ?? null,
    masked: maskedOf(row.masked),
    department: row.department ?? null,
    revokedAt: row.revoked_at ?? null,
    revokedBy: row.revoked_by ?? null,
    detail: detailOf(row),
    contentCount: fingerprintsOf(row).length,
    contentId: contentIdOf(fingerprintsOf(row)),
    scope: parsed<ChosenScope>(row.scope_json),
    grantId: row.grant_id ?? null,
    usedCount: 0,
  };
}

export async function createOverride(db: Kysely<Database>, row: OverrideRow): Promise<void> {
  await db.insertInto('overrides').values(row).execute();
}

export async function findOverride(db: Kysely<Database>, id: string): Promise<OverrideRow | null> {
  return (await db.selectFrom('overrides').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listOverrides(db: Kysely<Database>, now: Date, state?: OverrideState): Promise<OverrideItem[]> {
  let q = db
    .selectFrom('overrides')
    .leftJoin('devices', 'devices.id', 'overrides.device_id')
    .selectAll('overrides')
    .select('devices.department as department');
  const iso = now.toISOString();
  if (state === 'expired')
    q = q.where('overrides.state', '=', 'approved').where('overrides.revoked_at', 'is', null).where('overrides.expires_at', '<=', iso);
  else if (state === 'approved')
    q = q.where('overrides.state', '=', 'approved').where('overrides.revoked_at', 'is', null).where('overrides.expires_at', '>', iso);
  else if (state === 'revoked') q = q.where('overrides.state', '=', 'approved').where('overrides.revoked_at', 'is not', null);
  else if (state) q = q.where('overrides.state', '=', state);
  const rows = await q.orderBy('overrides.requested_at', 'desc').limit(1000).execute();
  const items = rows.map((r) => toOverrideItem(r, now));
  const uses = await grantUses(db, items);
  for (const item of items) item.usedCount = (item.grantId && uses.get(`${item.grantId}|${item.deviceId}`)) || 0;
  return items;
}

/**
 * How many events each grant let through on the device it was issued to (an event naming
 * another device's grant is not counted). One grouped query over the grant-id index.
 */
export async function grantUses(
  db: Kysely<Database>,
  grants: readonly { grantId: string | null; deviceId: string }[],
): Promise<Map<string, number>> {
  const ids = [...new Set(grants.flatMap((grant) => (grant.grantId ? [grant.grantId] : [])))];
  const counts = new Map<string, number>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db
      .selectFrom('events')
      .select(['grant_id', 'device_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('grant_id', 'in', ids.slice(start, start + 500))
      .groupBy(['grant_id', 'device_id'])
      .execute();
    for (const row of rows) counts.set(`${row.grant_id}|${row.device_id}`, Number(row.n));
  }
  return counts;
}

/**
 * Moves a pending request to its decision with one conditional UPDATE (… WHERE state =
 * 'pending'): two approvers deciding at once cannot both win. Returns false when it was
 * not pending any more.
 */
export async function decideOverride(
  db: Kysely<Database>,
  id: string,
  decision: Pick<OverrideRow, 'state' | 'decided_at' | 'decided_by' | 'decision_note' | 'approved_minutes' | 'expires_at' | 'grant_json'> &
    Pick<OverrideRow, 'grant_id' | 'scope_json'>,
): Promise<boolean> {
  const result = await db.updateTable('overrides').set(decision).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks an approved request revoked (once: a second revoke finds revoked_at set). */
export async function revokeOverride(
  db: Kysely<Database>,
  id: string,
  revocation: { revoked_at: string; revoked_by: string; revocation_json: string },
): Promise<boolean> {
  const result = await db
    .updateTable('overrides')
    .set(revocation)
    .where('id', '=', id)
    .where('state', '=', 'approved')
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Who approved the grants some events name (key `grantId|deviceId`): the console says 按例外放行 and by whom. */
export async function grantApprovers(
  db: Kysely<Database>,
  events: readonly { grantId: string | null; deviceId: string }[],
): Promise<Map<string, { requestId: string; approver: string | null }>> {
  const ids = [...new Set(events.flatMap((event) => (event.grantId ? [event.grantId] : [])))];
  const found = new Map<string, { requestId: string; approver: string | null }>();
  if (ids.length === 0) return found;
  const rows = await db
    .selectFrom('overrides')
    .select(['id', 'grant_id', 'device_id', 'decided_by'])
    .where('grant_id', 'in', ids)
    .execute();
  for (const row of rows) found.set(`${row.grant_id}|${row.device_id}`, { requestId: row.id, approver: row.decided_by });
  return found;
}
