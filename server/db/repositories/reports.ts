/**
 * Monthly risk assessment (客户信息保密风险评估表): counts over one calendar month of the
 * company's clock (BAOMI_REPORT_UTC_OFFSET, default +08:00: 1 November 00:00 Beijing time
 * is 31 October 16:00 UTC).
 * Plain GROUP BY queries that run the same on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { countDevices } from './devices';
import { grantUses } from './overrides';
import type { ChosenScope } from '../../lib/grant-scope';

export interface MonthlyReport {
  month: string;
  from: string;
  to: string;
  totals: { events: number; blocked: number; warned: number; audited: number; findings: number; users: number; devicesReporting: number };
  byLevel: Record<string, number>;
  byChannel: Record<string, number>;
  byAction: Record<string, number>;
  byDepartment: { department: string; count: number }[];
  /** `verified` false when any of the user's events came from a self-declared enrollment (shown 未验证). */
  byUser: { userId: string; department: string | null; count: number; blocked: number; verified: boolean }[];
  topDestinations: { destination: string; count: number }[];
  overrides: { requested: number; approved: number; denied: number; pending: number };
  staleDevices: number;
  devices: number;
  /** The rules that fired most this month. */
  topRules: { ruleId: string; count: number }[];
  /** Last month's totals, for the month-on-month trend. */
  previous: { month: string; events: number; blocked: number };
  /**
   * 客户信息借阅记录 (the domain policy's borrow register): every override approved this
   * month — who asked, department, who approved, why, for what, how long, and how it ended.
   */
  borrowRegister: BorrowEntry[];
  /** Customer register (issue 15): incidents and distinct customers (by keyed hash) per customer level. */
  customers: CustomerIncidents;
}

export interface CustomerIncidents {
  /** Distinct register customers touched this month. */
  distinct: number;
  byLevel: Record<string, { incidents: number; customers: number }>;
}

async function customerIncidents(db: Kysely<Database>, from: string, to: string): Promise<CustomerIncidents> {
  const inMonth = () => db.selectFrom('events').where('time', '>=', from).where('time', '<', to).where('customer_hash', 'is not', null);
  const rows = await inMonth()
    .select((eb) => ['customer_level', eb.fn.countAll().as('n'), eb.fn.count('customer_hash').distinct().as('customers')])
    .groupBy('customer_level')
    .execute();
  const distinct = await inMonth()
    .select((eb) => eb.fn.count('customer_hash').distinct().as('n'))
    .executeTakeFirst();
  return {
    distinct: Number(distinct?.n ?? 0),
    byLevel: Object.fromEntries(rows.map((r) => [r.customer_level ?? 'none', { incidents: Number(r.n), customers: Number(r.customers) }])),
  };
}

export interface BorrowEntry {
  id: string;
  requestedAt: string;
  userId: string;
  userVerified: boolean;
  department: string | null;
  approver: string | null;
  reason: string;
  origin: string;
  channel: string;
  level: string | null;
  approvedAt: string | null;
  minutes: number;
  expiresAt: string | null;
  /** 'active' (still valid at report time), 'expired' or 'revoked' (then endedAt and revokedBy). */
  ended: 'active' | 'expired' | 'revoked';
  endedAt: string | null;
  revokedBy: string | null;
  /** What the approver allowed (null for grants issued before scopes) and how often it was used. */
  scope: ChosenScope | null;
  used: number;
}

/** YYYY-MM of the month before. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function monthRange(month: string, utcOffsetMinutes = 0): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const shift = utcOffsetMinutes * 60_000;
  return {
    from: new Date(Date.UTC(y, m - 1, 1) - shift).toISOString(),
    to: new Date(Date.UTC(y, m, 1) - shift).toISOString(),
  };
}

/** Users the report page lists (the most events first); its CSV lists them all. */
export const REPORT_PAGE_USERS = 100;

type GroupColumn = 'level' | 'channel' | 'action' | 'department' | 'destination' | 'rule_id';

