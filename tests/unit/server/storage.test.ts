/**
 * Repository tests run twice: on SQLite (always) and on PostgreSQL (when
 * BAOMI_TEST_DATABASE_URL is set; a fresh schema per file). Same queries, same results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { migrateToLatest } from '../../../server/db/migrations';
import { countEvents, eventTimeline, insertEvents, listEvents } from '../../../server/db/repositories/events';
import { currentPolicy, policyHistory, publishPolicy, ensureInitialPolicy } from '../../../server/db/repositories/policies';
import { consumeEnrollmentCode, createEnrollmentCode } from '../../../server/db/repositories/enrollment-codes';
import { createOverride, decideOverride, findOverride } from '../../../server/db/repositories/overrides';
import { createUser, UsernameTakenError } from '../../../server/db/repositories/users';
import { monthlyReport } from '../../../server/db/repositories/reports';
import { prepareBatch } from '../../../server/lib/event-intake';
import { createEventWriter } from '../../../server/db/event-writer';
import { DEFAULT_POLICY } from '../../../utils/policy';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import { asDevice, createTestServer, enroll, login, makeEvent, ADMIN_PASSWORD, type TestServer } from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];

describe.each(backends)('storage on $name', ({ name, skip }) => {
  let server: TestServer;
  let pgSchema: PgTestSchema | undefined;
  const now = new Date('2026-03-15T08:00:00.000Z');

  beforeAll(async () => {
    if (skip) return;
    if (name === 'PostgreSQL') {
      pgSchema = await createPgTestSchema(TEST_DATABASE_URL!);
      server = await createTestServer({ databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema });
    } else {
      server = await createTestServer();
    }
  });
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  it.skipIf(skip)('uses the expected backend; migrations and first-start work are idempotent', async () => {
    expect(server.dbKind).toBe(name === 'SQLite' ? 'sqlite' : 'postgres');
    await migrateToLatest(server.db);
    await ensureInitialPolicy(server.db, now);
    expect((await policyHistory(server.db)).map((h) => h.version)).toEqual([1]);
    expect((await currentPolicy(server.db))!.publishedBy).toBe('system');
  });

  it.skipIf(skip)('publishPolicy assigns version = last + 1 and publishedAt', async () => {
    const record = await publishPolicy(server.db, { policy: { ...DEFAULT_POLICY, name: 'p2' }, publishedBy: 'admin', note: null, now });
    expect(record.version).toBe(2);
    expect(record.policy).toMatchObject({ version: 2, publishedAt: now.toISOString(), name: 'p2' });
    expect((await currentPolicy(server.db))!.version).toBe(2);
  });

  it.skipIf(skip)('insertEvents is idempotent by id and reports what it inserted', async () => {
    const dev = 'dev-storage';
    const events = Array.from({ length: 120 }, (_, i) => makeEvent(dev, {}, now.getTime() + i * 1000));
    const { rows } = prepareBatch(events, asDevice(dev), now);
    const first = await insertEvents(server.db, rows);
    expect(first.size).toBe(120);
    const extra = prepareBatch([makeEvent(dev, {}, now.getTime())], asDevice(dev), now).rows;
    const second = await insertEvents(server.db, [...rows.slice(0, 10), ...extra]);
    expect([...second]).toEqual([extra[0]!.id]);
    expect(await countEvents(server.db)).toBe(121);
  });

  it.skipIf(skip)('group commit: a failing batch is retried alone and stores nothing; the others are stored', async () => {
    const writer = createEventWriter(server.db);
    const dev = 'dev-group';
    const rows = (n: number) =>
      prepareBatch(
        Array.from({ length: n }, (_, i) => makeEvent(dev, {}, now.getTime() + i)),
        asDevice(dev),
        now,
      ).rows;
    const broken = rows(3);
    (broken[1] as unknown as { origin: null }).origin = null;
    const results = await Promise.allSettled([writer.write(rows(7)), writer.write(broken), writer.write(rows(7))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await listEvents(server.db, { deviceId: dev }, 1, 200);
    expect(stored.total).toBe(14);
    await server.db.deleteFrom('events').where('device_id', '=', dev).execute();
  });

  it.skipIf(skip)('filters are parameters: SQL metacharacters match nothing and break nothing', async () => {
    for (const evil of ["' OR 1=1 --", 'x"; DROP TABLE events; --', '%', '_', '\\', '密级：机密', '😀'.repeat(20)]) {
      const result = await listEvents(server.db, { userId: evil, origin: evil }, 1, 50);
      expect(result.total).toBe(0);
    }
    expect(await countEvents(server.db)).toBe(121);
  });

  it.skipIf(skip)('timeline groups by day and hour', async () => {
    const day = await eventTimeline(server.db, { from: '2026-03-15T00:00:00.000Z', to: '2026-03-16T00:00:00.000Z' }, 'day');
    expect(day).toEqual([{ start: '2026-03-15T00:00:00.000Z', count: 121, byLevel: { 秘密: 121 } }]);
    const hour = await eventTimeline(server.db, {}, 'hour');
    expect(hour.map((b) => b.start)).toEqual(['2026-03-15T08:00:00.000Z']);
    // On the company clock: 08:xx UTC is 16:xx in Beijing (day from 16:00 UTC the day
    // before), and 22:xx on 14 March at UTC−10:00.
    const beijing = await eventTimeline(server.db, {}, 'day', 480);
    expect(beijing).toEqual([{ start: '2026-03-14T16:00:00.000Z', count: 121, byLevel: { 秘密: 121 } }]);
    const honolulu = await eventTimeline(server.db, {}, 'day', -600);
    expect(honolulu.map((b) => b.start)).toEqual(['2026-03-14T10:00:00.000Z']);
  });

  it.skipIf(skip)('enrollment code max uses hold under concurrent use', async () => {
    await createEnrollmentCode(server.db, {
      codeHash: 'h'.repeat(64),
      hint: 'HHHH…',
      label: null,
      maxUses: 3,
      expiresAt: null,
      createdBy: 't',
      now,
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => consumeEnrollmentCode(server.db, 'h'.repeat(64), now)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it.skipIf(skip)('an override is decided once even when two approvers race', async () => {
    const id = uuidv7(now.getTime());
    await createOverride(server.db, {
      id,
      device_id: 'd',
      user_id: 'u',
      origin: 'https://a.example',
      channel: 'copy',
      reason: 'r',
      duration_minutes: 10,
      state: 'pending',
      requested_at: now.toISOString(),
      decided_at: null,
      decided_by: null,
      decision_note: null,
      approved_minutes: null,
      expires_at: null,
      grant_json: null,
    });
    const decision = (state: string) => ({
      state,
      decided_at: now.toISOString(),
      decided_by: state,
      decision_note: null,
      approved_minutes: null,
      expires_at: null,
      grant_json: null,
    });
    const [a, b] = await Promise.all([
      decideOverride(server.db, id, decision('approved')),
      decideOverride(server.db, id, decision('denied')),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(['approved', 'denied']).toContain((await findOverride(server.db, id))!.state);
  });

  it.skipIf(skip)('usernames are unique', async () => {
    const input = { username: 'dup', passwordHash: 'x', role: 'auditor' as const, displayName: 'd', now };
    await createUser(server.db, input);
    await expect(createUser(server.db, input)).rejects.toBeInstanceOf(UsernameTakenError);
  });

  it.skipIf(skip)('monthly report aggregates (sums/counts come back as numbers)', async () => {
    const r = await monthlyReport(server.db, '2026-03', now, 72);
    expect(r.totals).toMatchObject({ events: 121, blocked: 121, findings: 121, users: 1, devicesReporting: 1 });
    expect(r.byLevel).toEqual({ 秘密: 121 });
    expect(r.byUser).toEqual([{ userId: 'zhang.san', department: '市场部', count: 121, blocked: 121, verified: true }]);
    expect(r.overrides).toMatchObject({ requested: 1 });
  });

  it.skipIf(skip)('HTTP flow on this backend: enroll, events twice, admin listing', async () => {
    const device = await enroll(server);
    const events = [
      makeEvent(device.deviceId),
      makeEvent(device.deviceId, { origin: 'https://x.example/13812345678' }),
      makeEvent(device.deviceId, { userId: 'nul\u0000user' }), // PostgreSQL text cannot hold U+0000
    ];
    for (let i = 0; i < 2; i++) {
      const res = await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events } });
      const body = await res.json();
      expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
      expect(i === 0 ? body.accepted : body.duplicates).toEqual([events[0]!.id]);
    }
    const admin = await login(server, 'admin', ADMIN_PASSWORD);
    const list = await (await server.request(`/api/admin/events?deviceId=${device.deviceId}`, { headers: admin.get })).json();
    expect(list.total).toBe(1);
  });
});
