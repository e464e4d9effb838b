/**
 * Events list and overview at scale (issue 28), on SQLite and PostgreSQL (when
 * BAOMI_TEST_DATABASE_URL is set): the list stops counting at 10,000 ("10,000+") unless an
 * exact count is asked for; a level or channel filter is served by its index in time order;
 * the overview's stale devices come from one aggregate query and match the device list.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { EVENTS_COUNT_CAP, insertEvents } from '../../../server/db/repositories/events';
import { countDevices, listDevices } from '../../../server/db/repositories/devices';
import { syntheticEventSlices } from '../../../bench/lib/synthetic-events';
import { createTestServer, loginAs, type TestServer } from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];
const TOTAL = 24_000;
const START = new Date('2026-02-01T00:00:00.000Z');

describe.each(backends)('events list and overview at scale on $name', ({ name, skip }) => {
  let server: TestServer;
  let pgSchema: PgTestSchema | undefined;

  beforeAll(async () => {
    if (skip) return;
    if (name === 'PostgreSQL') {
      pgSchema = await createPgTestSchema(TEST_DATABASE_URL!);
      server = await createTestServer({ databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema });
    } else {
      server = await createTestServer();
    }
    for (const rows of syntheticEventSlices(0, TOTAL, 4000, { start: START, stepMs: 60_000, devices: 200 }))
      await insertEvents(server.db, rows);
  }, 120_000);
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  const list = async (query: Record<string, string>) => {
    const auditor = await loginAs(server, 'auditor');
    const response = await server.request(`/api/admin/events?${new URLSearchParams(query)}`, { headers: auditor.get });
    expect(response.status).toBe(200);
    return (await response.json()) as { items: { time: string; level: string }[]; total: number; totalExact: boolean };
  };

  it.skipIf(skip)('says "10,000+" past the cap, counts exactly on request, and exactly under the cap', async () => {
    const capped = await list({ pageSize: '50' });
    expect(capped).toMatchObject({ total: EVENTS_COUNT_CAP, totalExact: false });
    expect(capped.items).toHaveLength(50);
    expect(await list({ pageSize: '50', exact: '1' })).toMatchObject({ total: TOTAL, totalExact: true });
    // 绝密 is every fourth event from index 2: 6,000 — under the cap, so exact without asking.
    const small = await list({ level: '绝密', pageSize: '50' });
    expect(small).toMatchObject({ total: TOTAL / 4, totalExact: true });
    expect(small.items.every((e) => e.level === '绝密')).toBe(true);
    const times = small.items.map((e) => e.time);
    expect(times).toEqual([...times].sort().reverse()); // newest first
    expect(times[0]).toBe(new Date(START.getTime() + (TOTAL - 2) * 60_000).toISOString());
  });

  it.skipIf(skip)('serves a level or a channel filter from an index, in time order', async () => {
    for (const [column, index] of [
      ['level', 'events_level_time_idx'],
      ['channel', 'events_channel_time_idx'],
    ] as const) {
      const query = sql`SELECT * FROM events WHERE ${sql.ref(column)} = ${column === 'level' ? '机密' : 'copy'} ORDER BY time DESC, id DESC LIMIT 50`;
      if (name === 'SQLite') {
        const plan = (await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${query}`.execute(server.db)).rows.map((r) => r.detail).join('\n');
        expect(plan).toContain(index);
        expect(plan).not.toContain('TEMP B-TREE'); // no sort: the index gives the order
      } else {
        await sql`ANALYZE events`.execute(server.db);
        const plan = (await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(server.db)).rows.map((r) => r['QUERY PLAN']).join('\n');
        // PostgreSQL's planner picks between this index and the time index by selectivity
        // (a quarter of the rows match here); either way page 1 is read in time order.
        expect(plan).toMatch(new RegExp(`Index Scan Backward using (${index}|events_time_idx)`));
        expect(plan).not.toContain('Seq Scan');
        expect(plan).not.toMatch(/->\s+Sort\s/); // no sort of every match (an incremental sort of equal times is fine)
      }
    }
  });

  it.skipIf(skip)('counts stale devices with one query, as the device list marks them', async () => {
    const now = server.now();
    const hours = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
    const device = (
      id: string,
      lastSeen: string | null,
      extra: { revoked_at?: string; replaced_by?: string; uninstalled_at?: string } = {},
    ) => ({
      id,
      token_hash: `hash-${id}`,
      user_id: 'u',
      enrolled_at: hours(500),
      last_seen_at: lastSeen,
      ...extra,
    });
    await server.db
      .insertInto('devices')
      .values([
        device('d-fresh', hours(1)),
        device('d-edge', hours(71)),
        device('d-stale', hours(73)),
        device('d-never', null), // enrolled 500 h ago, never seen
        device('d-revoked', hours(100), { revoked_at: hours(90) }),
        device('d-replaced', hours(200), { replaced_by: 'd-fresh' }),
        // Its extension was removed: an alert of its own, not counted stale.
        device('d-removed', hours(80), { uninstalled_at: hours(79) }),
      ])
      .execute();
    const counts = await countDevices(server.db, now, 72);
    const listed = await listDevices(server.db, now, 72);
    expect(counts).toEqual({
      all: listed.length,
      active: listed.filter((d) => !d.revokedAt).length,
      stale: listed.filter((d) => d.stale).length,
      uninstalled: listed.filter((d) => !d.revokedAt && d.uninstalledAt).length,
    });
    expect(counts).toEqual({ all: 6, active: 5, stale: 2, uninstalled: 1 });
    const admin = await loginAs(server, 'it-admin');
    const overview = (await (await server.request('/api/admin/overview', { headers: admin.get })).json()) as {
      staleDevices: number;
      devices: number;
    };
    expect(overview).toMatchObject({ staleDevices: 2, devices: 5 });
  });
});
