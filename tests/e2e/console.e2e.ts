/**
 * The admin console in real Chromium against the real server (SQLite in a temp dir):
 * log in, edit the policy through the form, see the diff, publish; enroll a device and
 * request an override through the device API, approve it in the queue; open every page.
 *
 * Needs the console build (server/console/dist): built here when missing.
 * Screenshots of each page go to $BAOMI_SCREENSHOTS (default: the OS temp dir).
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '../../server/start';
import { uuidv7 } from '../../utils/events/uuid-v7';
import { launchBrowser, type LaunchedBrowser } from './support/browser';

const ADMIN_PASSWORD = 'e2e-admin-pass-1234';
const ENROLLMENT_CODE = 'E2E-ENROLL-7788';
const CONSOLE_DIST = resolve('server/console/dist/index.html');
const SHOTS = process.env.BAOMI_SCREENSHOTS ?? tmpdir();

describe('admin console', () => {
  let server: StartedServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let dataDir: string;
  let device: { deviceId: string; deviceToken: string };

  /** The admin API with the browser's session cookie and CSRF token. */
  async function adminApi<T>(path: string): Promise<T> {
    return page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).json(), path) as Promise<T>;
  }

  async function deviceApi<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: T }> {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  async function open(route: string) {
    await page.goto(`${server.url}/admin/#${route}`, { waitUntil: 'domcontentloaded' });
  }

  async function shot(name: string) {
    await page.screenshot({ path: join(SHOTS, `baomi-console-${name}.png`), fullPage: true });
  }

  async function textOf(selector: string): Promise<string> {
    return page.$eval(selector, (element) => element.textContent ?? '');
  }

  beforeAll(async () => {
    if (!existsSync(CONSOLE_DIST)) execSync('npm run build:console', { stdio: 'inherit' });
    dataDir = await mkdtemp(join(tmpdir(), 'baomi-console-e2e-'));
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir, databaseUrl: '', adminPassword: ADMIN_PASSWORD, enrollmentCode: ENROLLMENT_CODE });

    // A device with a few events, so the events page and the report have something to show.
    const enrolled = await deviceApi<{ deviceId: string; deviceToken: string }>('POST', '/enroll', {
      code: ENROLLMENT_CODE,
      userId: 'zhang.san',
      department: '市场部',
      deviceName: 'PC-MKT-01',
      extensionVersion: '0.1.0',
      browser: 'Chromium',
    });
    expect(enrolled.status).toBeLessThan(300);
    device = enrolled.json;
    const now = Date.now();
    const events = [
      { channel: 'copy', action: 'block-with-override', level: '机密', masked: '138****5678', destination: null },
      { channel: 'paste', action: 'block', level: '秘密', masked: '139****0001', destination: 'https://chat.example.net' },
      { channel: 'print', action: 'warn', level: '绝密', masked: '绝密', destination: null },
      { channel: 'submit', action: 'audit', level: '秘密', masked: '010-****5678', destination: 'https://crm.example.com' },
    ].map((spec, index) => ({
      id: uuidv7(now - index * 3_600_000),
      kind: 'violation',
      time: new Date(now - index * 3_600_000).toISOString(),
      deviceId: device.deviceId,
      userId: 'zhang.san',
      department: '市场部',
      origin: 'https://crm.example.com',
      destination: spec.destination,
      channel: spec.channel,
      action: spec.action,
      ruleId: 'no-copy-out',
      level: spec.level,
      policyVersion: 1,
      grantId: null,
      findings: [{ type: spec.masked.includes('*') ? 'mobile' : 'marker', level: spec.level, masked: spec.masked, hash: 'a'.repeat(64) }],
      findingCount: 1,
    }));
    const uploaded = await deviceApi<{ accepted: string[]; rejected: unknown[] }>('POST', '/events', { events }, device.deviceToken);
    expect(uploaded.json.rejected).toEqual([]);
    expect(uploaded.json.accepted).toHaveLength(events.length);

    launched = await launchBrowser({ withExtension: false });
    page = await launched.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await launched?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
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
    expect(nav).toEqual(['policy', 'events', 'overrides', 'devices', 'report', 'audit', 'users']);
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
    const added = await page.$$eval('[data-testid="policy-diff"] tr.diff-add td.code', (cells) => cells.map((cell) => cell.textContent?.trim()));
    expect(added).toContain('"https://crm.e2e.example.com"');
    await shot('policy-diff');

    await page.type('[data-testid="publish-note"]', 'e2e: add CRM as an internal system');
    await page.click('[data-testid="publish"]');
    await page.waitForFunction(
      (version) => document.querySelector('[data-testid="current-version"]')?.getAttribute('data-version') === String(version),
      {},
      startVersion + 1,
    );
    const after = await adminApi<{ current: { version: number; note: string; policy: { internalOrigins: string[] } } }>('/api/admin/policy');
    expect(after.current.version).toBe(startVersion + 1);
    expect(after.current.policy.internalOrigins).toContain('https://crm.e2e.example.com');
    expect(after.current.note).toBe('e2e: add CRM as an internal system');

    await page.click('[data-tab="history"]');
    await page.waitForSelector('[data-testid="policy-history"] tbody tr');
    const versions = await page.$$eval('[data-testid="policy-history"] tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent));
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

  it('approves a device override request from the queue', async () => {
    const requested = await deviceApi<{ id: string; state: string }>(
      'POST',
      '/overrides',
      { reason: '客户回访需要复制电话 / customer call-back', origin: 'https://crm.example.com', channel: 'copy', durationMinutes: 120, userId: 'zhang.san' },
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

    const approved = await adminApi<{ items: { id: string; state: string; decisionNote: string | null }[] }>('/api/admin/overrides?state=approved');
    const item = approved.items.find((candidate) => candidate.id === id);
    expect(item?.state).toBe('approved');
    expect(item?.decisionNote).toBe('e2e approved');
    const status = await deviceApi<{ state: string; grant: { payload: { expiresAt: string; issuedAt: string } } | null }>('GET', `/overrides/${id}`, undefined, device.deviceToken);
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
    expect(await page.$eval('[data-testid="report-csv"]', (a) => a.getAttribute('href'))).toMatch(/^\/api\/admin\/reports\/monthly\.csv\?month=\d{4}-\d{2}$/);
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
    const lost = await deviceApi<{ deviceId: string; deviceToken: string }>('POST', '/enroll', { code: ENROLLMENT_CODE, userId: 'lost.laptop' });
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
    expect(nav).toEqual(['policy', 'events', 'devices', 'report', 'audit']);

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
