/**
 * Number-shaped data in free-text and identity fields: every disguise the project's own
 * detector finds (utils/detect) is refused on events, enrollment and heartbeat; numeric
 * staff ids, versions and browser names still pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsDetectedNumber, looksLikePhoneNumber, looksLikeRawNumber } from '../../../server/lib/raw-number';
import { createTestServer, enroll, ENROLL_CODE, makeEvent, type EnrolledDevice, type TestServer } from './helpers';

/** A phone number in the disguises the detector knows; none of them was refused before. */
const DISGUISES = [
  ['underscores', '138_1234_5678'],
  ['slashes', '138/1234/5678'],
  ['one digit at a time', '1 3 8 1 2 3 4 5 6 7 8'],
  ['zero-width spaces', '138\u200b1234\u200b5678'],
  ['a bracketed area code', '(010) 8888 6666'],
  ['a dashed landline', '010-8888-6666'],
  ['Chinese numerals', '一三八一二三四五六七八'],
] as const;

/** Values that must keep passing (as before): staff ids, versions, browsers, origins. */
const ORDINARY_IDS = ['20231234', '0012345678', 'zhang.san', 'E2023001'];
/** What the extension sends as `browser` (navigator.userAgent, first 100 characters). */
const FIREFOX_AND_CHROME = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Sa',
];
const ORDINARY_TEXT = [
  '0.1.0',
  'Chrome 140.0.7339.80',
  'Edge 131.0.2903.112',
  'Firefox 128.0esr',
  'https://192.168.100.200:8080',
  'https://crm.example.com',
];

describe('the raw-number check is the detector', () => {
  it.each(DISGUISES)('%s (%s): refused as free text and as an identity', (_name, value) => {
    expect(looksLikeRawNumber(`备注 ${value} 请回电`)).toBe(true);
    expect(looksLikePhoneNumber(value)).toBe(true);
    expect(containsDetectedNumber(`Chrome ${value}`)).toBe(true);
  });
  it.each(FIREFOX_AND_CHROME)('the user agent %s passes as a browser name', (ua) => expect(containsDetectedNumber(ua)).toBe(false));
  it.each(ORDINARY_IDS)('staff id %s passes as an identity', (value) => expect(looksLikePhoneNumber(value)).toBe(false));
  it.each(ORDINARY_TEXT)('%s passes as free text', (value) => expect(looksLikeRawNumber(value)).toBe(false));
});

describe('fields of events, enrollment and heartbeat', () => {
  let server: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    server = await createTestServer();
    device = await enroll(server);
  });
  afterAll(async () => server.cleanup());

  const EVENT_FIELDS: [string, (value: string) => object][] = [
    ['userId', (v) => ({ userId: v })],
    ['department', (v) => ({ department: v })],
    ['origin', (v) => ({ origin: `https://crm.example.com 电话 ${v}` })],
    ['destination', (v) => ({ destination: v })],
    ['ruleId', (v) => ({ ruleId: v })],
    ['grantId', (v) => ({ grantId: v })],
    ['extensionVersion', (v) => ({ extensionVersion: v })],
    ['detail.reason', (v) => ({ kind: 'policy-rejected', detail: { reason: `签名无效 ${v}` } })],
    ['findings.0.masked', (v) => ({ findings: [{ type: 'marker', level: '秘密', masked: v, hash: 'a'.repeat(64) }] })],
  ];

  it.each(EVENT_FIELDS)('event field %s: each disguise is rejected, the ordinary event beside it stored', async (field, patch) => {
    const t = Date.now();
    const events = DISGUISES.map(([, value], i) => makeEvent(device.deviceId, patch(value) as never, t + i));
    const control = makeEvent(device.deviceId, {}, t + 100);
    const res = await server.request('/api/v1/events', { method: 'POST', json: { events: [...events, control] }, headers: device.auth });
    const body = (await res.json()) as { accepted: string[]; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toEqual([control.id]);
    expect(body.rejected.map((r) => r.index)).toEqual(DISGUISES.map((_, i) => i));
    for (const r of body.rejected) expect(r.reason).toContain(`raw-number: ${field}`);
    // The answer never echoes the number back.
    expect(JSON.stringify(body)).not.toContain('1234');
  });

  it.each(['browser', 'extensionVersion', 'userId', 'department', 'deviceName'])('enroll %s: each disguise → 400', async (field) => {
    for (const [, value] of DISGUISES) {
      const res = await server.request('/api/v1/enroll', { method: 'POST', json: { code: ENROLL_CODE, userId: 'li.si', [field]: value } });
      expect([field, value, res.status]).toEqual([field, value, 400]);
    }
  });

  it('heartbeat extensionVersion and userId: each disguise → 400', async () => {
    for (const [, value] of DISGUISES) {
      for (const patch of [{ extensionVersion: value }, { userId: value }]) {
        const res = await server.request('/api/v1/heartbeat', {
          method: 'POST',
          headers: device.auth,
          json: { extensionVersion: '0.1.0', policyVersion: 1, queueDepth: 0, ...patch },
        });
        expect([value, res.status]).toEqual([value, 400]);
      }
    }
  });

  it('controls: staff ids, real browser names and versions pass everywhere', async () => {
    for (const userId of ORDINARY_IDS) {
      for (const browser of FIREFOX_AND_CHROME) {
        const res = await server.request('/api/v1/enroll', {
          method: 'POST',
          json: { code: ENROLL_CODE, userId, browser, extensionVersion: '0.1.0' },
        });
        expect([userId, res.status]).toEqual([userId, 201]);
      }
      const hb = await server.request('/api/v1/heartbeat', {
        method: 'POST',
        headers: device.auth,
        json: { extensionVersion: '0.1.0', policyVersion: 1, queueDepth: 0, userId },
      });
      expect(hb.status).toBe(200);
    }
    const t = Date.now() + 1000;
    const events = ORDINARY_IDS.map((userId, i) =>
      makeEvent(device.deviceId, { userId, department: '市场部2组', extensionVersion: '0.1.0' }, t + i),
    );
    const body = (await (await server.request('/api/v1/events', { method: 'POST', json: { events }, headers: device.auth })).json()) as {
      accepted: string[];
    };
    expect(body.accepted).toHaveLength(ORDINARY_IDS.length);
  });
});
