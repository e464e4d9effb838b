// @vitest-environment happy-dom
/**
 * The customer register where the guard decides beyond copy/paste/forms (issue 15): the
 * page scanner (page level → popup, print, provenance), files a page makes (download
 * scan) and the background's request layer. Each with its control: a number in no
 * register keeps the policy's default level.
 */
import { describe, expect, it } from 'vitest';
import { testRegister } from '../register/test-register';
import { setupScanner } from '../dom/page-scanner-harness';
import { scanFile } from '../files/scan-file';
import { createRegisterClassifier } from '../register/match';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { decideDownload } from './channels/download-decision';
import { printDecision } from './channels/print-guard';
import { decideData, scanPageText } from './decide-data';
import { createGuardEnv } from './guard-env';
import { decideRequest } from '../background/request-guard';
import { scanText } from '../detect';

const who = { pageOrigin: 'https://crm.example', deviceId: 'd', userId: 'u', now: Date.now() };
const LIMITS = { maxScanBytes: 10 * 1024 * 1024, maxExpandedBytes: 50 * 1024 * 1024 };
const DEFAULT_MOBILE_LEVEL = DEFAULT_POLICY.detectors.mobile.level;

async function pageWith(html: string) {
  const env = { ...createGuardEnv(window), register: await testRegister() };
  document.body.innerHTML = html;
  const s = setupScanner({ scan: (text) => scanPageText(text, env) });
  s.scanner.start();
  await s.drain();
  env.page = s.summary();
  return env;
}

describe('which level applies where (issue 26): a marker classifies the document, a customer the content that reaches it', () => {
  const page = '<p id="m">【机密】客户回访名单</p><p id="a">普通客户 13700001111</p><p id="b">重点客户电话 138 1234 5678</p>';
  const copyOf = (env: Awaited<ReturnType<typeof pageWith>>, text: string) =>
    decideData(env, [text], { channel: 'copy', sourceOrigin: who.pageOrigin, destinationOrigin: null, sourceLevel: env.page.markerLevel });

  it('a copy of a 机密 row on a page that also lists a 绝密 customer is 机密, with the page marker as its reason', async () => {
    const env = await pageWith(page);
    expect(env.page).toMatchObject({ level: '绝密', markerLevel: '机密' });
    expect(copyOf(env, '普通客户 13700001111').verdict).toMatchObject({ level: '机密', reasons: [{ kind: 'page-marker', level: '机密' }] });
  });
  it('the row of the 绝密 customer is 绝密 (its register customer is the reason); printing the page is 绝密', async () => {
    const env = await pageWith(page);
    expect(copyOf(env, '重点客户电话 138 1234 5678').verdict).toMatchObject({
      level: '绝密',
      reasons: [{ kind: 'register', level: '绝密' }],
    });
    expect(printDecision(env).verdict).toMatchObject({ level: '绝密', reasons: [{ kind: 'page-register', level: '绝密' }] });
  });
  it('control: without the register customer the page and its print are 机密 by the marker', async () => {
    const env = await pageWith('<p>【机密】客户回访名单</p><p>普通客户 13700001111</p>');
    expect(printDecision(env).verdict).toMatchObject({ level: '机密', reasons: [{ kind: 'page-marker', level: '机密' }] });
  });
});

describe('page scanner with the register', () => {
  it('a page showing a 绝密 customer’s number is a 绝密 page: print is blocked', async () => {
    const env = await pageWith('<p>重点客户电话 <span>138</span> 1234 5678 请回访。</p>');
    expect(env.page.level).toBe('绝密');
    expect(env.page.namedLevel).toBeNull();
    expect(env.page.countsByType).toEqual({ mobile: 1 });
    expect(printDecision(env).verdict).toMatchObject({ level: '绝密', action: 'block-with-override' });
  });
  it('control: an unknown number leaves the page unclassified (default level only on its finding)', async () => {
    const env = await pageWith('<p>普通来电 13700001111 请回访。</p>');
    expect(env.page.level).toBeNull();
    expect(env.page.findings[0]!.level).toBe(DEFAULT_MOBILE_LEVEL);
    expect(printDecision(env).verdict.action).toBe('allow');
  });
  it('a 秘密 customer’s number on a 机密-marked page keeps the higher marker level', async () => {
    const env = await pageWith('<p>【机密】</p><p>客户 13987654321</p>');
    expect(env.page.level).toBe('机密');
  });
  it('a page naming a 绝密 customer’s company, with no number, is a 绝密 page; the name is neither counted nor kept', async () => {
    const env = await pageWith('<h1>客户详情</h1><p>北京 星辰科技有限公司：法定代表人、经营范围、本季度合同金额</p>');
    expect(env.page.level).toBe('绝密');
    expect(env.page.namedLevel).toBe('绝密'); // the popup says why the page is 绝密
    expect(env.page.countsByType).toEqual({});
    expect(env.page.findings).toEqual([]);
    expect(JSON.stringify(env.page)).not.toContain('星辰');
    expect(printDecision(env).verdict).toMatchObject({ level: '绝密', action: 'block-with-override' });
  });
  it('a long name split across elements (and spaced) still names its customer', async () => {
    const env = await pageWith('<p>客户：<b>北京星辰</b> <span>科技 有限公司</span></p>');
    expect(env.page.level).toBe('绝密');
  });
  it('control: a short personal name of the register alone (王伟) leaves the page unclassified', async () => {
    const env = await pageWith('<p>请王伟明天来开会。</p><p>上海的贸易公司来访。</p>');
    expect(env.page.level).toBeNull();
    expect(printDecision(env).verdict.action).toBe('allow');
  });
  it('a name in text added after the first scan classifies the page then', async () => {
    const env = { ...createGuardEnv(window), register: await testRegister() };
    document.body.innerHTML = '<ul id="list"><li>普通客户</li></ul>';
    const s = setupScanner({ scan: (text) => scanPageText(text, env) });
    s.scanner.start();
    await s.drain();
    expect(s.summary().level).toBeNull();
    const item = document.createElement('li');
    item.textContent = '上海某贸易有限公司 跟进记录';
    document.getElementById('list')!.append(item);
    await s.drain();
    expect(s.summary().level).toBe('秘密');
  });
  it('without a register numbers never classify the page', async () => {
    const env = createGuardEnv(window);
    document.body.innerHTML = '<p>重点客户电话 13812345678</p>';
    const s = setupScanner({ scan: (text) => scanPageText(text, env) });
    s.scanner.start();
    await s.drain();
    expect(s.summary().level).toBeNull();
  });
});

