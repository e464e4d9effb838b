/** Hostile and broken input: clear 4xx errors in our shape, nothing stored half. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../../utils/api/device-api';
import { MAX_EVENTS_PER_BATCH } from '../../../utils/events/schema';
import { countEvents } from '../../../server/db/repositories/events';
import {
  createTestServer,
  enroll,
  login,
  makeEvent,
  ADMIN_PASSWORD,
  type AdminLogin,
  type EnrolledDevice,
  type TestServer,
} from './helpers';

describe('hostile input', () => {
  let server: TestServer;
  let device: EnrolledDevice;
  let admin: AdminLogin;
  beforeAll(async () => {
    server = await createTestServer();
    device = await enroll(server);
    admin = await login(server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => server.cleanup());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    server.request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

  async function expectError(res: Response, status: number, code?: string) {
    expect(res.status).toBe(status);
    const body = apiErrorSchema.parse(await res.json());
    if (code) expect(body.error.code).toBe(code);
    return body;
  }

  it.each([
    ['truncated JSON', '{"events": [', 400],
    ['not JSON', 'hello', 400],
    ['JSON null', 'null', 400],
    ['JSON array', '[]', 400],
    ['events not an array', '{"events": "x"}', 400],
    ['empty batch', '{"events": []}', 400],
    ['unknown top-level key', '{"events": [{}], "extra": 1}', 400],
  ])('POST /events with %s → %i', async (_name, body, status) => {
    await expectError(await post('/api/v1/events', body, device.auth), status, 'invalid-request');
  });

  it('a batch of 501 events → 400, nothing stored', async () => {
    const before = await countEvents(server.db);
    const events = Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => makeEvent(device.deviceId));
    const res = await post('/api/v1/events', JSON.stringify({ events }), device.auth);
    const body = await expectError(res, 400, 'invalid-request');
    expect(body.error.issues?.[0]?.path).toBe('events');
    expect(await countEvents(server.db)).toBe(before);
  });

  it('a body over 1 MB on /events → 413; over 64 KB elsewhere → 413', async () => {
    const big = JSON.stringify({ events: [makeEvent(device.deviceId, { detail: { reason: 'x'.repeat(1_100_000) } })] });
    await expectError(await post('/api/v1/events', big, device.auth), 413, 'body-too-large');
    const medium = JSON.stringify({ extensionVersion: 'x'.repeat(70_000), policyVersion: 1, queueDepth: 0 });
    await expectError(await post('/api/v1/heartbeat', medium, device.auth), 413, 'body-too-large');
    await expectError(await post('/api/admin/policy/validate', JSON.stringify({ policy: 'x'.repeat(70_000) }), admin.write), 413);
    // A body under 1 MB is fine on /events even though it is over 64 KB.
    const ok = Array.from({ length: 300 }, () => makeEvent(device.deviceId, { detail: { reason: 'y'.repeat(400) } }));
    expect((await post('/api/v1/events', JSON.stringify({ events: ok }), device.auth)).status).toBe(200);
  });

  it('a chunked body without Content-Length is limited too', async () => {
    const chunk = new TextEncoder().encode('{"events":[' + '"x",'.repeat(400_000));
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await server.app.request('/api/v1/events', {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/json', ...device.auth },
      // @ts-expect-error Node's fetch needs duplex for streamed bodies
      duplex: 'half',
    });
    expect(res.status).toBe(413);
  });

  it('wrong types are rejected per event with a reason; unicode junk does not crash', async () => {
    const before = await countEvents(server.db);
    const junk = [
      { ...makeEvent(device.deviceId), policyVersion: '1' },
      { ...makeEvent(device.deviceId), time: 'yesterday' },
      { ...makeEvent(device.deviceId), findings: 'none' },
      { ...makeEvent(device.deviceId), origin: '\uFFFF\uD800' },
      makeEvent(device.deviceId, { userId: '𠜎𠜱𠝹'.repeat(20), origin: 'https://例子.测试', destination: '\u202Eevil' }),
      42,
      null,
      'string',
    ];
    const res = await post('/api/v1/events', JSON.stringify({ events: junk }), device.auth);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.accepted).toHaveLength(2); // the lone-surrogate origin and the CJK-extension user id are odd but harmless text
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 5, 6, 7]);
    for (const r of body.rejected) expect(r.reason).toMatch(/^invalid: /);
    expect(await countEvents(server.db)).toBe(before + 2);
  });

  it('NUL characters: the event is rejected on /events (the rest stored); 400 on other routes', async () => {
    const before = await countEvents(server.db);
    const events = [makeEvent(device.deviceId), makeEvent(device.deviceId, { origin: 'https://a\u0000b' })];
    const res = await post('/api/v1/events', JSON.stringify({ events }), device.auth);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.accepted).toEqual([events[0]!.id]);
    expect(body.rejected).toEqual([{ index: 1, id: events[1]!.id, reason: expect.stringMatching(/^invalid: origin: NUL/) }]);
    expect(await countEvents(server.db)).toBe(before + 1);
    const bad = await post('/api/admin/policy/publish', JSON.stringify({ policy: {}, note: 'a\u0000' }), admin.write);
    expect((await expectError(bad, 400)).error.issues?.[0]?.path).toBe('note');
    await expectError(
      await post(
        '/api/v1/overrides',
        JSON.stringify({ reason: 'x\u0000y', origin: 'o', channel: 'copy', durationMinutes: 1, userId: 'u' }),
        device.auth,
      ),
      400,
    );
  });

  it('error messages never echo raw numbers back', async () => {
    const res = await post(
      '/api/v1/events',
      JSON.stringify({ events: [{ ...makeEvent(device.deviceId), userId: 13812345678 }] }),
      device.auth,
    );
    expect(await res.text()).not.toContain('13812345678');
  });

  it('SQL metacharacters in admin filters: 200 with no rows, or 400 for enum fields', async () => {
    const evil = encodeURIComponent("' OR '1'='1'; DROP TABLE events; --");
    const ok = await server.request(`/api/admin/events?userId=${evil}&origin=${evil}&deviceId=${evil}`, { headers: admin.get });
    expect(ok.status).toBe(200);
    expect((await ok.json()).total).toBe(0);
    await expectError(await server.request(`/api/admin/events?level=${evil}`, { headers: admin.get }), 400, 'invalid-request');
    await expectError(await server.request(`/api/admin/events?from=${evil}`, { headers: admin.get }), 400);
    await expectError(await server.request('/api/admin/events?page=-1', { headers: admin.get }), 400);
    await expectError(await server.request('/api/admin/events?page=1e99', { headers: admin.get }), 400);
    await expectError(await server.request(`/api/admin/overrides?state=${evil}`, { headers: admin.get }), 400);
    expect(await countEvents(server.db)).toBeGreaterThan(0);
  });

  it('malformed JSON on admin and device routes → 400 in the error shape', async () => {
    await expectError(await post('/api/admin/login', '{"username":'), 400);
    await expectError(await post('/api/v1/enroll', '{{'), 400);
    await expectError(await post('/api/admin/policy/publish', 'nope', admin.write), 400);
    await expectError(await post('/api/admin/policy/publish', JSON.stringify({ policy: { schemaVersion: 1 } }), admin.write), 400);
  });

  it('wrong content type is a validation error, not a crash', async () => {
    const res = await server.request('/api/v1/heartbeat', {
      method: 'POST',
      body: 'a=b',
      headers: { ...device.auth, 'Content-Type': 'text/plain' },
    });
    await expectError(res, 400, 'invalid-request');
  });

  it('unknown routes → 404 JSON; path traversal under /admin stays inside dist', async () => {
    await expectError(await server.request('/api/v1/nope', { headers: device.auth }), 404);
    const res = await server.request('/admin/..%2f..%2fsigning-key.json');
    expect(await res.text()).not.toContain('privateKey');
    const res2 = await server.request('/admin/%E0%A4%A');
    expect(res2.status).toBe(400);
  });

  it('device rate limit answers 429 with Retry-After', async () => {
    const limited = await createTestServer({
      rateLimits: {
        device: { capacity: 3, refillPerSecond: 0.01 },
        enroll: { capacity: 5, refillPerSecond: 0.01 },
        login: {
          freeFailures: 5,
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
    try {
      const d = await enroll(limited);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.request('/api/v1/policy', { headers: d.auth })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const res = await limited.request('/api/v1/policy', { headers: d.auth });
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
      // Bad tokens are limited per IP.
      const bad = [];
      for (let i = 0; i < 5; i++)
        bad.push((await limited.request('/api/v1/policy', { headers: { Authorization: 'Bearer ' + 'A'.repeat(43) } })).status);
      expect(bad).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.cleanup();
    }
  });
});
