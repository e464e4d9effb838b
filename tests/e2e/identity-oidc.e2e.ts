/**
 * Who is who (issue 27), end to end with a REAL OpenID provider: `oidc-provider` (panva) on
 * 127.0.0.1:0 inside the test, its own login and consent pages filled in by Puppeteer.
 *
 * - Enrollment through the company login from the extension's options page in Chromium: the
 *   device, and the event of a blocked copy, carry the directory's identity (subject, name,
 *   department), verified.
 * - A typed name is refused while the self-declared mode is off (the options page says why, from
 *   its catalogue); with the mode on it enrolls, marked 未验证 in the console.
 * - Console SSO: a person in `baomi-approvers` signs in with the company account and, mapped to
 *   the approver role, lands on the override queue; a person in no mapped group is refused.
 * Screenshots (zh-CN and en) of the options page and the console login go to $BAOMI_SHOT_DIR.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardPage } from './pages/guard-page';
import { shotPath } from './support/screenshots';
import { activePolicyVersion, setSelfDeclaredMode, startSystem, waitFor, type SystemUnderTest } from './support/system';

/** The directory: login name → claims. `sub` is the account id, opaque like a real provider's. */
const DIRECTORY: Record<string, Record<string, unknown>> = {
  u1001: {
    preferred_username: 'zhang.san',
    name: '张三',
    department: '销售部',
    email: 'zhang.san@corp.example',
    groups: ['staff'],
  },
  u2002: {
    preferred_username: 'li.shenpi',
    name: '李审批',
    department: '风控部',
    email: 'li.shenpi@corp.example',
    groups: ['staff', 'baomi-approvers'],
  },
};
const CLIENT_ID = 'baomi-guard';
const CLIENT_SECRET = 'e2e-client-secret-0123456789abcdef';

interface DeviceRow {
  id: string;
  userId: string;
  displayName: string | null;
  department: string | null;
  identitySource: string;
  userVerified: boolean;
}

/** Fills the provider's own pages: its login form (any password), then its consent page. */
async function signInAtProvider(page: Page, issuer: string, login: string): Promise<void> {
  await page.waitForSelector('input[name=login]', { timeout: 60_000 });
  await page.type('input[name=login]', login);
  await page.type('input[name=password]', 'any-password');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  // Consent ("Continue") on the first login of this account for this client.
  if (page.url().startsWith(issuer) && (await page.$('button[type=submit]'))) {
    await Promise.all([page.waitForNavigation().catch(() => undefined), page.click('button[type=submit]')]);
  }
}

