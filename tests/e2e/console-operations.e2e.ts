/**
 * The admin console in real Chromium against the real server (SQLite in a temp dir):
 * enroll a device and request an override through the device API, approve it in the
 * queue; open every page; revoke a device; switch languages; sign in as an approver and
 * as an auditor and see only what they may do. Setup, seeding and helpers:
 * support/console-page.ts. Logging in and the policy editor are in console-policy.e2e.ts.
 *
 * The tests run in order on one page, each on the state the previous ones left:
 *  - the setup signs in as admin (the login form itself is tested in console-policy);
 *  - the report's override count includes the override approved in the queue test;
 *  - the approver li.si is created on the users page, then signs in in the language test;
 *  - the auditor test starts by signing out that approver.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ENROLLMENT_CODE, useAdminConsole, type EnrolledDevice } from './support/console-page';

describe('admin console', () => {
  const adminConsole = useAdminConsole();
  const { adminApi, deviceApi, open, shot, textOf } = adminConsole;
  let page: Page;
  let device: EnrolledDevice;

  beforeAll(async () => {
    ({ page, device } = adminConsole);
    await adminConsole.logIn('admin', ADMIN_PASSWORD);
  });

  it('approves a device override request from the queue', async () => {
    const requested = await deviceApi<{ id: string; state: string }>(
      'POST',
      '/overrides',
      {
        reason: '客户回访需要复制电话 / customer call-back',
        origin: 'https://crm.example.com',
        channel: 'copy',
        durationMinutes: 120,
        userId: 'zhang.san',
      },
      device.deviceToken,
    );
    expect(requested.json.state).toBe('pending');
    const id = requested.json.id;

    await open('/overrides');
    const row = `[data-testid="overrides-pending"] tr[data-override-id="${id}"]`;
    await page.waitForSelector(row);
    await shot('overrides-pending');
    await page.$eval(`${row} input[name="durationMinutes"]`, (input) => ((input as HTMLInputElement).value = ''));
    await page.type(`${row} input[name="durationMinutes"]`, '30');
    await page.type(`${row} input[name="note"]`, 'e2e approved');
    await page.click(`${row} button[data-action="approve"]`);
    await page.waitForFunction((selector) => !document.querySelector(selector), {}, row);

    const approved = await adminApi<{ items: { id: string; state: string; decisionNote: string | null }[] }>(
      '/api/admin/overrides?state=approved',
    );
    const item = approved.items.find((candidate) => candidate.id === id);
    expect(item?.state).toBe('approved');
    expect(item?.decisionNote).toBe('e2e approved');
    const status = await deviceApi<{ state: string; grant: { payload: { expiresAt: string; issuedAt: string } } | null }>(
      'GET',
      `/overrides/${id}`,
      undefined,
      device.deviceToken,
    );
    expect(status.json.state).toBe('approved');
    const grant = status.json.grant!.payload;
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.issuedAt)).toBe(30 * 60_000);

    await page.click('[data-state="approved"]');
    await page.waitForSelector(`[data-testid="overrides-approved"] tr[data-override-id="${id}"]`);
    await shot('overrides-approved');
  });

  it('lists events with a timeline, devices, enrollment codes, the monthly report, audit log and users', async () => {
    await open('/events');
    await page.waitForSelector('[data-testid="events-table"] tbody tr');
    await page.waitForSelector('[data-testid="timeline-chart"] rect.bar');
    expect(await page.$$eval('[data-testid="events-table"] tbody tr', (rows) => rows.length)).toBe(4);
    // The masked sample is shown; nothing else could be.
    expect(await textOf('[data-testid="events-table"]')).toContain('138****5678');
    await shot('events');
    await page.select('select[name="action"]', 'block');
    await page.click('[data-testid="event-filters"] button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] tbody tr').length === 1);

    await open('/devices');
    await page.waitForSelector(`[data-testid="devices-table"] tr[data-device-id="${device.deviceId}"]`);
    await page.type('[data-testid="enrollment-codes"] input[name="label"]', '市场部 e2e');
    await page.click('[data-action="create-code"]');
    await page.waitForSelector('[data-testid="created-code"] .big-code');
    const code = await textOf('[data-testid="created-code"] .big-code');
    expect(code.length).toBeGreaterThanOrEqual(4);
    await shot('devices');

    await open('/report');
    await page.waitForSelector('[data-testid="report-body"]');
    expect(await textOf('[data-testid="report-title"]')).toBe('客户信息保密风险评估表');
    expect(await page.$eval('[data-testid="report-csv"]', (a) => a.getAttribute('href'))).toMatch(
      /^\/api\/admin\/reports\/monthly\.csv\?month=\d{4}-\d{2}$/,
    );
    const overrides = await textOf('[data-testid="report-overrides"]');
    expect(overrides).toMatch(/1/);
    await shot('report');
    await page.emulateMediaType('print');
    expect(await page.$eval('.sidenav', (nav) => getComputedStyle(nav).display)).toBe('none');
    await shot('report-print');
    await page.emulateMediaType('screen');

    await open('/audit');
    await page.waitForSelector('[data-testid="audit-table"] tbody tr');
    const audit = await textOf('[data-testid="audit-table"]');
    expect(audit).toContain('admin');
    await shot('audit');

    await open('/users');
    await page.waitForSelector('[data-testid="users-table"] tbody tr');
    await page.type('[data-testid="user-form"] input[name="username"]', 'li.si');
    await page.type('[data-testid="user-form"] input[name="displayName"]', '李四');
    await page.type('[data-testid="user-form"] input[name="password"]', 'approver-pass-1234');
    await page.select('[data-testid="user-form"] select[name="role"]', 'approver');
    await page.click('[data-testid="user-form"] button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="users-table"]')?.textContent?.includes('li.si'));
    await shot('users');
  });

  it('revokes a lost device: its token stops working', async () => {
    const lost = await deviceApi<{ deviceId: string; deviceToken: string }>('POST', '/enroll', {
      code: ENROLLMENT_CODE,
      userId: 'lost.laptop',
    });
    await open('/devices');
    const row = `[data-testid="devices-table"] tr[data-device-id="${lost.json.deviceId}"]`;
    await page.waitForSelector(`${row} [data-testid="revoke-device"]`);
    await page.click(`${row} [data-testid="revoke-device"]`); // the confirm dialog is accepted
    await page.waitForFunction((selector) => !document.querySelector(`${selector} [data-testid="revoke-device"]`), {}, row);
    expect((await deviceApi('GET', '/policy', undefined, lost.json.deviceToken)).status).toBe(401);
  });

  it('switches to English and back, and hides what an approver may not do', async () => {
    await open('/events');
    await page.waitForSelector('.sidenav a');
    await page.click('[data-testid="lang-switch"]');
    await page.waitForFunction(() => document.querySelector('.sidenav a[data-nav="policy"]')?.textContent === 'Policy');
    await shot('events-en');
    await page.click('[data-testid="lang-switch"]');
    await page.waitForFunction(() => document.querySelector('.sidenav a[data-nav="policy"]')?.textContent === '保密策略');

    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-form"]');
    await page.type('input[name="username"]', 'li.si');
    await page.type('input[name="password"]', 'approver-pass-1234');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="current-user"]');
    const nav = await page.$$eval('.sidenav a', (links) => links.map((link) => link.getAttribute('data-nav')));
    expect(nav).toEqual(['overrides']);
    await page.waitForSelector('[data-testid="overrides-pending"]');
  });

  it('gives an auditor read-only pages: policy without publish, report with CSV, no enrollment codes', async () => {
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-form"]');
    await page.type('input[name="username"]', 'admin');
    await page.type('input[name="password"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="current-user"]');
    const created = await page.evaluate(async () => {
      const me = (await (await fetch('/api/admin/me')).json()) as { csrfToken: string };
      const response = await fetch('/api/admin/users', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: JSON.stringify({ username: 'wang.wu', password: 'auditor-pass-1234', role: 'auditor', displayName: '王五' }),
      });
      return response.status;
    });
    expect(created).toBeLessThan(300);
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-form"]');
    await page.type('input[name="username"]', 'wang.wu');
    await page.type('input[name="password"]', 'auditor-pass-1234');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="current-user"]');
    const nav = await page.$$eval('.sidenav a', (links) => links.map((link) => link.getAttribute('data-nav')));
    expect(nav).toEqual(['overview', 'policy', 'events', 'incidents', 'devices', 'report', 'audit']);

    await open('/policy');
    await page.waitForSelector('[data-testid="policy-name"]');
    expect(await page.$('[data-testid="publish"]')).toBeNull();
    expect(await page.$eval('[data-testid="policy-name"]', (input) => (input as HTMLInputElement).disabled)).toBe(true);
    await open('/devices');
    await page.waitForSelector('[data-testid="devices-table"]');
    expect(await page.$('[data-testid="enrollment-codes"]')).toBeNull();
    await open('/report');
    await page.waitForSelector('[data-testid="report-csv"]');
  });
});
