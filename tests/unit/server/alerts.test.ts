/**
 * Approval alerts end to end, with real receivers: an HTTP server standing in for the
 * 企业微信 / 钉钉 / 飞书 robots and a JSON webhook, and an SMTP server taking the mail that
 * nodemailer sends. Signatures are checked as the robots check them, no raw number
 * reaches any receiver, retries follow the back-off, the outbox survives a restart and
 * a lease a dead process left, and a receiver that is down or hangs never holds up the
 * device's request. On PostgreSQL too (BAOMI_TEST_DATABASE_URL), with two processes
 * claiming from one outbox.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareServer } from '../../../server/start';
import { claimDueDeliveries } from '../../../server/db/repositories/alert-deliveries';
import { looksLikeRawNumber } from '../../../server/lib/raw-number';
import type { GenericWebhookBody } from '../../../server/lib/alerts/robot-requests';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import {
  createTestServer,
  enroll,
  loginAs,
  ADMIN_PASSWORD,
  ENROLL_CODE,
  type AdminLogin,
  type EnrolledDevice,
  type TestServer,
} from './helpers';
import { startHttpSink, startSmtpSink, type HttpSink, type SmtpSink } from './alert-sinks';

const PUBLIC_URL = 'https://baomi.corp.example.com';
const REQUEST = {
  reason: '客户急需报价单',
  origin: 'https://crm.example.com',
  channel: 'copy',
  durationMinutes: 30,
  userId: 'zhang.san',
  level: '机密',
  masked: ['138****5678'],
};

/** Text of a received body with the request ids and times taken out: what must hold no number. */
function withoutIdsAndTimes(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '')
    .replace(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{3})?Z)?/g, '')
    .replace(/"timestamp":"\d+"|timestamp=\d+|X-Baomi-Timestamp/g, '');
}

/** The text part of a simple MIME message, decoded (nodemailer picks base64 or quoted-printable). */
function mailText(raw: string): { subject: string; text: string } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
  const subjectLine = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjectLine.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
  const encoding = /^Content-Transfer-Encoding: (\S+)/im.exec(unfolded)?.[1]?.toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  return { subject, text };
}

interface ChannelView {
  id: string;
  kind: string;
  name: string;
  enabled: boolean;
  urlHint: string | null;
  hasSecret: boolean;
}
interface DeliveryView {
  channelId: string;
  overrideId: string;
  state: string;
  attempts: number;
  lastError: { code: string; detail: string } | null;
  nextAttemptAt: string | null;
}

