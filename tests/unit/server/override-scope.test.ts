/**
 * Overrides as approvers and devices see them (issue 13): the block behind a request,
 * a device-made id that makes a resent request idempotent, grants bounded by the level
 * asked for (and the policy's maxLevel), and revocation signed for the device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPayload } from '../../../utils/crypto/signing';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import { overrideStatusSchema } from '../../../utils/api/device-api';
import { grantLevel } from '../../../server/routes/admin/overrides';
import { createTestServer, enroll, loginAs, makeEvent, type AdminLogin, type EnrolledDevice, type TestServer } from './helpers';

describe('override scope and revocation', () => {
  let server: TestServer;
  let device: EnrolledDevice;
  let approver: AdminLogin;
  const base = { reason: '给客户回电', origin: 'https://crm.example.com', channel: 'copy', durationMinutes: 60, userId: 'zhang.san' };

  beforeAll(async () => {
    server = await createTestServer();
    device = await enroll(server);
    approver = await loginAs(server, 'approver');
  });
  afterAll(async () => server.cleanup());

  async function ask(body: Record<string, unknown>) {
    return server.request('/api/v1/overrides', { method: 'POST', headers: device.auth, json: { ...base, ...body } });
  }
  async function status(id: string) {
    return overrideStatusSchema.parse(await (await server.request(`/api/v1/overrides/${id}`, { headers: device.auth })).json());
  }

  it('stores the block behind the request and shows it, with the department, to the approver', async () => {
    const created = await ask({ level: '机密', ruleId: 'no-copy-out', masked: ['138****5678'] });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const list = await (await server.request('/api/admin/overrides?state=pending', { headers: approver.get })).json();
    expect(list.items.find((item: { id: string }) => item.id === id)).toMatchObject({
      level: '机密',
      ruleId: 'no-copy-out',
      masked: ['138****5678'],
      department: '市场部',
    });
  });

  it('refuses a raw number among the masked samples', async () => {
    expect((await ask({ masked: ['13812345678'] })).status).toBe(400);
  });

  it('a request sent twice with its device-made id is stored once', async () => {
    const requestId = uuidv7(server.now().getTime());
    const first = await ask({ requestId });
    const second = await ask({ requestId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((await second.json()).id).toBe(requestId);
    const rows = await server.db.selectFrom('overrides').select('id').where('id', '=', requestId).execute();
    expect(rows).toHaveLength(1);
    const other = await enroll(server, 'li.si');
    const stolen = await server.request('/api/v1/overrides', {
      method: 'POST',
      headers: other.auth,
      json: { ...base, userId: 'li.si', requestId },
    });
    expect(stolen.status).toBe(400);
  });

  it.each([
    ['机密', undefined, '机密'],
    ['绝密', '机密', '机密'],
    [null, undefined, '秘密'],
    ['秘密', '绝密', '秘密'],
  ] as const)('asked at %s, policy max %s → the grant opens up to %s', (asked, policyMax, expected) => {
    expect(grantLevel(asked, policyMax)).toBe(expected);
  });

  it('the approved grant carries the level it was asked for; a revocation is signed and the grant is gone for the device', async () => {
    const { id } = await (await ask({ level: '机密' })).json();
    const approve = await server.request(`/api/admin/overrides/${id}/approve`, {
      method: 'POST',
      headers: approver.write,
      json: { durationMinutes: 30 },
    });
    expect(approve.status).toBe(200);
    const approved = await status(id);
    expect(approved.grant!.payload.maxLevel).toBe('机密');

    const revoke = await server.request(`/api/admin/overrides/${id}/revoke`, {
      method: 'POST',
      headers: approver.write,
      json: { reason: '已不需要' },
    });
    expect(revoke.status).toBe(200);
    expect((await server.request(`/api/admin/overrides/${id}/revoke`, { method: 'POST', headers: approver.write, json: {} })).status).toBe(
      409,
    );
    const revoked = await status(id);
    expect(revoked.state).toBe('revoked');
    expect(revoked.grant).toBeNull();
    const revocation = revoked.revocation!;
    expect(revocation.payload).toMatchObject({ grantId: approved.grant!.payload.grantId, requestId: id, deviceId: device.deviceId });
    expect(await verifyPayload('revocation', revocation.payload, revocation.signature, device.publicKey)).toBe(true);
    expect(await verifyPayload('grant', revocation.payload, revocation.signature, device.publicKey)).toBe(false);

    const list = await (await server.request('/api/admin/overrides?state=revoked', { headers: approver.get })).json();
    expect(list.items.find((item: { id: string }) => item.id === id)).toMatchObject({ state: 'revoked', revokedBy: expect.any(String) });
    const audit = await (await server.request('/api/admin/audit-log', { headers: (await loginAs(server, 'auditor')).get })).json();
    expect(JSON.stringify(audit)).toContain('override-revoke');
  });

  it('a pending or denied request cannot be revoked', async () => {
    const { id } = await (await ask({})).json();
    expect((await server.request(`/api/admin/overrides/${id}/revoke`, { method: 'POST', headers: approver.write, json: {} })).status).toBe(
      409,
    );
  });

  it('the monthly report lists approved overrides in its borrow register, with how they ended; trend and top rules', async () => {
    const auditor = await loginAs(server, 'auditor');
    const report = await (await server.request('/api/admin/reports/monthly?month=2026-03', { headers: auditor.get })).json();
    const revoked = report.borrowRegister.find((entry: { ended: string }) => entry.ended === 'revoked');
    expect(revoked).toMatchObject({
      userId: 'zhang.san',
      department: '市场部',
      reason: '给客户回电',
      channel: 'copy',
      level: '机密',
      minutes: 30,
    });
    expect(revoked.approver).toBeTruthy();
    expect(revoked.endedAt).toBeTruthy();
    expect(report.previous).toEqual({ month: '2026-02', events: 0, blocked: 0 });
    expect(Array.isArray(report.topRules)).toBe(true);
    const csv = await (await server.request('/api/admin/reports/monthly.csv?month=2026-03', { headers: auditor.get })).text();
    expect(csv).toContain('客户信息借阅记录 / Borrow register');
    expect(csv).toContain('撤销 / revoked');
    expect(csv).toContain('环比 / Month on month');
  });

  describe('a grant is what the approver chose (issue 26)', () => {
    const detail = {
      reasons: [{ kind: 'page-marker', level: '机密' }],
      findingCount: 1,
      numberCount: 1,
      customerCount: 0,
      bulk: false,
    };
    const fingerprints = ['0123456789abcdef', 'fedcba9876543210'];

    async function approve(id: string, body: Record<string, unknown>) {
      return server.request(`/api/admin/overrides/${id}/approve`, {
        method: 'POST',
        headers: approver.write,
        json: { durationMinutes: 30, ...body },
      });
    }

    it('by default the grant is bound to the blocked content, once, at the level asked for; the queue shows what was blocked', async () => {
      const { id } = await (await ask({ level: '机密', detail, fingerprints })).json();
      const pending = await (await server.request('/api/admin/overrides?state=pending', { headers: approver.get })).json();
      expect(pending.items.find((item: { id: string }) => item.id === id)).toMatchObject({ detail, contentCount: 2 });
      const answer = await approve(id, {});
      expect(answer.status).toBe(200);
      const { grant } = await status(id);
      expect(grant?.payload).toMatchObject({ scope: 'content', uses: 1, maxLevel: '机密', fingerprints, approver: 'approver-user' });
      expect(await verifyPayload('grant', grant!.payload, grant!.signature, device.publicKey)).toBe(true);
    });

    it('a window keeps the bulk rule unless lifted; its per-action limit and a raised level are explicit', async () => {
      const { id } = await (await ask({ level: '秘密', detail, fingerprints })).json();
      expect((await approve(id, { scope: 'window', maxFindings: 5, maxLevel: '机密' })).status).toBe(200);
      const { grant } = await status(id);
      expect(grant?.payload).toMatchObject({ scope: 'window', maxFindings: 5, maxLevel: '机密' });
      expect(grant?.payload.liftBulk).toBeUndefined();
      expect(grant?.payload.fingerprints).toBeUndefined();
    });

    it.each([
      ['content without fingerprints', {}, { scope: 'content' }, 'content-scope-unavailable'],
      ['a per-action limit on a content grant', { fingerprints }, { scope: 'content', maxFindings: 3 }, 'content-scope-limits'],
      ['a level above the policy maximum', { fingerprints }, { maxLevel: '绝密' }, 'level-above-policy'],
    ] as const)('refuses %s with a code the console words', async (_name, request, choice, code) => {
      if (code === 'level-above-policy') {
        const current = await (await server.request('/api/admin/policy', { headers: (await loginAs(server, 'it-admin')).get })).json();
        const admin = await loginAs(server, 'it-admin');
        const policy = { ...current.current.policy, overrides: { ...current.current.policy.overrides, maxLevel: '机密' } };
        expect((await server.request('/api/admin/policy/publish', { method: 'POST', headers: admin.write, json: { policy } })).status).toBe(
          200,
        );
      }
      const { id } = await (await ask({ level: '秘密', ...request })).json();
      const answer = await approve(id, choice);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(await answer.json())).toContain(code);
    });

    it('a reason under the policy minimum (5 characters by default) is refused; "急用" says nothing', async () => {
      const short = await ask({ reason: '急用' });
      expect(short.status).toBe(400);
      expect(JSON.stringify(await short.json())).toContain('reason-too-short');
      expect((await ask({ reason: '客户要求回电' })).status).toBe(201); // control
    });

    it('the events a grant let through are counted for the borrow register, only from the device it was issued to', async () => {
      const { id } = await (await ask({ level: '机密', detail, fingerprints })).json();
      await approve(id, {});
      const { grant } = await status(id);
      const grantId = grant!.payload.grantId;
      const used = makeEvent(device.deviceId, { action: 'audit', grantId });
      const other = await enroll(server, 'wang.wu');
      const forged = makeEvent(other.deviceId, { action: 'audit', grantId });
      expect((await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events: [used] } })).status).toBe(200);
      expect((await server.request('/api/v1/events', { method: 'POST', headers: other.auth, json: { events: [forged] } })).status).toBe(
        200,
      );
      const approved = await (await server.request('/api/admin/overrides?state=approved', { headers: approver.get })).json();
      expect(approved.items.find((item: { id: string }) => item.id === id)).toMatchObject({
        usedCount: 1,
        scope: { scope: 'content', uses: 1 },
      });
      const auditor = await loginAs(server, 'auditor');
      const events = await (await server.request(`/api/admin/events?deviceId=${device.deviceId}`, { headers: auditor.get })).json();
      expect(events.items.find((event: { id: string }) => event.id === used.id)?.grant).toMatchObject({
        requestId: id,
        approver: 'approver-user',
      });
    });
  });
});
