/**
 * Retention (issue 28) on SQLite and on PostgreSQL (when BAOMI_TEST_DATABASE_URL is set):
 * the setting (default 180 / 1095 days, never under six months, IT administrator only,
 * audited), events older than it refused at intake one by one with their reason (a
 * recent event in the same batch is stored), and the purge deleting in batches exactly
 * what is past retention, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { countEvents, insertEvents } from '../../../server/db/repositories/events';
import { listAudit } from '../../../server/db/repositories/audit';
import { PURGE_BATCH_ROWS } from '../../../server/db/repositories/retention';
import { syntheticEventSlices } from '../../../bench/lib/synthetic-events';
import { createTestServer, enroll, loginAs, makeEvent, type TestServer } from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];
const DAY = 86_400_000;

describe.each(backends)('retention on $name', ({ name, skip }) => {
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
  });
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  it.skipIf(skip)(
    'defaults to 180 days of events and 3 years of audit log; only the IT administrator changes it, never under 180 days',
    async () => {
      const auditor = await loginAs(server, 'auditor');
      const read = await (await server.request('/api/admin/settings/retention', { headers: auditor.get })).json();
      expect(read).toMatchObject({ ok: true, eventsDays: 180, auditDays: 1095, minDays: 180, updatedAt: null });

      const officer = await loginAs(server, 'info-officer');
      const put = (who: typeof officer, json: unknown) =>
        server.request('/api/admin/settings/retention', { method: 'PUT', headers: who.write, json });
      expect((await put(officer, { eventsDays: 365, auditDays: 1095 })).status).toBe(403);
      const admin = await loginAs(server, 'it-admin');
      const tooShort = await put(admin, { eventsDays: 90, auditDays: 1095 });
      expect(tooShort.status).toBe(400);
      expect(JSON.stringify(await tooShort.json())).toContain('eventsDays');
      expect((await put(admin, { eventsDays: 181, auditDays: 1095.5 })).status).toBe(400);

      const changed = await put(admin, { eventsDays: 200, auditDays: 1200 });
      expect(changed.status).toBe(200);
      expect(await changed.json()).toMatchObject({ eventsDays: 200, auditDays: 1200, updatedBy: 'admin' });
      const entry = (await listAudit(server.db, 1, 10)).items.find((e) => e.action === 'retention-change');
      expect(entry?.detail).toEqual({ from: { eventsDays: 180, auditDays: 1095 }, to: { eventsDays: 200, auditDays: 1200 } });
      // Back to the defaults for the cases below.
      expect((await put(admin, { eventsDays: 180, auditDays: 1095 })).status).toBe(200);
    },
  );

  it.skipIf(skip)('refuses an event older than retention with its reason and stores the recent one beside it', async () => {
    const device = await enroll(server);
    const now = server.now().getTime();
    const old = makeEvent(device.deviceId, {}, now - 181 * DAY);
    const edge = makeEvent(device.deviceId, {}, now - 179 * DAY);
    const recent = makeEvent(device.deviceId, {}, now - 60_000);
    const before = await countEvents(server.db);
    const response = await server.request('/api/v1/events', {
      method: 'POST',
      headers: device.auth,
      json: { events: [old, edge, recent] },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accepted: string[]; rejected: { index: number; id: string; reason: string }[] };
    expect(body.accepted.sort()).toEqual([edge.id, recent.id].sort());
    expect(body.rejected).toEqual([{ index: 0, id: old.id, reason: 'retention: older than the retention period (180 days); not stored' }]);
    expect(await countEvents(server.db)).toBe(before + 2);
  });

  it.skipIf(skip)('purges in batches exactly the events and audit entries past retention, and audits the purge', async () => {
    const now = server.now();
    const keptBefore = await countEvents(server.db);
    const expired = PURGE_BATCH_ROWS * 2 + 345; // several batches and a partial one
    // One event every 10 minutes, ending one minute past the 180-day cutoff, then 500 inside it.
    const oldStart = new Date(now.getTime() - 180 * DAY - expired * 600_000);
    for (const rows of syntheticEventSlices(0, expired, 1000, { start: oldStart, stepMs: 600_000, devices: 50 })) {
      await insertEvents(server.db, rows);
    }
    const freshStart = new Date(now.getTime() - 170 * DAY);
    for (const rows of syntheticEventSlices(0, 500, 500, { start: freshStart, stepMs: 600_000, devices: 50 })) {
      await insertEvents(server.db, rows);
    }
    await server.db
      .insertInto('audit_log')
      .values([
        {
          id: 'old-audit-1',
          at: new Date(now.getTime() - 1100 * DAY).toISOString(),
          actor: 'admin',
          action: 'login',
          target: null,
          detail: null,
        },
        {
          id: 'kept-audit-1',
          at: new Date(now.getTime() - 1000 * DAY).toISOString(),
          actor: 'admin',
          action: 'login',
          target: null,
          detail: null,
        },
      ])
      .execute();

    const result = await server.deps.retention.purge(now);
    expect(result).toMatchObject({ events: expired, audit: 1 });
    expect(await countEvents(server.db)).toBe(keptBefore + 500);
    const oldest = await server.db
      .selectFrom('events')
      .select((eb) => eb.fn.min('time').as('t'))
      .executeTakeFirst();
    expect(String(oldest?.t) >= result.eventsBefore).toBe(true);
    const audit = (await listAudit(server.db, 1, 50)).items;
    expect(audit.some((e) => e.id === 'old-audit-1')).toBe(false);
    expect(audit.some((e) => e.id === 'kept-audit-1')).toBe(true);
    const purge = audit.find((e) => e.action === 'retention-purge');
    expect(purge?.target).toBe(`${expired} events, 1 audit entries`);

    // Nothing left to purge: nothing deleted, no new audit entry.
    expect(await server.deps.retention.purge(now)).toMatchObject({ events: 0, audit: 0 });
    expect((await listAudit(server.db, 1, 50)).items.filter((e) => e.action === 'retention-purge')).toHaveLength(1);
  });
});
