/**
 * Issue 13's company pages in real Chromium against the real server (SQLite): the
 * overview landing page, leak reports and their handling, the publish confirmation with
 * its readable diff, devices with readable browser names and one row per re-enrolled
 * profile, the report with the company name and printed page numbers (a real PDF).
 * Screenshots in zh-CN and en go to /tmp/shots-people (BAOMI_SHOT_DIR).
 *
 * The tests run in order on one page, each on the state the previous ones left.
 */
import { writeFile } from 'node:fs/promises';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../utils/events/uuid-v7';
import { ADMIN_PASSWORD, ENROLLMENT_CODE, useAdminConsole, type EnrolledDevice } from './support/console-page';
import { pdfFirstPagePng, pdfPageTexts } from './support/pdf-text';
import { shotPath } from './support/screenshots';

const CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

describe('admin console: overview, leak reports, publish confirmation, devices, report', () => {
  const adminConsole = useAdminConsole();
  const { adminApi, deviceApi, open } = adminConsole;
  let page: Page;
  let device: EnrolledDevice;

  async function setLang(lang: 'zh-CN' | 'en') {
    const current = await page.evaluate(() => document.documentElement.lang || 'zh-CN');
    if (current === lang) return;
    await page.click('[data-testid="lang-switch"]');
    await page.waitForFunction((expected) => document.documentElement.lang === expected, {}, lang);
  }

  async function shot(name: string, lang: 'zh-CN' | 'en') {
    await page.screenshot({ path: shotPath(`console-${name}`, lang) as `${string}.png`, fullPage: true });
  }

  /** Text of the page without the language switch's own label (which names the other language). */
  const visibleText = () =>
    page.$eval('.shell', (shell) => {
      const copy = shell.cloneNode(true) as HTMLElement;
      copy.querySelector('[data-testid="lang-switch"]')?.remove();
      return copy.innerText;
    });

  beforeAll(async () => {
    ({ page, device } = adminConsole);
    // A leak report and a pending request, as devices send them.
    const reported = await deviceApi(
      'POST',
      '/incidents',
      {
        incidentId: uuidv7(),
        description: '看到同事把客户名单拍照发到微信群',
        origin: 'https://crm.example.com',
        occurredAt: new Date().toISOString(),
        userId: 'zhang.san',
        department: '市场部',
      },
      device.deviceToken,
    );
    expect(reported.status).toBe(201);
    const asked = await deviceApi(
      'POST',
      '/overrides',
      {
        reason: '客户回访需要导出名单',
        origin: 'https://crm.example.com',
        channel: 'copy',
        durationMinutes: 30,
        userId: 'zhang.san',
      },
      device.deviceToken,
    );
    expect(asked.status).toBe(201);
    await adminConsole.logIn('admin', ADMIN_PASSWORD);
  });

  it('lands on the overview after login: blocks by level and channel, what waits, with links', async () => {
    await page.waitForSelector('[data-testid="overview-today"]');
    expect(await page.evaluate(() => location.hash)).toBe('#/overview');
    const figures = await adminApi<{
      today: { total: number };
      thisMonth: { total: number; byChannel: Record<string, number> };
      pendingOverrides: number;
      openIncidents: number;
    }>('/api/admin/overview');
    expect(figures.pendingOverrides).toBe(1);
    expect(figures.openIncidents).toBe(1);
    const count = (id: string) => page.$eval(`[data-testid="${id}"]`, (el) => Number(el.getAttribute('data-count')));
    expect(await count('overview-pending')).toBe(1);
    expect(await count('overview-incidents')).toBe(1);
    expect(await page.$eval('[data-testid="overview-month-total"]', (el) => el.textContent)).toBe(`共 ${figures.thisMonth.total} 次`);
    expect(await page.$eval('[data-testid="overview-today-total"]', (el) => el.textContent)).toBe(`共 ${figures.today.total} 次`);
    // The seeded blocks (a copy and a paste within the last two hours) are named by channel.
    const monthChannels = await page.$$eval('[data-testid="overview-month"] .bars li', (items) => items.map((item) => item.textContent));
    for (const channel of Object.keys(figures.thisMonth.byChannel)) {
      expect(monthChannels.some((text) => text?.startsWith({ copy: '复制', paste: '粘贴' }[channel] ?? '?'))).toBe(true);
    }
    expect(await page.$eval('[data-testid="overview-incidents"] a', (a) => a.getAttribute('href'))).toBe('#/incidents');
    expect(await visibleText()).not.toMatch(/\b(copy|paste|Blocked|Overview)\b/);
    await shot('overview', 'zh-CN');
    await setLang('en');
    await page.waitForFunction(() => document.querySelector('[data-testid="overview-month-total"]')?.textContent?.endsWith('in all'));
    await shot('overview', 'en');
    await setLang('zh-CN');
  });

  it('lists the leak report and moves it to investigating with a note (audited)', async () => {
    await page.click('[data-testid="overview-incidents"] a');
    await page.waitForSelector('[data-testid="incidents-table"] tr[data-incident-id]');
    const row = '[data-testid="incidents-table"] tr[data-incident-id]';
    expect(await page.$eval(row, (tr) => tr.getAttribute('data-status'))).toBe('new');
    expect(await page.$eval(row, (tr) => (tr as HTMLElement).innerText)).toMatch(/看到同事把客户名单拍照发到微信群[\s\S]*待处理/);
    await page.select(`${row} select[name="status"]`, 'investigating');
    await page.type(`${row} textarea[name="note"]`, '已约谈当事人，群消息已撤回');
    await page.click(`${row} button[type="submit"]`);
    await page.waitForSelector(`${row}[data-status="investigating"]`);
    expect(await page.$eval(row, (tr) => (tr as HTMLElement).innerText)).toMatch(/admin ·[\s\S]*已约谈当事人，群消息已撤回/);
    const audit = await adminApi<{ items: { action: string; detail: unknown }[] }>('/api/admin/audit-log?page=1');
    expect(audit.items.find((entry) => entry.action === 'incident-status')?.detail).toEqual({
      from: 'new',
      to: 'investigating',
      note: '已约谈当事人，群消息已撤回',
    });
    expect(await visibleText()).not.toMatch(/\b(new|investigating|closed|Status)\b/);
    await shot('incidents', 'zh-CN');
    await setLang('en');
    await page.waitForSelector(`${row} .badge-incident-investigating`);
    expect(await page.$eval(`${row} .badge-incident-investigating`, (el) => el.textContent)).toBe('Investigating');
    // The confirmation follows the language switch; the next step (closed) is preselected.
    expect(await visibleText()).toContain('Now “Investigating”');
    expect(await page.$eval(`${row} select[name="status"]`, (select) => (select as HTMLSelectElement).value)).toBe('closed');
    await shot('incidents', 'en');
    await setLang('zh-CN');
    // The audit log names the action in words.
    await open('/audit');
    await page.waitForFunction(() => document.body.innerText.includes('处理泄密报告'));
  });

  it('asks before publishing, listing rule and setting changes in words', async () => {
    await open('/policy');
    await page.waitForSelector('[data-testid="current-version"]');
    const current = await adminApi<{
      current: { version: number; policy: { rules: { id: string; action: string }[]; overrides: { maxDurationMinutes: number } } };
    }>('/api/admin/policy');
    const draft = structuredClone(current.current.policy);
    draft.rules[0]!.action = 'block';
    draft.overrides.maxDurationMinutes = 45;
    // Through the JSON tab (the form edits the same draft).
    await page.click('[data-tab="json"]');
    await page.$eval(
      '[data-testid="policy-json"]',
      (area, text) => {
        const textarea = area as HTMLTextAreaElement;
        textarea.value = text as string;
        textarea.dispatchEvent(new Event('input', { bubbles: true }));
      },
      JSON.stringify(draft, null, 2),
    );
    await page.waitForFunction(() => document.querySelector('[data-testid="validation-status"]')?.textContent?.includes('✓'));
    await page.click('[data-testid="publish"]');
    await page.waitForSelector('[data-testid="publish-confirm"][open]');
    const changes = await page.$$eval('[data-testid="publish-changes"] li', (items) => items.map((item) => item.textContent));
    expect(changes).toEqual([
      '规则 “禁止复制、剪切、拖出客户信息”（no-copy-out）：处置 阻止（可申请例外） → 阻止',
      `例外最长时长（分钟）：${current.current.policy.overrides.maxDurationMinutes} → 45`,
    ]);
    await shot('publish-confirm', 'zh-CN');
    // Cancel publishes nothing (the dialog is modal: the language switch waits behind it).
    await page.click('[data-testid="publish-confirm"] .dialog-actions button:not(.btn-primary)');
    await page.waitForFunction(() => !document.querySelector('[data-testid="publish-confirm"]'));
    expect((await adminApi<{ current: { version: number } }>('/api/admin/policy')).current.version).toBe(current.current.version);
    await setLang('en');
    await page.click('[data-testid="publish"]');
    await page.waitForSelector('[data-testid="publish-confirm"][open]');
    expect(await page.$$eval('[data-testid="publish-changes"] li', (items) => items.map((item) => item.textContent))).toEqual([
      'Rule “No copying customer data” (no-copy-out): Action Block (override possible) → Block',
      `Longest override (minutes): ${current.current.policy.overrides.maxDurationMinutes} → 45`,
    ]);
    await shot('publish-confirm', 'en');
    await page.click('[data-testid="publish-confirm-button"]');
    await page.waitForFunction(
      (version) => document.querySelector('[data-testid="current-version"]')?.getAttribute('data-version') === String(version),
      {},
      current.current.version + 1,
    );
    await setLang('zh-CN');
  });

  it('devices: a readable browser name, one row for a profile that enrolled three times', async () => {
    const installationId = uuidv7();
    let last: EnrolledDevice | undefined;
    for (let i = 0; i < 3; i++) {
      const enrolled = await deviceApi<EnrolledDevice>('POST', '/enroll', {
        code: ENROLLMENT_CODE,
        userId: 'li.lei',
        department: '客服部',
        deviceName: 'PC-CS-02',
        extensionVersion: '0.1.0',
        browser: CHROME_UA.slice(0, 100),
        installationId,
      });
      expect(enrolled.status).toBe(201);
      last = enrolled.json;
    }
    await open('/devices');
    await page.waitForSelector('[data-testid="devices-table"]');
    const rows = await page.$$eval('[data-testid="devices-table"] tbody tr', (trs) =>
      trs
        .map((tr) => ({ id: tr.getAttribute('data-device-id'), text: (tr as HTMLElement).innerText }))
        .filter((row) => row.text.includes('li.lei')),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(last!.deviceId);
    expect(rows[0]!.text).toContain('Chrome 156 · Windows');
    expect(rows[0]!.text).toContain('已注册 3 次');
    expect(rows[0]!.text).not.toContain('Mozilla');
    await shot('devices', 'zh-CN');
    await setLang('en');
    await page.waitForFunction(() => document.body.innerText.includes('enrolled 3 times'));
    await shot('devices', 'en');
    await setLang('zh-CN');
  });

  it('report: the company name in the title, page numbers on every printed page', async () => {
    await open('/report');
    await page.waitForSelector('[data-testid="company-form"]');
    await page.type('[data-testid="company-form"] input[name="company"]', '上海某某贸易有限公司');
    await page.click('[data-testid="company-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="report-company"]');
    expect(await page.$eval('[data-testid="report-company"]', (el) => el.textContent)).toBe('上海某某贸易有限公司');
    await page.waitForSelector('[data-testid="report-body"]');
    await shot('report', 'zh-CN');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await writeFile(shotPath('console-report', 'zh-CN').replace(/\.png$/, '.pdf'), pdf);
    await pdfFirstPagePng(pdf, shotPath('console-report-pdf-page1', 'zh-CN'));
    const pages = await pdfPageTexts(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    // Chromium's CJK font maps 页 to its radical form ⻚ in the PDF's text layer: either is the glyph 页.
    pages.forEach((text, index) => expect(text.replace(/\s+/g, '')).toMatch(new RegExp(`第${index + 1}[页⻚]，共${pages.length}[页⻚]`)));
    expect(pages[0]).toContain('上海某某贸易有限公司');
    // The printed report has no console chrome (navigation, the company form).
    expect(pages.join('\n')).not.toMatch(/概览|退出登录|修改公司名称/);

    await setLang('en');
    await page.waitForFunction(() => document.querySelector('[data-testid="report-title"]')?.textContent?.includes('Customer-information'));
    await shot('report', 'en');
    const englishPdf = await page.pdf({ format: 'A4', printBackground: true });
    await pdfFirstPagePng(englishPdf, shotPath('console-report-pdf-page1', 'en'));
    const english = await pdfPageTexts(englishPdf);
    english.forEach((text, index) => expect(text).toContain(`Page ${index + 1} of ${english.length}`));
    await setLang('zh-CN');
  });
});
