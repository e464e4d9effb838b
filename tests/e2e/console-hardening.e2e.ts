/**
 * The console under its Content-Security-Policy, in real Chromium against the real
 * server: every page loads and works with no CSP violation, and a weak password is
 * refused in the user form with the catalogue's Chinese message.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useAdminConsole } from './support/console-page';

describe('console hardening in the browser', () => {
  const adminConsole = useAdminConsole();
  const { open, logIn } = adminConsole;
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    ({ page } = adminConsole);
    // Every CSP violation in the page is reported to the test.
    await page.exposeFunction('__reportCsp', (text: string) => violations.push(text));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { __reportCsp(text: string): void }).__reportCsp(
          `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
        );
      });
    });
  });

  it('login failures read in Chinese: a wrong password, then too many attempts', async () => {
    const response = await page.goto(`${adminConsole.server.url}/admin/`, { waitUntil: 'domcontentloaded' });
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('[data-testid="login-form"]');
    const messages: string[] = [];
    // A made-up account (the real admin is not slowed by this: other key). Five free failures, then a wait.
    for (let i = 0; i < 6; i++) {
      await page.$eval('input[name="username"]', (input) => ((input as HTMLInputElement).value = ''));
      await page.$eval('input[name="password"]', (input) => ((input as HTMLInputElement).value = ''));
      await page.type('input[name="username"]', 'ghost');
      await page.type('input[name="password"]', `wrong-guess-${i}`);
      await page.click('button[type="submit"]');
      // The click clears the old message and disables the button at once; wait for the answer.
      await page.waitForFunction(
        () => document.querySelector('.login-card .alert-error') && document.querySelector('button[type="submit"]:not([disabled])'),
      );
      messages.push(await page.$eval('.login-card .alert-error', (element) => element.textContent ?? ''));
    }
    expect(messages[0]).toContain('用户名或密码错误');
    expect(messages[5]).toContain('尝试次数过多');
    await page.reload({ waitUntil: 'domcontentloaded' }); // an empty form for the next test
  });

  it('every page loads under the Content-Security-Policy with no violation', async () => {
    await logIn('admin', ADMIN_PASSWORD);
    for (const [route, selector] of [
      ['/policy', '[data-testid="current-user"]'],
      ['/events', '[data-testid="current-user"]'],
      ['/overrides', '[data-testid="current-user"]'],
      ['/devices', '[data-testid="current-user"]'],
      ['/report', '[data-testid="current-user"]'],
      ['/audit', '[data-testid="audit-table"] tbody tr'],
      ['/users', '[data-testid="users-table"] tbody tr'],
    ] as const) {
      await open(route);
      await page.waitForSelector(selector);
      await page.waitForNetworkIdle({ idleTime: 200 });
    }
    expect(violations).toEqual([]);
  });

  it('a weak password is refused in the user form with the Chinese message; a strong one is accepted', async () => {
    await open('/users');
    await page.waitForSelector('[data-testid="users-table"] tbody tr');
    await page.type('[data-testid="user-form"] input[name="username"]', 'zhou.qi');
    await page.type('[data-testid="user-form"] input[name="displayName"]', '周七');
    await page.type('[data-testid="user-form"] input[name="password"]', 'password123');
    await page.select('[data-testid="user-form"] select[name="role"]', 'auditor');
    await page.click('[data-testid="user-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="user-form"] ~ .alert-error, .alert-error');
    const alert = await page.$eval('.alert-error', (element) => element.textContent ?? '');
    expect(alert).toContain('weak-password');
    expect(alert).toContain('密码太弱');
    // Control: a strong one goes through.
    await page.$eval('[data-testid="user-form"] input[name="password"]', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('[data-testid="user-form"] input[name="password"]', 'violet-canyon-tractor-42');
    await page.click('[data-testid="user-form"] button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="users-table"]')?.textContent?.includes('zhou.qi'));
    expect(violations).toEqual([]);
  });
});
