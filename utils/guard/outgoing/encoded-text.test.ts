import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Bytes, base64Texts, decodedLayers, MAX_DEPTH, percentDecoded, unicodeUnescaped } from './encoded-text';
import { decodeBodyText, MAX_OUTGOING_TEXT, precheck, resolveDestination } from './outgoing-text';

const PHONE = '13812345678';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const escapeAll = (text: string) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

describe('vectors: the number hidden by an encoding is found', () => {
  const event = JSON.stringify({ event: 'signup', properties: { distinct_id: 'u-77', phone: PHONE, name: '张三' } });
  it.each([
    ['base64 of JSON (analytics data= beacon)', `data=${b64(event)}`, null],
    [
      'base64 of JSON, percent-encoded as a form value',
      `data=${encodeURIComponent(b64(event))}&ext=1`,
      'application/x-www-form-urlencoded',
    ],
    ['URL-safe base64 without padding', `{"payload":"${b64url(event)}"}`, 'application/json'],
    [
      'percent-encoded digits in a text/plain body with spaces (not form-like)',
      `客户 电话 ${[...PHONE].map((d) => `%3${d}`).join('')} 请回电`,
      'text/plain',
    ],
    ['percent-encoded digits', `tel=${[...PHONE].map((d) => `%${d.charCodeAt(0).toString(16)}`).join('')} and text`, 'text/plain'],
    ['\\u-escaped digits in JSON that does not parse', `{"tel":"${escapeAll(PHONE)}", broken`, 'application/json'],
    ['\\u-escaped digits in JSON that parses', `{"tel":"${escapeAll(PHONE)}"}`, 'application/json'],
    ['base64 of percent-encoded JSON', `d=${b64(encodeURIComponent(event))}`, null],
    ['base64 of base64 of JSON', `d=${b64(b64(event))}`, null],
    ['base64 of \\u-escaped JSON', `d=${b64(`{"tel":"${escapeAll(PHONE)}"}`)}`, null],
  ])('%s', (_name, raw, type) => {
    expect(precheck(raw)).toBe(false); // the raw text alone hides it
    const text = decodeBodyText(raw, type);
    expect(text.startsWith(raw)).toBe(true);
    expect(text).toContain(PHONE);
    expect(precheck(text)).toBe(true);
  });

  it('a base64 query value of a GIF beacon URL', () => {
    const d = resolveDestination(
      `https://collect.example.net/sa.gif?project=crm&data=${encodeURIComponent(b64(event))}`,
      'https://crm.example.com/',
    );
    expect(d.text).toContain(PHONE);
  });
});

describe('controls: ordinary encoded data is not read as text', () => {
  // A real PNG: signature, IHDR, IDAT with compressed random pixels, IEND.
  const png = (seed: number) => {
    const bytes = new Uint8Array(4096);
    let x = seed;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return Buffer.from(bytes).toString('base64');
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('a base64 image upload (seed %i) decodes to nothing', (seed) => {
    const body = JSON.stringify({ filename: 'avatar.png', content: `data:image/png;base64,${png(seed)}` });
    expect(base64Texts(body)).toEqual([]);
    expect(precheck(decodeBodyText(body, 'application/json'))).toBe(false);
  });

  it.each([
    ['a JWT-like token of ids', `Bearer ${b64url('{"alg":"HS256"}')}.${b64url('{"sub":"user-42","iat":1733299200}')}.sig`],
    ['hashes and ids', 'id=5f2b8c9e1d3a4b6c7e8f9a0b1c2d3e4f&sha=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
    ['ordinary words', 'internationalization documentation responsibilities'],
    ['a plain JSON event', JSON.stringify({ event: 'page_view', ts: 1733299200123, path: '/customers/list' })],
  ])('%s', (_name, raw) => {
    expect(precheck(decodeBodyText(raw, null))).toBe(false);
  });
});

describe('the decoders', () => {
  it('percentDecoded leaves broken runs alone', () => {
    expect(percentDecoded('a%E6%9C%BA b%ZZ c%E6')).toBe('a机 b%ZZ c%E6');
  });

  it('unicodeUnescaped handles surrogate pairs and leaves short escapes', () => {
    expect(unicodeUnescaped('\\ud83d\\ude00 \\u31 \\u0031')).toBe('😀 \\u31 1');
  });

  it('base64Bytes equals Buffer for both alphabets, with or without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buf = Buffer.from(bytes);
        for (const encoded of [buf.toString('base64'), buf.toString('base64url')]) {
          expect(Buffer.from(base64Bytes(encoded)!)).toEqual(buf);
        }
      }),
    );
    expect(base64Bytes('abcde')).toBeNull(); // length 1 mod 4
    expect(base64Bytes('ab*d')).toBeNull();
  });
});

describe('bounds: linear work, bounded output', () => {
  it('never returns more than the budget, and the depth is bounded', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.nat(2_000), (text, budget) => {
        const layers = decodedLayers(text, budget);
        expect(layers.reduce((n, l) => n + l.length, 0)).toBeLessThanOrEqual(budget);
      }),
    );
    // Nesting deeper than MAX_DEPTH is not unwrapped.
    let nested = `tel ${PHONE}`;
    for (let i = 0; i < MAX_DEPTH + 1; i++) nested = b64(nested);
    expect(decodedLayers(nested, 1_000_000).join('\n')).not.toContain(PHONE);
  });

  it('decodeBodyText never exceeds MAX_OUTGOING_TEXT and always starts with the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2_000 }), fc.constantFrom(null, 'application/json', 'text/plain'), (raw, type) => {
        const text = decodeBodyText(raw, type);
        expect(text.length).toBeLessThanOrEqual(MAX_OUTGOING_TEXT);
        if (raw.length > 0) expect(text.startsWith(raw.slice(0, MAX_OUTGOING_TEXT))).toBe(true);
      }),
    );
  });

  it.each([
    ['one 5 MB base64 run', 'A'.repeat(MAX_OUTGOING_TEXT - 16)],
    ['5 MB of percent signs', '%'.repeat(MAX_OUTGOING_TEXT - 16)],
    ['5 MB of broken escapes', '\\u12'.repeat(MAX_OUTGOING_TEXT / 4 - 16)],
    ['5 MB of valid nested base64', b64(b64('x'.repeat(MAX_OUTGOING_TEXT / 2)))],
  ])('worst-case input (%s) is handled within the cap', (_name, raw) => {
    const text = decodeBodyText(raw, null);
    expect(text.length).toBeLessThanOrEqual(MAX_OUTGOING_TEXT);
  });
});
