/**
 * Retention settings and the purge: rows past their retention are deleted in small
 * batches, each its own short statement, with the event loop free between batches — a
 * purge of months of events never holds SQLite's write lock (or a PostgreSQL transaction)
 * long enough to hold up device uploads.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';
import { DEFAULT_RETENTION, retentionCutoff, retentionDays, type Retention } from '../../lib/retention';
import { putSetting } from './settings';

export interface RetentionSetting extends Retention {
  updatedAt: string | null;
  updatedBy: string | null;
}

export async function getRetention(db: Kysely<Database>): Promise<RetentionSetting> {
  const rows = await db.selectFrom('settings').selectAll().where('name', 'in', ['retention-events-days', 'retention-audit-days']).execute();
  const byName = new Map(rows.map((row) => [row.name, row]));
  const latest = rows.reduce<(typeof rows)[number] | undefined>((a, b) => (!a || b.updated_at > a.updated_at ? b : a), undefined);
  return {
    eventsDays: retentionDays(byName.get('retention-events-days')?.value, DEFAULT_RETENTION.eventsDays),
    auditDays: retentionDays(byName.get('retention-audit-days')?.value, DEFAULT_RETENTION.auditDays),
    updatedAt: latest?.updated_at ?? null,
    updatedBy: latest?.updated_by ?? null,
  };
}

export async function putRetention(db: Kysely<Database>, retention: Retention, by: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await putSetting(trx, 'retention-events-days', String(retention.eventsDays), by, now);
    await putSetting(trx, 'retention-audit-days', String(retention.auditDays), by, now);
  });
}

/** Rows per DELETE: small enough that one statement takes milliseconds. */
export const PURGE_BATCH_ROWS = 1000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes rows of `table` whose time column is before `cutoff`, PURGE_BATCH_ROWS at a
 * time (oldest first, through the time index), yielding to the event loop between
 * batches. Returns how many were deleted.
 */
async function purgeTable(db: Kysely<Database>, table: 'events' | 'audit_log', column: 'time' | 'at', cutoff: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await sql`DELETE FROM ${sql.table(table)} WHERE id IN (
      SELECT id FROM ${sql.table(table)} WHERE ${sql.ref(column)} < ${cutoff} ORDER BY ${sql.ref(column)} LIMIT ${PURGE_BATCH_ROWS})`.execute(
      db,
    );
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < PURGE_BATCH_ROWS) return deleted;
    await nextTurn();
  }
}

export interface PurgeResult {
  events: number;
  audit: number;
  eventsBefore: string;
  auditBefore: string;
}

export async function purgeExpired(db: Kysely<Database>, retention: Retention, now: Date): Promise<PurgeResult> {
  const eventsBefore = retentionCutoff(now, retention.eventsDays);
  const auditBefore = retentionCutoff(now, retention.auditDays);
  const events = await purgeTable(db, 'events', 'time', eventsBefore);
  const audit = await purgeTable(db, 'audit_log', 'at', auditBefore);
  return { events, audit, eventsBefore, auditBefore };
}
