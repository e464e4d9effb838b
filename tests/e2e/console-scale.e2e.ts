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
  async function shot(name: string, lang: 'zh-CN' | 'en') {
    await page.screenshot({ path: shotPath(`console-${name}`, lang) as `${string}.png`, fullPage: true });
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
    await page.click('input[name="eventsDays"]', { count: 3 });
    await page.type('input[name="eventsDays"]', '365');
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
});
