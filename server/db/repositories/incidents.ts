/** Suspected leaks reported by staff, and their handling (new → investigating → closed). */
import type { Kysely } from 'kysely';
import type { IncidentStatus } from '../../../utils/api/incident-api';
import type { Database, IncidentTable } from '../schema';

export type IncidentRow = IncidentTable;

export interface IncidentInfo {
  id: string;
  deviceId: string;
  userId: string;
  /** False when the device's identity was self-declared (shown 未验证 / Unverified). */
  userVerified: boolean;
  department: string | null;
  origin: string | null;
  description: string;
  occurredAt: string;
  reportedAt: string;
  status: IncidentStatus;
  statusNote: string | null;
  statusBy: string | null;
  statusAt: string | null;
}

export function toIncidentInfo(row: IncidentRow): IncidentInfo {
  return {
    id: row.id,
    deviceId: row.device_id,
    userId: row.user_id,
    userVerified: Number(row.user_verified ?? 0) === 1,
    department: row.department,
    origin: row.origin,
    description: row.description,
    occurredAt: row.occurred_at,
    reportedAt: row.reported_at,
    status: row.status as IncidentStatus,
    statusNote: row.status_note,
    statusBy: row.status_by,
    statusAt: row.status_at,
  };
}

export async function findIncident(db: Kysely<Database>, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores a report once: a resend with the same id (another answer lost) changes nothing. */
export async function createIncident(db: Kysely<Database>, row: IncidentRow): Promise<void> {
  await db
    .insertInto('incidents')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function listIncidents(
  db: Kysely<Database>,
  filter: { status?: IncidentStatus; page: number; pageSize: number },
): Promise<{ items: IncidentInfo[]; total: number }> {
  let query = db.selectFrom('incidents');
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('reported_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return { items: rows.map(toIncidentInfo), total: Number(count?.n ?? 0) };
}

/** Moves an incident to `status` with the handler's note. Undefined when there is no such incident. */
export async function setIncidentStatus(
  db: Kysely<Database>,
  id: string,
  change: { status: IncidentStatus; note: string | null; by: string; now: Date },
): Promise<{ before: IncidentStatus; after: IncidentInfo } | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const updated: IncidentRow = {
      ...row,
      status: change.status,
      status_note: change.note,
      status_by: change.by,
      status_at: change.now.toISOString(),
    };
    await trx
      .updateTable('incidents')
      .set({ status: updated.status, status_note: updated.status_note, status_by: updated.status_by, status_at: updated.status_at })
      .where('id', '=', id)
      .execute();
    return { before: row.status as IncidentStatus, after: toIncidentInfo(updated) };
  });
}

/** Incidents not closed yet (the overview's figure). */
export async function countOpenIncidents(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '!=', 'closed')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
