import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnrollmentCode } from '../../../utils/api/enrollment-code';
import { createTestServer, enroll, ENROLL_CODE, loginAs, type TestServer } from './helpers';

/** Codes are handed out as CODE#KEYID; the fingerprint pins the server key in the extension. */
describe('enrollment codes carry the key fingerprint', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => server.cleanup());

  async function enrollWith(code: string) {
    return server.request('/api/v1/enroll', { method: 'POST', json: { code, userId: 'wang.wu' } });
  }

  it('accepts the code with its #KEYID suffix as well as bare', async () => {
    expect((await enrollWith(`${ENROLL_CODE}#${server.keys.keyId}`)).status).toBe(201);
    expect((await enrollWith(ENROLL_CODE)).status).toBe(201);
  });

  it('a code created in the console is shown with this server key fingerprint', async () => {
    const admin = await loginAs(server, 'it-admin');
    const res = await server.request('/api/admin/enrollment-codes', {
      method: 'POST',
      headers: admin.write,
      json: { label: 'sales', kind: 'managed-deployment' },
    });
    expect(res.status).toBe(201);
    const { code } = (await res.json()) as { code: string };
    expect(parseEnrollmentCode(code).keyId).toBe(server.keys.keyId);
    expect((await enrollWith(code)).status).toBe(201);
  });
});

describe('numeric staff ids (工号)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => server.cleanup());

  it.each([
    ['20231234', 201],
    ['0012345678', 201],
    ['13812345678', 400],
    ['138 1234 5678', 400],
  ])('userId %s → %i', async (userId, status) => {
    const res = await server.request('/api/v1/enroll', { method: 'POST', json: { code: ENROLL_CODE, userId } });
    expect(res.status).toBe(status);
  });
});

describe('report months follow the company clock', () => {
  it.each([
    ['2026-11', 480, '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z'],
    ['2026-12', 480, '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['2026-01', 0, '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
  ])('%s at %i minutes east of UTC', async (month, offset, from, to) => {
    const { monthRange } = await import('../../../server/db/repositories/reports');
    expect(monthRange(month, offset)).toEqual({ from, to });
  });

  it('BAOMI_REPORT_UTC_OFFSET defaults to Beijing time and rejects junk', async () => {
    const { loadConfig, ConfigError } = await import('../../../server/config');
    expect(loadConfig({}).reportUtcOffsetMinutes).toBe(480);
    expect(loadConfig({ BAOMI_REPORT_UTC_OFFSET: '-05:30' }).reportUtcOffsetMinutes).toBe(-330);
    expect(() => loadConfig({ BAOMI_REPORT_UTC_OFFSET: 'Asia/Shanghai' })).toThrow(ConfigError);
  });
});

describe('revoking a device', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => server.cleanup());

  it('stops its token at once, keeps it listed, and records who did it', async () => {
    const device = await enroll(server);
    const auth = { Authorization: `Bearer ${device.deviceToken}` };
    expect((await server.request('/api/v1/policy', { headers: auth })).status).toBe(200);

    const officer = await loginAs(server, 'info-officer');
    const revoke = await server.request(`/api/admin/devices/${device.deviceId}/revoke`, { method: 'POST', headers: officer.write });
    expect(revoke.status).toBe(200);
    expect((await server.request('/api/v1/policy', { headers: auth })).status).toBe(401);
    // Twice is a 404: there is no active device of that id any more.
    expect((await server.request(`/api/admin/devices/${device.deviceId}/revoke`, { method: 'POST', headers: officer.write })).status).toBe(
      404,
    );

    const list = (await (await server.request('/api/admin/devices', { headers: officer.get })).json()) as {
      items: { id: string; revokedAt: string | null; stale: boolean }[];
    };
    const row = list.items.find((item) => item.id === device.deviceId)!;
    expect(row.revokedAt).not.toBeNull();
    expect(row.stale).toBe(false);
    const audit = (await (await server.request('/api/admin/audit-log?page=1', { headers: officer.get })).json()) as {
      items: { action: string; actor: string }[];
    };
    expect(audit.items.some((entry) => entry.action === 'device-revoke' && entry.actor === 'info-officer-user')).toBe(true);
  });

  it('an auditor may not revoke', async () => {
    const device = await enroll(server, 'li.si');
    const auditor = await loginAs(server, 'auditor');
    const res = await server.request(`/api/admin/devices/${device.deviceId}/revoke`, { method: 'POST', headers: auditor.write });
    expect(res.status).toBe(403);
  });
});
