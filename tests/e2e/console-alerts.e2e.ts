/**
 * 审批提醒 in real Chromium against the real server (SQLite) and a real local receiver:
 * the IT admin adds a generic JSON webhook with a signing secret, presses 发送测试 and sees
 * it delivered (the receiver checks the signature), sees a robot's refusal in its own
 * words, then a device's override request reaches the receiver through the dispatcher,
 * the deliveries table says so, and its link opens the request in the queue.
 * Screenshots in zh-CN and en go to /tmp/shots-people (BAOMI_SHOT_DIR).
 */
import { createHmac } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useAdminConsole } from './support/console-page';
import { shotPath } from './support/screenshots';
import { startHttpSink, type HttpSink } from '../unit/server/alert-sinks';

const SECRET = 'e2e-webhook-secret-4711';

describe('admin console: approval alerts', () => {
  const adminConsole = useAdminConsole();
  const { open, deviceApi } = adminConsole;
  let page: Page;
  let sink: HttpSink;

  async function setLang(lang: 'zh-CN' | 'en') {
    const current = await page.evaluate(() => document.documentElement.lang || 'zh-CN');
    if (current === lang) return;
    await page.click('[data-testid="lang-switch"]');
    await page.waitForFunction((expected) => document.documentElement.lang === expected, {}, lang);
  }
  const shot = (name: string, lang: 'zh-CN' | 'en') =>
    page.screenshot({ path: shotPath(`console-${name}`, lang) as `${string}.png`, fullPage: true });
  const testResult = (channel: string) =>
    page.waitForFunction(
      (name) => document.querySelector(`tr[data-channel="${name}"] + tr.test-result`)?.textContent ?? '',
      { timeout: 20_000 },
      channel,
    );

  beforeAll(async () => {
    page = adminConsole.page;
    sink = await startHttpSink();
    sink.answer = (request) =>
      request.url.startsWith('/cgi-bin')
        ? { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url, hint: [1733]"}' }
        : { status: 200, body: '{"ok":true}' };
    await adminConsole.logIn('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => sink?.close());

  it('adds a generic webhook; send test delivers it signed; the secret never comes back', async () => {
    await open('/alerts');
    await page.waitForSelector('[data-testid="alert-channels"]');
    await page.click('[data-action="add-channel"]');
    await page.waitForSelector('[data-testid="alert-channel-form"]');
    await page.select('select[name="kind"]', 'webhook');
    await page.type('input[name="name"]', '安全运营中心');
    await page.type('input[name="url"]', `${sink.url}/hook/0123456789abcdef`);
    await page.type('input[name="secret"]', SECRET);
    await shot('alerts-form', 'zh-CN');
    await setLang('en');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="alert-channel-form"] h2')?.textContent === 'Add an alert channel',
    );
    await shot('alerts-form', 'en');
    await setLang('zh-CN');
    await page.click('[data-action="save-channel"]');
    await page.waitForSelector('tr[data-channel="安全运营中心"]');
    const row = await page.$eval('tr[data-channel="安全运营中心"]', (tr) => tr.textContent ?? '');
    expect(row).toContain('通用 JSON Webhook');
    expect(row).toContain(`${sink.url}/hook/…cdef`);
    expect(row).toContain('已设置');
    expect(await page.content()).not.toContain(SECRET);
    const listed = await adminConsole.adminApi<unknown>('/api/admin/alert-channels');
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(JSON.stringify(listed)).not.toContain('0123456789abcdef');

    await page.click('tr[data-channel="安全运营中心"] [data-action="test"]');
    const result = await testResult('安全运营中心');
    expect(await result.jsonValue()).toContain('测试消息已送达');
    expect(sink.received).toHaveLength(1);
    const received = sink.received[0]!;
    const timestamp = received.headers['x-baomi-timestamp'] as string;
    expect(received.headers['x-baomi-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${received.body}`).digest('hex')}`,
    );
    expect(JSON.parse(received.body)).toMatchObject({ type: 'test' });
  });

  it('a robot that refuses: the result says so in the remote’s words', async () => {
    await page.click('[data-action="add-channel"]');
    await page.waitForSelector('[data-testid="alert-channel-form"]');
    await page.select('select[name="kind"]', 'wecom');
    await page.type('input[name="name"]', '企业微信 审批群');
    await page.type('input[name="url"]', `${sink.url}/cgi-bin/webhook/send?key=wrong-key-0000`);
    await page.click('[data-action="save-channel"]');
    await page.waitForSelector('tr[data-channel="企业微信 审批群"]');
    await page.click('tr[data-channel="企业微信 审批群"] [data-action="test"]');
    const result = await testResult('企业微信 审批群');
    expect(await result.jsonValue()).toBe('发送失败：对方拒绝了这条消息（errcode 93000: invalid webhook url, hint: [1733]）');
    // Switched off, so the request below goes to the webhook only.
    await page.click('tr[data-channel="企业微信 审批群"] [data-action="edit"]');
    await page.waitForSelector('[data-testid="alert-channel-form"] input[name="enabled"]');
    await page.click('[data-testid="alert-channel-form"] input[name="enabled"]');
    await page.click('[data-action="save-channel"]');
    await page.waitForFunction(() => document.querySelector('tr[data-channel="企业微信 审批群"]')?.textContent?.includes('停用'));
  });

  it('the audit log words every change and test, and holds no secret', async () => {
    await open('/audit');
    await page.waitForSelector('[data-testid="audit-table"] tbody tr');
    const audit = await adminConsole.textOf('[data-testid="audit-table"]');
    for (const action of ['添加审批提醒渠道', '修改审批提醒渠道', '发送审批提醒测试']) expect(audit).toContain(action);
    expect(audit).not.toContain(SECRET);
    expect(audit).not.toContain('0123456789abcdef');
    await shot('audit-alerts', 'zh-CN');
    await open('/alerts');
    await page.waitForSelector('tr[data-channel="安全运营中心"]');
  });

  it('a device’s request reaches the receiver; the deliveries table says so; its link opens the request', async () => {
    const asked = await deviceApi<{ id: string }>(
      'POST',
      '/overrides',
      {
        reason: '客户急需报价单',
        origin: 'https://crm.example.com',
        channel: 'copy',
        durationMinutes: 30,
        userId: 'zhang.san',
        level: '机密',
        masked: ['138****5678'],
      },
      adminConsole.device.deviceToken,
    );
    expect(asked.status).toBe(201);
    await sink.waitFor(3);
    const alert = JSON.parse(sink.received[2]!.body) as { type: string; request: { id: string }; text: string };
    expect(alert.type).toBe('override-requested');
    expect(alert.request.id).toBe(asked.json.id);
    expect(alert.text).toContain('脱敏样本：138****5678');
    expect(sink.received.filter((request) => request.url.startsWith('/cgi-bin'))).toHaveLength(1); // the test only

    await page.click('.page-actions .btn'); // 刷新
    await page.waitForSelector('[data-testid="alert-deliveries"] tr[data-state="delivered"]');
    const delivered = await page.$eval('[data-testid="alert-deliveries"] tr[data-state="delivered"]', (tr) => tr.textContent ?? '');
    expect(delivered).toContain('安全运营中心');
    expect(delivered).toContain('已送达');
    await shot('alerts', 'zh-CN');
    await setLang('en');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Approval alerts');
    await shot('alerts', 'en');
    await setLang('zh-CN');

    await page.click('[data-testid="alert-deliveries"] tr[data-state="delivered"] a');
    await page.waitForSelector(`tr[data-override-id="${asked.json.id}"][aria-current="true"]`);
    await shot('overrides-opened-from-alert', 'zh-CN');
    await setLang('en');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Override requests');
    await shot('overrides-opened-from-alert', 'en');
    await setLang('zh-CN');
  });
});
