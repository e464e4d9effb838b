import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPayload } from '../../../utils/crypto/signing';
import { policySchema } from '../../../utils/policy';
import { enrollResponseSchema, eventsResponseSchema, overrideStatusSchema } from '../../../utils/api/device-api';
import { countEvents } from '../../../server/db/repositories/events';
import { createTestServer, enroll, loginAs, makeEvent, START, type EnrolledDevice, type TestServer } from './helpers';

describe('device API: enroll → policy → events → overrides → heartbeat', () => {
  let server: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => server.cleanup());

  it('GET /keys lists the Ed25519 key', async () => {
    const res = await server.request('/api/v1/keys');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.keys[0]).toMatchObject({ keyId: server.keys.keyId, publicKey: server.keys.signing.publicKey, algorithm: 'Ed25519' });
  });

  it('enrolls with the code and stores only the token hash', async () => {
    device = await enroll(server);
    expect(enrollResponseSchema.parse(device)).toBeTruthy();
    expect(device.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(device.hashKey).toBe(server.keys.hashKey);
    const row = await server.db.selectFrom('devices').selectAll().where('id', '=', device.deviceId).executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(device.deviceToken);
  });

  it('refuses a wrong enrollment code with 401', async () => {
    const res = await server.request('/api/v1/enroll', { method: 'POST', json: { code: 'WRONG-CODE-00', userId: 'x' } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid-enrollment-code');
  });

  it('GET /policy: signed v1 default policy that verifies; 304 on If-None-Match', async () => {
    const res = await server.request('/api/v1/policy', { headers: device.auth });
    expect(res.status).toBe(200);
    const etag = res.headers.get('ETag');
    expect(etag).toBe(`"v1-${device.keyId}"`);
    const { signed } = await res.json();
    expect(signed.keyId).toBe(device.keyId);
    expect(policySchema.parse(signed.payload).version).toBe(1);
    expect(await verifyPayload('policy', signed.payload, signed.signature, device.publicKey)).toBe(true);
    expect(await verifyPayload('grant', signed.payload, signed.signature, device.publicKey)).toBe(false);
    const again = await server.request('/api/v1/policy', { headers: { ...device.auth, 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    const stale = await server.request('/api/v1/policy', { headers: { ...device.auth, 'If-None-Match': '"v0-x"' } });
    expect(stale.status).toBe(200);
  });

  it('POST /events is idempotent: the same batch twice is stored once and reported duplicate', async () => {
    const events = [makeEvent(device.deviceId), makeEvent(device.deviceId), makeEvent(device.deviceId)];
    const first = await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events } });
    expect(first.status).toBe(200);
    const a = eventsResponseSchema.parse(await first.json());
    expect(a.accepted).toHaveLength(3);
    expect(a.duplicates).toEqual([]);
    const second = await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events } });
    const b = eventsResponseSchema.parse(await second.json());
    expect(b.accepted).toEqual([]);
    expect(b.duplicates.sort()).toEqual(events.map((e) => e.id).sort());
    expect(await countEvents(server.db)).toBe(3);
  });

  it('rejects events with raw numbers but stores the valid ones of the same batch', async () => {
    const before = await countEvents(server.db);
    const good1 = makeEvent(device.deviceId);
    const good2 = makeEvent(device.deviceId);
    const bad = [
      makeEvent(device.deviceId, { origin: 'https://crm.example.com/13812345678' }),
      makeEvent(device.deviceId, { destination: 'tel:138 1234 5678' }),
      makeEvent(device.deviceId, { userId: '１３８１２３４５６７８' }),
      makeEvent(device.deviceId, { ruleId: 'r-0755123456' }),
      makeEvent(device.deviceId, { kind: 'policy-rejected', detail: { reason: 'call 13912345678' } }),
      makeEvent(device.deviceId, { findings: [{ type: 'mobile', level: '秘密', masked: '13812345678', hash: 'b'.repeat(64) }] }),
      makeEvent(device.deviceId, { findings: [{ type: 'email', level: '秘密', masked: 'abc@example.com', hash: 'b'.repeat(64) }] }),
      makeEvent('another-device'),
      { id: 'not-a-uuid', junk: true },
    ];
    const res = await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events: [good1, ...bad, good2] } });
    expect(res.status).toBe(200);
    const body = eventsResponseSchema.parse(await res.json());
    expect(body.accepted.sort()).toEqual([good1.id, good2.id].sort());
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(body.rejected[0]!.reason).toMatch(/^raw-number: origin/);
    expect(body.rejected[6]!.reason).toMatch(/findings\.0\.masked/);
    expect(body.rejected[7]!.reason).toMatch(/deviceId/);
    expect(body.rejected[8]).toMatchObject({ id: null });
    expect(await countEvents(server.db)).toBe(before + 2);
    // A marker needs no mask.
    const marker = makeEvent(device.deviceId, {
      findings: [{ type: 'marker', level: '机密', masked: '密级：机密', hash: 'c'.repeat(64) }],
    });
    const ok = eventsResponseSchema.parse(
      await (await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events: [marker] } })).json(),
    );
    expect(ok.accepted).toEqual([marker.id]);
  });

  it('a repeated id inside one batch is stored once', async () => {
    const e = makeEvent(device.deviceId);
    const body = eventsResponseSchema.parse(
      await (await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events: [e, e] } })).json(),
    );
    expect(body.accepted).toEqual([e.id]);
    expect(body.duplicates).toEqual([e.id]);
  });

  it('stores events under the token device, with normalized time', async () => {
    const e = makeEvent(device.deviceId);
    await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events: [e] } });
    const row = await server.db.selectFrom('events').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(row.device_id).toBe(device.deviceId);
    expect(row.received_at).toBe(START.toISOString());
  });

  it('override: request → pending → approve → signed grant; deny; 409 when decided; other device 404', async () => {
    const req = {
      reason: '客户要求发送报价单',
      origin: 'https://crm.example.com',
      channel: 'copy',
      durationMinutes: 60,
      userId: 'zhang.san',
    };
    const tooLong = await server.request('/api/v1/overrides', {
      method: 'POST',
      headers: device.auth,
      json: { ...req, durationMinutes: 10_000 },
    });
    expect(tooLong.status).toBe(400);
    const withNumber = await server.request('/api/v1/overrides', {
      method: 'POST',
      headers: device.auth,
      json: { ...req, reason: '发给 13812345678' },
    });
    expect(withNumber.status).toBe(400);

    const created = await server.request('/api/v1/overrides', { method: 'POST', headers: device.auth, json: req });
    expect(created.status).toBe(201);
    const pending = overrideStatusSchema.parse(await created.json());
    expect(pending.state).toBe('pending');
    expect(pending.grant).toBeNull();

    const approver = await loginAs(server, 'approver');
    const list = await (await server.request('/api/admin/overrides?state=pending', { headers: approver.get })).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(pending.id);

    server.advance(5 * 60_000); // approval comes 5 minutes later
    const approvedAt = server.now().getTime();
    const approve = await server.request(`/api/admin/overrides/${pending.id}/approve`, {
      method: 'POST',
      headers: approver.write,
      json: { durationMinutes: 30, note: 'ok' },
    });
    expect(approve.status).toBe(200);
    const again = await server.request(`/api/admin/overrides/${pending.id}/approve`, {
      method: 'POST',
      headers: approver.write,
      json: { durationMinutes: 30 },
    });
    expect(again.status).toBe(409);

    const status = overrideStatusSchema.parse(
      await (await server.request(`/api/v1/overrides/${pending.id}`, { headers: device.auth })).json(),
    );
    expect(status.state).toBe('approved');
    const grant = status.grant!;
    expect(grant.payload).toMatchObject({
      requestId: pending.id,
      deviceId: device.deviceId,
      userId: 'zhang.san',
      origin: req.origin,
      channel: 'copy',
    });
    expect(Date.parse(grant.payload.expiresAt)).toBe(approvedAt + 30 * 60_000);
    expect(await verifyPayload('grant', grant.payload, grant.signature, device.publicKey)).toBe(true);
    expect(await verifyPayload('policy', grant.payload, grant.signature, device.publicKey)).toBe(false);

    const other = await enroll(server, 'li.si');
    expect((await server.request(`/api/v1/overrides/${pending.id}`, { headers: other.auth })).status).toBe(404);

    server.advance(31 * 60_000);
    const expired = overrideStatusSchema.parse(
      await (await server.request(`/api/v1/overrides/${pending.id}`, { headers: device.auth })).json(),
    );
    expect(expired.state).toBe('expired');
    expect(expired.grant).toBeNull();

    const second = overrideStatusSchema.parse(
      await (await server.request('/api/v1/overrides', { method: 'POST', headers: device.auth, json: req })).json(),
    );
    const deny = await server.request(`/api/admin/overrides/${second.id}/deny`, {
      method: 'POST',
      headers: approver.write,
      json: { reason: '不符合规定' },
    });
    expect(deny.status).toBe(200);
    expect(
      (await server.request(`/api/admin/overrides/${second.id}/deny`, { method: 'POST', headers: approver.write, json: { reason: 'x' } }))
        .status,
    ).toBe(409);
    const denied = overrideStatusSchema.parse(
      await (await server.request(`/api/v1/overrides/${second.id}`, { headers: device.auth })).json(),
    );
    expect(denied).toMatchObject({ state: 'denied', decisionNote: '不符合规定', grant: null });
  });

  it('heartbeat records state; devices silent past staleAfterHours are stale', async () => {
    const res = await server.request('/api/v1/heartbeat', {
      method: 'POST',
      headers: device.auth,
      json: { extensionVersion: '0.2.0', policyVersion: 1, queueDepth: 7 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, policyVersion: 1, serverTime: server.now().toISOString() });
    // Log in per look: the 12 h session would expire while the clock jumps.
    const devices = async () =>
      (await (await server.request('/api/admin/devices', { headers: (await loginAs(server, 'it-admin')).get })).json()).items as {
        id: string;
        stale: boolean;
        queueDepth: number;
        extensionVersion: string;
        policyVersion: number;
      }[];
    const mine = (await devices()).find((d) => d.id === device.deviceId)!;
    expect(mine).toMatchObject({ stale: false, queueDepth: 7, extensionVersion: '0.2.0', policyVersion: 1 });
    server.advance(73 * 3_600_000); // default policy: stale after 72 h
    expect((await devices()).find((d) => d.id === device.deviceId)!.stale).toBe(true);
    await server.request('/api/v1/heartbeat', {
      method: 'POST',
      headers: device.auth,
      json: { extensionVersion: '0.2.0', policyVersion: 1, queueDepth: 0 },
    });
    expect((await devices()).find((d) => d.id === device.deviceId)!.stale).toBe(false);
  });
});
