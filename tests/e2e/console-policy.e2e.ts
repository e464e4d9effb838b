/**
 * The admin console in real Chromium against the real server (SQLite in a temp dir):
 * log in, edit the policy through the form, see the diff, publish, roll back.
 * Setup, seeding and helpers: support/console-page.ts. The override queue, the other
 * pages and the roles are in console-operations.e2e.ts.
 *
 * The tests run in order on one page: the policy test uses the session the login test opens.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useAdminConsole } from './support/console-page';

describe('admin console', () => {
  const adminConsole = useAdminConsole();
  const { adminApi, open, shot, textOf } = adminConsole;
  let page: Page;

  beforeAll(() => {
    ({ page } = adminConsole);
  });

  it('shows the login page, refuses a wrong password, logs in', async () => {
    await open('/');
    await page.waitForSelector('[data-testid="login-form"]');
    await shot('login');
    await page.type('input[name="username"]', 'admin');
    await page.type('input[name="password"]', 'wrong-password');
    await page.click('button[type="submit"]');
    await page.waitForSelector('.login-card .alert-error');

    await page.$eval('input[name="password"]', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('input[name="password"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="current-user"]');
    // it-admin sees every page, Users included.
    const nav = await page.$$eval('.sidenav a', (links) => links.map((link) => link.getAttribute('data-nav')));
    expect(nav).toEqual([
      'overview',
      'policy',
      'events',
      'overrides',
      'incidents',
      'devices',
      'report',
      'audit',
      'users',
      'customer-register',
      'alerts',
      'deployment',
    ]);
    // The landing page after login is the overview.
    await page.waitForSelector('[data-testid="overview-today"]');
    expect(await page.evaluate(() => location.hash)).toBe('#/overview');
  });

  it('edits the policy through the form, validates live, shows the diff and publishes a new version', async () => {
    await open('/policy');
    await page.waitForSelector('[data-testid="current-version"]');
    const before = await adminApi<{ current: { version: number; policy: { internalOrigins: string[] } } }>('/api/admin/policy');
    const startVersion = before.current.version;
    expect(await page.$eval('[data-testid="current-version"]', (el) => Number(el.getAttribute('data-version')))).toBe(startVersion);
    const originCount = before.current.policy.internalOrigins.length;

    // An origin without a scheme: validatePolicy flags it under its path, publish is disabled.
    await page.type('[data-testid="origin-new"]', 'crm.no-scheme.example.com');
    await page.click('[data-testid="origin-add"]');
    await page.waitForSelector(`[data-error-path="internalOrigins.${originCount}"]`);
    expect(await textOf('[data-testid="validation-status"]')).toMatch(/✗/);
    expect(await page.$eval('[data-testid="publish"]', (button) => (button as HTMLButtonElement).disabled)).toBe(true);
    await shot('policy-invalid');
    await page.$$eval('[data-testid="origin-list"] > li', (items) => (items.at(-1)!.querySelector('button') as HTMLButtonElement).click());
    await page.waitForFunction(() => !document.querySelector('[data-error-path^="internalOrigins"]'));

    await page.type('[data-testid="origin-new"]', 'https://crm.e2e.example.com');
    await page.click('[data-testid="origin-add"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="validation-status"]')?.textContent?.includes('✓'));
    await shot('policy-form');

    // The JSON tab edits the same draft.
    await page.click('[data-tab="json"]');
    const json = await page.$eval('[data-testid="policy-json"]', (area) => (area as HTMLTextAreaElement).value);
    expect(JSON.parse(json).internalOrigins).toContain('https://crm.e2e.example.com');
    await shot('policy-json');

    await page.click('[data-tab="diff"]');
    await page.waitForSelector('[data-testid="policy-diff"]');
    const added = await page.$$eval('[data-testid="policy-diff"] tr.diff-add td.code', (cells) =>
      cells.map((cell) => cell.textContent?.trim()),
    );
    expect(added).toContain('"https://crm.e2e.example.com"');
    await shot('policy-diff');

    await page.type('[data-testid="publish-note"]', 'e2e: add CRM as an internal system');
    await page.click('[data-testid="publish"]');
    // Publishing asks first, with the change in words (lib/policy-diff.ts), not JSON lines.
    await page.waitForSelector('[data-testid="publish-confirm"][open]');
    const changes = await page.$$eval('[data-testid="publish-changes"] li', (items) => items.map((item) => item.textContent));
    expect(changes).toEqual(['内部系统：新增 https://crm.e2e.example.com']);
    expect(await adminApi<{ current: { version: number } }>('/api/admin/policy').then((r) => r.current.version)).toBe(startVersion);
    await shot('policy-publish-confirm');
    await page.click('[data-testid="publish-confirm-button"]');
    await page.waitForFunction(
      (version) => document.querySelector('[data-testid="current-version"]')?.getAttribute('data-version') === String(version),
      {},
      startVersion + 1,
    );
    const after = await adminApi<{ current: { version: number; note: string; policy: { internalOrigins: string[] } } }>(
      '/api/admin/policy',
    );
    expect(after.current.version).toBe(startVersion + 1);
    expect(after.current.policy.internalOrigins).toContain('https://crm.e2e.example.com');
    expect(after.current.note).toBe('e2e: add CRM as an internal system');

    await page.click('[data-tab="history"]');
    await page.waitForSelector('[data-testid="policy-history"] tbody tr');
    const versions = await page.$$eval('[data-testid="policy-history"] tbody tr td:first-child', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(versions).toContain(`v${startVersion + 1}`);
    await shot('policy-history');

    // Roll back to the starting version: a new version with the old content.
    await page.click(`[data-testid="policy-history"] tr[data-version="${startVersion}"] button[data-action="rollback"]`);
    await page.waitForFunction(
      (version) => document.querySelector('[data-testid="current-version"]')?.getAttribute('data-version') === String(version),
      {},
      startVersion + 2,
    );
    const rolledBack = await adminApi<{ current: { version: number; policy: { internalOrigins: string[] } } }>('/api/admin/policy');
    expect(rolledBack.current.version).toBe(startVersion + 2);
    expect(rolledBack.current.policy.internalOrigins).toEqual(before.current.policy.internalOrigins);
  });
});
