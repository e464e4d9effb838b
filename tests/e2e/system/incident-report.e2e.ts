/**
 * A staff member reports a suspected leak from the popup (domain policy article 13), in
 * real Chromium with the built extension against the real server (SQLite): a description
 * holding a number is refused before it is stored (the text stays), the report reaches the
 * console's leak-report list with the page's origin, and with the server away it is queued
 * and sent at a later sync — "sent" is said only once the server has it.
 */
import type { WebWorker } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../../utils/policy/schema';
import { PopupPage } from '../pages/popup-page';
import { extensionWorker } from '../support/browser';
import { shotPath } from '../support/screenshots';
import {
  ADMIN_PASSWORD,
  activePolicyVersion,
  enrollThroughOptions,
  extensionStorage,
  startSystem,
  waitFor,
  type SystemUnderTest,
} from '../support/system';

interface IncidentItem {
  id: string;
  userId: string;
  department: string | null;
  origin: string | null;
  description: string;
  status: string;
}

describe('popup: report a suspected leak', () => {
  let system: SystemUnderTest;
  let worker: WebWorker;

  const incidents = async () => (await system.admin.get<{ items: IncidentItem[] }>('/incidents?pageSize=200')).items;

  async function openForm(): Promise<{ popup: PopupPage; close(): Promise<void> }> {
    const tab = await system.browser.newPage();
    await tab.goto(system.fixtures.url('/customers.html'), { waitUntil: 'load' });
    const popup = await PopupPage.openFor(system.browser, worker, tab);
    await popup.page.waitForSelector('[data-testid="incident-open"]');
    await popup.page.click('[data-testid="incident-open"]');
    await popup.page.waitForSelector('[data-testid="incident-form"] textarea[name="description"]');
    return {
      popup,
      close: async () => {
        if (!popup.page.isClosed()) await popup.close();
        await tab.close();
      },
    };
  }

  async function submit(popup: PopupPage, text: string): Promise<string> {
    await popup.page.$eval('textarea[name="description"]', (area) => ((area as HTMLTextAreaElement).value = ''));
    await popup.page.type('textarea[name="description"]', text);
    const seq = await popup.page.$eval('[data-testid="incident-message"]', (el) => el.getAttribute('data-seq')).catch(() => null);
    await popup.page.click('[data-testid="incident-form"] button[type="submit"]');
    // Each answer carries its own number: wait for the next one.
    await popup.page.waitForFunction(
      (previous) => {
        const element = document.querySelector('[data-testid="incident-message"]');
        return element !== null && element.getAttribute('data-seq') !== previous;
      },
      { timeout: 20_000 },
      seq,
    );
    return popup.text('[data-testid="incident-message"]');
  }

  /** The popup's leak-report section (the popup window stops at 600 px; the section sits below the override form). */
  async function shot(popup: PopupPage, name: string, lang = 'zh-CN') {
    await popup.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const section = await popup.page.$('[data-testid="incident"]');
    await section!.screenshot({ path: shotPath(name, lang) as `${string}.png` });
  }

  /** "Sync now", as the popup's button sends it (the router takes UI messages from extension pages only). */
  async function syncNow(): Promise<void> {
    const page = await system.browser.newPage();
    await page.goto(`chrome-extension://${system.extensionId}/options.html`);
    await page.evaluate(() =>
      (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
        type: 'sync-now',
      }),
    );
    await page.close();
  }

  beforeAll(async () => {
    system = await startSystem();
    const current = await system.admin.get<{ current: { policy: Policy } }>('/policy');
    await system.admin.post('/policy/publish', {
      policy: { ...current.current.policy, sync: { intervalMinutes: 0.5, staleAfterHours: 72 } },
      note: 'e2e: short sync interval',
    });
    expect(await enrollThroughOptions(system)).toMatch(/注册成功|Enrolled/);
    await waitFor(
      'first policy',
      () => activePolicyVersion(system.browser),
      (version) => version === 2,
      30_000,
    );
    ({ worker } = await extensionWorker(system.browser));
  });
  afterAll(async () => {
    await system?.close();
  });

  it('refuses a description with a number before storing it, then sends the report with the page origin', async () => {
    const { popup, close } = await openForm();
    expect(await popup.text('[data-testid="incident"]')).toContain('保密制度第十三条');
    expect(await popup.text('[data-testid="incident-form"]')).toContain(`附上当前网站：${system.fixtures.origin}`);
    const refused = await submit(popup, '客户 138 1234 5678 的资料被同事拍照');
    expect(refused).toContain('似乎含有号码');
    // Nothing lost: the text is still there to fix; nothing stored or sent.
    expect(await popup.page.$eval('textarea[name="description"]', (area) => (area as HTMLTextAreaElement).value)).toBe(
      '客户 138 1234 5678 的资料被同事拍照',
    );
    expect((await extensionStorage<unknown[]>(system.browser, 'incidentReports')) ?? []).toEqual([]);
    expect(await incidents()).toEqual([]);
    await shot(popup, 'popup-incident-refused');

    await popup.page.$eval('textarea[name="description"]', (area) => ((area as HTMLTextAreaElement).value = ''));
    await popup.page.type('textarea[name="description"]', '看到同事把客户名单拍照发到微信群');
    await shot(popup, 'popup-incident-form');
    const sent = await submit(popup, '看到同事把客户名单拍照发到微信群');
    expect(sent).toBe('报告已送达信息安全员。');
    const stored = (await incidents()).filter((item) => item.description === '看到同事把客户名单拍照发到微信群');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ userId: 'zhang.san', department: '销售部', origin: system.fixtures.origin, status: 'new' });
    await popup.page.waitForSelector('[data-testid="incident-reports"] li[data-state="sent"]');
    expect(await popup.text('[data-testid="incident-reports"]')).toContain('已送达');
    await shot(popup, 'popup-incident-sent');
    await close();

    // The console's leak-report list shows it (the console itself, through the proxy, in this browser).
    const consolePage = await system.browser.newPage();
    await consolePage.setViewport({ width: 1280, height: 800 });
    await consolePage.goto(`${system.proxy.url}/admin/`, { waitUntil: 'domcontentloaded' });
    await consolePage.waitForSelector('[data-testid="login-form"]');
    await consolePage.type('input[name="username"]', 'admin');
    await consolePage.type('input[name="password"]', ADMIN_PASSWORD);
    await consolePage.click('button[type="submit"]');
    await consolePage.waitForSelector('[data-testid="overview-incidents"]');
    await consolePage.goto(`${system.proxy.url}/admin/#/incidents`, { waitUntil: 'domcontentloaded' });
    await consolePage.waitForSelector(`tr[data-incident-id="${stored[0]!.id}"]`);
    const row = await consolePage.$eval(`tr[data-incident-id="${stored[0]!.id}"]`, (tr) => (tr as HTMLElement).innerText);
    expect(row).toContain('看到同事把客户名单拍照发到微信群');
    expect(row).toContain(system.fixtures.origin);
    expect(row).toContain('待处理');
    await consolePage.close();
  });

  it('with the server away the report is queued, said so, and sent at a later sync exactly once', async () => {
    const { popup, close } = await openForm();
    await system.stopServer();
    const queued = await submit(popup, '打印的客户资料遗留在会议室');
    expect(queued).toContain('报告已保存在本机');
    await popup.page.waitForSelector('[data-testid="incident-reports"] li[data-state="queued"]');
    await shot(popup, 'popup-incident-queued');
    await system.restartServer();
    await syncNow();
    const items = await waitFor(
      'the queued report on the server',
      () => incidents(),
      (list) => list.some((item) => item.description === '打印的客户资料遗留在会议室'),
      90_000,
    );
    expect(items.filter((item) => item.description === '打印的客户资料遗留在会议室')).toHaveLength(1);
    await waitFor(
      'the popup to say it arrived',
      () => extensionStorage<{ description: string; state: string }[]>(system.browser, 'incidentReports'),
      (reports) => reports?.find((report) => report.description === '打印的客户资料遗留在会议室')?.state === 'sent',
      30_000,
    );
    await close();
  });

  it('speaks English when the policy says so', async () => {
    const current = await system.admin.get<{ current: { policy: Policy; version: number } }>('/policy');
    const published = await system.admin.post<{ version: number }>('/policy/publish', {
      policy: { ...current.current.policy, language: 'en' },
      note: 'e2e: staff read English',
    });
    await waitFor(
      'the English policy',
      () => activePolicyVersion(system.browser),
      (version) => version === published.version,
      75_000,
    );
    const { popup, close } = await openForm();
    await popup.page.waitForFunction(
      () => document.querySelector('[data-testid="incident"] h2')?.textContent === 'Report a suspected leak',
    );
    await popup.page.type('textarea[name="description"]', 'A colleague photographed the customer list');
    const text = await popup.text('[data-testid="incident"]');
    expect(text).toContain('Attach the current site');
    expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    await shot(popup, 'popup-incident-form', 'en');
    const refused = await submit(popup, 'customer 13812345678 photographed');
    expect(refused).toContain('seems to contain a number');
    await close();
  });

  it('devices: this browser reports a readable name, and enrolling it again keeps one row', async () => {
    type DeviceRow = { id: string; userId: string; browser: string | null; enrollments?: number; revokedAt: string | null };
    const before = (await system.admin.get<{ items: DeviceRow[] }>('/devices')).items.filter((device) => device.userId === 'zhang.san');
    expect(before).toHaveLength(1);
    // From client hints: Debian's Chromium names itself Chromium, on Linux.
    expect(before[0]!.browser).toMatch(/^(Chromium|Chrome) \d+ · Linux$/);
    expect(await enrollThroughOptions(system)).toMatch(/注册成功|Enrolled/);
    const after = (await system.admin.get<{ items: DeviceRow[] }>('/devices')).items.filter((device) => device.userId === 'zhang.san');
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]!.id);
    expect(after[0]).toMatchObject({ enrollments: 2, revokedAt: null });
    // The new enrolment works: the next sync reaches the server with the new token.
    await waitFor(
      'a sync with the new token',
      () => activePolicyVersion(system.browser),
      (version) => version > 0,
      30_000,
    );
  });
});
