import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { internalHosts, urlCarriesNumber, URL_NUMBER_REGEX } from './url-number-rule';
import { nextGrantExpiry, policyBlocksUrlNumbers, requestBodyText, urlNumberRules } from './request-guard';

const PHONE = '13812345678';

describe('which numbers in a URL count', () => {
  it.each([
    [`https://t.example.net/px.gif?tel=${PHONE}`, 'a query value'],
    [`https://t.example.net/px.gif?a=1&m=86-${PHONE}&b=2`, 'inside a query value, after a non-digit'],
    [`https://crm.example.net/customer/${PHONE}/card`, 'a path segment'],
    [`https://crm.example.net/c/${PHONE}`, 'the last path segment'],
    ['https://x.example.net/s?q=138-1234-5678', '3-4-4 with hyphens'],
    ['https://x.example.net/s?q=138%201234%205678', '3-4-4 with encoded spaces'],
    ['https://x.example.net/s?q=138+1234+5678', '3-4-4 with + (space in a query)'],
    ['wss://chat.example.net/ws?user=19912345678', 'a WebSocket URL'],
  ])('%s (%s) counts', (url) => {
    expect(urlCarriesNumber(url)).toBe(true);
  });

  it.each([
    [`https://${PHONE}.example.net/`, 'the host'],
    [`https://x.example.net/#tel=${PHONE}`, 'the fragment (never sent)'],
    ['https://x.example.net/?ts=1733299200123', 'a 13-digit ms timestamp'],
    ['https://x.example.net/?t=1733299200', 'a 10-digit s timestamp'],
    ['https://x.example.net/o/1864020341012345678', 'a snowflake id'],
    ['https://x.example.net/?tel=138****5678', 'a masked number'],
    ['https://x.example.net/?n=12812345678', 'an 11-digit run not starting 13–19'],
    ['https://x.example.net/?n=138123456789', 'a 12-digit run'],
  ])('%s (%s) does not', (url) => {
    expect(urlCarriesNumber(url)).toBe(false);
  });
});

/** Deterministic PRNG (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Ordinary URLs of the kinds a CRM/OA page and its third parties request, with the ids
 * and timestamps they carry. 2 of the 24 templates hold 11-digit numeric ids (a QQ-style
 * account, an 11-digit order number): those are the known cost of the rule.
 */
function ordinaryUrls(count: number): string[] {
  const rnd = random(20261204);
  const digits = (n: number) =>
    Array.from({ length: n }, (_, i) => (i === 0 ? 1 + Math.floor(rnd() * 9) : Math.floor(rnd() * 10))).join('');
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const now = 1_733_299_200_000 + Math.floor(rnd() * 1e10);
  const templates: (() => string)[] = [
    () => `https://crm.example.com/api/customers/${digits(1 + Math.floor(rnd() * 9))}?page=${Math.floor(rnd() * 50)}&size=20`,
    () => `https://crm.example.com/api/list?_=${now + Math.floor(rnd() * 1e6)}`,
    () => `https://oa.example.com/flow/${digits(6)}/approve?t=${Math.floor(now / 1000)}`,
    () => `https://cdn.example.com/assets/app.${hex(8)}.js?v=${Math.floor(now / 1000)}`,
    () => `https://img.example.com/avatar/${hex(32)}.png?w=${Math.floor(rnd() * 400)}&h=${Math.floor(rnd() * 400)}`,
    () => `https://shop.example.com/order/${digits(19)}`,
    () => `https://shop.example.com/order/detail?orderId=${digits(18)}&from=list`,
    () => `https://hm.baidu.com/hm.gif?si=${hex(32)}&rnd=${digits(10)}&et=0&ep=${digits(4)}%2C${digits(3)}`,
    () => `https://www.google-analytics.com/g/collect?v=2&tid=G-${hex(10).toUpperCase()}&cid=${digits(10)}.${digits(10)}&_p=${digits(10)}`,
    () => `https://api.example.com/v2/users/${crypto.randomUUID()}/settings`,
    () => `https://maps.example.com/geo?lng=116.${digits(6)}&lat=39.${digits(6)}&z=${Math.floor(rnd() * 18)}`,
    () =>
      `https://crm.example.com/report?from=2024-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-01&to=2024-12-31&dept=${digits(3)}`,
    () => `https://pay.example.com/checkout?amount=${digits(4)}.${digits(2)}&currency=CNY&trade_no=${now}${digits(6)}`,
    () => `https://www.example.com/s?wd=${encodeURIComponent('季度报表 模板')}&rsv_spt=1&rsv_iqid=0x${hex(16)}`,
    () =>
      `https://file.example.com/download/${digits(8)}/${encodeURIComponent('合同')}.pdf?sign=${hex(40)}&expires=${Math.floor(now / 1000)}`,
    () => `https://im.example.com/sync?seq=${digits(12)}&cursor=${digits(16)}`,
    () => `https://log.example.com/track?event=click&uid=${digits(9)}&ts=${now}`,
    () => `https://erp.example.com/api/stock?sku=SKU-${digits(8)}&warehouse=${digits(2)}`,
    () => `https://wiki.example.com/pages/viewpage.action?pageId=${digits(9)}`,
    () => `https://git.example.com/group/project/-/commit/${hex(40)}`,
    () => `https://meet.example.com/j/${digits(9)}?pwd=${hex(16)}`,
    () => `https://crm.example.com/api/tickets?ids=${digits(7)},${digits(7)},${digits(7)}`,
    // 11-digit numeric ids (indistinguishable from a mobile number when they start 13–19):
    () => `https://im.example.com/profile?qq=${digits(11)}`,
    () => `https://shop.example.com/order/${digits(11)}/logistics`,
  ];
  return Array.from({ length: count }, (_, i) => templates[i % templates.length]!());
}

