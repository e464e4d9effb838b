/**
 * Shared by the admin-console e2e files (console-policy, console-operations): the real
 * server (SQLite in a temp dir) seeded with one enrolled device and four events, so the
 * events page and the report have something to show, and one browser page (no extension)
 * that accepts every confirm dialog.
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
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type StartedServer } from '../../../server/start';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import { launchBrowser, type LaunchedBrowser } from './browser';

export const ADMIN_PASSWORD = 'e2e-admin-pass-1234';
export const ENROLLMENT_CODE = 'E2E-ENROLL-7788';
const CONSOLE_DIST = resolve('server/console/dist/index.html');
const SHOTS = process.env.BAOMI_SCREENSHOTS ?? tmpdir();

export interface EnrolledDevice {
  deviceId: string;
  deviceToken: string;
}

export interface AdminConsole {
  server: StartedServer;
  page: Page;
  /** Enrolled by the setup as zhang.san (市场部), with the four seeded events. */
  device: EnrolledDevice;
  /** The admin API with the browser's session cookie and CSRF token. */
  adminApi<T>(path: string): Promise<T>;
  /** The device API, from Node (a Bearer token when given). */
  deviceApi<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: T }>;
  /** Loads a console route in the page. */
  open(route: string): Promise<void>;
  /** A full-page screenshot to $BAOMI_SCREENSHOTS/baomi-console-<name>.png. */
  shot(name: string): Promise<void>;
  textOf(selector: string): Promise<string>;
  /** Signs in through the login form, as a user would. */
  logIn(username: string, password: string): Promise<void>;
}

/**
 * Registers the file's beforeAll/afterAll: one server and one browser page for the whole
 * file. The fields are set once beforeAll has run; the helpers can be destructured.
 */
export function useAdminConsole(): AdminConsole {
  let launched: LaunchedBrowser | undefined;
  let dataDir = '';

  const adminConsole: AdminConsole = {
    server: undefined as unknown as StartedServer,
    page: undefined as unknown as Page,
    device: undefined as unknown as EnrolledDevice,
    async adminApi<T>(path: string): Promise<T> {
      return adminConsole.page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).json(), path) as Promise<T>;
    },
    async deviceApi<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: T }> {
      const response = await fetch(`${adminConsole.server.url}/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as T };
    },
    async open(route: string) {
      await adminConsole.page.goto(`${adminConsole.server.url}/admin/#${route}`, { waitUntil: 'domcontentloaded' });
    },
    async shot(name: string) {
      await adminConsole.page.screenshot({ path: join(SHOTS, `baomi-console-${name}.png`), fullPage: true });
    },
    async textOf(selector: string): Promise<string> {
      return adminConsole.page.$eval(selector, (element) => element.textContent ?? '');
    },
    async logIn(username: string, password: string) {
      const { page } = adminConsole;
      await adminConsole.open('/');
      await page.waitForSelector('[data-testid="login-form"]');
      await page.type('input[name="username"]', username);
      await page.type('input[name="password"]', password);
      await page.click('button[type="submit"]');
      await page.waitForSelector('[data-testid="current-user"]');
    },
  };
  const { deviceApi } = adminConsole;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_DIST)) execSync('npm run build:console', { stdio: 'inherit' });
    dataDir = await mkdtemp(join(tmpdir(), 'baomi-console-e2e-'));
    adminConsole.server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: '',
      adminPassword: ADMIN_PASSWORD,
      enrollmentCode: ENROLLMENT_CODE,
    });

    // A device with a few events, so the events page and the report have something to show.
    const enrolled = await deviceApi<EnrolledDevice>('POST', '/enroll', {
      code: ENROLLMENT_CODE,
      userId: 'zhang.san',
      department: '市场部',
      deviceName: 'PC-MKT-01',
      extensionVersion: '0.1.0',
      browser: 'Chromium',
    });
    expect(enrolled.status).toBeLessThan(300);
    const device = (adminConsole.device = enrolled.json);
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
    const page = (adminConsole.page = await launched.browser.newPage());
    await page.setViewport({ width: 1280, height: 900 });
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await launched?.close();
    await adminConsole.server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  return adminConsole;
}
