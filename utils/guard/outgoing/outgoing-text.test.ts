import { describe, expect, it } from 'vitest';
import { decodeBodyText, joinText, MAX_OUTGOING_TEXT, precheck, resolveDestination } from './outgoing-text';

const BASE = 'https://crm.example.com/app/page?x=1';

describe('resolveDestination', () => {
  it.each([
    ['/api/save', 'https://crm.example.com', true, '/api/save'],
    ['save', 'https://crm.example.com', true, '/app/save'],
    ['//cdn.example.net/x', 'https://cdn.example.net', true, '/x'],
    ['http://127.0.0.1:8080/c?tel=138%2012345678', 'http://127.0.0.1:8080', true, '/c\n?tel=138 12345678'],
    ['https://x.test/s?q=%E6%9C%BA%E5%AF%86+a', 'https://x.test', true, '/s\n?q=机密 a'],
    ['wss://chat.test/socket', 'wss://chat.test', true, '/socket'],
    ['data:text/plain,13812345678', null, false, ''],
    ['blob:https://crm.example.com/uuid', null, false, ''],
    ['javascript:void(0)', null, false, ''],
    ['http://[::1', null, false, ''],
  ])('%s → %s', (url, origin, network, text) => {
    const d = resolveDestination(url, BASE);
    expect(d.origin).toBe(origin);
    expect(d.network).toBe(network);
    expect(d.text).toBe(text);
  });

  it('keeps broken percent-encoding as it is', () => {
    expect(resolveDestination('/a%E6?b=%ZZ', BASE).text).toBe('/a%E6\n?b=%ZZ');
  });

  it('treats mailto: as outgoing with no known origin', () => {
    const d = resolveDestination('mailto:a@b.c?body=13812345678', BASE);
    expect([d.network, d.origin]).toEqual([true, null]);
    expect(d.text).toContain('13812345678');
  });
});

describe('decodeBodyText', () => {
  it.each([
    ['plain string', 'text/plain', 'plain string'],
    ['tel=138%2012345678&m=%E7%BB%9D%E5%AF%86', 'application/x-www-form-urlencoded', 'tel=138 12345678\nm=绝密'],
    ['a=%E6%9C%BA%E5%AF%86', null, 'a=机密'], // form-encoded without a content type
    ['{"m":"\\u673a\\u5bc6"}', 'application/json', '\nm\n机密'],
    ['', 'text/plain', ''],
  ])('%s', (raw, type, expected) => {
    const text = decodeBodyText(raw, type);
    if (expected === '') expect(text).toBe('');
    else expect(text).toContain(expected);
  });

  it('does not choke on JSON-looking garbage', () => {
    expect(decodeBodyText('{"a": "\\u12', 'application/json')).toBe('{"a": "\\u12');
  });

  it('caps at 5 MB', () => {
    expect(decodeBodyText('x'.repeat(MAX_OUTGOING_TEXT + 10), 'text/plain')).toHaveLength(MAX_OUTGOING_TEXT);
  });
});

describe('precheck (built-in detectors, for synchronous paths)', () => {
  it.each([
    ['客户电话 13812345678', true],
    ['tel=138 1234 5678', true],
    ['密级：机密', true],
    ['客户电话 138****5678', false],
    ['hello world', false],
    ['', false],
  ])('%s → %s', (text, flagged) => {
    expect(precheck(text)).toBe(flagged);
  });
});

it('joinText skips empty parts', () => {
  expect(joinText(['a', '', null, undefined, 'b'])).toBe('a\nb');
});