function suite(label: string, pg: () => PgTestSchema | undefined) {
  describe(`approval alerts (${label})`, () => {
    let server: TestServer;
    let device: EnrolledDevice;
    let admin: AdminLogin;
    let sink: HttpSink;
    let smtp: SmtpSink;

    beforeAll(async () => {
      const schema = pg();
      server = await createTestServer({
        env: { BAOMI_PUBLIC_URL: PUBLIC_URL },
        // A receiver that hangs is given up on after 3 s (15 s in production), so stop() returns soon.
        alerts: { timeoutMs: 3000 },
        ...(schema ? { databaseUrl: schema.databaseUrl, pgSchema: schema.schema } : {}),
      });
      device = await enroll(server);
      admin = await loginAs(server, 'it-admin');
      sink = await startHttpSink();
      smtp = await startSmtpSink({ user: 'baomi', pass: 'smtp-pass-1' });
    });
    afterAll(async () => {
      await server.cleanup();
      await sink.close();
      await smtp.close();
    });
    beforeEach(async () => {
      // Tests move the clock by hours: a fresh session each time.
      admin = await loginAs(server, 'it-admin');
      sink.received.length = 0;
      smtp.mails.length = 0;
      sink.answer = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok","code":0}' });
    });

    const api = {
      create: async (body: object) => {
        const res = await server.request('/api/admin/alert-channels', { method: 'POST', headers: admin.write, json: body });
        expect(res.status, await res.clone().text()).toBe(201);
        return ((await res.json()) as { item: ChannelView }).item;
      },
      update: (id: string, body: object) =>
        server.request(`/api/admin/alert-channels/${id}`, { method: 'PUT', headers: admin.write, json: body }),
      list: async () =>
        (await (await server.request('/api/admin/alert-channels', { headers: admin.get })).json()) as {
          items: ChannelView[];
          deliveries: DeliveryView[];
          publicUrl: string | null;
        },
      test: async (id: string) =>
        (await (await server.request(`/api/admin/alert-channels/${id}/test`, { method: 'POST', headers: admin.write })).json()) as {
          delivered: boolean;
          error: { code: string; detail: string } | null;
        },
      remove: (id: string) => server.request(`/api/admin/alert-channels/${id}`, { method: 'DELETE', headers: admin.write }),
    };
    async function ask(patch: object = {}) {
      const res = await server.request('/api/v1/overrides', { method: 'POST', headers: device.auth, json: { ...REQUEST, ...patch } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    }
    async function removeAll() {
      admin = await loginAs(server, 'it-admin');
      for (const item of (await api.list()).items) await api.remove(item.id);
    }
    afterEach(removeAll);

    it('every kind receives the request in its documented format, signed, with no raw number; the console never gets a secret back', async () => {
      const dingSecret = 'SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc';
      const feishuSecret = 'nIMtb7r3N9pkXyXdtAbx6e';
      const hookSecret = 'our-webhook-secret';
      const wecomKey = '693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa';
      await api.create({ kind: 'wecom', name: '企业微信 审批群', enabled: true, url: `${sink.url}/cgi-bin/webhook/send?key=${wecomKey}` });
      await api.create({
        kind: 'dingtalk',
        name: '钉钉 审批群',
        enabled: true,
        url: `${sink.url}/robot/send?access_token=tokABCDEFGHIJ`,
        secret: dingSecret,
      });
      await api.create({
        kind: 'feishu',
        name: '飞书 审批群',
        enabled: true,
        url: `${sink.url}/open-apis/bot/v2/hook/5e3d587e-d78e`,
        secret: feishuSecret,
      });
      await api.create({ kind: 'webhook', name: 'SOC', enabled: true, url: `${sink.url}/hook`, secret: hookSecret });
      await api.create({
        kind: 'email',
        name: '审批人邮箱',
        enabled: true,
        secret: 'smtp-pass-1',
        email: {
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          username: 'baomi',
          from: 'baomi@corp.example.com',
          to: ['approver@corp.example.com', 'it@corp.example.com'],
        },
      });
      await api.create({ kind: 'webhook', name: 'switched off', enabled: false, url: `${sink.url}/off` });

      const listed = await api.list();
      const listedText = JSON.stringify(listed);
      for (const secret of [dingSecret, feishuSecret, hookSecret, wecomKey, 'smtp-pass-1', 'tokABCDEFGHIJ'])
        expect(listedText).not.toContain(secret);
      expect(listed.items.find((item) => item.kind === 'wecom')!.urlHint).toBe(`${sink.url}/cgi-bin/webhook/send?key=…5aaa`);
      expect(listed.items.find((item) => item.kind === 'dingtalk')!.hasSecret).toBe(true);
      expect(listed.publicUrl).toBe(PUBLIC_URL);
      const audit = JSON.stringify(await (await server.request('/api/admin/audit-log?page=1', { headers: admin.get })).json());
      expect(audit).toContain('alert-channel-create');
      for (const secret of [dingSecret, feishuSecret, hookSecret, wecomKey, 'smtp-pass-1']) expect(audit).not.toContain(secret);

      const id = await ask();
      expect(sink.received).toHaveLength(0); // the device's call only queued them
      expect(await server.deps.alerts.runOnce()).toBe(5);
      expect(sink.received).toHaveLength(4);
      expect(sink.received.some((r) => r.url === '/off')).toBe(false);
      const link = `${PUBLIC_URL}/admin/#/overrides?id=${id}`;

      const wecom = sink.received.find((r) => r.url.startsWith('/cgi-bin'))!;
      expect(wecom.url).toBe(`/cgi-bin/webhook/send?key=${wecomKey}`);
      const wecomBody = JSON.parse(wecom.body) as { msgtype: string; markdown: { content: string } };
      expect(wecomBody.msgtype).toBe('markdown');
      expect(wecomBody.markdown.content).toContain('**申请人**：zhang.san（市场部）');
      expect(wecomBody.markdown.content).toContain(`(${link})`);

      const ding = sink.received.find((r) => r.url.startsWith('/robot'))!;
      const dingParams = new URL(ding.url, sink.url).searchParams;
      const stringToSign = `${dingParams.get('timestamp')}\n${dingSecret}`;
      expect(dingParams.get('sign')).toBe(createHmac('sha256', dingSecret).update(stringToSign).digest('base64'));
      expect(Math.abs(Number(dingParams.get('timestamp')) - server.now().getTime())).toBeLessThan(1000);
      const dingBody = JSON.parse(ding.body) as { msgtype: string; markdown: { title: string; text: string } };
      expect(dingBody.msgtype).toBe('markdown');
      expect(dingBody.markdown.title).toBe('【保密卫士】有新的例外申请待审批');

      const feishu = sink.received.find((r) => r.url.startsWith('/open-apis'))!;
      const feishuBody = JSON.parse(feishu.body) as { timestamp: string; sign: string; msg_type: string };
      expect(feishuBody.sign).toBe(createHmac('sha256', `${feishuBody.timestamp}\n${feishuSecret}`).update('').digest('base64'));
      expect(feishuBody.msg_type).toBe('post');

      const hook = sink.received.find((r) => r.url === '/hook')!;
      const timestamp = hook.headers['x-baomi-timestamp'] as string;
      expect(hook.headers['x-baomi-signature']).toBe(
        `sha256=${createHmac('sha256', hookSecret).update(`${timestamp}.${hook.body}`).digest('hex')}`,
      );
      const hookBody = JSON.parse(hook.body) as GenericWebhookBody;
      expect(hookBody).toMatchObject({
        type: 'override-requested',
        link,
        request: { id, userId: 'zhang.san', department: '市场部', channel: 'copy', level: '机密', masked: ['138****5678'] },
      });
      expect(hookBody.text.split('\n')[0]).toBe('【保密卫士】有新的例外申请待审批');

      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0]!;
      expect(mail.user).toBe('baomi');
      expect(mail.from).toBe('baomi@corp.example.com');
      expect(mail.to).toEqual(['approver@corp.example.com', 'it@corp.example.com']);
      const { subject, text } = mailText(mail.raw);
      expect(subject).toBe('【保密卫士】有新的例外申请待审批 / [Baomi Guard] A new override request awaits approval');
      expect(text).toContain('脱敏样本：138****5678');
      expect(text).toContain(link);

      for (const body of [...sink.received.map((r) => `${r.url} ${r.body}`), text, subject]) {
        expect(looksLikeRawNumber(withoutIdsAndTimes(body)), body).toBe(false);
      }
      const deliveries = (await api.list()).deliveries.filter((d) => d.overrideId === id);
      expect(deliveries).toHaveLength(5);
      expect(deliveries.every((d) => d.state === 'delivered' && d.attempts === 1 && d.lastError === null)).toBe(true);
      expect(await server.deps.alerts.runOnce()).toBe(0); // delivered once, never again
    });

    it('a reason naming a customer of the register stays out of every alert; its control goes out', async () => {
      const csv = ['客户名称,联系人,手机,电话,密级', '北京星辰科技有限公司,王伟,138-1234-5678,,绝密'].join('\r\n');
      const imported = await server.request('/api/admin/customer-register', {
        method: 'POST',
        headers: { ...admin.write, 'Content-Type': 'text/csv; charset=utf-8' },
        body: csv,
      });
      expect(imported.status, await imported.clone().text()).toBe(200);
      await api.create({ kind: 'webhook', name: 'names', enabled: true, url: `${sink.url}/names` });
      const named = await ask({ reason: '北京星辰科技有限公司要报价单' });
      const person = await ask({ reason: '王伟要报价单' });
      const plain = await ask({ reason: '客户急需报价单' });
      expect(await server.deps.alerts.runOnce()).toBe(3);
      const byId = new Map(sink.received.map((r) => [(JSON.parse(r.body) as GenericWebhookBody).request.id, r.body]));
      for (const id of [named, person]) {
        const body = byId.get(id)!;
        expect(body).not.toContain('星辰');
        expect(body).not.toContain('王伟');
        expect(body).toContain('（含客户名录中的名称，未显示）');
      }
      expect(byId.get(plain)).toContain('理由：客户急需报价单');
    });

    it('a receiver answering 500 twice, then 200: retried with back-off, delivered once, the attempts recorded', async () => {
      const channel = await api.create({ kind: 'webhook', name: 'flaky', enabled: true, url: `${sink.url}/flaky` });
      let calls = 0;
      sink.answer = () => (++calls <= 2 ? { status: 500, body: 'database is down' } : { status: 200, body: '{}' });
      const id = await ask();
      expect(await server.deps.alerts.runOnce()).toBe(1);
      let row = (await api.list()).deliveries.find((d) => d.overrideId === id)!;
      expect(row).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: { code: 'http-status', detail: 'HTTP 500: database is down' },
      });
      const firstWait = Date.parse(row.nextAttemptAt!) - server.now().getTime();
      expect(firstWait).toBeGreaterThanOrEqual(30_000);
      expect(firstWait).toBeLessThanOrEqual(33_000);
      expect(await server.deps.alerts.runOnce()).toBe(0); // not due yet
      server.advance(firstWait);
      expect(await server.deps.alerts.runOnce()).toBe(1);
      row = (await api.list()).deliveries.find((d) => d.overrideId === id)!;
      expect(row).toMatchObject({ state: 'pending', attempts: 2 });
      const secondWait = Date.parse(row.nextAttemptAt!) - server.now().getTime();
      expect(secondWait).toBeGreaterThanOrEqual(60_000);
      expect(secondWait).toBeLessThanOrEqual(66_000);
      server.advance(secondWait);
      expect(await server.deps.alerts.runOnce()).toBe(1);
      row = (await api.list()).deliveries.find((d) => d.overrideId === id)!;
      expect(row).toMatchObject({ state: 'delivered', attempts: 3, lastError: null });
      expect(sink.received.filter((r) => r.url === '/flaky')).toHaveLength(3);
      server.advance(3_600_000);
      expect(await server.deps.alerts.runOnce()).toBe(0);
      expect(sink.received).toHaveLength(3);
      expect(channel.enabled).toBe(true);
    });

    it('gives up after 8 attempts (the last about an hour after the first) and says so', async () => {
      await api.create({ kind: 'webhook', name: 'always down', enabled: true, url: `${sink.url}/down` });
      sink.answer = () => ({ status: 503, body: 'maintenance' });
      const id = await ask();
      const first = server.now().getTime();
      let last = first;
      for (let attempt = 1; attempt <= 8; attempt++) {
        expect(await server.deps.alerts.runOnce()).toBe(1);
        last = server.now().getTime();
        const row = (await api.list()).deliveries.find((d) => d.overrideId === id)!;
        if (attempt < 8) server.advance(Date.parse(row.nextAttemptAt!) - server.now().getTime());
        else
          expect(row).toMatchObject({ state: 'failed', attempts: 8, lastError: { code: 'http-status', detail: 'HTTP 503: maintenance' } });
      }
      expect((last - first) / 60_000).toBeGreaterThan(63);
      expect((last - first) / 60_000).toBeLessThan(70);
      server.advance(86_400_000);
      expect(await server.deps.alerts.runOnce()).toBe(0);
      expect(sink.received).toHaveLength(8);
    });

    it('send test: delivered at once, or the remote’s own words; audited', async () => {
      const good = await api.create({ kind: 'webhook', name: 'test target', enabled: false, url: `${sink.url}/t`, secret: 'k' });
      expect(await api.test(good.id)).toMatchObject({ delivered: true, error: null });
      const body = JSON.parse(sink.received[0]!.body) as GenericWebhookBody;
      expect(body.type).toBe('test');
      expect(body.link).toBe(`${PUBLIC_URL}/admin/#/overrides`);
      const robot = await api.create({
        kind: 'wecom',
        name: 'wrong key',
        enabled: true,
        url: `${sink.url}/cgi-bin/webhook/send?key=wrong`,
      });
      sink.answer = () => ({ status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url, hint: [1733]"}' });
      expect(await api.test(robot.id)).toMatchObject({
        delivered: false,
        error: { code: 'remote-error', detail: 'errcode 93000: invalid webhook url, hint: [1733]' },
      });
      const mail = await api.create({
        kind: 'email',
        name: 'wrong password',
        enabled: true,
        secret: 'not-the-password',
        email: {
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          username: 'baomi',
          from: 'baomi@corp.example.com',
          to: ['a@corp.example.com'],
        },
      });
      const failed = await api.test(mail.id);
      expect(failed.delivered).toBe(false);
      expect(failed.error!.code).toBe('smtp');
      expect(failed.error!.detail).toMatch(/EAUTH.*535/);
      const audit = JSON.stringify(await (await server.request('/api/admin/audit-log?page=1', { headers: admin.get })).json());
      expect(audit).toContain('alert-channel-test');
      expect(audit).not.toContain('not-the-password');
    });

    it('edit keeps the URL and secret unless replaced; null removes the secret; a webhook needs a URL', async () => {
      const channel = await api.create({ kind: 'webhook', name: 'keep', enabled: true, url: `${sink.url}/keep`, secret: 'first' });
      expect((await api.update(channel.id, { kind: 'webhook', name: 'renamed', enabled: true })).status).toBe(200);
      await api.test(channel.id);
      const kept = sink.received.at(-1)!;
      expect(kept.url).toBe('/keep');
      expect(kept.headers['x-baomi-signature']).toBe(
        `sha256=${createHmac('sha256', 'first')
          .update(`${kept.headers['x-baomi-timestamp'] as string}.${kept.body}`)
          .digest('hex')}`,
      );
      expect((await api.update(channel.id, { kind: 'webhook', name: 'renamed', enabled: true, secret: null })).status).toBe(200);
      await api.test(channel.id);
      expect(sink.received.at(-1)!.headers).not.toHaveProperty('x-baomi-signature');
      expect((await api.list()).items[0]).toMatchObject({ name: 'renamed', hasSecret: false });
      const noUrl = await server.request('/api/admin/alert-channels', {
        method: 'POST',
        headers: admin.write,
        json: { kind: 'dingtalk', name: 'x', enabled: true },
      });
      expect(noUrl.status).toBe(400);
      const approver = await loginAs(server, 'approver');
      expect((await server.request('/api/admin/alert-channels', { headers: approver.get })).status).toBe(403);
    });

    it('a receiver that is down or hangs never holds up the device; the dispatcher records the failure', async () => {
      const closed = await startHttpSink();
      const closedUrl = closed.url;
      await closed.close();
      await api.create({ kind: 'webhook', name: 'down', enabled: true, url: `${closedUrl}/gone` });
      await api.create({ kind: 'webhook', name: 'hangs', enabled: true, url: `${sink.url}/hang` });
      sink.answer = () => null;
      server.deps.alerts.start();
      try {
        const started = performance.now();
        const id = await ask();
        const elapsed = performance.now() - started;
        await sink.waitFor(1); // the dispatcher is sending while the device already has its answer
        expect(elapsed).toBeLessThan(1000);
        // The request is in the queue as usual.
        const pending = (await (await server.request('/api/admin/overrides?state=pending', { headers: admin.get })).json()) as {
          items: { id: string }[];
        };
        expect(pending.items.some((item) => item.id === id)).toBe(true);
        const down = async () => (await api.list()).deliveries.find((d) => d.overrideId === id && d.lastError?.code === 'network');
        for (let i = 0; i < 50 && !(await down()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
        expect((await down())!.lastError!.detail).toMatch(/ECONNREFUSED/);
        // The hanging delivery holds one slot until its 3 s timeout, not the dispatcher:
        // the next request's alerts go out meanwhile.
        const again = performance.now();
        const second = await ask();
        await sink.waitFor(2, 2500);
        expect(JSON.parse(sink.received[1]!.body)).toMatchObject({ request: { id: second } });
        expect(performance.now() - again).toBeLessThan(2500);
      } finally {
        sink.answer = () => ({ status: 200, body: '{}' });
        sink.received.length = 0;
        await server.deps.alerts.stop();
      }
    });

    it('survives a restart: queued by one process, delivered by the next; a lease a dead process left runs out', async () => {
      await api.create({ kind: 'webhook', name: 'after restart', enabled: true, url: `${sink.url}/restart` });
      const id = await ask();
      // A process claims the row and dies before sending (its lease stays).
      const claimed = await claimDueDeliveries(server.db, { now: server.now(), leaseMs: 120_000, limit: 10, postgres: !!pg() });
      expect(claimed.map((row) => row.override_id)).toEqual([id]);
      const schema = pg();
      const next = await prepareServer({
        dataDir: server.dir,
        databaseUrl: schema ? schema.databaseUrl : '',
        pgSchema: schema?.schema,
        adminPassword: ADMIN_PASSWORD,
        enrollmentCode: ENROLL_CODE,
        rateLimits: false,
        clock: () => server.now(),
        env: { BAOMI_PUBLIC_URL: PUBLIC_URL },
      });
      try {
        expect(await next.deps.alerts.runOnce()).toBe(0); // the lease holds
        server.advance(120_001);
        expect(await next.deps.alerts.runOnce()).toBe(1);
        expect(sink.received.map((r) => r.url)).toEqual(['/restart']);
        const row = (await api.list()).deliveries.find((d) => d.overrideId === id)!;
        expect(row).toMatchObject({ state: 'delivered', attempts: 2 });
      } finally {
        await next.destroy();
      }
    });

    if (label === 'PostgreSQL') {
      it('two processes on one database deliver each alert exactly once', async () => {
        await api.create({ kind: 'webhook', name: 'shared', enabled: true, url: `${sink.url}/shared` });
        sink.answer = () => ({ status: 200, body: '{}' });
        const ids: string[] = [];
        for (let i = 0; i < 30; i++) ids.push(await ask());
        const schema = pg()!;
        const other = await prepareServer({
          dataDir: server.dir,
          databaseUrl: schema.databaseUrl,
          pgSchema: schema.schema,
          adminPassword: ADMIN_PASSWORD,
          enrollmentCode: ENROLL_CODE,
          rateLimits: false,
          clock: () => server.now(),
          env: { BAOMI_PUBLIC_URL: PUBLIC_URL },
          alerts: { batch: 3 },
        });
        try {
          const [a, b] = await Promise.all([server.deps.alerts.runOnce(), other.deps.alerts.runOnce()]);
          expect(a + b).toBe(30);
          const delivered = sink.received.map((r) => (JSON.parse(r.body) as GenericWebhookBody).request.id).sort();
          expect(delivered).toEqual([...ids].sort());
        } finally {
          await other.destroy();
        }
      });
    }
  });
}

suite('SQLite', () => undefined);

if (TEST_DATABASE_URL) {
  let schema: PgTestSchema | undefined;
  beforeAll(async () => {
    schema = await createPgTestSchema(TEST_DATABASE_URL!);
  });
  afterAll(async () => schema?.drop());
  suite('PostgreSQL', () => schema);
}
