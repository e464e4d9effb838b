/**
 * Removing the guard is seen (issue 27 item 5), in real Chromium with the built extension
 * against the real server: once enrolled, the extension has set its uninstall URL; removing
 * it opens the server's page, which records the removal for that device, and the console's
 * overview shows it as an alert (screenshots zh-CN and en). Control: before the removal the
 * device is no alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, IS_FIREFOX, type LaunchedBrowser } from '../support/browser';
import { shotPath } from '../support/screenshots';
import { ADMIN_PASSWORD, enrollThroughOptions, startSystem, waitFor, type SystemUnderTest } from '../support/system';

interface Overview {
  uninstalledDevices: number;
  alerts: { uninstalled: { deviceId: string; userId: string }[] };
}
interface Device {
  id: string;
  userId: string;
  uninstalledAt: string | null;
}

describe.skipIf(IS_FIREFOX)('tamper signals: the extension removed', () => {
  let system: SystemUnderTest;
  let consoleBrowser: LaunchedBrowser;

  beforeAll(async () => {
    system = await startSystem();
    expect(await enrollThroughOptions(system, 'zhao.liu', '财务部')).toBeTruthy();
  });
  afterAll(async () => {
    await consoleBrowser?.close();
    await system?.close();
  });

  it('an enrolled device is no alert before anything happens', async () => {
    const device = await waitFor(
      'the enrolled device',
      async () => (await system.admin.get<{ items: Device[] }>('/devices')).items.find((d) => d.userId === 'zhao.liu'),
      (found) => found !== undefined,
    );
    expect(device!.uninstalledAt).toBeNull();
    expect((await system.admin.get<Overview>('/overview')).uninstalledDevices).toBe(0);
  });

  it('removing the extension opens the server page, which records it for this device; the overview shows an alert', async () => {
    // The uninstall URL is set after enrolment; give the background a moment to set it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const opened = system.browser.waitForTarget((target) => target.url().includes('/extension/uninstalled?t='), { timeout: 30_000 });
    await system.browser.uninstallExtension(system.extensionId);
    const target = await opened;
    expect(target.url()).not.toContain('deviceToken');
    const overview = await waitFor(
      'the removal on the server',
      () => system.admin.get<Overview>('/overview'),
      (body) => body.uninstalledDevices === 1,
    );
    expect(overview.alerts.uninstalled.map((alert) => alert.userId)).toEqual(['zhao.liu']);

    // The console's overview, as the IT admin sees it.
    consoleBrowser = await launchBrowser({ withExtension: false });
    const page = await consoleBrowser.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${system.server.url}/admin/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="login-form"]');
    await page.type('input[name="username"]', 'admin');
    await page.type('input[name="password"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="overview-alerts"] [data-alert="uninstalled"]');
    expect(await page.$eval('[data-testid="overview-alerts"]', (el) => el.textContent ?? '')).toContain('扩展已被移除');
    await page.screenshot({ path: shotPath('overview-tamper', 'zh-CN'), fullPage: true });
    await page.click('[data-testid="lang-switch"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.$eval('[data-testid="overview-alerts"]', (el) => el.textContent ?? '')).toContain('Extension removed');
    await page.screenshot({ path: shotPath('overview-tamper', 'en'), fullPage: true });
  });
});
