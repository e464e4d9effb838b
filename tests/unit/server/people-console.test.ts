/**
 * Issue 13's company features on the server, on SQLite and on PostgreSQL (when
 * BAOMI_TEST_DATABASE_URL is set): the overview figures on the company clock, staff leak
 * reports and their handling (audited), the company name, and one device row per
 * browser profile that enrols again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import {
  createTestServer,
  enroll,
  ENROLL_CODE,
  loginAs,
  makeEvent,
  type AdminLogin,
  type EnrolledDevice,
  type TestServer,
} from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];

const INSTALLATION = '0192f000-0000-7000-8000-00000000abcd';

describe.each(backends)('company features on $name', ({ name, skip }) => {
  let server: TestServer;
  let pgSchema: PgTestSchema | undefined;
  let device: EnrolledDevice;
  let admin: AdminLogin;

  beforeAll(async () => {
    if (skip) return;
    if (name === 'PostgreSQL') {
      pgSchema = await createPgTestSchema(TEST_DATABASE_URL!, 'baomi_people');
      server = await createTestServer({ databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema });
    } else {
      server = await createTestServer();
    }
    device = await enroll(server);
    admin = await loginAs(server, 'it-admin');
  });
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });
  const report = (body: Record<string, unknown>) =>
    server.request('/api/v1/incidents', { method: 'POST', headers: device.auth, json: body });
  const incident = (patch: Record<string, unknown> = {}) => ({
    incidentId: uuidv7(server.now().getTime()),
    description: '看到同事把客户名单拍照发到微信群',
    origin: 'https://crm.example.com',
    occurredAt: server.now().toISOString(),
    userId: 'zhang.san',
    department: '市场部',
    ...patch,
  });

  it.skipIf(skip)('overview: blocks today and this month on the company clock (+08:00), by level and channel', async () => {
    // Test clock: 2026-03-15T08:00Z = 16:00 in Beijing. The company day began at 2026-03-14T16:00Z.
    const at = (iso: string) => Date.parse(iso);
    const events = [
      makeEvent(device.deviceId, { level: '机密', channel: 'copy' }, at('2026-03-14T16:00:00.000Z')), // today, first minute
      makeEvent(device.deviceId, { level: '秘密', channel: 'print', action: 'block' }, at('2026-03-15T07:00:00.000Z')), // today
      makeEvent(device.deviceId, { level: '机密', channel: 'copy' }, at('2026-03-14T15:59:59.000Z')), // yesterday, this month
      makeEvent(device.deviceId, { level: '绝密', channel: 'paste', action: 'warn' }, at('2026-03-15T06:00:00.000Z')), // not a block
      makeEvent(device.deviceId, { level: '机密', channel: 'copy' }, at('2026-02-28T15:59:00.000Z')), // Feb 28 23:59 Beijing: last month
      makeEvent(device.deviceId, { level: '秘密', channel: 'upload' }, at('2026-02-28T16:00:00.000Z')), // Mar 1 00:00 Beijing: this month
    ];
    const posted = await json(await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events } }));
    expect(posted.body.accepted).toHaveLength(events.length);

    const { status, body } = await json(await server.request('/api/admin/overview', { headers: admin.get }));
    expect(status).toBe(200);
    expect(body.utcOffsetMinutes).toBe(480);
    expect(body.day).toBe('2026-03-15');
    expect(body.month).toBe('2026-03');
    expect(body.today).toMatchObject({ from: '2026-03-14T16:00:00.000Z', to: '2026-03-15T16:00:00.000Z', total: 2 });
    expect(body.today.byLevel).toEqual({ 机密: 1, 秘密: 1 });
    expect(body.today.byChannel).toEqual({ copy: 1, print: 1 });
    expect(body.thisMonth.total).toBe(4);
    expect(body.thisMonth.byLevel).toEqual({ 机密: 2, 秘密: 2 });
    expect(body.thisMonth.byChannel).toEqual({ copy: 2, print: 1, upload: 1 });
    expect(body).toMatchObject({ pendingOverrides: 0, openIncidents: 0, newIncidents: 0, devices: 1, staleDevices: 0 });
  });

  it.skipIf(skip)('overview: pending requests, stale devices and open incidents; only for roles that read', async () => {
    const asked = await server.request('/api/v1/overrides', {
      method: 'POST',
      headers: device.auth,
      json: { reason: '客户回访需要', origin: 'https://crm.example.com', channel: 'copy', durationMinutes: 30, userId: 'zhang.san' },
    });
    expect(asked.status).toBe(201);
    const stale = await enroll(server, 'li.si');
    expect(stale.deviceId).toBeTruthy();
    expect((await report(incident())).status).toBe(201);
    // 73 hours later only the device that sends a heartbeat is fresh (staleAfterHours 72 by default).
    server.advance(73 * 3_600_000);
    admin = await loginAs(server, 'it-admin'); // the session expired meanwhile
    const beat = await server.request('/api/v1/heartbeat', {
      method: 'POST',
      headers: device.auth,
      json: { extensionVersion: '0.1.0', policyVersion: 1, queueDepth: 0, browser: 'Chrome 156 · Windows' },
    });
    expect(beat.status).toBe(200);
    const { body } = await json(await server.request('/api/admin/overview', { headers: admin.get }));
    expect(body).toMatchObject({
      pendingOverrides: 1,
      devices: 2,
      staleDevices: 1,
      staleAfterHours: 72,
      openIncidents: 1,
      newIncidents: 1,
    });
    // The heartbeat's readable browser name replaced the enrolment's.
    const devices = await json(await server.request('/api/admin/devices', { headers: admin.get }));
    expect(devices.body.items.find((d: any) => d.id === device.deviceId).browser).toBe('Chrome 156 · Windows');

    for (const role of ['info-officer', 'auditor'] as const) {
      const session = await loginAs(server, role);
      expect((await server.request('/api/admin/overview', { headers: session.get })).status).toBe(200);
    }
    const approver = await loginAs(server, 'approver');
    expect((await server.request('/api/admin/overview', { headers: approver.get })).status).toBe(403);
    expect((await server.request('/api/admin/overview')).status).toBe(401);
  });

  it.skipIf(skip)('incident report: stored once with its origin, listed, handled (new → investigating → closed) and audited', async () => {
    const body = incident({ description: '打印的客户资料遗留在会议室' });
    const first = await json(await report(body));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ok: true, id: body.incidentId, status: 'new' });
    // Sent again (the first answer was lost): the same report, not a second one.
    const again = await json(await report(body));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(body.incidentId);
    expect((await json(await server.request(`/api/v1/incidents/${body.incidentId}`, { headers: device.auth }))).body.status).toBe('new');

    const list = await json(await server.request('/api/admin/incidents?status=new', { headers: admin.get }));
    const mine = list.body.items.filter((item: any) => item.id === body.incidentId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      userId: 'zhang.san',
      department: '市场部',
      origin: 'https://crm.example.com',
      description: '打印的客户资料遗留在会议室',
      status: 'new',
    });

    const officer = await loginAs(server, 'info-officer');
    const moved = await json(
      await server.request(`/api/admin/incidents/${body.incidentId}/status`, {
        method: 'POST',
        headers: officer.write,
        json: { status: 'investigating', note: '已联系部门负责人' },
      }),
    );
    expect(moved.status).toBe(200);
    expect(moved.body.item).toMatchObject({ status: 'investigating', statusNote: '已联系部门负责人', statusBy: 'info-officer-user' });
    server.advance(60_000);
    const closed = await json(
      await server.request(`/api/admin/incidents/${body.incidentId}/status`, {
        method: 'POST',
        headers: admin.write,
        json: { status: 'closed', note: '资料已回收销毁' },
      }),
    );
    expect(closed.body.item).toMatchObject({ status: 'closed', statusBy: 'admin' });
    expect((await json(await server.request(`/api/v1/incidents/${body.incidentId}`, { headers: device.auth }))).body.status).toBe('closed');

    const audit = await json(await server.request('/api/admin/audit-log?page=1', { headers: admin.get }));
    const entries = audit.body.items.filter(
      (entry: any) => entry.action === 'incident-status' && entry.target === `incident ${body.incidentId}`,
    );
    expect(entries.map((entry: any) => entry.detail)).toEqual([
      { from: 'investigating', to: 'closed', note: '资料已回收销毁' },
      { from: 'new', to: 'investigating', note: '已联系部门负责人' },
    ]);
    // Auditors read the list but do not handle; approvers do neither.
    const auditor = await loginAs(server, 'auditor');
    expect((await server.request('/api/admin/incidents', { headers: auditor.get })).status).toBe(200);
    expect(
      (
        await server.request(`/api/admin/incidents/${body.incidentId}/status`, {
          method: 'POST',
          headers: auditor.write,
          json: { status: 'new' },
        })
      ).status,
    ).toBe(403);
    const approver = await loginAs(server, 'approver');
    expect((await server.request('/api/admin/incidents', { headers: approver.get })).status).toBe(403);
    // An unknown incident is a 404; an unknown status a 400.
    expect(
      (
        await server.request(`/api/admin/incidents/${uuidv7()}/status`, {
          method: 'POST',
          headers: admin.write,
          json: { status: 'closed' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await server.request(`/api/admin/incidents/${body.incidentId}/status`, {
          method: 'POST',
          headers: admin.write,
          json: { status: 'done' },
        })
      ).status,
    ).toBe(400);
  });

  it.skipIf(skip)('incident report: a raw number, a page path or a bad origin is refused with a code; nothing is stored', async () => {
    const before = (await json(await server.request('/api/admin/incidents', { headers: admin.get }))).body.total;
    const cases = [
      [{ description: '客户电话 138 1234 5678 被发到外网' }, 'description', 'raw-number'],
      [{ description: '身份证号一三八一二三四五六七八' }, 'description', 'raw-number'],
      [{ origin: 'https://crm.example.com/customers/42' }, 'origin', 'origin-pattern'],
      [{ origin: 'javascript:alert(1)' }, 'origin', 'origin-pattern'],
      [{ userId: '13812345678' }, 'userId', 'raw-number'],
    ] as const;
    for (const [patch, path, code] of cases) {
      const res = await json(await report(incident(patch)));
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.error.issues[0]).toMatchObject({ path, code });
    }
    expect((await report(incident({ description: '短' }))).status).toBe(400);
    // The control: the same report without the number is stored, and with no page at all too.
    expect((await report(incident({ description: '客户电话被发到外网' }))).status).toBe(201);
    expect((await report(incident({ origin: null }))).status).toBe(201);
    const handled = await server.request(`/api/admin/incidents/${uuidv7()}/status`, {
      method: 'POST',
      headers: admin.write,
      json: { status: 'closed', note: '回拨 13812345678 确认' },
    });
    expect(handled.status).toBe(400);
    expect((await json(await server.request('/api/admin/incidents', { headers: admin.get }))).body.total).toBe(before + 2);
    // No token: 401; another device cannot read this device's report.
    expect((await server.request('/api/v1/incidents', { method: 'POST', json: incident() })).status).toBe(401);
    const other = await enroll(server, 'wang.wu');
    const mine = incident();
    expect((await report(mine)).status).toBe(201);
    expect((await server.request(`/api/v1/incidents/${mine.incidentId}`, { headers: other.auth })).status).toBe(404);
    // Nor reuse its id.
    const stolen = await server.request('/api/v1/incidents', { method: 'POST', headers: other.auth, json: { ...mine, userId: 'wang.wu' } });
    expect(stolen.status).toBe(400);
  });

  it.skipIf(skip)('company name: set by the IT administrator (audited), read by every role, cleared with an empty name', async () => {
    expect((await json(await server.request('/api/admin/settings/company', { headers: admin.get }))).body.name).toBe('');
    const officer = await loginAs(server, 'info-officer');
    expect(
      (await server.request('/api/admin/settings/company', { method: 'PUT', headers: officer.write, json: { name: 'X' } })).status,
    ).toBe(403);
    expect((await server.request('/api/admin/settings/company', { method: 'PUT', headers: admin.get, json: { name: 'X' } })).status).toBe(
      403,
    );
    const set = await json(
      await server.request('/api/admin/settings/company', {
        method: 'PUT',
        headers: admin.write,
        json: { name: ' 上海某某贸易有限公司 ' },
      }),
    );
    expect(set).toMatchObject({ status: 200, body: { name: '上海某某贸易有限公司', updatedBy: 'admin' } });
    for (const role of ['auditor', 'approver', 'info-officer'] as const) {
      const session = await loginAs(server, role);
      expect((await json(await server.request('/api/admin/settings/company', { headers: session.get }))).body.name).toBe(
        '上海某某贸易有限公司',
      );
    }
    const phone = await json(
      await server.request('/api/admin/settings/company', { method: 'PUT', headers: admin.write, json: { name: '热线 400-810-8888' } }),
    );
    expect(phone.status).toBe(400);
    expect(phone.body.error.issues[0].code).toBe('raw-number');
    expect((await json(await server.request('/api/admin/settings/company', { headers: admin.get }))).body.name).toBe(
      '上海某某贸易有限公司',
    );
    const audit = await json(await server.request('/api/admin/audit-log?page=1', { headers: admin.get }));
    expect(audit.body.items.find((entry: any) => entry.action === 'company-name').detail).toEqual({ from: '', to: '上海某某贸易有限公司' });
    const cleared = await json(
      await server.request('/api/admin/settings/company', { method: 'PUT', headers: admin.write, json: { name: '' } }),
    );
    expect(cleared.body.name).toBe('');
    expect((await json(await server.request('/api/admin/settings/company', { headers: admin.get }))).body.name).toBe('');
  });

  it.skipIf(skip)('re-enrolment of the same installation: one row, enrolment count, the old token retired', async () => {
    const enrollWith = async (installationId: string | undefined, browser: string) => {
      const res = await server.request('/api/v1/enroll', {
        method: 'POST',
        json: {
          code: ENROLL_CODE,
          userId: 'zhao.liu',
          deviceName: 'PC-07',
          browser,
          extensionVersion: '0.1.0',
          ...(installationId ? { installationId } : {}),
        },
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { deviceId: string; deviceToken: string };
    };
    const first = await enrollWith(INSTALLATION, 'Chrome 155 · Windows');
    const second = await enrollWith(INSTALLATION, 'Chrome 156 · Windows');
    const third = await enrollWith(INSTALLATION, 'Edge 156 · Windows');
    // The control: another profile without an installation id keeps its own row.
    const unrelated = await enrollWith(undefined, 'Firefox 140 · Linux');
    const { body } = await json(await server.request('/api/admin/devices', { headers: admin.get }));
    const rows = body.items.filter((d: any) => d.userId === 'zhao.liu');
    expect(rows.map((d: any) => d.id).sort()).toEqual([third.deviceId, unrelated.deviceId].sort());
    expect(rows.find((d: any) => d.id === third.deviceId)).toMatchObject({
      enrollments: 3,
      browser: 'Edge 156 · Windows',
      revokedAt: null,
    });
    expect(rows.find((d: any) => d.id === unrelated.deviceId).enrollments).toBe(1);
    const beat = (token: string) =>
      server.request('/api/v1/heartbeat', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        json: { extensionVersion: '0.1.0', policyVersion: 1, queueDepth: 0 },
      });
    expect((await beat(first.deviceToken)).status).toBe(401);
    expect((await beat(second.deviceToken)).status).toBe(401);
    expect((await beat(third.deviceToken)).status).toBe(200);
    expect((await beat(unrelated.deviceToken)).status).toBe(200);
  });
});
