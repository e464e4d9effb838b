/**
 * Approval alerts, the pure half: the signers against values computed with the robots'
 * documented sample code, the message each robot gets, what is never in it, and the
 * retry schedule.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alertMarkdown,
  alertMarkdownWithin,
  alertText,
  companyTime,
  neutralizeMarkdown,
  overrideAlert,
  requestLink,
  safeSamples,
  type OverrideAlertInput,
} from '../../../server/lib/alerts/alert-content';
import { channelInputSchema, urlHint } from '../../../server/lib/alerts/channel-config';
import { answerProblem, buildWebhookRequest, type GenericWebhookBody } from '../../../server/lib/alerts/robot-requests';
import { dingtalkSign, feishuSign, webhookSignature } from '../../../server/lib/alerts/signers';
import { DEFAULT_ALERT_SETTINGS, retryDelayMs } from '../../../server/lib/alerts/alert-service';
import { emailSubject } from '../../../server/lib/alerts/delivery';
import { looksLikeRawNumber } from '../../../server/lib/raw-number';

const NOW = new Date('2026-12-08T03:47:00.000Z');
const REQUEST: OverrideAlertInput = {
  id: '0193a3c0-0000-7000-8000-000000000001',
  userId: 'zhang.san',
  department: '销售部',
  channel: 'copy',
  level: '机密',
  origin: 'https://crm.example.com',
  masked: ['138****5678', '010-****-6666'],
  reason: '客户急需报价单',
  requestedAt: '2026-12-08T03:46:30.000Z',
};
const OPTIONS = { publicUrl: 'https://baomi.corp.example.com/', offsetMinutes: 480 };

describe('signers', () => {
  // Both values printed by the robots' documented Python sample code (钉钉 "加签":
  // quote_plus(b64encode(hmac.new(secret, f"{ts}\n{secret}", sha256))); 飞书 "签名校验":
  // b64encode(hmac.new(f"{ts}\n{secret}".encode(), digestmod=sha256))) for these inputs.
  it('钉钉 加签 matches the documented Python example', () => {
    const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
    expect(dingtalkSign(secret, 1700000000000)).toBe('8SZas7RY4E7wuOlgLfjLwHSKZpyUEdXdLvFYSDZiiFw%3D');
  });

  it('飞书 签名校验 matches the documented Python example (the string is the key, the message empty)', () => {
    expect(feishuSign('qTzjGdJqNfHbSbKdGh1xYc', 1700000000)).toBe('y+Qvi2h91xTnrlBxgMFYTCPUy+19C47/O+FaUAYwNVc=');
  });

  it('the generic webhook signs timestamp.body with HMAC-SHA256, hex', () => {
    const body = '{"a":1}';
    const expected = createHmac('sha256', 'k3y').update('1700000000.{"a":1}').digest('hex');
    expect(webhookSignature('k3y', 1700000000, body)).toBe(`sha256=${expected}`);
    expect(webhookSignature('k3y', 1700000000, '{"a":2}')).not.toBe(`sha256=${expected}`);
    expect(webhookSignature('k3y', 1700000001, body)).not.toBe(`sha256=${expected}`);
  });
});

describe('alert content', () => {
  const content = overrideAlert(REQUEST, OPTIONS);

  it('zh-CN first, English second, every field the approver needs and the link', () => {
    const text = alertText(content);
    const [zh, english] = text.split('\n\n');
    expect(zh).toContain('【保密卫士】有新的例外申请待审批');
    expect(zh).toContain('申请人：zhang.san（销售部）');
    expect(zh).toContain('操作：复制');
    expect(zh).toContain('密级：机密');
    expect(zh).toContain('网站：https://crm.example.com');
    expect(zh).toContain('脱敏样本：138****5678、010-****-6666');
    expect(zh).toContain('理由：客户急需报价单');
    expect(zh).toContain('时间：2026-12-08 11:46 (UTC+08:00)');
    expect(zh).toContain(`在控制台查看并审批：https://baomi.corp.example.com/admin/#/overrides?id=${REQUEST.id}`);
    expect(english).toContain('[Baomi Guard] A new override request awaits approval');
    expect(english).toContain('Requested by: zhang.san (销售部)');
    expect(english).toContain('Action: Copy');
    expect(english).toContain('Level: 机密 Confidential');
    expect(text.indexOf('保密卫士')).toBeLessThan(text.indexOf('Baomi Guard'));
  });

  it('a sample or reason that still reads as a number never goes out; its control goes out whole', () => {
    const leaky = overrideAlert(
      { ...REQUEST, masked: ['13812345678', '138****5678', '1 3 8 1 2 3 4 5 6 7 8'], reason: '发给 138 1234 5678', userId: '13900001111' },
      OPTIONS,
    );
    for (const rendered of [alertText(leaky), alertMarkdown(leaky), JSON.stringify(leaky.request)]) {
      expect(rendered).not.toContain('13812345678');
      expect(rendered).not.toContain('1234 5678');
      expect(rendered).not.toContain('13900001111');
      // What is left once the request id (in the link and the JSON) and the times are taken out holds no number at all.
      const rest = rendered.replaceAll(REQUEST.id, '').replace(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}\.\d{3}Z)?/g, '');
      expect(looksLikeRawNumber(rest)).toBe(false);
    }
    expect(alertText(leaky)).toContain('理由：（含号码，未显示）');
    expect(alertText(leaky)).toContain('申请人：（含号码，未显示）');
    expect(leaky.request.masked).toEqual(['138****5678']);
    expect(safeSamples(REQUEST.masked)).toEqual(REQUEST.masked);
  });

  it('a reason or site that names a register customer is left out; other text goes out', () => {
    const namesCustomer = (text: string) => text.includes('星辰科技');
    const named = overrideAlert({ ...REQUEST, reason: '给北京星辰科技有限公司发报价' }, { ...OPTIONS, namesCustomer });
    expect(alertText(named)).not.toContain('星辰');
    expect(alertText(named)).toContain('理由：（含客户名录中的名称，未显示）');
    expect(alertText(named)).toContain('Reason: (names a customer in the register; not shown)');
    expect(named.request.reason).toBe('');
    const control = overrideAlert(REQUEST, { ...OPTIONS, namesCustomer });
    expect(alertText(control)).toContain('理由：客户急需报价单');
  });

  it('markdown: markup in values becomes full-width look-alikes, the labels stay bold', () => {
    expect(neutralizeMarkdown('138****5678 [x](y) <b>#1</b> `c` a_b|\\')).toBe('138＊＊＊＊5678 ［x］(y) ＜b＞＃1＜/b＞ ｀c｀ a＿b｜＼');
    const markdown = alertMarkdown(content);
    expect(markdown).toContain('**脱敏样本**：138＊＊＊＊5678、010-＊＊＊＊-6666');
    expect(markdown).toContain(`[在控制台查看并审批](https://baomi.corp.example.com/admin/#/overrides?id=${REQUEST.id})`);
  });

  it('no link without BAOMI_PUBLIC_URL; a test links the queue', () => {
    expect(overrideAlert(REQUEST, { offsetMinutes: 480 }).link).toBeNull();
    expect(requestLink('https://x.example', 'a b')).toBe('https://x.example/admin/#/overrides?id=a%20b');
    expect(overrideAlert(REQUEST, { ...OPTIONS, test: true }).link).toBe('https://baomi.corp.example.com/admin/#/overrides');
  });

  it.each([
    ['2026-12-08T03:46:30.000Z', 480, '2026-12-08 11:46 (UTC+08:00)'],
    ['2026-12-08T20:00:00.000Z', 480, '2026-12-09 04:00 (UTC+08:00)'],
    ['2026-12-08T03:46:30.000Z', -330, '2026-12-07 22:16 (UTC-05:30)'],
  ])('company time of %s at %i min', (iso, offset, expected) => {
    expect(companyTime(iso, offset)).toBe(expected);
  });
});

describe('robot requests', () => {
  const content = overrideAlert(REQUEST, OPTIONS);

  it('e-mail: both titles in the subject, the plain text as the body', () => {
    expect(emailSubject(content)).toBe('【保密卫士】有新的例外申请待审批 / [Baomi Guard] A new override request awaits approval');
    expect(emailSubject(overrideAlert(REQUEST, { ...OPTIONS, test: true }))).toBe(
      '【保密卫士】测试消息：审批提醒已接通 / [Baomi Guard] Test message: approval alerts are connected',
    );
  });

  it('企业微信: markdown message to the webhook URL as given', () => {
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
    const request = buildWebhookRequest('wecom', { url, secret: null }, content, NOW);
    expect(request.url).toBe(url);
    const body = JSON.parse(request.body) as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toBe(alertMarkdown(content));
    expect(Buffer.byteLength(body.markdown.content)).toBeLessThan(4096);
  });

  it('企业微信: the longest request the device API takes still fits its 4096-byte Markdown (Chinese alone, the reason cut at 200 characters)', () => {
    const longest: OverrideAlertInput = {
      ...REQUEST,
      userId: '测'.repeat(200),
      department: '部'.repeat(100),
      origin: `https://${'长'.repeat(290)}.cn`,
      masked: Array.from({ length: 5 }, () => `${'＊'.repeat(60)}5678`),
      reason: '急'.repeat(1000),
    };
    const longContent = overrideAlert(longest, OPTIONS);
    const request = buildWebhookRequest(
      'wecom',
      { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: null },
      longContent,
      NOW,
    );
    const markdown = (JSON.parse(request.body) as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(4096);
    // Too long for both languages: the Chinese block alone.
    expect(markdown).toBe(alertMarkdown(longContent, { chineseOnly: true }));
    expect(markdown).toContain(`**理由**：${'急'.repeat(200)}…`);
    expect(longContent.request.reason).toBe(`${'急'.repeat(200)}…`);
    const cut = alertMarkdownWithin(longContent, 300);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(300);
    expect(cut.endsWith('…')).toBe(true);
    expect(alertMarkdownWithin(content, 4096)).toBe(alertMarkdown(content));
  });

  it('钉钉: markdown with title; timestamp and sign appended when 加签', () => {
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=abc';
    const plain = buildWebhookRequest('dingtalk', { url, secret: null }, content, NOW);
    expect(plain.url).toBe(url);
    const signed = buildWebhookRequest('dingtalk', { url, secret: 'SECxyz' }, content, NOW);
    const params = new URL(signed.url).searchParams;
    expect(params.get('access_token')).toBe('abc');
    expect(params.get('timestamp')).toBe(String(NOW.getTime()));
    expect(encodeURIComponent(params.get('sign')!)).toBe(dingtalkSign('SECxyz', NOW.getTime()));
    const body = JSON.parse(signed.body) as { msgtype: string; markdown: { title: string; text: string } };
    expect(body).toEqual({ msgtype: 'markdown', markdown: { title: '【保密卫士】有新的例外申请待审批', text: alertMarkdown(content) } });
  });

  it('飞书: rich-text post, timestamp (s) and sign in the body when 签名校验', () => {
    const url = 'https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd';
    const signed = buildWebhookRequest('feishu', { url, secret: 's3cret' }, content, NOW);
    const body = JSON.parse(signed.body) as {
      timestamp: string;
      sign: string;
      msg_type: string;
      content: { post: { zh_cn: { title: string; content: { tag: string; text: string; href?: string }[][] } } };
    };
    const seconds = Math.floor(NOW.getTime() / 1000);
    expect(body.timestamp).toBe(String(seconds));
    expect(body.sign).toBe(feishuSign('s3cret', seconds));
    expect(body.msg_type).toBe('post');
    expect(body.content.post.zh_cn.title).toBe('【保密卫士】有新的例外申请待审批');
    const paragraphs = body.content.post.zh_cn.content;
    expect(paragraphs[0]).toEqual([{ tag: 'text', text: '申请人：zhang.san（销售部）' }]);
    expect(paragraphs.flat().filter((item) => item.tag === 'a')[0]).toEqual({
      tag: 'a',
      text: '在控制台查看并审批',
      href: content.link,
    });
    const unsigned = JSON.parse(buildWebhookRequest('feishu', { url, secret: null }, content, NOW).body) as Record<string, unknown>;
    expect(unsigned).not.toHaveProperty('sign');
  });

  it('generic webhook: our JSON body, signature headers only with a secret', () => {
    const signed = buildWebhookRequest('webhook', { url: 'http://127.0.0.1:9/hook', secret: 'k' }, content, NOW);
    const body = JSON.parse(signed.body) as GenericWebhookBody;
    expect(body.type).toBe('override-requested');
    expect(body.request).toEqual(REQUEST);
    expect(body.link).toBe(content.link);
    expect(body.text).toBe(alertText(content));
    const seconds = Math.floor(NOW.getTime() / 1000);
    expect(signed.headers['X-Baomi-Timestamp']).toBe(String(seconds));
    expect(signed.headers['X-Baomi-Signature']).toBe(webhookSignature('k', seconds, signed.body));
    const plain = buildWebhookRequest('webhook', { url: 'http://127.0.0.1:9/hook', secret: null }, content, NOW);
    expect(plain.headers).not.toHaveProperty('X-Baomi-Signature');
  });

  it.each([
    ['wecom', 200, '{"errcode":0,"errmsg":"ok"}', null],
    ['wecom', 200, '{"errcode":93000,"errmsg":"invalid webhook url, hint: [123]"}', 'remote-error'],
    ['dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}', 'remote-error'],
    ['dingtalk', 200, '{"errcode":0,"errmsg":"ok"}', null],
    ['feishu', 200, '{"code":0,"msg":"success","data":{}}', null],
    ['feishu', 200, '{"StatusCode":0,"StatusMessage":"success"}', null],
    ['feishu', 200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}', 'remote-error'],
    ['webhook', 204, '', null],
    ['webhook', 500, 'boom', 'http-status'],
    ['wecom', 502, '<html>bad gateway</html>', 'http-status'],
    ['wecom', 200, 'not json', 'remote-error'],
  ] as const)('%s answering %i %s → %s', (kind, status, text, code) => {
    const problem = answerProblem(kind, status, text);
    expect(problem?.code ?? null).toBe(code);
    if (problem?.code === 'remote-error' && text.startsWith('{"')) expect(problem.detail).toMatch(/sign|invalid/);
  });
});

describe('configuration', () => {
  it('the URL hint keeps host and path, cuts tokens to their last 4 characters', () => {
    expect(urlHint('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…5aaa',
    );
    expect(urlHint('https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/…86fd',
    );
    expect(urlHint('https://user:pass@hooks.example.com/x')).toBe('https://hooks.example.com/x');
  });

  it('refuses a webhook URL that is not http(s), an e-mail channel without SMTP settings', () => {
    expect(channelInputSchema.safeParse({ kind: 'webhook', name: 'x', enabled: true, url: 'file:///etc/passwd' }).success).toBe(false);
    expect(channelInputSchema.safeParse({ kind: 'email', name: 'x', enabled: true }).success).toBe(false);
    expect(
      channelInputSchema.safeParse({
        kind: 'email',
        name: 'x',
        enabled: true,
        email: { host: 'smtp.example.com', port: 465, security: 'tls', from: 'baomi@example.com', to: ['it@example.com'] },
      }).success,
    ).toBe(true);
  });
});

describe('retry schedule', () => {
  it('8 attempts spread over about an hour, doubling', () => {
    const noJitter = () => 0;
    const waits = Array.from({ length: DEFAULT_ALERT_SETTINGS.maxAttempts - 1 }, (_, i) =>
      retryDelayMs(i + 1, DEFAULT_ALERT_SETTINGS.retryBaseMs, noJitter),
    );
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
    const total = waits.reduce((sum, wait) => sum + wait, 0);
    expect(total / 60_000).toBeCloseTo(63.5, 1);
    expect(retryDelayMs(3, 30_000, () => 0.999)).toBeLessThanOrEqual(132_000);
  });
});
