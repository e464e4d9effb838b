/**
 * The whole system for end-to-end tests: the real server (SQLite in a temp dir),
 * a loopback proxy in front of it, the fixture pages, and Chromium with the built
 * extension enrolled through its options page — as an employee would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { startServer, type StartedServer } from '../../../server/start';
import { extensionWorker, IS_FIREFOX, launchBrowser, type LaunchedBrowser, type LaunchOptions } from './browser';
import { startFixtureServer, type FixtureServer } from './fixture-server';
import { startProxy, type ProxyControls } from './proxy';
import { loginAdmin, type AdminClient } from './admin-client';

export const ADMIN_PASSWORD = 'e2e-admin-password-1';
export const ENROLLMENT_CODE = 'E2E-ENROLL-0001';

export interface SystemUnderTest {
  dataDir: string;
  server: StartedServer;
  proxy: ProxyControls;
  fixtures: FixtureServer;
  launched: LaunchedBrowser;
  browser: Browser;
  extensionId: string;
  admin: AdminClient;
  restartServer(): Promise<void>;
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

export type SystemLaunchOptions = Omit<LaunchOptions, 'managedStorage'> & {
  /** Firefox: managed storage made once the proxy's URL and the server's key id are known. */
  /**
   * Managed storage made once the proxy's URL and the server's key are known; `managedCode` is a
   * managed-deployment enrolment code (a policy-assigned userId enrols only with one: issue 27).
   */
  managedStorage?: (server: { serverUrl: string; keyId: string; managedCode: string }) => Record<string, unknown>;
  /** Server environment on top of this process's (e.g. BAOMI_OIDC_* for identity-oidc.e2e.ts). */
  serverEnv?: Record<string, string>;
};

export async function startSystem(launchOptions: SystemLaunchOptions = {}): Promise<SystemUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'baomi-system-'));
  const { serverEnv, ...launchRest } = launchOptions;
  const options = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: '',
    adminPassword: ADMIN_PASSWORD,
    enrollmentCode: ENROLLMENT_CODE,
    ...(serverEnv ? { env: { ...process.env, ...serverEnv } } : {}),
  };
  let server: StartedServer | null = await startServer(options);
  let lastUrl = server.url;
  const proxy = await startProxy(() => lastUrl);
  const fixtures = await startFixtureServer();
  // Managed storage names the proxy, which only now has a port.
  const { managedStorage, ...browserOptions } = launchRest;
  const managedCode = managedStorage
    ? (
        await (
          await loginAdmin(server.url, 'admin', ADMIN_PASSWORD)
        ).post<{ code: string }>('/enrollment-codes', {
          kind: 'managed-deployment',
          label: 'e2e managed storage',
        })
      ).code
    : '';
  const launched = await launchBrowser({
    ...browserOptions,
    ...(managedStorage ? { managedStorage: managedStorage({ serverUrl: proxy.url, keyId: server.keys.keyId, managedCode }) } : {}),
  });
  // Firefox's BiDi shows no extension context (support/browser.ts): no id to read there.
  const extensionId = IS_FIREFOX ? '' : (await extensionWorker(launched.browser)).extensionId;
  const system: SystemUnderTest = {
    dataDir,
    get server() {
      if (!server) throw new Error('server is stopped');
      return server;
    },
    proxy,
    fixtures,
    launched,
    browser: launched.browser,
    extensionId,
    admin: await loginAdmin(server.url, 'admin', ADMIN_PASSWORD),
    async stopServer() {
      await server?.close();
      server = null;
    },
    async restartServer() {
      server = await startServer(options);
      lastUrl = server.url;
      system.admin = await loginAdmin(server.url, 'admin', ADMIN_PASSWORD);
    },
    async close() {
      await launched.close();
      await fixtures.close();
      await proxy.close();
      await server?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return system;
}

/** Switches the console's self-declared mode (a typed name enrolls, marked unverified; issue 27). */
export async function setSelfDeclaredMode(system: SystemUnderTest, on: boolean): Promise<void> {
  const current = await system.admin.get<{ groupRoles: unknown[] }>('/settings/identity');
  await system.admin.put('/settings/identity', { selfDeclared: on, groupRoles: current.groupRoles });
}

/**
 * Fills the options page like a user: server URL (the proxy), code#fingerprint, user. A typed
 * name enrolls only in the self-declared mode, which this switches on first: the suites that
 * use it test the guard, not who is who (tests/e2e/identity-oidc.e2e.ts does).
 */
export async function enrollThroughOptions(system: SystemUnderTest, userId = 'zhang.san', department = '销售部') {
  await setSelfDeclaredMode(system, true);
  const page = await system.browser.newPage();
  await page.goto(`chrome-extension://${system.extensionId}/options.html`);
  await page.type('input[name=serverUrl]', system.proxy.url);
  await page.type('input[name=code]', `${ENROLLMENT_CODE}#${system.server.keys.keyId}`);
  await page.type('input[name=userId]', userId);
  await page.type('input[name=department]', department);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=enroll-message]', { timeout: 30_000 });
  const message = await page.$eval('[data-testid=enroll-message]', (el) => el.textContent ?? '');
  await page.close();
  return message;
}

/** Reads a chrome.storage.local key through the (possibly restarted) service worker. */
/** The part of the extension's `chrome` global read here (it exists in the worker only). */
interface ExtensionGlobal {
  chrome: { storage: { local: { get(name: string): Promise<Record<string, unknown>> } } };
}

export async function extensionStorage<T>(browser: Browser, key: string): Promise<T | undefined> {
  const { worker } = await extensionWorker(browser);
  // `chrome` exists in the worker, not in this Node process.
  return worker.evaluate(
    async (name) => (await (globalThis as unknown as ExtensionGlobal).chrome.storage.local.get(name))[name],
    key,
  ) as Promise<T | undefined>;
}

export async function activePolicyVersion(browser: Browser): Promise<number> {
  const state = await extensionStorage<{ policy: { version: number } } | null>(browser, 'activePolicy');
  return state?.policy.version ?? 0;
}

/** Events waiting in the extension's IndexedDB queue. */
export async function queuedEventCount(browser: Browser): Promise<number> {
  const { worker } = await extensionWorker(browser);
  return worker.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('baomi-guard');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('events')) return resolve(0);
          const count = db.transaction('events').objectStore('events').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

export async function waitFor<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch {
      // the service worker may be restarting; try again
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
