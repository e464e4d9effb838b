import { describe, expect, it } from 'vitest';
import { maskNumber, scanText, type DetectorSettings, type Finding } from './index';
import { runUnitByPredicates, runUnitOf } from './number-scanner';

function only(text: string, type: Finding['type'], detectors?: DetectorSettings): Finding[] {
  return scanText(text, detectors ? { detectors } : undefined).filter((f) => f.type === type);
}

// ---------------------------------------------------------------- mobile numbers

const ALLOCATED = [
  ...'0123456789'.split('').map((d) => `13${d}`),
  '145',
  '146',
  '147',
  '148',
  '149',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '162',
  '165',
  '166',
  '167',
  '170',
  '171',
  '172',
  '173',
  '175',
  '176',
  '177',
  '178',
  ...'0123456789'.split('').map((d) => `18${d}`),
  '190',
  '191',
  '192',
  '193',
  '195',
  '196',
  '197',
  '198',
  '199',
];
const UNALLOCATED = ['140', '141', '142', '143', '144', '154', '160', '161', '163', '164', '168', '169', '179', '194', '120', '110', '100'];

describe("the scan loop's unit table", () => {
  it('equals the predicates on every UTF-16 unit (it skips asking them in CJK text)', () => {
    const differing: number[] = [];
    for (let c = 0; c < 65536; c++) if (runUnitOf(c) !== runUnitByPredicates(c)) differing.push(c);
    expect(differing).toEqual([]);
  });
});

describe('mobile: every allocated prefix', () => {
  it.each(ALLOCATED)('%s is found', (prefix) => {
    const n = `${prefix}12345678`;
    const f = only(`客户 ${n} 已登记`, 'mobile');
    expect(f).toHaveLength(1);
    expect(f[0]!.normalized).toBe(n);
    expect(f[0]!.masked).toBe(`${prefix}****5678`);
  });
});

describe('mobile: unallocated prefixes are not', () => {
  it.each(UNALLOCATED)('%s is not found', (prefix) => {
    expect(only(`号码 ${prefix}12345678 结束`, 'mobile')).toEqual([]);
  });
});

describe('mobile: 174 satellite', () => {
  it.each(['17400123456', '17405123456'])('%s (1740[0-5]) is found', (n) => {
    expect(only(n, 'mobile')).toHaveLength(1);
  });
  it.each(['17406123456', '17412345678', '17490123456'])('%s is not found', (n) => {
    expect(only(n, 'mobile')).toEqual([]);
  });
});

// [text, expected start, expected end]
const MOBILE_FORMATS: Array<[string, number, number]> = [
  ['13812345678', 0, 11],
  ['138 1234 5678', 0, 13],
  ['138-1234-5678', 0, 13],
  ['138.1234.5678', 0, 13],
  ['138 123 45678', 0, 13],
  ['1381 234 5678', 0, 13],
  ['138 12345678', 0, 11 + 1],
  ['138\u30001234\u30005678', 0, 13],
  ['138·1234·5678', 0, 13],
  ['138–1234–5678', 0, 13],
  ['138—1234—5678', 0, 13],
  ['138－1234－5678', 0, 13],
  ['138\u00a01234\u00a05678', 0, 13],
  ['１３８１２３４５６７８', 0, 11],
  ['１３８ １２３４ ５６７８', 0, 13],
  ['138\u200b1234\u200b5678', 0, 13],
  ['138\u200c1234\u200d5678', 0, 13],
  ['138\u20601234\ufeff5678', 0, 13],
  ['138\u00ad1234\u00ad5678', 0, 13],
  ['138\n1234\n5678', 0, 13],
  ['138\r\n1234\r\n5678', 0, 15],
  ['138 - 1234 - 5678', 0, 17],
  ['+8613812345678', 0, 14],
  ['+86 138 1234 5678', 0, 17],
  ['+86-138-1234-5678', 0, 17],
  ['＋86 13812345678', 0, 15],
  ['＋８６１３８１２３４５６７８', 0, 14],
  ['(+86)13812345678', 1, 16],
  ['(+86) 138 1234 5678', 1, 19],
  ['（+86）13812345678', 1, 16],
  ['0086 13812345678', 0, 16],
  ['0086-138-1234-5678', 0, 18],
  ['008613812345678', 0, 15],
  ['86 13812345678', 0, 14],
  ['8613812345678', 0, 13],
  ['手机:13812345678', 3, 14],
  ['手机：138 1234 5678。', 3, 16],
  ['电话13812345678', 2, 13],
  ['Tel: 13812345678', 5, 16],
  ['call 13812345678 now', 5, 16],
  ['(13812345678)', 1, 12],
  ['【13812345678】', 1, 12],
  ['"13812345678"', 1, 12],
  ['13812345678,13987654321', 0, 11],
  ['x 13812345678 y', 2, 13],
  ['No.13812345678', 3, 14],
  ['13812345678@qq.com', 0, 11],
  ['138/1234/5678', 0, 13],
  ['138_1234_5678', 0, 13],
  ['138/1234/5678 13812345678', 0, 13],
];

describe('mobile: formats and disguises', () => {
  it.each(MOBILE_FORMATS)('%j → [%i, %i)', (text, start, end) => {
    const f = only(text, 'mobile');
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f[0]!.start).toBe(start);
    expect(f[0]!.end).toBe(end);
    expect(f[0]!.normalized).toBe('13812345678');
    expect(f[0]!.masked).toBe('138****5678');
  });
});

