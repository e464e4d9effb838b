/**
 * The people around a block (issue 13), in real Chromium against the real server on
 * SQLite: the override asked from the notice itself (sent only once the server has it;
 * queued while the server is away, sent later), a false positive reported from the
 * notice, and the console's own pages never classified by the guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../../utils/policy/schema';
import { GuardPage } from '../pages/guard-page';
import { PopupPage } from '../pages/popup-page';
import { extensionWorker } from '../support/browser';
import { shotPath } from '../support/screenshots';
import {
  ADMIN_PASSWORD,
  enrollThroughOptions,
  activePolicyVersion,
  extensionStorage,
  startSystem,
  waitFor,
  type SystemUnderTest,
} from '../support/system';

interface PendingItem {
  id: string;
  origin: string;
  channel: string;
  reason: string;
  state: string;
  level: string | null;
  ruleId: string | null;
  masked: string[];
  department: string | null;
}

describe('the notice: an honest override request, a false positive, in one step', () => {
  let system: SystemUnderTest;

  async function overrides(state = 'pending'): Promise<PendingItem[]> {
    return (await system.admin.get<{ items: PendingItem[] }>(`/overrides?state=${state}`)).items;
  }

  /** A fresh blocked copy of the customer's number on the fixture page: the notice is up. */
  async function blockedCopy(): Promise<GuardPage> {
    const guard = await GuardPage.open(system.browser, system.fixtures.url('/customers.html'));
    await guard.writeClipboard('previous', system.extensionId);
    await guard.selectContents('#number');
    await guard.pressShortcut('KeyC');
    await guard.waitForNotice('copy');
    return guard;
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

  async function copyFrom(guard: GuardPage, selector: string): Promise<string> {
    await guard.writeClipboard('previous', system.extensionId);
    await guard.selectContents(selector);
    await guard.pressShortcut('KeyC');
    return guard.readClipboard();
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
  });
  afterAll(async () => {
    await system?.close();
  });

  it('says what was blocked, why (in Chinese only), what to do and who approves; stays until closed', async () => {
    const guard = await blockedCopy();
    const text = await guard.noticeText();
    expect(text).toContain('已阻止：复制');
    expect(text).toContain('1 个手机号（138****5678）');
    expect(text).toContain('原因：禁止复制、剪切、拖出客户信息');
    expect(text).toContain('怎么办：');
    expect(text).toContain('谁审批：');
    expect(text).not.toMatch(/No copying|Request|Reason/); // no English fragment in a zh-CN notice
    expect(text).not.toContain('13812345678');
    await guard.page.screenshot({ path: shotPath('notice-copy') as `${string}.png` });
    // Still there after the old 8 s timeout: it carries an action.
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    expect(await guard.notice()).toBe('copy');
    await guard.close();
  });

  it('a reason typed in the notice reaches the server with the block behind it; only then it says sent', async () => {
    const guard = await blockedCopy();
    await guard.sendOverrideFromNotice('给客户回电，需要复制号码');
    await guard.waitForOverrideState('sent');
    expect(await guard.noticeText()).toContain('申请已送达服务器');
    const items = await overrides();
    const item = items.find((candidate) => candidate.reason === '给客户回电，需要复制号码');
    expect(item).toMatchObject({
      origin: system.fixtures.origin,
      channel: 'copy',
      state: 'pending',
      level: '秘密',
      ruleId: 'no-copy-out',
      masked: ['138****5678'],
      department: '销售部',
    });
    await guard.page.screenshot({ path: shotPath('notice-sent') as `${string}.png` });
    await guard.close();
  });

  it('with the server away the notice says queued, and the request is sent at a later sync', async () => {
    const guard = await blockedCopy();
    await system.stopServer();
    await guard.sendOverrideFromNotice('服务器断开时的申请');
    await guard.waitForOverrideState('queued');
    expect(await guard.noticeText()).toContain('申请已保存在本机');
    await guard.page.screenshot({ path: shotPath('notice-queued') as `${string}.png` });
    await system.restartServer();
    const items = await waitFor(
      'the queued request on the server',
      () => overrides(),
      (list) => list.some((candidate) => candidate.reason === '服务器断开时的申请'),
      90_000,
    );
    expect(items.filter((candidate) => candidate.reason === '服务器断开时的申请')).toHaveLength(1);
    await guard.close();
  });

  it('"report a false positive" reaches the console as its own kind of event', async () => {
    const guard = await blockedCopy();
    await guard.reportFalsePositive();
    await guard.page.waitForSelector('baomi-notice[data-baomi-false-positive="reported"]', { timeout: 10_000 });
    const events = await waitFor(
      'the false-positive event',
      async () =>
        (await system.admin.get<{ items: { kind: string; channel: string; findings: { masked: string }[] }[] }>('/events?pageSize=200'))
          .items,
      (items) => items.some((event) => event.kind === 'false-positive'),
    );
    const report = events.find((event) => event.kind === 'false-positive')!;
    expect(report.channel).toBe('copy');
    expect(report.findings.map((finding) => finding.masked)).toEqual(['138****5678']);
    await guard.close();
  });

  it("the console's events page (a 绝密 level filter, 绝密 rows) is never classified by the guard", async () => {
    const page = await system.browser.newPage();
    await page.goto(`${system.proxy.url}/admin/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="login-form"]');
    await page.type('input[name="username"]', 'admin');
    await page.type('input[name="password"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="current-user"]');
    await page.goto(`${system.proxy.url}/admin/#/events`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('select[name="level"]');
    await page.select('select[name="level"]', '绝密');
    // Ctrl+P on a 绝密 page is cancelled; here it is not.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const prevented = await page.evaluate(() => {
      const event = new KeyboardEvent('keydown', { key: 'p', code: 'KeyP', ctrlKey: true, bubbles: true, cancelable: true });
      document.body.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(prevented).toBe(false);
    expect(await page.$('baomi-print[data-baomi-print="blocked"]')).toBeNull();
    await page.close();
  });

  it('an approved grant opens its own level only (a 机密 page on the same site stays blocked); revoked, it stops at the next sync', async () => {
    const approver = system.admin;
    const item = (await overrides()).find((candidate) => candidate.reason === '给客户回电，需要复制号码')!;
    // Five uses of the blocked content: the grant is still in force after the first copy.
    await approver.post(`/overrides/${item.id}/approve`, { durationMinutes: 30, note: 'e2e', uses: 5 });
    await syncNow();
    await waitFor(
      'the grant on the device',
      () => extensionStorage<unknown[]>(system.browser, 'grants'),
      (grants) => (grants?.length ?? 0) > 0,
      30_000,
    );

    const guard = await GuardPage.open(system.browser, system.fixtures.url('/customers.html'));
    expect(await copyFrom(guard, '#number')).toContain('13812345678'); // 秘密, as asked: allowed
    // The popup: an allowed (audited) copy is no block, and no new request is invited while the grant holds.
    const { worker } = await extensionWorker(system.browser);
    const popup = await PopupPage.openFor(system.browser, worker, guard.page);
    await popup.page.waitForSelector('[data-testid="grant-active"]');
    expect(await popup.text('[data-testid="grant-active"]')).toContain('已有生效中的例外');
    expect(await popup.page.$('[data-testid="recent-blocks"]')).toBeNull();
    expect(await popup.page.$('textarea[name="reason"]')).toBeNull();
    await popup.screenshot(shotPath('popup-grant-active'));
    await popup.close();
    const classified = await GuardPage.open(system.browser, system.fixtures.url('/classified.html'));
    await classified.waitForPrintMode('watermark');
    expect(await copyFrom(classified, '#plain')).not.toContain('重点客户'); // 机密 page, same origin and channel: blocked
    await classified.waitForNotice('copy');
    await classified.close();

    await approver.post(`/overrides/${item.id}/revoke`, { reason: 'e2e: no longer needed' });
    await syncNow();
    await waitFor(
      'the grant dropped',
      () => extensionStorage<unknown[]>(system.browser, 'grants'),
      (grants) => (grants?.length ?? 0) === 0,
      30_000,
    );
    expect(await copyFrom(guard, '#number')).not.toContain('13812345678');
    await guard.close();
  });

  it('notice and popup speak the policy language: zh-CN in an English Chrome, English once the policy says en', async () => {
    // This Chromium runs in English; the policy (zh-CN by default) decides.
    let guard = await blockedCopy();
    const { worker } = await extensionWorker(system.browser);
    let popup = await PopupPage.openFor(system.browser, worker, guard.page);
    await popup.page.waitForSelector('[data-testid="override-requests"]');
    expect(await popup.text()).toContain('当前页面');
    expect(await popup.text()).toContain('待审批');
    await popup.screenshot(shotPath('popup-enrolled'));
    // A reason under the policy's minimum (5 characters by default) or a duration beyond the policy is said, not silently refused.
    await popup.page.select('select[name="channel"]', 'print');
    await popup.page.type('textarea[name="reason"]', '短');
    await popup.page.click('form button[type="submit"]');
    await popup.page.waitForSelector('[data-testid="override-message"]');
    expect(await popup.text('[data-testid="override-message"]')).toContain('至少 5 个字');
    await popup.page.type('textarea[name="reason"]', '理由足够长');
    await popup.page.$eval('input[name="minutes"]', (input) => ((input as HTMLInputElement).value = ''));
    await popup.page.type('input[name="minutes"]', '100000');
    await popup.page.click('form button[type="submit"]');
    await popup.page.waitForFunction(() => document.querySelector('[data-testid="override-message"]')?.textContent?.includes('时长'));
    await popup.screenshot(shotPath('popup-form-errors'));
    await popup.close();
    await guard.close();

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
    guard = await blockedCopy();
    const text = await guard.noticeText();
    expect(text).toContain('Blocked: copy');
    expect(text).toContain('mobile number ×1 (138****5678)');
    expect(text).toContain('Why: No copying customer data');
    expect(text).not.toMatch(/禁止|申请|审批|原因/);
    await guard.page.screenshot({ path: shotPath('notice-copy', 'en') as `${string}.png` });
    popup = await PopupPage.openFor(system.browser, worker, guard.page);
    await popup.page.waitForSelector('[data-testid="override-requests"]');
    expect(await popup.text()).toContain('This page');
    await popup.screenshot(shotPath('popup-enrolled', 'en'));
    await popup.close();
    await guard.close();
  });
});