describe('identity through the company OpenID provider', () => {
  let system: SystemUnderTest;
  let providerServer: Server;
  let issuer: string;

  beforeAll(async () => {
    // The provider's address must be known before the server starts (its configuration),
    // and the server's before the provider registers its callback: listen first, attach later.
    let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
    providerServer = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
    system = await startSystem({
      serverEnv: {
        BAOMI_OIDC_ISSUER: issuer,
        BAOMI_OIDC_CLIENT_ID: CLIENT_ID,
        BAOMI_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      },
    });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          // The extension reaches the server through the test's proxy, the console directly.
          redirect_uris: [`${system.proxy.url}/oidc/callback`, `${system.server.url}/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      findAccount: (_ctx, id) => (DIRECTORY[id] ? { accountId: id, claims: () => ({ sub: id, ...DIRECTORY[id] }) } : undefined),
      claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'department', 'groups'], email: ['email'] },
      features: { devInteractions: { enabled: true } },
      cookies: { keys: ['e2e-cookie-key-0123456789'] },
    });
    handler = provider.callback();
  });
  afterAll(async () => {
    await system?.close();
    await new Promise((resolve) => providerServer?.close(resolve));
  });

  async function generalCode(): Promise<string> {
    const created = await system.admin.post<{ code: string }>('/enrollment-codes', { label: 'e2e identity' });
    return created.code;
  }

  async function devices(): Promise<DeviceRow[]> {
    return (await system.admin.get<{ items: DeviceRow[] }>('/devices')).items;
  }

  async function optionsPage(serverUrl: string, code: string): Promise<Page> {
    const page = await system.browser.newPage();
    await page.setViewport({ width: 560, height: 820 });
    await page.goto(`chrome-extension://${system.extensionId}/options.html`);
    await page.waitForSelector('input[name=serverUrl]');
    await page.type('input[name=serverUrl]', serverUrl);
    await page.type('input[name=code]', code);
    return page;
  }

  async function messageOf(page: Page): Promise<string> {
    await page.waitForSelector('[data-testid=enroll-message]', { timeout: 90_000 });
    return page.$eval('[data-testid=enroll-message]', (element) => element.textContent ?? '');
  }

  /** "Sync now", as the popup's button sends it (UI messages come from extension pages only). */
  async function syncNow(page: Page): Promise<void> {
    await page.evaluate(() =>
      (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
        type: 'sync-now',
      }),
    );
  }

  it('a typed name is refused while the self-declared mode is off, in the words of the catalogue', async () => {
    const page = await optionsPage(system.proxy.url, await generalCode());
    await page.type('input[name=userId]', 'the.boss');
    await page.click('button[type=submit]');
    const text = await messageOf(page);
    expect(text).toContain('管理员未允许自行填写用户名');
    expect(text.replace(/IT/g, '')).not.toMatch(/[A-Za-z]{2,}/);
    expect(await devices()).toEqual([]);
    await page.screenshot({ path: shotPath('identity-options-refused'), fullPage: true });
    await page.close();
  });

  it('enrolls through the company login; the device and its events carry the verified directory identity', async () => {
    const page = await optionsPage(system.proxy.url, await generalCode());
    const loginTab = system.browser.waitForTarget((target) => target.url().startsWith(issuer), { timeout: 60_000 });
    await page.click('[data-testid=oidc-enroll]');
    await page.waitForSelector('[data-testid=oidc-waiting]');
    const tab = (await (await loginTab).page())!;
    await signInAtProvider(tab, issuer, 'u1001');
    expect(await messageOf(page)).toContain('注册成功');
    // The options page closed the login tab once it read the ticket.
    await waitFor(
      'the login tab to close',
      async () => tab.isClosed(),
      (closed) => closed,
      30_000,
    );

    const [device] = await devices();
    expect(device).toMatchObject({
      userId: 'zhang.san',
      displayName: '张三',
      department: '销售部',
      identitySource: 'oidc',
      userVerified: true,
    });
    const row = await system.server.db.selectFrom('devices').selectAll().where('id', '=', device!.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject: 'u1001', email: 'zhang.san@corp.example', user_verified: 1 });

    await page.reload();
    await page.waitForSelector('[data-testid=enrolled-identity]');
    const identity = await page.$eval('[data-testid=enrolled-identity]', (element) => element.textContent ?? '');
    expect(identity).toContain('张三（zhang.san） · 销售部');
    expect(identity).toContain('已验证');
    await page.screenshot({ path: shotPath('identity-options-oidc'), fullPage: true });

    // A real block: copying the customer's number on the fixture page. Its event names the
    // person the directory said, whatever the device would claim.
    const guard = await GuardPage.open(system.browser, system.fixtures.url('/customers.html'));
    await guard.writeClipboard('previous', system.extensionId);
    await guard.selectContents('#number');
    await guard.pressShortcut('KeyC');
    await guard.waitForNotice('copy');
    await guard.page.close();
    await syncNow(page);
    const events = await waitFor(
      'the copy event on the server',
      async () =>
        (
          await system.admin.get<{ items: { userId: string; userVerified: boolean; department: string | null }[] }>(
            `/events?deviceId=${device!.id}`,
          )
        ).items,
      (items) => items.length > 0,
    );
    expect(events[0]).toMatchObject({ userId: 'zhang.san', userVerified: true, department: '销售部' });

    // The same page in English: the company's policy says the language.
    const current = await system.admin.get<{ current: { version: number; policy: Record<string, unknown> } }>('/policy');
    await system.admin.post('/policy/publish', { policy: { ...current.current.policy, language: 'en' } });
    await syncNow(page);
    await waitFor(
      'the English policy',
      () => activePolicyVersion(system.browser),
      (version) => version > current.current.version,
    );
    await page.reload();
    await page.waitForSelector('[data-testid=enrolled-identity]');
    expect(await page.$eval('[data-testid=identity-badge]', (element) => element.textContent)).toBe('Verified');
    await page.screenshot({ path: shotPath('identity-options-oidc', 'en'), fullPage: true });
    await system.admin.post('/policy/publish', { policy: { ...current.current.policy, language: 'zh-CN' } });
    await syncNow(page);
    await page.close();
  });

  it('with the self-declared mode on, a typed name enrolls and is marked 未验证 in the console', async () => {
    await setSelfDeclaredMode(system, true);
    const page = await optionsPage(system.proxy.url, await generalCode());
    await page.type('input[name=userId]', 'qian.qi');
    await page.type('input[name=department]', '前台');
    await page.click('button[type=submit]');
    expect(await messageOf(page)).toContain('注册成功');
    await page.reload();
    await page.waitForSelector('[data-testid=identity-badge]');
    expect(await page.$eval('[data-testid=identity-badge]', (element) => element.textContent)).toBe('未验证');
    await page.screenshot({ path: shotPath('identity-options-self-declared'), fullPage: true });
    await page.close();
    expect((await devices()).find((d) => d.userId === 'qian.qi')).toMatchObject({ identitySource: 'self-declared', userVerified: false });
    await setSelfDeclaredMode(system, false);

    // The console's device list marks the user (as the IT admin sees it).
    const context = await system.browser.createBrowserContext();
    try {
      const admin = await context.newPage();
      await admin.setViewport({ width: 1280, height: 800 });
      await admin.goto(`${system.server.url}/admin/`);
      await admin.waitForSelector('[data-testid=login-form] input[name=username]');
      await admin.type('input[name=username]', 'admin');
      await admin.type('input[name=password]', 'e2e-admin-password-1');
      await admin.click('[data-testid=login-form] button[type=submit]');
      await admin.waitForFunction(() => !document.querySelector('[data-testid=login-form]'));
      // Through the menu: the console moves to its landing page after login, which a direct
      // hash change could race.
      await admin.waitForSelector('[data-nav=devices]');
      await admin.click('[data-nav=devices]');
      await admin.waitForFunction(() => document.body.innerText.includes('qian.qi'));
      const row = await admin.$eval('tr:has([data-testid=unverified])', (element) => (element as HTMLElement).innerText);
      expect(row).toContain('qian.qi');
      expect(row).toContain('未验证');
      expect(row).toContain('自行填写');
      await admin.screenshot({ path: shotPath('identity-console-devices'), fullPage: true });
      // (This browser profile enrolled again, so the list shows its newest row only.) The
      // earlier, verified enrollment's event is listed without the mark.
      await admin.click('[data-nav=events]');
      await admin.waitForFunction(() => document.body.innerText.includes('zhang.san'));
      const eventRow = await admin.$$eval('tr', (rows) =>
        rows.map((r) => (r as HTMLElement).innerText).find((text) => text.includes('zhang.san')),
      );
      expect(eventRow).not.toContain('未验证');
      // The IT administrator's identity settings: the provider (from the environment), the mode, the group table.
      await admin.click('[data-nav=users]');
      await admin.waitForSelector('[data-testid=oidc-on]');
      expect(await admin.$eval('[data-testid=oidc-on]', (element) => (element as HTMLElement).innerText)).toContain(issuer);
      for (const lang of ['zh-CN', 'en'] as const) {
        if (lang === 'en') await admin.click('[data-testid="lang-switch"]');
        const card = await admin.$('[data-testid=identity-settings]');
        await card!.screenshot({ path: shotPath('identity-console-settings', lang) });
      }
    } finally {
      await context.close();
    }
  });

  async function consoleLogin(browser: Browser, lang: 'zh-CN' | 'en', shot: string | null): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1100, height: 760 });
    await page.goto(`${system.server.url}/admin/`);
    await page.waitForSelector('[data-testid=sso-login]');
    if (lang === 'en') await page.click('[data-testid="lang-switch"]');
    if (shot) await page.screenshot({ path: shotPath(shot, lang) });
    return page;
  }

  it('console SSO: a member of baomi-approvers signs in as approver and sees the override queue; no mapped group, no entry', async () => {
    await system.admin.put('/settings/identity', { selfDeclared: false, groupRoles: [{ group: 'baomi-approvers', role: 'approver' }] });
    for (const lang of ['zh-CN', 'en'] as const)
      await (await consoleLogin(system.browser, lang, 'identity-console-login')).browserContext().close();

    const page = await consoleLogin(system.browser, 'zh-CN', null);
    try {
      expect(await page.$eval('[data-testid=sso-login]', (element) => element.textContent)).toBe('使用企业账号登录');
      await Promise.all([page.waitForNavigation(), page.click('[data-testid=sso-login]')]);
      expect(page.url().startsWith(issuer)).toBe(true);
      await signInAtProvider(page, issuer, 'u2002');
      await page.waitForFunction(() => location.pathname.startsWith('/admin') && !document.querySelector('[data-testid=login-form]'), {
        timeout: 60_000,
      });
      // An approver lands on the override queue.
      await page.waitForFunction(() => location.hash === '#/overrides', { timeout: 30_000 });
      const me = await page.evaluate(
        async () => (await (await fetch('/api/admin/me')).json()) as { user: { username: string; role: string; displayName: string } },
      );
      expect(me.user).toMatchObject({ username: 'li.shenpi', role: 'approver', displayName: '李审批' });
      await page.screenshot({ path: shotPath('identity-console-sso-approver'), fullPage: true });
      const audit = (await system.admin.get<{ items: { action: string; actor: string }[] }>('/audit-log')).items;
      expect(audit).toContainEqual(expect.objectContaining({ action: 'login-sso', actor: 'li.shenpi' }));
    } finally {
      await page.browserContext().close();
    }

    // Control: a person in no mapped group is turned away with the reason, and gets no session.
    const refused = await consoleLogin(system.browser, 'zh-CN', null);
    try {
      await Promise.all([refused.waitForNavigation(), refused.click('[data-testid=sso-login]')]);
      await signInAtProvider(refused, issuer, 'u1001');
      await refused.waitForSelector('[data-testid=sso-error]', { timeout: 60_000 });
      expect(await refused.$eval('[data-testid=sso-error]', (element) => element.textContent)).toContain('不在任何已授权的用户组中');
      const me = await refused.evaluate(async () => (await fetch('/api/admin/me')).status);
      expect(me).toBe(401);
      await refused.screenshot({ path: shotPath('identity-console-sso-refused') });
    } finally {
      await refused.browserContext().close();
    }
    // Break-glass: the local admin still signs in with a password (system.admin did, above).
    expect((await system.admin.get<{ user: { username: string } }>('/me')).user.username).toBe('admin');
  });
});