export async function monthlyReport(
  db: Kysely<Database>,
  month: string,
  now: Date,
  staleAfterHours: number,
  utcOffsetMinutes = 0,
  /** The page shows the top 100 users; the CSV asks for every user (null). */
  usersLimit: number | null = REPORT_PAGE_USERS,
): Promise<MonthlyReport> {
  const { from, to } = monthRange(month, utcOffsetMinutes);
  const inMonth = () => db.selectFrom('events').where('time', '>=', from).where('time', '<', to);
  const group = async (column: GroupColumn, limit = 1000) => {
    const rows = await inMonth()
      .select((eb) => [eb.ref(column).as('key'), eb.fn.countAll().as('n')])
      .groupBy(column)
      .orderBy('n', 'desc')
      .orderBy(column)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ key: r.key as string | null, count: Number(r.n) }));
  };
  const toRecord = (rows: { key: string | null; count: number }[]) => Object.fromEntries(rows.map((r) => [r.key ?? 'none', r.count]));

  const totalsRow = await inMonth()
    .select((eb) => [
      eb.fn.countAll().as('events'),
      eb.fn.sum<number>('finding_count').as('findings'),
      eb.fn.count('user_id').distinct().as('users'),
      eb.fn.count('device_id').distinct().as('devices'),
    ])
    .executeTakeFirst();
  const [byLevel, byChannel, byAction, byDepartment, destinations, rules] = await Promise.all([
    group('level'),
    group('channel'),
    group('action'),
    group('department'),
    group('destination', 11),
    group('rule_id', 11),
  ]);
  const last = previousMonth(month);
  const lastRange = monthRange(last, utcOffsetMinutes);
  const lastRow = await db
    .selectFrom('events')
    .where('time', '>=', lastRange.from)
    .where('time', '<', lastRange.to)
    .select((eb) => [
      eb.fn.countAll().as('events'),
      eb.fn.sum<number>(eb.case().when('action', 'in', ['block', 'block-with-override']).then(1).else(0).end()).as('blocked'),
    ])
    .executeTakeFirst();
  const borrowRows = await db
    .selectFrom('overrides')
    .leftJoin('devices', 'devices.id', 'overrides.device_id')
    .selectAll('overrides')
    .select('devices.department as department')
    .where('overrides.state', '=', 'approved')
    .where('overrides.decided_at', '>=', from)
    .where('overrides.decided_at', '<', to)
    .orderBy('overrides.decided_at')
    .execute();
  const nowIso = now.toISOString();
  const borrowUses = await grantUses(
    db,
    borrowRows.map((row) => ({ grantId: row.grant_id ?? null, deviceId: row.device_id })),
  );
  const userRows = await inMonth()
    .select((eb) => [
      'user_id',
      eb.fn.max('department').as('department'),
      eb.fn.min('user_verified').as('verified'),
      eb.fn.countAll().as('n'),
      eb.fn.sum<number>(eb.case().when('action', 'in', ['block', 'block-with-override']).then(1).else(0).end()).as('blocked'),
    ])
    .groupBy('user_id')
    .orderBy('n', 'desc')
    .orderBy('user_id')
    .$if(usersLimit !== null, (q) => q.limit(usersLimit!))
    .execute();
  const overrideRows = await db
    .selectFrom('overrides')
    .select((eb) => ['state', eb.fn.countAll().as('n')])
    .where('requested_at', '>=', from)
    .where('requested_at', '<', to)
    .groupBy('state')
    .execute();
  const overrideCount = (state: string) => Number(overrideRows.find((r) => r.state === state)?.n ?? 0);
  const devices = await countDevices(db, now, staleAfterHours);
  const actions = toRecord(byAction);
  const customers = await customerIncidents(db, from, to);

  return {
    month,
    from,
    to,
    totals: {
      events: Number(totalsRow?.events ?? 0),
      blocked: (actions['block'] ?? 0) + (actions['block-with-override'] ?? 0),
      warned: actions['warn'] ?? 0,
      audited: actions['audit'] ?? 0,
      findings: Number(totalsRow?.findings ?? 0),
      users: Number(totalsRow?.users ?? 0),
      devicesReporting: Number(totalsRow?.devices ?? 0),
    },
    byLevel: toRecord(byLevel),
    byChannel: toRecord(byChannel),
    byAction: actions,
    byDepartment: byDepartment.map((r) => ({ department: r.key ?? '(none)', count: r.count })),
    byUser: userRows.map((r) => ({
      userId: r.user_id,
      department: (r.department as string | null) ?? null,
      count: Number(r.n),
      blocked: Number(r.blocked ?? 0),
      verified: Number(r.verified ?? 0) === 1,
    })),
    topDestinations: destinations
      .filter((r) => r.key !== null)
      .slice(0, 10)
      .map((r) => ({ destination: r.key!, count: r.count })),
    overrides: {
      requested: overrideRows.reduce((sum, r) => sum + Number(r.n), 0),
      approved: overrideCount('approved'),
      denied: overrideCount('denied'),
      pending: overrideCount('pending'),
    },
    staleDevices: devices.stale,
    devices: devices.all,
    topRules: rules
      .filter((r) => r.key !== null)
      .slice(0, 10)
      .map((r) => ({ ruleId: r.key!, count: r.count })),
    previous: { month: last, events: Number(lastRow?.events ?? 0), blocked: Number(lastRow?.blocked ?? 0) },
    borrowRegister: borrowRows.map((row) => {
      const revoked = row.revoked_at ?? null;
      const ended: BorrowEntry['ended'] = revoked ? 'revoked' : row.expires_at && row.expires_at <= nowIso ? 'expired' : 'active';
      return {
        id: row.id,
        requestedAt: row.requested_at,
        userId: row.user_id,
        userVerified: Number(row.user_verified ?? 0) === 1,
        department: (row.department as string | null) ?? null,
        approver: row.decided_by,
        reason: row.reason,
        origin: row.origin,
        channel: row.channel,
        level: row.level ?? null,
        approvedAt: row.decided_at,
        minutes: Number(row.approved_minutes ?? row.duration_minutes),
        expiresAt: row.expires_at,
        ended,
        endedAt: ended === 'revoked' ? revoked : ended === 'expired' ? row.expires_at : null,
        revokedBy: row.revoked_by ?? null,
        scope: row.scope_json ? (JSON.parse(row.scope_json) as ChosenScope) : null,
        used: (row.grant_id && borrowUses.get(`${row.grant_id}|${row.device_id}`)) || 0,
      };
    }),
    customers,
  };
}
