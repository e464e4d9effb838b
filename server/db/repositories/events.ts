/** Violation events: idempotent batch insert by id, filtered listing, timeline buckets. */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Level } from '../../../utils/detect/types';
import type { EventFinding, ViolationEvent } from '../../../utils/events/schema';
import type { Action, Channel } from '../../../utils/policy/schema';
import type { Database, EventTable } from '../schema';

export type EventRow = EventTable;

/**
 * Inserts the rows in ONE transaction; a row whose id exists is skipped
 * (INSERT … ON CONFLICT DO NOTHING). Returns the ids actually inserted.
 */
export async function insertEvents(db: Kysely<Database>, rows: EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  return db.transaction().execute((trx) => insertEventRows(trx, rows));
}

/** The INSERTs of insertEvents, for a caller that already holds a transaction (db/event-writer.ts). */
export async function insertEventRows(trx: Kysely<Database>, rows: EventRow[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  // 500 rows × 19 columns stays under SQLite's 32766 and PostgreSQL's 65535 parameters.
  for (let i = 0; i < rows.length; i += 500) {
    const result = await trx
      .insertInto('events')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    for (const r of result) inserted.add(r.id);
  }
  return inserted;
}

export interface EventFilters {
  from?: string;
  to?: string;
  userId?: string;
  deviceId?: string;
  origin?: string;
  channel?: string;
  level?: string;
  action?: string;
}

function applyFilters<O>(query: SelectQueryBuilder<Database, 'events', O>, f: EventFilters) {
  let q = query;
  if (f.from) q = q.where('time', '>=', f.from);
  if (f.to) q = q.where('time', '<', f.to);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.deviceId) q = q.where('device_id', '=', f.deviceId);
  if (f.origin) q = q.where('origin', '=', f.origin);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.level) q = q.where('level', '=', f.level);
  if (f.action) q = q.where('action', '=', f.action);
  return q;
}

export interface EventItem {
  id: string;
  /** Stored as validated at intake (utils/events/schema.ts), so read back as its types. */
  kind: ViolationEvent['kind'];
  time: string;
  receivedAt: string;
  deviceId: string;
  userId: string;
  /** False when the device's identity was self-declared (shown 未验证 / Unverified). */
  userVerified: boolean;
  department: string | null;
  origin: string;
  destination: string | null;
  channel: Channel | null;
  action: Action;
  ruleId: string | null;
  level: Level | null;
  policyVersion: number;
  grantId: string | null;
  findingCount: number;
  findings: EventFinding[];
  detail: ViolationEvent['detail'] | null;
  extensionVersion: string | null;
  customerLevel: string | null;
  customerHash: string | null;
}

export function toEventItem(r: EventRow): EventItem {
  return {
    id: r.id,
    kind: r.kind as ViolationEvent['kind'],
    time: r.time,
    receivedAt: r.received_at,
    deviceId: r.device_id,
    userId: r.user_id,
    userVerified: Number(r.user_verified ?? 0) === 1,
    department: r.department,
    origin: r.origin,
    destination: r.destination,
    channel: r.channel as Channel | null,
    action: r.action as Action,
    ruleId: r.rule_id,
    level: r.level as Level | null,
    policyVersion: Number(r.policy_version),
    grantId: r.grant_id,
    findingCount: Number(r.finding_count),
    findings: JSON.parse(r.findings) as EventFinding[],
    detail: r.detail === null ? null : (JSON.parse(r.detail) as ViolationEvent['detail']),
    extensionVersion: r.extension_version,
    customerLevel: r.customer_level ?? null,
    customerHash: r.customer_hash ?? null,
  };
}

/**
 * A list page counts at most this many matching events (then says "10,000+"): an exact
 * COUNT(*) over a month of a busy company rescans ~470,000 rows on every page turn.
 */
export const EVENTS_COUNT_CAP = 10_000;

export interface EventPage {
  items: EventItem[];
  /** Exact when `totalExact`, else a lower bound (EVENTS_COUNT_CAP: "10,000+"). */
  total: number;
  totalExact: boolean;
}

