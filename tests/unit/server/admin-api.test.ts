import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../utils/policy';
import { verifyPayload } from '../../../utils/crypto/signing';
import {
  createTestServer,
  enroll,
  login,
  loginAs,
  makeEvent,
  ADMIN_PASSWORD,
  type AdminLogin,
  type EnrolledDevice,
  type TestServer,
} from './helpers';

describe('admin API', () => {
  let server: TestServer;
  let admin: AdminLogin;
  let device: EnrolledDevice;
  beforeAll(async () => {
    server = await createTestServer({
      rateLimits: {
        device: { capacity: 1000, refillPerSecond: 1000 },
        enroll: { capacity: 100, refillPerSecond: 1 },
        login: {
          freeFailures: 3,
          baseDelaySeconds: 60,
          maxDelaySeconds: 900,
          ipFailures: 50,
          ipWindowSeconds: 900,
          accountFailures: 100,
          accountWindowSeconds: 3600,
          forgetAfterSeconds: 86_400,
        },
      },
    });
    admin = await login(server, 'admin', ADMIN_PASSWORD);
    device = await enroll(server);
  });
  afterAll(async () => server.cleanup());

  it('login sets an HttpOnly SameSite=Strict cookie; /me returns user and CSRF token', async () => {
    const res = await server.request('/api/admin/login', { method: 'POST', json: { username: 'admin', password: ADMIN_PASSWORD } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^baomi_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, user: { username: 'admin', role: 'it-admin' } });
    const me = await (await server.request('/api/admin/me', { headers: { Cookie: cookie.split(';')[0]! } })).json();
    expect(me).toMatchObject({ ok: true, user: { username: 'admin' }, csrfToken: body.csrfToken });
    // Only the hash of the session id is stored.
    const sessions = await server.db.selectFrom('sessions').select('id_hash').execute();
    expect(sessions.some((s) => cookie.includes(s.id_hash))).toBe(false);
  });

  it('login attempts are rate limited per IP + username (429)', async () => {
    const attempt = () => server.request('/api/admin/login', { method: 'POST', json: { username: 'ghost', password: 'wrong-password' } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Another username is not affected.
    expect((await server.request('/api/admin/login', { method: 'POST', json: { username: 'other', password: 'x' } })).status).toBe(401);
  });

  it('sessions expire after 12 hours', async () => {
    const s = await login(server, 'admin', ADMIN_PASSWORD);
    server.advance(12 * 3_600_000 + 1000);
    expect((await server.request('/api/admin/me', { headers: s.get })).status).toBe(401);
    admin = await login(server, 'admin', ADMIN_PASSWORD);
  });

  it('policy: current v1 by system; validate; publish v2; 400 on invalid; history; rollback → v3 with v1 content', async () => {
    const current = await (await server.request('/api/admin/policy', { headers: admin.get })).json();
    expect(current.current).toMatchObject({ version: 1, publishedBy: 'system' });

    const invalid = { ...DEFAULT_POLICY, sync: { intervalMinutes: 0.1, staleAfterHours: 72 } };
    const v = await (
      await server.request('/api/admin/policy/validate', { method: 'POST', headers: admin.write, json: { policy: invalid } })
    ).json();
    expect(v).toMatchObject({ ok: true, valid: false });
    expect(v.errors[0].path).toBe('sync.intervalMinutes');
    const good = await (
      await server.request('/api/admin/policy/validate', { method: 'POST', headers: admin.write, json: { policy: DEFAULT_POLICY } })
    ).json();
    expect(good).toEqual({ ok: true, valid: true, errors: [] });

    const bad = await server.request('/api/admin/policy/publish', { method: 'POST', headers: admin.write, json: { policy: invalid } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe('sync.intervalMinutes');

    const edited = { ...DEFAULT_POLICY, name: '市场部策略', internalOrigins: ['https://crm.example.com'] };
    const pub = await server.request('/api/admin/policy/publish', {
      method: 'POST',
      headers: admin.write,
      json: { policy: edited, note: '加入 CRM' },
    });
    expect(await pub.json()).toEqual({ ok: true, version: 2 });

    // The device sees v2, signed, with a new ETag; its old ETag no longer matches.
    const res = await server.request('/api/v1/policy', { headers: { ...device.auth, 'If-None-Match': `"v1-${device.keyId}"` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe(`"v2-${device.keyId}"`);
    const { signed } = await res.json();
    expect(signed.payload).toMatchObject({ version: 2, name: '市场部策略' });
    expect(await verifyPayload('policy', signed.payload, signed.signature, device.publicKey)).toBe(true);

    const history = await (await server.request('/api/admin/policy/history', { headers: admin.get })).json();
    expect(history.items.map((i: { version: number }) => i.version)).toEqual([2, 1]);
    const rb = await (
      await server.request('/api/admin/policy/rollback', { method: 'POST', headers: admin.write, json: { version: 1 } })
    ).json();
    expect(rb).toEqual({ ok: true, version: 3 });
    const v3 = await (await server.request('/api/admin/policy/versions/3', { headers: admin.get })).json();
    expect(v3.policy).toMatchObject({ version: 3, name: DEFAULT_POLICY.name });
    expect((await server.request('/api/admin/policy/versions/99', { headers: admin.get })).status).toBe(404);
    expect(
      (await server.request('/api/admin/policy/rollback', { method: 'POST', headers: admin.write, json: { version: 99 } })).status,
    ).toBe(404);
  });

  it('override durations are capped by the current policy', async () => {
    const capped = { ...DEFAULT_POLICY, overrides: { allowed: true, maxDurationMinutes: 30 } };
    await server.request('/api/admin/policy/publish', { method: 'POST', headers: admin.write, json: { policy: capped } });
    const req = {
      reason: '给客户回电需要号码',
      origin: 'https://crm.example.com',
      channel: 'print',
      durationMinutes: 31,
      userId: 'zhang.san',
    };
    expect((await server.request('/api/v1/overrides', { method: 'POST', headers: device.auth, json: req })).status).toBe(400);
    const created = await (
      await server.request('/api/v1/overrides', { method: 'POST', headers: device.auth, json: { ...req, durationMinutes: 30 } })
    ).json();
    expect(
      (
        await server.request(`/api/admin/overrides/${created.id}/approve`, {
          method: 'POST',
          headers: admin.write,
          json: { durationMinutes: 45 },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await server.request(`/api/admin/overrides/${created.id}/approve`, {
          method: 'POST',
          headers: admin.write,
          json: { durationMinutes: 30 },
        })
      ).status,
    ).toBe(200);
    const off = { ...DEFAULT_POLICY, overrides: { allowed: false, maxDurationMinutes: 30 } };
    await server.request('/api/admin/policy/publish', { method: 'POST', headers: admin.write, json: { policy: off } });
    expect(
      (await server.request('/api/v1/overrides', { method: 'POST', headers: device.auth, json: { ...req, durationMinutes: 10 } })).status,
    ).toBe(403);
    await server.request('/api/admin/policy/publish', { method: 'POST', headers: admin.write, json: { policy: DEFAULT_POLICY } });
  });

  it('events: filters, paging, timeline buckets', async () => {
    const base = Date.parse('2026-03-10T09:30:00.000Z');
    const events = [
      makeEvent(device.deviceId, { level: '绝密', channel: 'print', action: 'block' }, base),
      makeEvent(device.deviceId, { level: '机密', userId: 'li.si', destination: 'https://pan.example.net' }, base + 3_600_000),
      makeEvent(device.deviceId, {}, base + 86_400_000),
      makeEvent(device.deviceId, {}, base + 86_400_000 + 60_000),
    ];
    await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events } });
    const q = async (query: string) => (await server.request(`/api/admin/events?${query}`, { headers: admin.get })).json();
    expect((await q('')).total).toBe(4);
    expect((await q('level=绝密')).items.map((i: { id: string }) => i.id)).toEqual([events[0]!.id]);
    // The device enrolled as zhang.san: the user an event claims is not what is stored (issue 27).
    expect((await q('userId=li.si')).total).toBe(0);
    expect((await q('userId=zhang.san')).total).toBe(4);
    expect((await q('channel=print&action=block')).total).toBe(1);
    expect((await q('from=2026-03-11&to=2026-03-12')).total).toBe(2);
    const page2 = await q('pageSize=3&page=2');
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0].findings[0].masked).toBe('138****5678');
    expect((await server.request('/api/admin/events?pageSize=201', { headers: admin.get })).status).toBe(400);

    const day = await (
      await server.request('/api/admin/events/timeline?from=2026-03-01&to=2026-04-01&bucket=day', { headers: admin.get })
    ).json();
    // Days on the company clock (default +08:00): 10 March in Beijing began at 16:00 UTC on the 9th.
    expect(day.utcOffsetMinutes).toBe(480);
    expect(day.buckets).toEqual([
      { start: '2026-03-09T16:00:00.000Z', count: 2, byLevel: { 绝密: 1, 机密: 1 } },
      { start: '2026-03-10T16:00:00.000Z', count: 2, byLevel: { 秘密: 2 } },
    ]);
    const hour = await (
      await server.request('/api/admin/events/timeline?from=2026-03-10&to=2026-03-11&bucket=hour', { headers: admin.get })
    ).json();
    expect(hour.buckets.map((b: { start: string }) => b.start)).toEqual(['2026-03-10T09:00:00.000Z', '2026-03-10T10:00:00.000Z']);
  });

  it('monthly report JSON and CSV (UTF-8 BOM); info-officer may not export', async () => {
    const report = await (await server.request('/api/admin/reports/monthly?month=2026-03', { headers: admin.get })).json();
    expect(report).toMatchObject({ ok: true, month: '2026-03', totals: { events: 4, blocked: 4 }, byLevel: { 秘密: 2, 机密: 1, 绝密: 1 } });
    expect(report.byUser[0]).toMatchObject({ userId: 'zhang.san', count: 4, verified: true });
    expect(report.topDestinations[0]).toEqual({ destination: 'https://mail.example.org', count: 3 });
    expect(report.overrides.requested).toBeGreaterThanOrEqual(1);
    expect(report.devices).toBe(1);
    const csv = await server.request('/api/admin/reports/monthly.csv?month=2026-03', { headers: admin.get });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('客户信息保密风险评估表');
    expect(text).not.toMatch(/\d{7,}/);
    const officer = await loginAs(server, 'info-officer');
    expect((await server.request('/api/admin/reports/monthly.csv?month=2026-03', { headers: officer.get })).status).toBe(403);
    expect((await server.request('/api/admin/reports/monthly?month=2026-3', { headers: admin.get })).status).toBe(400);
  });

  it('enrollment codes: create (shown once, stored hashed), max uses, expiry, revoke', async () => {
    const created = await server.request('/api/admin/enrollment-codes', {
      method: 'POST',
      headers: admin.write,
      json: { label: '市场部', maxUses: 1, expiresInDays: 1, kind: 'managed-deployment' },
    });
    expect(created.status).toBe(201);
    const { code, id } = await created.json();
    const stored = await server.db.selectFrom('enrollment_codes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(code);
    const use = (c: string) => server.request('/api/v1/enroll', { method: 'POST', json: { code: c, userId: 'wang.wu' } });
    expect((await use(code.toLowerCase())).status).toBe(201); // typed in lower case: still fine
    expect((await use(code)).status).toBe(403); // used up (named: enrollment-code-used-up)
    const list = await (await server.request('/api/admin/enrollment-codes', { headers: admin.get })).json();
    expect(list.items.find((c: { id: string }) => c.id === id)).toMatchObject({ uses: 1, maxUses: 1, status: 'used-up', label: '市场部' });

    const second = await (
      await server.request('/api/admin/enrollment-codes', {
        method: 'POST',
        headers: admin.write,
        json: { expiresInDays: 1, kind: 'managed-deployment' },
      })
    ).json();
    server.advance(2 * 86_400_000);
    expect((await use(second.code)).status).toBe(403); // expired
    admin = await login(server, 'admin', ADMIN_PASSWORD);

    const third = await (
      await server.request('/api/admin/enrollment-codes', { method: 'POST', headers: admin.write, json: { kind: 'managed-deployment' } })
    ).json();
    expect((await server.request(`/api/admin/enrollment-codes/${third.id}`, { method: 'DELETE', headers: admin.write })).status).toBe(200);
    expect((await server.request(`/api/admin/enrollment-codes/${third.id}`, { method: 'DELETE', headers: admin.write })).status).toBe(404);
    expect((await use(third.code)).status).toBe(403); // revoked
  });

  it('users: create (password ≥ 10), 409 on a taken name, new user can log in with its role', async () => {
    const mk = (body: object) => server.request('/api/admin/users', { method: 'POST', headers: admin.write, json: body });
    expect((await mk({ username: 'zhao', password: 'short', role: 'auditor', displayName: '赵' })).status).toBe(400);
    expect((await mk({ username: 'zhao', password: 'long-enough-1', role: 'boss', displayName: '赵' })).status).toBe(400);
    expect((await mk({ username: 'zhao', password: 'long-enough-1', role: 'auditor', displayName: '赵' })).status).toBe(201);
    expect((await mk({ username: 'zhao', password: 'long-enough-2', role: 'auditor', displayName: '赵' })).status).toBe(409);
    const zhao = await login(server, 'zhao', 'long-enough-1');
    const me = await (await server.request('/api/admin/me', { headers: zhao.get })).json();
    expect(me.user).toEqual({ mustChangePassword: false, username: 'zhao', role: 'auditor', displayName: '赵' });
    const stored = await server.db.selectFrom('users').select('password_hash').where('username', '=', 'zhao').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain('long-enough-1');
  });

  it('audit log records admin actions with who and what', async () => {
    const log = await (await server.request('/api/admin/audit-log?page=1&pageSize=200', { headers: admin.get })).json();
    const actions = new Set(log.items.map((i: { action: string }) => i.action));
    for (const a of [
      'login',
      'publish',
      'rollback',
      'override-approve',
      'enrollment-code-create',
      'enrollment-code-revoke',
      'user-create',
      'report-export',
      'login-failed',
    ]) {
      expect(actions, a).toContain(a);
    }
    const publish = log.items.find((i: { action: string }) => i.action === 'publish');
    expect(publish).toMatchObject({ actor: 'admin', target: expect.stringMatching(/^policy v\d+$/) });
  });

  it('console: /admin answers with a build hint when dist is missing', async () => {
    const res = await server.request('/admin/');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/not built/);
  });
});
