/**
 * The approver's queue in the console (issue 13): the block behind each request
 * (level, channel, rule, masked sample, site), the department, repeated requests as one
 * row, a shortened duration, and revocation. Screenshots in zh-CN and en.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useAdminConsole } from './support/console-page';
import { shotPath } from './support/screenshots';

describe('console: the approver sees the block and decides once', () => {
  const adminConsole = useAdminConsole();

  it('shows the block behind repeated requests as one row; one shortened approval answers all; revoke takes them back', async () => {
    const { page, device, deviceApi, adminApi, open } = adminConsole;
    await adminConsole.logIn('admin', ADMIN_PASSWORD);
    const body = {
      reason: '给客户回电，需要复制号码',
      origin: 'https://crm.example.com',
      channel: 'copy',
      durationMinutes: 60,
      userId: 'zhang.san',
      level: '机密',
      ruleId: 'no-copy-out',
      masked: ['138****5678'],
    };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await deviceApi<{ id: string }>('POST', '/overrides', body, device.deviceToken)).json.id);

    await open('/overrides');
    const rows = '[data-testid="overrides-pending"] tbody tr[data-override-id]';
    await page.waitForSelector(rows);
    expect(await page.$$eval(rows, (found) => found.length)).toBe(1);
    const row = `[data-testid="overrides-pending"] tr[data-override-id="${ids[2]}"]`;
    const text = await adminConsole.textOf(row);
    expect(text).toContain('机密');
    expect(text).toContain('复制');
    expect(text).toContain('规则：禁止复制、剪切、拖出客户信息');
    expect(text).not.toContain('No copying');
    expect(text).toContain('138****5678');
    expect(text).toContain('市场部');
    expect(text).toContain('同一申请共 3 次');
    await page.screenshot({ path: shotPath('console-overrides') as `${string}.png`, fullPage: true });

    await page.$eval(`${row} input[name="durationMinutes"]`, (input) => ((input as HTMLInputElement).value = ''));
    await page.type(`${row} input[name="durationMinutes"]`, '15');
    await page.click(`${row} button[data-action="approve"]`);
    await page.waitForFunction((selector) => !document.querySelector(selector), {}, row);
    const approved = await adminApi<{ items: { id: string; durationMinutes: number }[] }>('/api/admin/overrides?state=approved');
    for (const id of ids) expect(approved.items.find((item) => item.id === id)?.durationMinutes).toBe(15);

    await page.click('[data-state="approved"]');
    const approvedRow = `[data-testid="overrides-approved"] tr[data-override-id="${ids[2]}"]`;
    await page.waitForSelector(approvedRow);
    await page.click(`${approvedRow} button[data-action="revoke"]`);
    await page.waitForFunction((selector) => !document.querySelector(selector), {}, approvedRow);
    const revoked = await adminApi<{ items: { id: string; state: string }[] }>('/api/admin/overrides?state=revoked');
    expect(revoked.items.filter((item) => ids.includes(item.id)).map((item) => item.state)).toEqual(['revoked', 'revoked', 'revoked']);
    const status = await deviceApi<{ state: string; revocation: unknown }>('GET', `/overrides/${ids[0]}`, undefined, device.deviceToken);
    expect(status.json.state).toBe('revoked');
    expect(status.json.revocation).not.toBeNull();
    await page.click('[data-state="revoked"]');
    await page.waitForSelector(`[data-testid="overrides-revoked"] tr[data-override-id="${ids[2]}"]`);
  });

  it('English console: the same queue reads in English', async () => {
    const { page, device, deviceApi, open } = adminConsole;
    await deviceApi(
      'POST',
      '/overrides',
      {
        reason: 'call-back to the customer',
        origin: 'https://crm.example.com',
        channel: 'print',
        durationMinutes: 30,
        userId: 'zhang.san',
        level: '绝密',
        ruleId: 'print-top-secret',
        masked: ['绝密'],
      },
      device.deviceToken,
    );
    await page.evaluate(() => localStorage.setItem('baomi-console-lang', 'en'));
    await open('/overrides');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="overrides-pending"] tbody tr[data-override-id]');
    const text = await adminConsole.textOf('[data-testid="overrides-pending"]');
    expect(text).toContain('Rule: Top-secret pages may not be printed');
    await page.screenshot({ path: shotPath('console-overrides', 'en') as `${string}.png`, fullPage: true });
    await page.evaluate(() => localStorage.removeItem('baomi-console-lang'));
  });

  it('zh-CN: server errors, audit actions and what the server wrote at start read in Chinese', async () => {
    const { page, open } = adminConsole;
    await open('/audit');
    await page.reload({ waitUntil: 'domcontentloaded' }); // back to zh-CN (the language is read at load)
    await page.waitForSelector('[data-testid="audit-table"] tbody tr');
    const audit = await adminConsole.textOf('[data-testid="audit-table"]');
    expect(audit).toContain('批准例外');
    expect(audit).toContain('撤销例外');
    expect(audit).toContain('系统');
    expect(audit).not.toMatch(/override-approve|user-create|\bsystem\b/);
    await page.screenshot({ path: shotPath('console-audit') as `${string}.png`, fullPage: true });

    // The policy page's header: the note the server wrote at first start, worded too.
    await open('/policy');
    await page.waitForFunction(() => document.querySelector('main')?.textContent?.includes('当前发布版本'));
    expect(await adminConsole.textOf('main')).not.toContain('initial default policy');

    // A user with a too-short password: the server's issue, worded by the console.
    await open('/users');
    await page.waitForSelector('input[name="username"]');
    await page.type('input[name="username"]', 'wang.wu');
    await page.type('input[name="displayName"]', '王五');
    await page.type('input[name="password"]', 'short');
    const form = await page.$('input[name="username"]').then((input) => input!.evaluateHandle((el) => (el as HTMLInputElement).form!));
    await form.evaluate((element) => (element as HTMLFormElement).requestSubmit());
    await page.waitForSelector('.alert-error');
    const error = await adminConsole.textOf('.alert-error');
    expect(error).toContain('太短或太小（至少 10）');
    expect(error).not.toContain('at least 10 characters');
    await page.screenshot({ path: shotPath('console-users-error') as `${string}.png`, fullPage: true });
  });

  it('events: the CSV export link carries the current filters and downloads masked samples with a BOM', async () => {
    const { page, open } = adminConsole;
    await open('/events');
    await page.waitForSelector('[data-testid="events-csv"]');
    await page.select('select[name="channel"]', 'copy');
    await page.click('form button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="events-csv"]')?.getAttribute('href')?.includes('channel=copy'));
    const href = await page.$eval('[data-testid="events-csv"]', (link) => (link as HTMLAnchorElement).href);
    const csv = await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url, { credentials: 'same-origin' })).arrayBuffer());
      return { bom: [bytes[0], bytes[1], bytes[2]], text: new TextDecoder().decode(bytes) };
    }, href);
    expect(csv.bom).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text).toContain('脱敏样本 / Masked samples');
    expect(csv.text).not.toMatch(/,print,/);
    await page.screenshot({ path: shotPath('console-events') as `${string}.png`, fullPage: true });
  });

  it('the monthly report carries the borrow register: the revoked grants with requester, department, approver and end', async () => {
    const { page, open } = adminConsole;
    await open('/report');
    await page.waitForSelector('[data-testid="report-borrow-register"] tbody tr');
    const register = await adminConsole.textOf('[data-testid="report-borrow-register"]');
    expect(register).toContain('zhang.san');
    expect(register).toContain('市场部');
    expect(register).toContain('给客户回电，需要复制号码');
    expect(register).toContain('撤销');
    expect(await adminConsole.textOf('[data-testid="report-trend"]')).toContain('环比');
    await page.screenshot({ path: shotPath('console-report') as `${string}.png`, fullPage: true });
  });
});