describe('when a frame asks for the register', () => {
  it('the print guard’s decision (no text) does not ask: every frame makes it when the policy arrives', () => {
    let asked = 0;
    const env = { ...createGuardEnv(window), needRegister: () => void asked++ };
    printDecision(env);
    expect(asked).toBe(0);
  });
  it('control: a decision over text (a copy) asks, as does a page scan that found a number', () => {
    let asked = 0;
    const env = { ...createGuardEnv(window), needRegister: () => void asked++ };
    decideData(env, ['你好'], { channel: 'copy', sourceOrigin: null, destinationOrigin: null, sourceLevel: null });
    expect(asked).toBe(1);
    scanPageText('没有号码的一段话', env);
    expect(asked).toBe(1);
    scanPageText('电话 13700001111', env);
    expect(asked).toBe(2);
  });
});

function csv(rows: number, customerRow: number | null): Uint8Array {
  const lines = ['姓名,手机'];
  for (let i = 0; i < rows; i++) {
    const number = i === customerRow ? '13812345678' : `1370000${String(1000 + i).padStart(4, '0')}`;
    lines.push(`客户${i},${number}`);
  }
  return new TextEncoder().encode(lines.join('\n'));
}

async function decideCsv(bytes: Uint8Array) {
  const register = createRegisterClassifier(await testRegister());
  const scan = await scanFile(
    bytes,
    bytes.length,
    { name: 'export.csv', mime: 'text/csv' },
    {
      detectors: DEFAULT_POLICY.detectors,
      limits: LIMITS,
      keepFindings: 50,
      classify: register.classify,
    },
  );
  const verdict = decideDownload(
    {
      findings: scan.findings,
      findingCount: scan.findingCount,
      unreadable: scan.unreadable !== null,
      fileType: 'csv',
      sourceOrigin: who.pageOrigin,
      provenance: { level: null, countsByType: {} },
      namedLevel: register.nameLevel(),
    },
    DEFAULT_POLICY,
    [],
    who,
  );
  return { scan, verdict, customers: register.customers() };
}

describe('download scan with the register', () => {
  it('a CSV export holding a 绝密 customer’s number is decided at 绝密, even past the kept findings', async () => {
    for (const row of [0, 4000]) {
      const { scan, verdict, customers } = await decideCsv(csv(5000, row));
      expect(scan.level).toBe('绝密');
      expect(scan.findings).toHaveLength(50);
      expect(scan.findings.some((f) => f.masked === '138****5678' && f.level === '绝密')).toBe(true);
      expect(verdict.level).toBe('绝密');
      expect(customers.map((c) => c.level)).toEqual(['绝密']);
    }
  });
  it('control: the same export without a register customer stays at the policy’s levels', async () => {
    const small = await decideCsv(csv(3, null));
    expect(small.verdict.level).toBe(DEFAULT_MOBILE_LEVEL);
    expect(small.customers).toEqual([]);
    const bulk = await decideCsv(csv(5000, null));
    expect(bulk.verdict.level).toBe(DEFAULT_POLICY.bulk.level); // bulk, not 绝密
  });
  it('a file naming a 绝密 company alone (no number) is decided at 绝密', async () => {
    const { verdict } = await decideCsv(new TextEncoder().encode('客户,备注\n北京星辰科技有限公司,续约'));
    expect(verdict.level).toBe('绝密');
  });
});

describe('background request layer with the register', () => {
  const state = (register: Awaited<ReturnType<typeof testRegister>> | null) => ({
    policy: DEFAULT_POLICY,
    grants: [],
    deviceId: 'd',
    userId: 'u',
    register,
  });
  const request = (url: string, body?: string) => ({
    url,
    method: body ? 'POST' : 'GET',
    type: 'xmlhttprequest',
    tabId: 1,
    initiator: 'https://crm.example',
    requestBody: body ? { raw: [{ bytes: new TextEncoder().encode(body).buffer }] } : null,
  });
  it('a 绝密 customer’s number in a worker’s URL or body is decided at 绝密, with the customer', async () => {
    const register = await testRegister();
    const inUrl = decideRequest(request('https://collector.example/t?m=13812345678'), state(register))!;
    expect(inUrl.verdict.level).toBe('绝密');
    expect(inUrl.customers[0]).toMatchObject({ level: '绝密' });
    const inBody = decideRequest(request('https://collector.example/t', 'note=北京星辰科技有限公司'), state(register))!;
    expect(inBody.verdict.level).toBe('绝密');
  });
  it('control: an unknown number, or no register, keeps the default level', async () => {
    const register = await testRegister();
    const unknown = decideRequest(request('https://collector.example/t?m=13700001111'), state(register))!;
    expect(unknown.verdict.level).toBe(scanText('13700001111')[0]!.level);
    expect(unknown.customers).toEqual([]);
    const without = decideRequest(request('https://collector.example/t?m=13812345678'), state(null))!;
    expect(without.verdict.level).toBe(DEFAULT_MOBILE_LEVEL);
  });
});
