/**
 * Number disguises beyond plain separators: country-code landlines, `/` and `_`
 * between groups, Chinese numerals, and grouped runs longer than a service number.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTORS, scanText, type DetectorSettings, type Finding } from './index';

const PHONES = new Set<Finding['type']>(['mobile', 'landline', 'service']);
const phones = (text: string, detectors?: DetectorSettings): Finding[] =>
  scanText(text, detectors ? { detectors } : undefined).filter((f) => PHONES.has(f.type));
const summary = (text: string): string[] =>
  phones(text).map((f) => `${f.type} ${f.normalized} ${JSON.stringify(text.slice(f.start, f.end))}`);

// ---------------------------------------------------------------- +86 / 0086 landlines

// [text, normalized, span, masked]
const CC_LANDLINES: Array<[string, string, string, string]> = [
  ['+86 10 8888 6666', '01088886666', '+86 10 8888 6666', '010****66'],
  ['+86-21-12345678', '02112345678', '+86-21-12345678', '021****78'],
  ['0086 755 12345678', '075512345678', '0086 755 12345678', '0755****78'],
  ['(+86) 20 1234 5678', '02012345678', '+86) 20 1234 5678', '020****78'],
  ['（+86）20-8765-4321', '02087654321', '+86）20-8765-4321', '020****21'],
  ['＋86 10 6234 5678', '01062345678', '＋86 10 6234 5678', '010****78'],
  ['+861062345678', '01062345678', '+861062345678', '010****78'],
  ['+86 755 8888 6666', '075588886666', '+86 755 8888 6666', '0755****66'],
  ['+86 391 8765432', '03918765432', '+86 391 8765432', '0391****32'], // 0391: 7-digit local numbers
  ['0086-10-88886666', '01088886666', '0086-10-88886666', '010****66'],
  ['00861088886666', '01088886666', '00861088886666', '010****66'],
  ['Tel: +86 10 8888 6666.', '01088886666', '+86 10 8888 6666', '010****66'],
  ['+86 10 8888 6666 转 123', '01088886666', '+86 10 8888 6666 转 123', '010****66'],
  ['+86 21 5555 6666 ext. 12', '02155556666', '+86 21 5555 6666 ext. 12', '021****66'],
  // The trunk 0 written anyway (a common mistake) or in parentheses.
  ['+86 (0)10 8888 6666', '01088886666', '+86 (0)10 8888 6666', '010****66'],
  ['+86 010 8888 6666', '01088886666', '+86 010 8888 6666', '010****66'],
  ['+86 一〇 八八八八 六六六六', '01088886666', '+86 一〇 八八八八 六六六六', '010****66'],
];

describe('landline: with the country code, area code without its 0', () => {
  it.each(CC_LANDLINES)('%j', (text, normalized, span, masked) => {
    const f = phones(text);
    expect(f.map((x) => x.type)).toEqual(['landline']);
    expect(f[0]!.normalized).toBe(normalized);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(span);
    expect(f[0]!.masked).toBe(masked);
  });

  it('+86 mobiles stay mobiles', () => {
    for (const text of ['+86 138 1234 5678', '+8613812345678', '0086 13812345678', '(+86) 138 1234 5678']) {
      expect(phones(text).map((f) => [f.type, f.normalized])).toEqual([['mobile', '13812345678']]);
    }
  });

  it('an explicit +86 raises confidence over the same domestic number', () => {
    expect(phones('+86 10 8888 6666')[0]!.confidence).toBeGreaterThan(phones('010 8888 6666')[0]!.confidence);
  });

  it('follows the landline switch', () => {
    const off = { ...DEFAULT_DETECTORS, landline: { enabled: false, level: '秘密' as const } };
    expect(phones('+86 10 8888 6666', off)).toEqual([]);
    const onlyLand = { ...DEFAULT_DETECTORS, mobile: { enabled: false, level: '秘密' as const } };
    expect(phones('+86 10 8888 6666', onlyLand).map((f) => f.type)).toEqual(['landline']);
  });

  it.each([
    '+86',
    '+86 ',
    '+86 abc',
    '+86 10 8888', // too short
    '+86 10 8888 66666 6', // local number too long
    '+86 10 0888 6666', // local number starting with 0
    '+86 12 3456 7890', // 012 is no area code
    '+86 11 2345 6789',
    '+86 1 0888 86666', // area code split
    '+86 7 55 8888 6666',
    '+86 99 1234 5678',
    '+86 00 1234 5678',
    '+8 6 10 8888 6666', // 86 split
    '+86 10 8888 6666x',
    'a+86 10 8888 6666',
    '+86 10/8888/6666', // no slashes in international form
    '+44 20 7946 0958', // foreign
    '+1 212 555 0100',
    '86 10 8888 6666', // bare 86 is no country code for landlines
  ])('%j is no landline', (text) => {
    expect(phones(text).filter((f) => f.type === 'landline')).toEqual([]);
  });
});

// ---------------------------------------------------------------- '/' and '_'

// [text, type, normalized, span]
const SOFT: Array<[string, Finding['type'], string, string]> = [
  ['138/1234/5678', 'mobile', '13812345678', '138/1234/5678'],
  ['138_1234_5678', 'mobile', '13812345678', '138_1234_5678'],
  ['138／1234／5678', 'mobile', '13812345678', '138／1234／5678'],
  ['手机 138/1234/5678。', 'mobile', '13812345678', '138/1234/5678'],
  ['(138/1234/5678)', 'mobile', '13812345678', '138/1234/5678'],
  ['一三八/一二三四/五六七八', 'mobile', '13812345678', '一三八/一二三四/五六七八'],
  ['010/12345678', 'landline', '01012345678', '010/12345678'],
  ['010/62345678', 'landline', '01062345678', '010/62345678'],
  ['0755/88886666', 'landline', '075588886666', '0755/88886666'],
  ['0391_8888666', 'landline', '03918888666', '0391_8888666'], // 0755 has 8-digit local numbers only
  ['座机 021/55556666 转 8', 'landline', '02155556666', '021/55556666 转 8'],
];

describe('separators "/" and "_": canonical shapes only', () => {
  it.each(SOFT)('%j → %s %s', (text, type, normalized, span) => {
    const f = phones(text);
    expect(f.map((x) => [x.type, x.normalized])).toEqual([[type, normalized]]);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(span);
  });

  it('a slashed number has lower confidence than a dashed one', () => {
    expect(phones('138/1234/5678')[0]!.confidence).toBeLessThan(phones('138-1234-5678')[0]!.confidence);
    expect(phones('0755/88886666')[0]!.confidence).toBeLessThan(phones('0755-88886666')[0]!.confidence);
  });

  it('a slash between two numbers still separates them', () => {
    expect(summary('13812345678/13987654321')).toEqual(['mobile 13812345678 "13812345678"', 'mobile 13987654321 "13987654321"']);
    expect(summary('138/1234/5678 13987654321')).toEqual(['mobile 13812345678 "138/1234/5678"', 'mobile 13987654321 "13987654321"']);
    expect(summary('0755-88886666/88886667')).toEqual(['landline 075588886666 "0755-88886666"']);
  });

  it.each([
    // dates, times, fractions
    '2024/01/15',
    '2024/01/15 13:45:00',
    '2023/10/12 13:81:23',
    '12/31/2023 10:30',
    '2023/10/12/1381/2345',
    '1/2',
    '3/4 杯',
    '1/2/3/4/5/6/7/8/9/10/11',
    '第 138/1234 页',
    // paths, URLs, file and identifier names
    '/usr/138/1234/5678',
    'https://example.com/u/138/1234/5678/',
    'docs/138/1234/5678',
    '138/1234/5678/9',
    '10/138/1234/5678',
    'IMG_138_1234_5678.jpg',
    'a_138_1234_5678',
    'user138_1234_5678',
    '138_1234_5678_v2',
    // other groupings: only 3/4/4 (mobile) and area/local (landline)
    '138/12345678',
    '1381/234/5678',
    '1381234/5678',
    '13/8123/45678',
    '0755/8888/6666',
    '010/1234/5678',
    '01/0123/45678',
    '400/123/4567',
    '800/820/8820',
    // mixed separators, spaced slashes
    '138/1234-5678',
    '138/1234_5678',
    '138 / 1234/5678', // spaced and tight: not the same separator ("138 / 1234 / 5678" is found)
    '138//1234//5678',
    // sizes and quantities: both 4-digit groups round
    '规格 150/2000/3000',
    '180/1200/2400 mm',
    // order and tracking numbers
    '订单 2023/1381/2345/678',
    'SO/2023/13812345/678',
    '2023_138_1234_5678',
  ])('%j has no phone number', (text) => {
    expect(phones(text)).toEqual([]);
  });
});

// ---------------------------------------------------------------- Chinese numerals

// [text, type, normalized, span]
const NUMERALS: Array<[string, Finding['type'], string, string]> = [
  ['一三八一二三四五六七八', 'mobile', '13812345678', '一三八一二三四五六七八'],
  ['手机：一三八一二三四五六七八，', 'mobile', '13812345678', '一三八一二三四五六七八'],
  ['幺三八幺二三四五六七八', 'mobile', '13812345678', '幺三八幺二三四五六七八'],
  ['一八〇〇一二三四五六七', 'mobile', '18001234567', '一八〇〇一二三四五六七'],
  ['一八零零一二三四五六七', 'mobile', '18001234567', '一八零零一二三四五六七'],
  ['壹叁捌壹贰叁肆伍陆柒捌', 'mobile', '13812345678', '壹叁捌壹贰叁肆伍陆柒捌'],
  ['一三八 一二三四 五六七八', 'mobile', '13812345678', '一三八 一二三四 五六七八'],
  ['一三八-一二三四-五六七八', 'mobile', '13812345678', '一三八-一二三四-五六七八'],
  ['138一二三四5678', 'mobile', '13812345678', '138一二三四5678'],
  ['一三八12345678', 'mobile', '13812345678', '一三八12345678'],
  ['1三8一2三4五6七8', 'mobile', '13812345678', '1三8一2三4五6七8'],
  ['１３８一二三四５６７８', 'mobile', '13812345678', '１３８一二三四５６７８'],
  ['+86 一三八一二三四五六七八', 'mobile', '13812345678', '+86 一三八一二三四五六七八'],
  ['〇七五五-八八八八六六六六', 'landline', '075588886666', '〇七五五-八八八八六六六六'],
  ['零一零 六二三四五六七八', 'landline', '01062345678', '零一零 六二三四五六七八'],
  ['0755-八八八八六六六六', 'landline', '075588886666', '0755-八八八八六六六六'],
  ['四〇〇-一二三-四五六七', 'service', '4001234567', '四〇〇-一二三-四五六七'],
  ['热线四零零八八八零零零零', 'service', '4008880000', '四零零八八八零零零零'],
];

describe('Chinese numerals read as digits', () => {
  it.each(NUMERALS)('%j → %s %s', (text, type, normalized, span) => {
    const f = phones(text);
    expect(f.map((x) => [x.type, x.normalized])).toEqual([[type, normalized]]);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(span);
    expect(f[0]!.masked).not.toContain('一');
  });

  it('numerals next to a tight Arabic number do not glue to it', () => {
    expect(summary('13812345678一直没人接')).toEqual(['mobile 13812345678 "13812345678"']);
    expect(summary('找小陆13812345678')).toEqual(['mobile 13812345678 "13812345678"']);
    expect(summary('电话一13812345678，电话二13987654321')).toEqual([
      'mobile 13812345678 "13812345678"',
      'mobile 13987654321 "13987654321"',
    ]);
    expect(summary('0755-88886666一下')).toEqual(['landline 075588886666 "0755-88886666"']);
    expect(summary('13812345678一二三四五六七八九〇一二')).toEqual(['mobile 13812345678 "13812345678"']);
    expect(summary('一二三四五六七八九〇一二三四五六七八九〇13812345678')).toEqual(['mobile 13812345678 "13812345678"']);
  });

  it('resident IDs and cards in Chinese numerals (when enabled)', () => {
    const all = {
      ...DEFAULT_DETECTORS,
      residentId: { enabled: true, level: '机密' as const },
      bankCard: { enabled: true, level: '机密' as const },
    };
    const id = scanText('一一〇一〇五一九四九一二三一〇〇二X', { detectors: all });
    expect(id.map((f) => [f.type, f.normalized])).toEqual([['resident-id', '11010519491231002X']]);
  });

  it.each([
    '一三五开会',
    '三十八',
    '一百三十八',
    '第一二三章',
    '一二三四五六七八九十',
    '〇一二三四五六七八九',
    '二〇二三年一月一日',
    '一九四九年十月一日',
    '一三八一二三四五六七八九', // 12 numerals
    '一三八一二三四十五六七八', // 十 inside
    '一三八一二三四两六七八', // 两 is no digit here
    '一三八一二三四五六七', // 10 numerals
    '壹万贰仟叁佰肆拾伍元',
    '三三两两，七上八下，一五一十',
    '一一一一一一一一一一一',
    'ID一三八一二三四五六七八',
    '一三八****五六七八',
    '一三八＊＊＊＊五六七八',
  ])('%j has no phone number', (text) => {
    expect(phones(text)).toEqual([]);
  });
});

// ---------------------------------------------------------------- runs longer than a service number

describe('400/800 inside a longer grouped run', () => {
  it.each([
    '400 130 0000 0000',
    '400-130-0000-0000',
    '４００ １３０ ００００ ００００',
    '800 820 8820 1234',
    '400.123.4567.890',
    '400-123-4567-8901-234',
  ])('%j is no service number', (text) => {
    expect(phones(text).filter((f) => f.type === 'service')).toEqual([]);
  });

  it('the 3-4-4 tail of "400 130 0000 0000" is a mobile, lowered as a piece of a longer run', () => {
    for (const text of ['400 130 0000 0000', '400-130-0000-0000']) {
      const f = phones(text);
      expect(f.map((x) => [x.type, x.normalized])).toEqual([['mobile', '13000000000']]);
      expect(f[0]!.confidence).toBeLessThanOrEqual(0.65);
    }
  });

  it.each([
    ['400-123-4567 24小时', 0.6], // a short tail: hours, counts
    ['400-123-4567-89', 0.6],
    ['400-123-4567 8888', 0.6], // written apart from the number's own grouping
    ['4001234567 1234', 0.75], // a tight number and a separate group
    ['400 123 4567 138 1234 5678', 0.6], // a tail long enough to be a number of its own
    ['400-123-4567', 0.75],
  ] as const)('%j keeps the service number (confidence %d)', (text, confidence) => {
    const f = phones(text).filter((x) => x.type === 'service');
    expect(f.map((x) => x.normalized)).toEqual(['4001234567']);
    expect(f[0]!.confidence).toBe(confidence);
  });

  it('two numbers in a row are both found', () => {
    expect(summary('400 123 4567 138 1234 5678')).toEqual(['service 4001234567 "400 123 4567"', 'mobile 13812345678 "138 1234 5678"']);
  });
});
