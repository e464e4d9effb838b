/**
 * Removing the guard is seen: the extension's uninstall URL (made by the same code the
 * background runs) records the removal for that device only, and the overview lists removed
 * and silent devices as alerts. Controls: a forged or borrowed token records nothing; a
 * device that keeps its heartbeat is no alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uninstallUrlFor } from '../../../utils/background/deployment-lifecycle';
import { uninstallToken } from '../../../utils/deployment/uninstall-token';
import { createTestServer, enroll, loginAs, type AdminLogin, type EnrolledDevice, type TestServer } from './helpers';

interface Alert {
  deviceId: string;
  userId: string;
  lastSeenAt: string;
  uninstalledAt: string | null;
}
interface OverviewBody {
  staleDevices: number;
  uninstalledDevices: number;
  alerts: { uninstalled: Alert[]; stale: Alert[] };
}

describe('tamper signals', () => {
  let server: TestServer;
  let admin: AdminLogin;
  let removed: EnrolledDevice;
  let silent: EnrolledDevice;
  let alive: EnrolledDevice;
  // A fresh session each time: the clock moves past a session's 12 hours here.
  const overview = async () => {
    admin = await loginAs(server, 'it-admin');
    return (await (await server.request('/api/admin/overview', { headers: admin.get })).json()) as OverviewBody;
  };
  const removedAt = async (deviceId: string) => {
    const row = await server.db.selectFrom('devices').select('uninstalled_at').where('id', '=', deviceId).executeTakeFirstOrThrow();
    return row.uninstalled_at ?? null;
  };

  beforeAll(async () => {
    server = await createTestServer();
    silent = await enroll(server, 'li.si');
    server.advance(80 * 3_600_000); // past the default policy's 72 h
    removed = await enroll(server, 'zhang.san');
    alive = await enroll(server, 'wang.wu');
  });
  afterAll(() => server.cleanup());

  it('the uninstall URL the background sets records the removal, and the page says so in Chinese first', async () => {
    const url = new URL(
      await uninstallUrlFor({ serverUrl: 'https://baomi.corp.example.com/', deviceId: removed.deviceId, deviceToken: removed.deviceToken }),
    );
    expect(url.origin + url.pathname).toBe('https://baomi.corp.example.com/extension/uninstalled');
    // The device secret is not in the URL.
    expect(url.href).not.toContain(removed.deviceToken);
    const res = await server.request(url.pathname + url.search);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page.indexOf('保密卫士已从此浏览器移除')).toBeLessThan(page.indexOf('Baomi Guard was removed'));
    expect(await removedAt(removed.deviceId)).toBe(server.now().toISOString());
  });

  it('opening it again keeps the first time', async () => {
    const first = await removedAt(removed.deviceId);
    server.advance(60_000);
    await server.request(`/extension/uninstalled?t=${encodeURIComponent(await uninstallToken(removed.deviceId, removed.deviceToken))}`);
    expect(await removedAt(removed.deviceId)).toBe(first);
  });

  it('a forged token, another device token under this id, or garbage records nothing (same page)', async () => {
    // Another device's secret cannot make this device's token.
    const borrowed = await uninstallToken(alive.deviceId, removed.deviceToken);
    const forged = `${alive.deviceId}.${'A'.repeat(22)}`;
    for (const token of [borrowed, forged, 'nonsense', 'x'.repeat(5000)]) {
      const res = await server.request(`/extension/uninstalled?t=${encodeURIComponent(token)}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('保密卫士已从此浏览器移除');
    }
    expect(await removedAt(alive.deviceId)).toBeNull();
  });

  it('the overview lists the removed device and the silent one as alerts; the live device is neither', async () => {
    const body = await overview();
    expect(body.uninstalledDevices).toBe(1);
    expect(body.staleDevices).toBe(1);
    expect(body.alerts.uninstalled.map((a) => [a.deviceId, a.userId])).toEqual([[removed.deviceId, 'zhang.san']]);
    expect(body.alerts.stale.map((a) => [a.deviceId, a.userId])).toEqual([[silent.deviceId, 'li.si']]);
    expect(JSON.stringify(body.alerts)).not.toContain(alive.deviceId);
  });

  it('the removed device is not counted stale as well once its heartbeat stops', async () => {
    server.advance(80 * 3_600_000);
    const body = await overview();
    expect(body.alerts.uninstalled.map((a) => a.deviceId)).toEqual([removed.deviceId]);
    expect(body.alerts.stale.map((a) => a.deviceId).sort()).toEqual([silent.deviceId, alive.deviceId].sort());
    expect(body.staleDevices).toBe(2);
  });
});