describe('false positives on ordinary URLs', () => {
  it('flags only 11-digit runs that read as a mobile number, and prints the rate', () => {
    const urls = ordinaryUrls(24_000);
    const flagged = urls.filter(urlCarriesNumber);
    // Every URL flagged holds a standalone 11-digit run starting 13–19 (an id that looks
    // like a number); nothing else is flagged.
    for (const url of flagged) expect(url).toMatch(/(?:^|\D)1[3-9]\d{9}(?:\D|$)/);
    expect(urlCarriesNumber('https://x.example.net/u/42335ece-b193-4990-9238-2a0a45539d94')).toBe(false); // UUID groups
    const without11 = urls.filter((url) => !/(?:^|\D)\d{11}(?:\D|$)/.test(new URL(url).pathname + new URL(url).search));
    expect(without11.filter(urlCarriesNumber)).toEqual([]);
    const rate = flagged.length / urls.length;
    const rateAmong11 = flagged.length / (urls.length - without11.length);
    console.log(
      `[url-number-rule] false positives: ${flagged.length} of ${urls.length} ordinary URLs (${(rate * 100).toFixed(2)}%); ` +
        `all from 11-digit ids (${(rateAmong11 * 100).toFixed(1)}% of those); 0 of ${without11.length} URLs without an 11-digit run`,
    );
    expect(rate).toBeLessThan(0.02);
  });
});

describe('the rules for a policy', () => {
  it('the default policy blocks numbers sent out by request: one rule, no exclusions', () => {
    expect(policyBlocksUrlNumbers(DEFAULT_POLICY)).toBe(true);
    const rules = urlNumberRules(DEFAULT_POLICY);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.condition.regexFilter).toBe(URL_NUMBER_REGEX);
    expect(rules[0]!.condition.excludedRequestDomains).toBeUndefined();
  });

  it('internal origins are excluded by host', () => {
    const policy = { ...DEFAULT_POLICY, internalOrigins: ['https://crm.corp.example', 'https://*.oa.example', 'http://10.1.2.3:8080'] };
    expect(urlNumberRules(policy)[0]!.condition.excludedRequestDomains).toEqual(['crm.corp.example', 'oa.example', '10.1.2.3']);
    expect(internalHosts(['not a url'])).toEqual([]);
  });

  it('pages with a current request grant are excluded by initiator host, until it expires', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    const grant = (origin: string, channel: 'request' | 'copy', expiresAt: string) => ({
      grantId: 'g',
      requestId: 'r',
      deviceId: 'd',
      userId: 'u',
      origin,
      channel,
      issuedAt: '2026-12-04T09:00:00Z',
      expiresAt,
    });
    const grants = [
      grant('https://crm.corp.example', 'request', '2026-12-04T11:00:00Z'),
      grant('https://old.corp.example', 'request', '2026-12-04T09:30:00Z'),
      grant('https://copy.corp.example', 'copy', '2026-12-04T11:00:00Z'),
    ];
    expect(urlNumberRules(DEFAULT_POLICY, grants, now)[0]!.condition.excludedInitiatorDomains).toEqual(['crm.corp.example']);
    expect(nextGrantExpiry(grants, now)).toBe(Date.parse('2026-12-04T11:00:00Z'));
  });

  it('no rule when mobile detection is off or no rule blocks requests', () => {
    const off = {
      ...DEFAULT_POLICY,
      detectors: { ...DEFAULT_POLICY.detectors, mobile: { ...DEFAULT_POLICY.detectors.mobile, enabled: false } },
    };
    expect(urlNumberRules(off)).toEqual([]);
    const noRequestRules = { ...DEFAULT_POLICY, rules: DEFAULT_POLICY.rules.filter((rule) => !rule.channels.includes('request')) };
    expect(urlNumberRules(noRequestRules)).toEqual([]);
  });
});

describe('webRequest body text', () => {
  it('reads form fields and raw bytes', () => {
    expect(requestBodyText({ formData: { tel: [PHONE], a: ['1', '2'] } })).toBe(`tel=${PHONE}\na=1\n2`);
    const bytes = new TextEncoder().encode(`{"data":"${Buffer.from(`tel ${PHONE}`).toString('base64')}"}`).buffer;
    expect(requestBodyText({ raw: [{ bytes }] })).toContain(PHONE);
    expect(requestBodyText(null)).toBe('');
  });
});
