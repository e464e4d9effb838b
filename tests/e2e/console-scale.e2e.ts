/**
 * Issue 28's console screens in real Chromium against the real server (SQLite): the
 * retention setting on the audit page (the IT administrator changes it; the change is
 * audited and an event older than it is refused at upload) and the events page's export
 * notice. Screenshots in zh-CN and en go to /tmp/shots-scale (BAOMI_SHOT_DIR).
 *
 * The tests run in order on one page, each on the state the previous ones left.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../utils/events/uuid-v7';
import { ADMIN_PASSWORD, useAdminConsole, type EnrolledDevice } from './support/console-page';
import { shotPath } from './support/screenshots';
import { insertEvents } from '../../server/db/repositories/events';
import { syntheticEventSlices } from '../../bench/lib/synthetic-events';
import { createUser } from '../../server/db/repositories/users';
import { hashPassword } from '../../server/lib/secrets';

const DAY = 86_400_000;

describe('admin console: retention, export notice', () => {
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
  async function shot(name: string, lang: 'zh-CN' | 'en', selector?: string) {
    const path = shotPath(`console-${name}`, lang) as `${string}.png`;
    if (selector) await (await page.$(selector))!.screenshot({ path });
    else await page.screenshot({ path, fullPage: true });
  }

  beforeAll(async () => {
    ({ page, device } = adminConsole);
    await adminConsole.logIn('admin', ADMIN_PASSWORD);
  });

  it('the IT administrator sets how long events are kept; the change is audited and applies at intake', async () => {
    await open('/audit');
    await page.waitForSelector('[data-testid="retention-form"] input[name="eventsDays"]');
    expect(await page.$eval('input[name="eventsDays"]', (input) => (input as HTMLInputElement).value)).toBe('180');
    expect(await page.$eval('input[name="auditDays"]', (input) => (input as HTMLInputElement).value)).toBe('1095');
    expect(await adminConsole.textOf('[data-testid="retention-form"]')).toContain('不得少于 180 天');
    await shot('retention', 'zh-CN');
    await setLang('en');
    expect(await adminConsole.textOf('[data-testid="retention-form"]')).toContain('no less than 180 days');
    await shot('retention', 'en');
    await setLang('zh-CN');

    // Under the legal floor the browser's own check holds the form back; 365 days is saved.
    // Select the field's text with the keyboard (a triple click does not always select a number input's).
    await page.focus('input[name="eventsDays"]');
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    await page.keyboard.type('365');
    expect(await page.$eval('input[name="eventsDays"]', (input) => (input as HTMLInputElement).value)).toBe('365');
    await page.click('[data-testid="retention-form"] button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="retention-form"]')?.textContent?.includes('保留期限已保存'));
    const setting = await adminApi<{ eventsDays: number }>('/api/admin/settings/retention');
    expect(setting.eventsDays).toBe(365);
    await page.waitForFunction(() => document.querySelector('[data-testid="audit-table"]')?.textContent?.includes('修改记录保留期限'));

    // An event 400 days old is refused one by one with its reason; one 300 days old (inside 365) is stored.
    const event = (ageDays: number) => ({
      id: uuidv7(Date.now() - ageDays * DAY),
      kind: 'violation',
      time: new Date(Date.now() - ageDays * DAY).toISOString(),
      deviceId: device.deviceId,
      userId: 'zhang.san',
      origin: 'https://crm.example.com',
      destination: null,
      channel: 'copy',
      action: 'block',
      ruleId: 'no-copy-out',
      level: '秘密',
      policyVersion: 1,
      grantId: null,
      findings: [{ type: 'mobile', level: '秘密', masked: '138****5678', hash: 'a'.repeat(64) }],
      findingCount: 1,
    });
    const [tooOld, inside] = [event(400), event(300)];
    const uploaded = await deviceApi<{ accepted: string[]; rejected: { id: string; reason: string }[] }>(
      'POST',
      '/events',
      { events: [tooOld, inside] },
      device.deviceToken,
    );
    expect(uploaded.json.accepted).toEqual([inside.id]);
    expect(uploaded.json.rejected).toEqual([
      { index: 0, id: tooOld.id, reason: 'retention: older than the retention period (365 days); not stored' },
    ]);
  });

  it('an auditor sees the retention but cannot change it', async () => {
    await createUser(adminConsole.server.db, {
      username: 'shen.ji',
      passwordHash: await hashPassword('auditor-pass-9876'),
      role: 'auditor',
      displayName: '审计员',
      now: new Date(),
    });
    await page.deleteCookie(...(await page.cookies()));
    await adminConsole.logIn('shen.ji', 'auditor-pass-9876');
    await open('/audit');
    await page.waitForSelector('input[name="eventsDays"]');
    expect(
      await page.$eval('input[name="eventsDays"]', (input) => [(input as HTMLInputElement).value, (input as HTMLInputElement).disabled]),
    ).toEqual(['365', true]);
    expect(await page.$('[data-testid="retention-form"] button[type="submit"]')).toBeNull();
  });

  it('the events page says the export holds every event of the filter', async () => {
    await open('/events');
    await page.waitForSelector('[data-testid="events-csv-note"]');
    expect(await adminConsole.textOf('[data-testid="events-csv-note"]')).toBe('导出当前筛选的全部事件，不设条数上限');
    await shot('events-export', 'zh-CN');
    await setLang('en');
    expect(await adminConsole.textOf('[data-testid="events-csv-note"]')).toBe(
      'Exports every event of the current filters, with no row limit',
    );
    await shot('events-export', 'en');
    await setLang('zh-CN');
  });

  it('past 10,000 matches the events list says "more than 10,000" and counts exactly on request', async () => {
    const rows = syntheticEventSlices(0, 10_050, 5000, { start: new Date(Date.now() - 10 * DAY), stepMs: 60_000, devices: 100 });
    for (const slice of rows) await insertEvents(adminConsole.server.db, slice);
    await page.reload({ waitUntil: 'domcontentloaded' }); // the previous case left the events page open
    await open('/events');
    await page.waitForFunction(() => document.querySelector('[data-testid="pager-text"]')?.textContent?.includes('超过 10,000 条'));
    await shot('events-count', 'zh-CN', 'section.card:last-of-type .pager');
    await setLang('en');
    await page.waitForFunction(() => document.querySelector('[data-testid="pager-text"]')?.textContent?.includes('more than 10,000'));
    await shot('events-count', 'en', 'section.card:last-of-type .pager');
    await setLang('zh-CN');
    const exact = await adminApi<{ total: number }>(
      `/api/admin/events?exact=1&from=${encodeURIComponent(new Date(Date.now() - 31 * DAY).toISOString())}`,
    );
    expect(exact.total).toBeGreaterThan(10_050);
    await page.click('[data-testid="count-exactly"]');
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="pager-text"]')?.textContent?.includes(`共 ${n} 条`),
      {},
      exact.total,
    );
    expect(await page.$('[data-testid="count-exactly"]')).toBeNull();
  });

  it('the report page says it lists the top 100 users and that its CSV lists them all', async () => {
    // The synthetic events above come from 100 users, zhang.san from the setup makes 101 this month.
    await open('/report');
    await page.waitForSelector('[data-testid="report-users-top"]');
    expect(await adminConsole.textOf('[data-testid="report-users-top"]')).toMatch(
      /^显示事件最多的前 100 名（共 \d+ 名）；导出的 CSV 含全部员工。$/,
    );
    await shot('report-users-top', 'zh-CN', '[data-testid="report-users-top"]');
    await setLang('en');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="report-users-top"]')?.textContent?.startsWith('Showing the 100 users'),
    );
    await shot('report-users-top', 'en', '[data-testid="report-users-top"]');
    await setLang('zh-CN');
  });
});
