/**
 * Accounts in the real console (real Chromium, real server on SQLite): the admin resets a
 * user's password → the user logs in with the one-time password → only the change screen
 * opens (the server refuses the rest) → after the change the console works. Then the
 * admin disables the user and the user's open console session is refused at once.
 * Two browser contexts (two cookie jars): the admin's page and the user's page.
 * Screenshots (zh-CN and en) of the users page, the change screen and the enrollment codes
 * go to $BAOMI_SHOT_DIR (default /tmp/shots-accounts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useAdminConsole } from './support/console-page';

const SHOTS = process.env.BAOMI_SHOT_DIR ?? '/tmp/shots-accounts';
const FIRST_PASSWORD = 'amber falcon drifts 93 home';
const OWN_PASSWORD = 'violet harbour quietly 42 lanterns';

describe('console accounts', () => {
  const adminConsole = useAdminConsole();
  let admin: Page;
  let userContext: BrowserContext;
  let user: Page;

  const url = (route: string) => `${adminConsole.server.url}/admin/#${route}`;
  const textOf = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
  async function shot(page: Page, name: string) {
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['zh-CN', 'en'] as const) {
      const current = await page.evaluate(() => document.documentElement.lang || 'zh-CN');
      if (current !== lang) {
        await page.click('[data-testid="lang-switch"]');
        await page.waitForFunction((want) => document.documentElement.lang === want, {}, lang);
      }
      await page.screenshot({ path: join(SHOTS, `${name}-${lang}.png`), fullPage: true });
    }
    await page.click('[data-testid="lang-switch"]'); // back to zh-CN
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  }
  async function logIn(page: Page, username: string, password: string) {
    await page.goto(url('/'), { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="login-form"]');
    await page.type('input[name="username"]', username);
    await page.type('input[name="password"]', password);
    await page.click('[data-testid="login-form"] button[type="submit"]');
  }
  /** A call from the user's page with its own cookie and CSRF token (as the console would). */
  const apiStatus = (page: Page, path: string) =>
    page.evaluate(async (target) => {
      const response = await fetch(target, { credentials: 'same-origin' });
      return { status: response.status, code: ((await response.json()) as { error?: { code?: string } }).error?.code ?? null };
    }, path);

  beforeAll(async () => {
    admin = adminConsole.page;
    await adminConsole.logIn('admin', ADMIN_PASSWORD);
    userContext = await admin.browser().createBrowserContext();
    user = await userContext.newPage();
    await user.setViewport({ width: 1280, height: 900 });
    user.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await userContext?.close();
  });

  it('admin resets a password → the user must change it before anything else → then the console works', async () => {
    await admin.goto(url('/users'), { waitUntil: 'domcontentloaded' });
    await admin.waitForSelector('[data-testid="users-table"] tbody tr');
    await admin.type('[data-testid="user-form"] input[name="username"]', 'chen.qi');
    await admin.type('[data-testid="user-form"] input[name="displayName"]', '陈七');
    await admin.type('[data-testid="user-form"] input[name="password"]', FIRST_PASSWORD);
    await admin.select('[data-testid="user-form"] select[name="role"]', 'approver');
    await admin.click('[data-testid="user-form"] button[type="submit"]');
    const row = '[data-testid="users-table"] tr[data-username="chen.qi"]';
    await admin.waitForSelector(row);

    // The user is signed in somewhere when the reset happens: that session ends.
    await logIn(user, 'chen.qi', FIRST_PASSWORD);
    await user.waitForSelector('[data-testid="overrides-pending"]');

    await admin.click(`${row} [data-action="reset-password"]`); // confirm accepted
    await admin.waitForSelector('[data-testid="one-time-password"] .big-code');
    const oneTime = (await textOf(admin, '[data-testid="one-time-password"] .big-code')).trim();
    expect(oneTime).toMatch(/^([A-Za-z0-9]{5}-){3}[A-Za-z0-9]{5}$/);
    await admin.waitForFunction((selector) => document.querySelector(selector)?.textContent?.includes('待修改密码'), {}, row);
    await shot(admin, 'users');
    expect((await apiStatus(user, '/api/admin/me')).status).toBe(401);

    await logIn(user, 'chen.qi', oneTime);
    await user.waitForSelector('[data-testid="password-forced"]');
    // The change screen renders at once; the address follows it (an effect after the paint).
    await user.waitForFunction(() => location.hash === '#/password');
    expect(await user.$$eval('.sidenav a', (links) => links.length)).toBe(0);
    // The server itself refuses the rest, whatever the page shows.
    expect(await apiStatus(user, '/api/admin/overrides')).toEqual({ status: 403, code: 'password-change-required' });
    // A bookmark to another page still lands on the change screen.
    await user.goto(url('/overrides'), { waitUntil: 'domcontentloaded' });
    await user.waitForSelector('[data-testid="password-forced"]');
    await shot(user, 'change-password-forced');

    await user.type('input[name="currentPassword"]', oneTime);
    await user.type('input[name="newPassword"]', OWN_PASSWORD);
    await user.type('input[name="confirmPassword"]', OWN_PASSWORD + 'x');
    expect(await textOf(user, '[data-testid="password-form"] .alert-error')).toBe('两次输入的新密码不一致');
    await user.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('input[name="confirmPassword"]')!;
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await user.type('input[name="confirmPassword"]', OWN_PASSWORD);
    await user.click('[data-testid="password-form"] button[type="submit"]');
    await user.waitForSelector('[data-action="continue"]');
    await user.click('[data-action="continue"]');
    await user.waitForSelector('[data-testid="overrides-pending"]');
    expect(await user.$$eval('.sidenav a', (links) => links.map((link) => link.getAttribute('data-nav')))).toEqual(['overrides']);
    expect((await apiStatus(user, '/api/admin/overrides')).status).toBe(200);

    // The header leads to the same screen for an ordinary change.
    await user.click('[data-testid="change-password"]');
    await user.waitForSelector('[data-testid="password-form"]');
    expect(await user.$('[data-testid="password-forced"]')).toBeNull();
    await shot(user, 'change-password');
  });

  it("disable: the user's open console session is refused at once; login says the account is disabled", async () => {
    await user.goto(url('/overrides'), { waitUntil: 'domcontentloaded' });
    await user.waitForSelector('[data-testid="overrides-pending"]');

    await admin.goto(url('/users'), { waitUntil: 'domcontentloaded' });
    const row = '[data-testid="users-table"] tr[data-username="chen.qi"]';
    await admin.waitForSelector(`${row} [data-action="disable"]`);
    await admin.click(`${row} [data-action="disable"]`); // confirm accepted
    await admin.waitForSelector(`${row} [data-action="enable"]`);
    expect(await textOf(admin, row)).toContain('已停用');

    // The open page's next call (a refresh of the queue) is refused: back to the login form.
    expect((await apiStatus(user, '/api/admin/overrides')).status).toBe(401);
    await user.click('.page-header button');
    await user.waitForSelector('[data-testid="login-form"]');
    await user.type('input[name="username"]', 'chen.qi');
    await user.type('input[name="password"]', OWN_PASSWORD);
    await user.click('[data-testid="login-form"] button[type="submit"]');
    await user.waitForSelector('[data-testid="login-form"] .alert-error');
    expect(await textOf(user, '[data-testid="login-form"] .alert-error')).toContain('该账号已被停用');

    // The last admin is protected: its own row offers no disable / delete.
    const own = '[data-testid="users-table"] tr[data-username="admin"]';
    expect(await admin.$(`${own} [data-action="disable"]`)).toBeNull();
    const audit = await adminConsole.adminApi<{ items: { action: string; target: string }[] }>('/api/admin/audit-log?page=1');
    expect(audit.items).toContainEqual(expect.objectContaining({ action: 'user-disable', target: 'user chen.qi' }));
    expect(audit.items).toContainEqual(expect.objectContaining({ action: 'user-password-reset', target: 'user chen.qi' }));
    await admin.goto(url('/audit'), { waitUntil: 'domcontentloaded' });
    await admin.waitForSelector('[data-testid="audit-table"] tbody tr');
    const auditText = await textOf(admin, '[data-testid="audit-table"]');
    expect(auditText).toContain('停用用户');
    expect(auditText).toContain('用户 chen.qi');
    await shot(admin, 'audit');
  });

  it('enrollment codes: hint, uses / limit, expiry and state; defaults shown, cleared fields mean no limit', async () => {
    await admin.goto(url('/devices'), { waitUntil: 'domcontentloaded' });
    await admin.waitForSelector('[data-testid="enrollment-codes"] input[name="maxUses"]');
    expect(await admin.$eval('[data-testid="enrollment-codes"] input[name="maxUses"]', (input) => (input as HTMLInputElement).value)).toBe(
      '100',
    );
    expect(
      await admin.$eval('[data-testid="enrollment-codes"] input[name="expiresInDays"]', (input) => (input as HTMLInputElement).value),
    ).toBe('7');
    await admin.type('[data-testid="enrollment-codes"] input[name="label"]', '财务部');
    await admin.click('[data-action="create-code"]');
    await admin.waitForSelector('[data-testid="created-code"] .big-code');
    await admin.click('[data-testid="created-code"] button');
    await admin.evaluate(() => {
      for (const name of ['maxUses', 'expiresInDays']) {
        const input = document.querySelector<HTMLInputElement>(`[data-testid="enrollment-codes"] input[name="${name}"]`)!;
        input.value = '';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    await admin.$eval('[data-testid="enrollment-codes"] input[name="label"]', (input) => {
      (input as HTMLInputElement).value = '长期 / long-term';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await admin.click('[data-action="create-code"]');
    await admin.waitForSelector('[data-testid="created-code"] .big-code');
    const codes = await adminConsole.adminApi<{ items: { label: string | null; maxUses: number | null; expiresAt: string | null }[] }>(
      '/api/admin/enrollment-codes',
    );
    expect(codes.items).toContainEqual(expect.objectContaining({ label: '财务部', maxUses: 100 }));
    expect(codes.items.find((code) => code.label === '财务部')?.expiresAt).not.toBeNull();
    expect(codes.items).toContainEqual(expect.objectContaining({ label: '长期 / long-term', maxUses: null, expiresAt: null }));
    await admin.click('[data-testid="created-code"] button');
    const table = await textOf(admin, '[data-testid="enrollment-codes"] table');
    expect(table).toContain('0 / 100');
    expect(table).toContain('0 / 不限');
    await admin.$eval('[data-testid="enrollment-codes"]', (section) => section.scrollIntoView());
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['zh-CN', 'en'] as const) {
      if (lang === 'en') await admin.click('[data-testid="lang-switch"]');
      await admin.waitForFunction(
        (want) => document.documentElement.lang === want || (want === 'zh-CN' && !document.documentElement.lang),
        {},
        lang,
      );
      const section = await admin.$('[data-testid="enrollment-codes"]');
      await section!.screenshot({ path: join(SHOTS, `enrollment-codes-${lang}.png`) });
    }
    await admin.click('[data-testid="lang-switch"]');
  });
});
