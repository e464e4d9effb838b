/** The console's Content-Security-Policy, Secure cookies behind TLS, and password strength. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { passwordProblem } from '../../../server/lib/password-policy';
import { zhCN } from '../../../server/console/src/i18n/zh-cn';
import { en } from '../../../server/console/src/i18n/en';
import { ADMIN_PASSWORD, createTestServer, login, type AdminLogin, type TestServer } from './helpers';

const PROXY = '10.0.0.1';

describe('console hardening', () => {
  let server: TestServer;
  let secureServer: TestServer;
  let admin: AdminLogin;
  beforeAll(async () => {
    server = await createTestServer({ env: { BAOMI_TRUSTED_PROXIES: PROXY } });
    const dist = join(server.dir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>console</title><script type="module" src="/admin/assets/app.js"></script>',
    );
    secureServer = await createTestServer({ env: { BAOMI_PUBLIC_URL: 'https://baomi.corp.example.com' }, consoleDir: dist });
    admin = await login(server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.cleanup();
    await secureServer?.cleanup();
  });

  it('the console and the API answer with a Content-Security-Policy that allows only our own script and style', async () => {
    for (const res of [await secureServer.request('/admin/'), await secureServer.request('/api/v1/keys')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    }
    expect(await (await secureServer.request('/admin/')).text()).toContain('<title>console</title>');
  });

  function loginFrom(target: TestServer, peer: string, headers: Record<string, string> = {}) {
    return Promise.resolve(
      target.app.request(
        '/api/admin/login',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        },
        { incoming: { socket: { remoteAddress: peer } } },
      ),
    );
  }
  const cookiesOf = (res: Response) => res.headers.getSetCookie();

  it('cookies are Secure with an https BAOMI_PUBLIC_URL, or when a trusted proxy says https', async () => {
    const viaUrl = await loginFrom(secureServer, '192.0.2.1');
    expect(viaUrl.status).toBe(200);
    expect(cookiesOf(viaUrl)).toHaveLength(2);
    for (const cookie of cookiesOf(viaUrl)) expect(cookie).toMatch(/; Secure/);
    const viaProxy = await loginFrom(server, PROXY, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.1' });
    for (const cookie of cookiesOf(viaProxy)) expect(cookie).toMatch(/; Secure/);
  });

  it('control: plain http, or X-Forwarded-Proto from a peer that is not a trusted proxy, is not Secure (a loopback install still works)', async () => {
    const plain = await loginFrom(server, '127.0.0.1');
    expect(plain.status).toBe(200);
    for (const cookie of cookiesOf(plain)) expect(cookie).not.toMatch(/Secure/);
    const forged = await loginFrom(server, '192.0.2.7', { 'X-Forwarded-Proto': 'https' });
    for (const cookie of cookiesOf(forged)) expect(cookie).not.toMatch(/Secure/);
    for (const cookie of cookiesOf(plain)) expect(cookie).toMatch(/HttpOnly/);
  });

  const createUser = (username: string, password: string) =>
    server.request('/api/admin/users', {
      method: 'POST',
      headers: admin.write,
      json: { username, password, role: 'auditor', displayName: '王五' },
    });

  it.each([
    ['a common password', 'wang.wu', 'password123'],
    ['digits only', 'wang.wu', '1234567890'],
    ['a keyboard walk', 'wang.wu', 'qwertyuiop'],
    ['the user name itself', 'wangwu2026', 'wangwu2026'],
    ['the user name inside', 'zhao.liu', 'zhao.liu-2026!'],
    ['character classes without strength', 'wang.wu', 'P@ssw0rd2024'],
  ])('%s is refused with code weak-password and a Chinese message', async (_name, username, password) => {
    const res = await createUser(username, password);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('weak-password');
    expect(body.error.message).toMatch(/密码/);
    expect(body.error.issues[0]!.path).toBe('password');
    // Never echoes the password.
    expect(JSON.stringify(body)).not.toContain(password);
  });

  it('control: a long phrase of unrelated words is accepted', async () => {
    expect((await createUser('wang.wu', 'violet-canyon-tractor-42')).status).toBe(201);
    // Passwords the console tests set for new users stay valid.
    for (const [password, username] of [
      ['auditor-pass-1234', 'wang.wu'],
      ['approver-pass-1234', 'li.si'],
      ['long-enough-1', 'zhao'],
    ]) {
      expect(passwordProblem(password!, [username!])).toBeNull();
    }
  });

  it('BAOMI_ADMIN_PASSWORD must be strong too', () => {
    expect(() => loadConfig({ BAOMI_ADMIN_PASSWORD: 'password123' })).toThrow(ConfigError);
    expect(() => loadConfig({ BAOMI_ADMIN_PASSWORD: 'admin12345678' })).toThrow(/BAOMI_ADMIN_PASSWORD/);
    expect(loadConfig({ BAOMI_ADMIN_PASSWORD: 'violet-canyon-tractor-42' }).adminPassword).toBe('violet-canyon-tractor-42');
  });

  it('the console translates the codes the server now sends (zh-CN and English)', () => {
    for (const code of ['weak-password', 'rate-limited'] as const) {
      expect(zhCN[`error.${code}`]).toMatch(/[\u4e00-\u9fff]/);
      expect(en[`error.${code}`]).toMatch(/[a-z]/);
    }
  });
});
