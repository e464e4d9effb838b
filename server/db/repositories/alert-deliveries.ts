/**
 * The alert outbox: one row per request and channel, written in the device's request
 * (nothing is sent there), claimed by a dispatcher with a lease, retried with back-off.
 * The claim is one UPDATE over a sub-select — on PostgreSQL `FOR UPDATE SKIP LOCKED`, so
 * processes sharing the database never claim the same row; SQLite has one writer.
 */
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { AlertDeliveryTable, Database } from '../schema';

export type AlertDeliveryRow = AlertDeliveryTable;
export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export async function enqueueDeliveries(
  db: Kysely<Database>,
  overrideId: string,
  channelIds: readonly string[],
  now: Date,
): Promise<number> {
  if (channelIds.length === 0) return 0;
  const at = now.toISOString();
  await db
    .insertInto('alert_deliveries')
    .values(
      channelIds.map((channelId) => ({
        id: uuidv7(now.getTime()),
        channel_id: channelId,
        override_id: overrideId,
        state: 'pending',
        attempts: 0,
        next_attempt_at: at,
        lease_until: null,
        last_attempt_at: null,
        last_error: null,
        delivered_at: null,
        created_at: at,
      })),
    )
    .execute();
  return channelIds.length;
}

/**
 * Takes up to `limit` due rows for this process: sets their lease and counts the attempt
 * (an attempt a crash interrupted still counts, so a message that kills the sender is not
 * tried forever).
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  options: { now: Date; leaseMs: number; limit: number; postgres: boolean },
): Promise<AlertDeliveryRow[]> {
  const at = options.now.toISOString();
  let due = db
    .selectFrom('alert_deliveries')
    .select('id')
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .orderBy('next_attempt_at')
    .limit(options.limit);
  if (options.postgres) due = due.forUpdate().skipLocked();
  return db
    .updateTable('alert_deliveries')
    .set({
      lease_until: new Date(options.now.getTime() + options.leaseMs).toISOString(),
      attempts: sql<number>`attempts + 1`,
      last_attempt_at: at,
    })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

export async function markDelivered(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('alert_deliveries')
    .set({ state: 'delivered', delivered_at: now.toISOString(), lease_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: retried at `retryAt`, or given up (`failed`, `cancelled`) when retryAt is null. */
export async function markAttemptFailed(
  db: Kysely<Database>,
  id: string,
  outcome: { error: { code: string; detail: string }; retryAt: Date | null; finalState?: DeliveryState },
): Promise<void> {
  await db
    .updateTable('alert_deliveries')
    .set({
      state: outcome.retryAt ? 'pending' : (outcome.finalState ?? 'failed'),
      next_attempt_at: outcome.retryAt ? outcome.retryAt.toISOString() : sql<string>`next_attempt_at`,
      lease_until: null,
      last_error: JSON.stringify(outcome.error),
    })
    .where('id', '=', id)
    .execute();
}

export interface DeliveryView {
  id: string;
  channelId: string;
  channelName: string | null;
  channelKind: string | null;
  overrideId: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: { code: string; detail: string } | null;
  createdAt: string;
}

function errorOf(json: string | null): DeliveryView['lastError'] {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as { code?: unknown; detail?: unknown };
    return { code: String(value.code ?? 'unknown'), detail: String(value.detail ?? '') };
  } catch {
    return { code: 'unknown', detail: json.slice(0, 300) };
  }
}

/** The latest deliveries, newest first, with their channel's name. */
export async function listDeliveries(db: Kysely<Database>, limit: number): Promise<DeliveryView[]> {
  const rows = await db
    .selectFrom('alert_deliveries as d')
    .leftJoin('alert_channels as c', 'c.id', 'd.channel_id')
    .select([
      'd.id',
      'd.channel_id',
      'd.override_id',
      'd.state',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.delivered_at',
      'd.last_error',
      'd.created_at',
      'c.name as channel_name',
      'c.kind as channel_kind',
    ])
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    channelName: row.channel_name ?? null,
    channelKind: row.channel_kind ?? null,
    overrideId: row.override_id,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.state === 'pending' ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    lastError: errorOf(row.last_error),
    createdAt: row.created_at,
  }));
}

/** Finished rows older than `before` (the outbox is not an archive; the audit log and the queue are). */
export async function purgeFinishedDeliveries(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('alert_deliveries')
    .where('state', 'in', ['delivered', 'failed', 'cancelled'])
    .where('created_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
