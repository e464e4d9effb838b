/**
 * Numbers that are valid JSON but do not fit a database integer (PostgreSQL int4) must
 * never sink a batch: the one event is rejected, the rest stored; other routes answer 400.
 * Runs on SQLite and on PostgreSQL (BAOMI_TEST_DATABASE_URL).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { countEvents } from '../../../server/db/repositories/events';
import { createEventWriter } from '../../../server/db/event-writer';
import { prepareBatch } from '../../../server/lib/event-intake';
import { storeRows } from '../../../server/routes/device/events';
import { INT32_MAX } from '../../../utils/events/schema';
import {
  asDevice,
  createTestServer,
  enroll,
  login,
  makeEvent,
  ADMIN_PASSWORD,
  type AdminLogin,
  type EnrolledDevice,
  type TestServer,
} from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];

describe.each(backends)('integer bounds on $name', ({ name, skip }) => {
  let server: TestServer;
  let pgSchema: PgTestSchema | undefined;
  let device: EnrolledDevice;
  let admin: AdminLogin;

  beforeAll(async () => {
    if (skip) return;
    if (name === 'PostgreSQL') {
      pgSchema = await createPgTestSchema(TEST_DATABASE_URL!);
      server = await createTestServer({ databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema });
    } else {
      server = await createTestServer();
    }
    device = await enroll(server);
    admin = await login(server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  const post = (path: string, json: unknown, headers: Record<string, string>) => server.request(path, { method: 'POST', json, headers });

  it.skipIf(skip).each([
    ['policyVersion', { policyVersion: 2 ** 31 }],
    ['findingCount', { findingCount: 2 ** 31 }],
    ['detail.folded', { kind: 'queue-overflow', detail: { folded: 2 ** 53 } }],
  ] as const)('%s too large for its column: that event is rejected, the others stored', async (field, patch) => {
    const before = await countEvents(server.db);
    const t = Date.now();
    const events = [
      makeEvent(device.deviceId, {}, t),
      makeEvent(device.deviceId, patch as never, t + 1),
      makeEvent(device.deviceId, {}, t + 2),
    ];
    const res = await post('/api/v1/events', { events }, device.auth);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: string[]; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toEqual([events[0]!.id, events[2]!.id]);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]!.index).toBe(1);
    expect(body.rejected[0]!.reason).toContain(field);
    expect(await countEvents(server.db)).toBe(before + 2);
  });

  it.skipIf(skip)('control: the largest value that fits is stored as it is', async () => {
    const event = makeEvent(device.deviceId, { policyVersion: INT32_MAX, findingCount: INT32_MAX });
    const res = await post('/api/v1/events', { events: [event] }, device.auth);
    expect(((await res.json()) as { accepted: string[] }).accepted).toEqual([event.id]);
    const row = await server.db
      .selectFrom('events')
      .select(['policy_version', 'finding_count'])
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect([Number(row.policy_version), Number(row.finding_count)]).toEqual([INT32_MAX, INT32_MAX]);
  });

  it.skipIf(skip)('heartbeat and policy rollback with out-of-range integers → 400, not 500', async () => {
    const heartbeat = (queueDepth: number, policyVersion = 1) =>
      post('/api/v1/heartbeat', { extensionVersion: '0.1.0', policyVersion, queueDepth }, device.auth);
    expect((await heartbeat(2 ** 31)).status).toBe(400);
    expect((await heartbeat(0, 2 ** 31)).status).toBe(400);
    expect((await heartbeat(INT32_MAX, INT32_MAX)).status).toBe(200);
    expect((await post('/api/admin/policy/rollback', { version: 2 ** 31 }, admin.write)).status).toBe(400);
    expect((await server.request(`/api/admin/policy/versions/${2 ** 31}`, { headers: admin.get })).status).toBe(400);
  });

  it.skipIf(skip)('the net under the schema: a row the database refuses is rejected alone, the rest of the batch stored', async () => {
    const t = Date.now() + 10_000;
    const events = [0, 1, 2, 3].map((i) => makeEvent('dev-net', {}, t + i));
    const { rows } = prepareBatch(events, asDevice('dev-net'), new Date());
    (rows[2] as unknown as { user_id: null }).user_id = null; // NOT NULL violation, as a value out of range would be
    const result = await storeRows(createEventWriter(server.db, 2000, server.deps.sqlite), server.db, rows, (row) => rows.indexOf(row));
    expect(result.rejected.map((r) => r.index)).toEqual([2]);
    expect([...result.inserted].sort()).toEqual([events[0]!.id, events[1]!.id, events[3]!.id].sort());
    // A database that is down is not a bad row: that still fails (the device retries).
    const closed = await createTestServer();
    await closed.destroy();
    await expect(
      storeRows(createEventWriter(closed.db), closed.db, prepareBatch([makeEvent('x')], asDevice('x'), new Date()).rows, () => 0),
    ).rejects.toThrow();
    rmSync(closed.dir, { recursive: true, force: true });
  });
});
