/**
 * Who is who (issue 27), server-enforced: which enrollments bind which identity, and that
 * events, override requests and incident reports carry the device's enrolled identity,
 * never the user id the device sends later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import { createTestServer, loginAs, makeEvent, type AdminLogin, type TestServer } from './helpers';

describe('enrollment identity modes', () => {
  let server: TestServer;
  let admin: AdminLogin;
  beforeAll(async () => {
    server = await createTestServer();
    admin = await loginAs(server, 'it-admin');
  });
  afterAll(async () => server.cleanup());

  const newCode = async (body: Record<string, unknown>) => {
    const res = await server.request('/api/admin/enrollment-codes', { method: 'POST', headers: admin.write, json: body });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; code: string };
  };
  const enroll = (json: Record<string, unknown>) => server.request('/api/v1/enroll', { method: 'POST', json });
  const setSelfDeclared = async (selfDeclared: boolean) => {
    const res = await server.request('/api/admin/settings/identity', {
      method: 'PUT',
      headers: admin.write,
      json: { selfDeclared, groupRoles: [] },
    });
    expect(res.status).toBe(200);
  };
  const devices = async () =>
    (await (await server.request('/api/admin/devices', { headers: admin.get })).json()).items as {
      id: string;
      userId: string;
      userVerified: boolean;
      identitySource: string;
    }[];

  it('a typed name is refused while the self-declared mode is off, and the code is not used up', async () => {
    const { id, code } = await newCode({ maxUses: 1 });
    const refused = await enroll({ code, userId: 'anyone', identity: 'typed' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('self-declared-disabled');
    // Same for an older extension (no `identity` field) with a general code.
    expect((await (await enroll({ code, userId: 'anyone' })).json()).error.code).toBe('self-declared-disabled');
    const codes = (await (await server.request('/api/admin/enrollment-codes', { headers: admin.get })).json()).items;
    expect(codes.find((c: { id: string }) => c.id === id)).toMatchObject({ uses: 0, status: 'active', kind: 'general' });
  });

  it('a managed-configuration user needs a managed-deployment code', async () => {
    const { code } = await newCode({});
    expect((await (await enroll({ code, userId: 'wang.wu', identity: 'managed' })).json()).error.code).toBe('managed-code-required');
    const managed = await newCode({ kind: 'managed-deployment' });
    const res = await enroll({ code: managed.code, userId: 'wang.wu', department: '市场部', identity: 'managed' });
    expect(res.status).toBe(201);
    expect((await res.json()).identity).toEqual({
      userId: 'wang.wu',
      department: '市场部',
      displayName: null,
      source: 'managed',
      verified: true,
    });
    // One company-wide policy file names no user: the device enrolls under no person, unverified.
    const unnamed = await enroll({ code: managed.code, identity: 'managed' });
    expect(unnamed.status).toBe(201);
    expect((await unnamed.json()).identity).toMatchObject({ userId: '(unassigned)', source: 'unassigned', verified: false });
  });

  it('a personal code enrolls its person, whatever is typed; the console lists whom it was issued to', async () => {
    const personal = await newCode({ kind: 'personal', issuedTo: { userId: 'li.si', department: '财务部' }, label: '李四' });
    const res = await enroll({ code: personal.code, userId: 'someone.else', identity: 'typed' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.identity).toMatchObject({ userId: 'li.si', department: '财务部', source: 'personal-code', verified: true });
    expect((await devices()).find((d) => d.id === body.deviceId)).toMatchObject({
      userId: 'li.si',
      userVerified: true,
      identitySource: 'personal-code',
    });
    const codes = (await (await server.request('/api/admin/enrollment-codes', { headers: admin.get })).json()).items;
    expect(codes.find((c: { id: string }) => c.id === personal.id)).toMatchObject({
      kind: 'personal',
      issuedTo: { userId: 'li.si', department: '财务部' },
    });
    // A personal code names a person; another kind names nobody.
    expect(
      (await server.request('/api/admin/enrollment-codes', { method: 'POST', headers: admin.write, json: { kind: 'personal' } })).status,
    ).toBe(400);
    expect(
      (
        await server.request('/api/admin/enrollment-codes', {
          method: 'POST',
          headers: admin.write,
          json: { kind: 'general', issuedTo: { userId: 'x' } },
        })
      ).status,
    ).toBe(400);
  });

  it('with the self-declared mode on, a typed name enrolls unverified and stays unverified on events, requests and reports', async () => {
    await setSelfDeclared(true);
    const { code } = await newCode({});
    const res = await enroll({ code, userId: 'typed.name', department: '前台', identity: 'typed' });
    expect(res.status).toBe(201);
    const device = await res.json();
    expect(device.identity).toMatchObject({ userId: 'typed.name', source: 'self-declared', verified: false });
    expect((await devices()).find((d) => d.id === device.deviceId)).toMatchObject({ userVerified: false, identitySource: 'self-declared' });
    const auth = { Authorization: `Bearer ${device.deviceToken}` };
    const event = makeEvent(device.deviceId, { userId: 'typed.name' }, server.now().getTime());
    expect(
      (await (await server.request('/api/v1/events', { method: 'POST', headers: auth, json: { events: [event] } })).json()).accepted,
    ).toEqual([event.id]);
    const events = (await (await server.request(`/api/admin/events?deviceId=${device.deviceId}`, { headers: admin.get })).json()).items;
    expect(events[0]).toMatchObject({ userId: 'typed.name', userVerified: false });
    const month = server.now().toISOString().slice(0, 7);
    const report = await (await server.request(`/api/admin/reports/monthly?month=${month}`, { headers: admin.get })).json();
    expect(report.byUser.find((u: { userId: string }) => u.userId === 'typed.name')).toMatchObject({ verified: false });
    await setSelfDeclared(false);
  });

  it('events, override requests and incident reports carry the enrolled identity, not what the device says later', async () => {
    const personal = await newCode({ kind: 'personal', issuedTo: { userId: 'zhao.liu', department: '客服部' } });
    const device = await (await enroll({ code: personal.code })).json();
    const auth = { Authorization: `Bearer ${device.deviceToken}` };
    const forged = makeEvent(device.deviceId, { userId: 'the.boss', department: '总经办' }, server.now().getTime());
    const upload = await (await server.request('/api/v1/events', { method: 'POST', headers: auth, json: { events: [forged] } })).json();
    expect(upload.accepted).toEqual([forged.id]);
    const stored = await server.db.selectFrom('events').selectAll().where('id', '=', forged.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ user_id: 'zhao.liu', department: '客服部', user_verified: 1 });

    const request = await server.request('/api/v1/overrides', {
      method: 'POST',
      headers: auth,
      json: { reason: '给客户回电', origin: 'https://crm.example.com', channel: 'copy', durationMinutes: 10, userId: 'the.boss' },
    });
    expect(request.status).toBe(201);
    const queue = (await (await server.request('/api/admin/overrides', { headers: admin.get })).json()).items;
    expect(queue.find((o: { deviceId: string }) => o.deviceId === device.deviceId)).toMatchObject({
      userId: 'zhao.liu',
      userVerified: true,
    });

    const incident = await server.request('/api/v1/incidents', {
      method: 'POST',
      headers: auth,
      json: {
        incidentId: uuidv7(server.now().getTime()),
        userId: 'the.boss',
        department: '总经办',
        origin: null,
        description: '看到有人拍屏',
        occurredAt: server.now().toISOString(),
      },
    });
    expect(incident.status).toBe(201);
    const incidents = (await (await server.request('/api/admin/incidents', { headers: admin.get })).json()).items;
    expect(incidents.find((i: { deviceId: string }) => i.deviceId === device.deviceId)).toMatchObject({
      userId: 'zhao.liu',
      department: '客服部',
      userVerified: true,
    });
  });

  it('an OIDC ticket that is unknown is refused (the login itself is proven in tests/e2e/identity-oidc.e2e.ts)', async () => {
    const { code } = await newCode({});
    const res = await enroll({ code, identity: 'oidc', oidcTicket: 'x'.repeat(43), oidcVerifier: 'y'.repeat(43) });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('oidc-ticket-invalid');
  });

  it('identity settings: IT administrator only, audited; unknown roles refused', async () => {
    const officer = await loginAs(server, 'info-officer');
    expect((await server.request('/api/admin/settings/identity', { headers: officer.get })).status).toBe(403);
    const bad = await server.request('/api/admin/settings/identity', {
      method: 'PUT',
      headers: admin.write,
      json: { selfDeclared: false, groupRoles: [{ group: 'g', role: 'superuser' }] },
    });
    expect(bad.status).toBe(400);
    const put = await server.request('/api/admin/settings/identity', {
      method: 'PUT',
      headers: admin.write,
      json: { selfDeclared: false, groupRoles: [{ group: 'baomi-approvers', role: 'approver' }] },
    });
    expect(await put.json()).toMatchObject({
      selfDeclared: false,
      groupRoles: [{ group: 'baomi-approvers', role: 'approver' }],
      oidc: { configured: false },
    });
    const audit = (await (await server.request('/api/admin/audit-log', { headers: admin.get })).json()).items;
    expect(audit.map((a: { action: string }) => a.action)).toContain('identity-settings');
    expect(await (await server.request('/api/admin/sso')).json()).toEqual({ ok: true, enabled: false });
  });
});
