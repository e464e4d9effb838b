/**
 * The console's landing figures: blocks today and this month (company clock, like the
 * monthly report) by level and by channel, pending override requests, stale devices and
 * open incidents. Plain GROUP BY queries, the same on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { countDevices, deviceAlerts } from './devices';
import { countOpenIncidents } from './incidents';
import { monthRange } from './reports';

const BLOCK_ACTIONS = ['block', 'block-with-override'];
const DAY_MS = 86_400_000;

export interface BlockFigures {
  from: string;
  to: string;
  total: number;
  byLevel: Record<string, number>;
  byChannel: Record<string, number>;
}

/** A device whose guard may be gone: its extension removed, or its heartbeat stopped. */
export interface DeviceAlert {
  deviceId: string;
  userId: string;
  department: string | null;
  browser: string | null;
  lastSeenAt: string;
  uninstalledAt: string | null;
}

/** At most this many of each kind are listed; the counts say how many there are. */
export const ALERTS_LISTED = 20;

export interface Overview {
  utcOffsetMinutes: number;
  /** YYYY-MM-DD and YYYY-MM on the company clock. */
  day: string;
  month: string;
  today: BlockFigures;
  thisMonth: BlockFigures;
  pendingOverrides: number;
  staleDevices: number;
  /** Devices whose extension was removed (the uninstall page reported it); not revoked. */
  uninstalledDevices: number;
  /** The newest removals first, then the longest silent devices first. */
  alerts: { uninstalled: DeviceAlert[]; stale: DeviceAlert[] };
  devices: number;
  staleAfterHours: number;
  openIncidents: number;
  newIncidents: number;
}

/** The company-clock day and month holding `now`, as UTC ranges. */
export function companyPeriods(now: Date, utcOffsetMinutes: number) {
  const shift = utcOffsetMinutes * 60_000;
  const local = new Date(now.getTime() + shift);
  const day = local.toISOString().slice(0, 10);
  const month = day.slice(0, 7);
  const dayStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - shift;
  return {
    day,
    month,
    today: { from: new Date(dayStart).toISOString(), to: new Date(dayStart + DAY_MS).toISOString() },
    thisMonth: monthRange(month, utcOffsetMinutes),
  };
}

async function blockFigures(db: Kysely<Database>, range: { from: string; to: string }): Promise<BlockFigures> {
  const group = async (column: 'level' | 'channel') => {
    const rows = await db
      .selectFrom('events')
      .where('time', '>=', range.from)
      .where('time', '<', range.to)
      .where('action', 'in', BLOCK_ACTIONS)
      .select((eb) => [eb.ref(column).as('key'), eb.fn.countAll().as('n')])
      .groupBy(column)
      .execute();
    return Object.fromEntries(rows.map((row) => [(row.key as string | null) ?? 'none', Number(row.n)]));
  };
  const [byLevel, byChannel] = await Promise.all([group('level'), group('channel')]);
  const total = Object.values(byChannel).reduce((sum, n) => sum + n, 0);
  return { ...range, total, byLevel, byChannel };
}

export async function overview(db: Kysely<Database>, now: Date, staleAfterHours: number, utcOffsetMinutes: number): Promise<Overview> {
  const periods = companyPeriods(now, utcOffsetMinutes);
  const [today, thisMonth, pending, devices, alerts, openIncidents, newIncidents] = await Promise.all([
    blockFigures(db, periods.today),
    blockFigures(db, periods.thisMonth),
    db
      .selectFrom('overrides')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('state', '=', 'pending')
      .executeTakeFirst(),
    countDevices(db, now, staleAfterHours),
    deviceAlerts(db, now, staleAfterHours, ALERTS_LISTED),
    countOpenIncidents(db),
    db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'new')
      .executeTakeFirst(),
  ]);
  return {
    utcOffsetMinutes,
    day: periods.day,
    month: periods.month,
    today,
    thisMonth,
    pendingOverrides: Number(pending?.n ?? 0),
    staleDevices: devices.stale,
    uninstalledDevices: devices.uninstalled,
    alerts,
    devices: devices.active,
    staleAfterHours,
    openIncidents,
    newIncidents: Number(newIncidents?.n ?? 0),
  };
}
