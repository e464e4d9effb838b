/**
 * The download channel in the admin console (issue 11): the policy editor's download
 * settings, a download event on the events page and in the monthly report, in zh-CN and
 * English. Real server, real SQLite, real Chromium; screenshots to $BAOMI_SCREENSHOTS.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../utils/events/uuid-v7';
import { ADMIN_PASSWORD, useAdminConsole } from './support/console-page';

describe('admin console: downloads', () => {
  const adminConsole = useAdminConsole();
  const { open, shot, textOf, deviceApi, logIn } = adminConsole;
  let page: Page;

  beforeAll(async () => {
    ({ page } = adminConsole);
    const { device } = adminConsole;
    const event = {
      id: uuidv7(Date.now()),
      kind: 'violation',
      time: new Date().toISOString(),
      deviceId: device.deviceId,
      userId: 'zhang.san',
      department: '市场部',
      origin: 'https://crm.example.com',
      destination: null,
      channel: 'download',
      action: 'block-with-override',
      ruleId: 'no-export-file',
      level: '机密',
      policyVersion: 1,
      grantId: null,
      findings: [{ type: 'mobile', level: '秘密', masked: '186****0042', hash: 'b'.repeat(64) }],
      findingCount: 40,
    };
    const uploaded = await deviceApi<{ accepted: string[] }>('POST', '/events', { events: [event] }, device.deviceToken);
    expect(uploaded.json.accepted).toEqual([event.id]);
    await logIn('admin', ADMIN_PASSWORD);
  });

  it('the policy editor shows the download settings in MB and the held file types', async () => {
    await open('/policy');
    await page.waitForSelector('.policy-form');
    const text = await textOf('.policy-form');
    expect(text).toContain('下载与导出');
    expect(text).toContain('读取上限（MB');
    const values = await page.$$eval('.policy-form input', (inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(values).toContain('32');
    expect(values.some((value) => value.startsWith('csv, tsv, txt, xls, xlsx'))).toBe(true);
    await shot('policy-downloads-zh');
  });

  it('a download event is listed with its channel in Chinese, and counted in the report', async () => {
    await open('/events');
    await page.waitForSelector('[data-testid="events-table"] tbody tr');
    const table = await textOf('[data-testid="events-table"]');
    expect(table).toContain('下载/导出');
    expect(table).toContain('186****0042');
    await shot('events-download-zh');
    await open('/report');
    await page.waitForFunction(() => document.body.textContent?.includes('下载/导出'));
    await shot('report-download-zh');
  });

  it('in English too', async () => {
    await page.evaluate(() => localStorage.setItem('baomi-console-lang', 'en'));
    await open('/policy');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.policy-form');
    expect(await textOf('.policy-form')).toContain('Downloads and exports');
    await shot('policy-downloads-en');
    await open('/events');
    await page.waitForSelector('[data-testid="events-table"] tbody tr');
    expect(await textOf('[data-testid="events-table"]')).toContain('Download / export');
    await page.evaluate(() => localStorage.setItem('baomi-console-lang', 'zh-CN'));
  });
});