const NOT_MOBILE = [
  '138****5678',
  '138xxxx5678',
  '138XXXX5678',
  '138＊＊＊＊5678',
  '138 **** 5678',
  '1381234567',
  '138123456789',
  '013812345678',
  '20231201123045',
  '订单 202312011381234567890',
  '6222021381234567890',
  '110105199003071381',
  'abc13812345678',
  '13812345678abc',
  'ID13812345678',
  '13812345678x',
  '１３８１２３４５６７８Ａ',
  '２１３８１２３４５６７８',
  '12345678901',
  '23812345678',
  '138 1234 567',
  '138        1234 5678',
  '138-1234-5678-9999'.replace(/-/g, ''),
  '+1 415 555 1234',
  '+44 13812345678',
  '138:1234:5678:9999', // a longer grouped run (138:1234:5678 is a disguised mobile, disguise-marks.test.ts)
  '1.3812345678',
  '3.14159265358979',
  '',
  '   ',
  '电话：未提供',
];

describe('mobile: negatives', () => {
  it.each(NOT_MOBILE)('%j has no mobile', (text) => {
    expect(only(text, 'mobile')).toEqual([]);
  });
});

it('finds several numbers, sorted and non-overlapping', () => {
  const f = scanText('A: 13812345678, B: 139 8765 4321；C: 0755-88886666');
  expect(f.map((x) => x.type)).toEqual(['mobile', 'mobile', 'landline']);
  for (let i = 1; i < f.length; i++) expect(f[i]!.start).toBeGreaterThanOrEqual(f[i - 1]!.end);
});

// ---------------------------------------------------------------- landlines & service

const LANDLINES: Array<[string, string, string]> = [
  ['010-62345678', '01062345678', '010-62345678'],
  ['010-12345678', '01012345678', '010-12345678'],
  ['(010)62345678', '01062345678', '010)62345678'],
  ['（010）62345678', '01062345678', '010）62345678'],
  ['01062345678', '01062345678', '01062345678'],
  ['020-87654321', '02087654321', '020-87654321'],
  ['021 5555 6666', '02155556666', '021 5555 6666'],
  ['029-88886666', '02988886666', '029-88886666'],
  ['0755-88886666', '075588886666', '0755-88886666'],
  ['（0755）8888 6666', '075588886666', '0755）8888 6666'],
  ['(0755) 88886666', '075588886666', '0755) 88886666'],
  ['0391-8765432', '03918765432', '0391-8765432'], // 7-digit local numbers: 0391 has them, 0571 (8 digits) not (libphonenumber)
  ['0755-88886666转123', '075588886666', '0755-88886666转123'],
  ['0755-88886666 转 123', '075588886666', '0755-88886666 转 123'],
  ['021-55556666 ext. 123', '02155556666', '021-55556666 ext. 123'],
  ['021-55556666 ext 12', '02155556666', '021-55556666 ext 12'],
  ['021-55556666ext.8', '02155556666', '021-55556666ext.8'],
  ['021-55556666 EXT 9', '02155556666', '021-55556666 EXT 9'],
  ['0755-88886666分机123', '075588886666', '0755-88886666分机123'],
  ['0755-88886666 分机：8001', '075588886666', '0755-88886666 分机：8001'],
  ['０７５５－８８８８６６６６', '075588886666', '０７５５－８８８８６６６６'],
  ['0755/88886666', '075588886666', '0755/88886666'],
  ['座机 0931-8123456', '09318123456', '0931-8123456'],
];

describe('landline: positives', () => {
  it.each(LANDLINES)('%j', (text, normalized, span) => {
    const f = only(text, 'landline');
    expect(f).toHaveLength(1);
    expect(f[0]!.normalized).toBe(normalized);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(span);
    expect(f[0]!.masked.endsWith('****' + normalized.slice(-2))).toBe(true);
  });
});

const NOT_LANDLINE = [
  '010-02345678',
  '0755-0888666',
  '0755-888866',
  '0755-888866667',
  '001-23456789',
  '011-23456789',
  '0755888866661',
  'a0755-88886666',
  '0755-88886666b',
  '0.755',
  '2023-12-01',
];

describe('landline: negatives', () => {
  it.each(NOT_LANDLINE)('%j has no landline', (text) => {
    expect(only(text, 'landline')).toEqual([]);
  });
});

const SERVICES: Array<[string, string]> = [
  ['400-123-4567', '4001234567'],
  ['800-123-4567', '8001234567'],
  ['4001234567', '4001234567'],
  ['400 1234 567', '4001234567'],
  ['400-888-0000 客服热线', '4008880000'],
  ['热线：８００－８２０－８８２０', '8008208820'],
];

describe('service: positives', () => {
  it.each(SERVICES)('%j', (text, normalized) => {
    const f = only(text, 'service');
    expect(f).toHaveLength(1);
    expect(f[0]!.normalized).toBe(normalized);
    expect(f[0]!.masked).toBe(normalized.slice(0, 3) + '****' + normalized.slice(-2));
  });
});

describe('service: negatives', () => {
  it.each(['400-123-456', '40012345678', '500-123-4567', '401-123-4567', '400-123-45678', 'x4001234567'])(
    '%j has no service number',
    (text) => {
      expect(only(text, 'service')).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------- markers

describe('maskNumber', () => {
  it.each([
    ['13812345678', undefined, '138****5678'],
    ['13812345678', 'mobile', '138****5678'],
    ['075588886666', 'landline', '0755****66'],
    ['01062345678', 'landline', '010****78'],
    ['4001234567', 'service', '400****67'],
    ['4111111111111111', 'bank-card', '4111****1111'],
    ['11010519491231002X', 'resident-id', '1101**********2X'],
    ['12345', undefined, '*****'],
  ] as const)('%s (%s) → %s', (d, t, m) => {
    expect(maskNumber(d, t)).toBe(m);
  });
});