export async function listEvents(
  db: Kysely<Database>,
  filters: EventFilters,
  page: number,
  pageSize: number,
  options: { exactCount?: boolean } = {},
): Promise<EventPage> {
  const counted = options.exactCount
    ? applyFilters(
        db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')),
        filters,
      )
    : db
        .selectFrom(
          applyFilters(db.selectFrom('events').select(sql<number>`1`.as('one')), filters)
            .limit(EVENTS_COUNT_CAP + 1)
            .as('capped'),
        )
        .select((eb) => eb.fn.countAll().as('n'));
  const [rows, count] = await Promise.all([
    applyFilters(db.selectFrom('events').selectAll(), filters)
      .orderBy('time', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    counted.executeTakeFirst(),
  ]);
  const n = Number(count?.n ?? 0);
  const totalExact = options.exactCount === true || n <= EVENTS_COUNT_CAP;
  return { items: rows.map(toEventItem), total: totalExact ? n : EVENTS_COUNT_CAP, totalExact };
}

/**
 * Every event of the filter, newest first, in keyset pages: each page starts below the
 * last (time, id) read, so page n costs what page 1 costs (OFFSET would rescan the
 * pages before it) and a caller holds one page at a time (the streamed CSV export).
 */
export async function* eventPagesNewestFirst(
  db: Kysely<Database>,
  filters: EventFilters,
  pageSize = 1000,
): AsyncGenerator<EventItem[], void, undefined> {
  let after: { time: string; id: string } | undefined;
  for (;;) {
    let query = applyFilters(db.selectFrom('events').selectAll(), filters);
    if (after) {
      const { time, id } = after;
      query = query.where((eb) => eb(eb.refTuple('time', 'id'), '<', eb.tuple(time, id)));
    }
    const rows = await query.orderBy('time', 'desc').orderBy('id', 'desc').limit(pageSize).execute();
    if (rows.length > 0) yield rows.map(toEventItem);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { time: last.time, id: last.id };
  }
}

export async function countEvents(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface TimelineBucket {
  start: string;
  count: number;
  byLevel: Record<string, number>;
}

const DAY_MS = 86_400_000;

/**
 * Events per hour or per day, by level. Days are the company's days
 * (`utcOffsetMinutes`, BAOMI_REPORT_UTC_OFFSET, like the monthly report): an event at
 * 07:30 Beijing time is 23:30 UTC the day before, and an auditor reading the chart
 * expects it on the Beijing date. A bucket's `start` is the instant its day begins there.
 *
 * SQL groups by the UTC hour (the ISO text prefix `YYYY-MM-DDTHH`: portable text ops,
 * SQLite and PostgreSQL alike); hours fold into days here. With an offset that is not a
 * whole number of hours (+05:30), an hour counts in the day its start falls in.
 */
export async function eventTimeline(
  db: Kysely<Database>,
  filters: Pick<EventFilters, 'from' | 'to'>,
  bucket: 'day' | 'hour',
  utcOffsetMinutes = 0,
): Promise<TimelineBucket[]> {
  const prefix = sql<string>`substr(time, 1, 13)`;
  const rows = await applyFilters(
    db.selectFrom('events').select((eb) => [prefix.as('bucket'), 'level', eb.fn.countAll().as('n')]),
    filters,
  )
    .groupBy([prefix, 'level'])
    .orderBy(prefix)
    .execute();
  const offsetMs = utcOffsetMinutes * 60_000;
  const buckets = new Map<number, TimelineBucket>();
  for (const row of rows) {
    const hour = Date.parse(`${row.bucket}:00:00.000Z`);
    if (!Number.isFinite(hour)) continue;
    const at = bucket === 'hour' ? hour : Math.floor((hour + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
    let b = buckets.get(at);
    if (!b) buckets.set(at, (b = { start: new Date(at).toISOString(), count: 0, byLevel: {} }));
    const n = Number(row.n);
    b.count += n;
    const level = row.level ?? 'none';
    b.byLevel[level] = (b.byLevel[level] ?? 0) + n;
  }
  // Rows come ordered by hour, so days arrive in order too.
  return [...buckets.values()];
}
