/**
 * Disguises of 2026-11: marks between the groups (`138:1234:5678`, `138｜1234｜5678`,
 * `138 / 1234 / 5678`) and enclosed digits (`①③⑧①②③④⑤⑥⑦⑧`). Both only where nothing
 * else is meant: marks in the canonical groupings with one mark throughout; times,
 * ratios, dates, ranges, lists, table rows and amounts stay unreported.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTORS, scanText, type DetectorSettings, type Finding } from './index';

const PHONES = new Set<Finding['type']>(['mobile', 'landline', 'service']);
const phones = (text: string, detectors?: DetectorSettings): Finding[] =>
  scanText(text, detectors ? { detectors } : undefined).filter((f) => PHONES.has(f.type));
const summary = (text: string): string[] =>
  phones(text).map((f) => `${f.type} ${f.normalized} ${JSON.stringify(text.slice(f.start, f.end))}`);

// ---------------------------------------------------------------- marks between groups

/** Every mark, as written between two groups. */
const MARKS = [':', '：', '|', '｜', '~', '～', '*', '＊', '，', '、', ' / ', ' | ', ' ／ ', ' ｜ '];

describe('marks between groups: canonical shapes', () => {
  it.each(MARKS)('mobile 3-4-4 with %j', (m) => {
    const text = `手机 138${m}1234${m}5678，谢谢`;
    const f = phones(text);
    expect(f.map((x) => [x.type, x.normalized, x.masked])).toEqual([['mobile', '13812345678', '138****5678']]);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(`138${m}1234${m}5678`);
  });

  it.each(MARKS)('landline area-local, area-4-4, area-3-4 with %j', (m) => {
    expect(summary(`0755${m}8888${m}6666`)).toEqual([`landline 075588886666 ${JSON.stringify(`0755${m}8888${m}6666`)}`]);
    expect(summary(`010${m}8888${m}6666`)).toEqual([`landline 01088886666 ${JSON.stringify(`010${m}8888${m}6666`)}`]);
    expect(summary(`0391${m}876${m}5432`)).toEqual([`landline 03918765432 ${JSON.stringify(`0391${m}876${m}5432`)}`]);
    expect(summary(`021${m}55556666`)).toEqual([`landline 02155556666 ${JSON.stringify(`021${m}55556666`)}`]);
  });

  it.each(MARKS)('service 3-3-4 and 3-4-3 with %j', (m) => {
    expect(summary(`400${m}123${m}4567`)).toEqual([`service 4001234567 ${JSON.stringify(`400${m}123${m}4567`)}`]);
    expect(summary(`800${m}8888${m}123`)).toEqual([`service 8008888123 ${JSON.stringify(`800${m}8888${m}123`)}`]);
  });

  // [text, type, normalized, span]
  it.each([
    ['电话:138:1234:5678。', 'mobile', '13812345678', '138:1234:5678'],
    ['联系电话：138：1234：5678', 'mobile', '13812345678', '138：1234：5678'],
    ['| 张三 | 138 | 1234 | 5678 |', 'mobile', '13812345678', '138 | 1234 | 5678'],
    ['李四|138|1234|5678|', 'mobile', '13812345678', '138|1234|5678'],
    ['**138*1234*5678**', 'mobile', '13812345678', '138*1234*5678'],
    ['１３８：１２３４：５６７８', 'mobile', '13812345678', '１３８：１２３４：５６７８'],
    ['一三八、一二三四、五六七八', 'mobile', '13812345678', '一三八、一二三四、五六七八'],
    ['座机 0755|8888|6666 转 123', 'landline', '075588886666', '0755|8888|6666 转 123'],
    ['010:12345678', 'landline', '01012345678', '010:12345678'],
  ] as const)('%j → %s %s', (text, type, normalized, span) => {
    const f = phones(text);
    expect(f.map((x) => [x.type, x.normalized])).toEqual([[type, normalized]]);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(span);
  });

  it('a marked number has lower confidence than a dashed one; context words still count', () => {
    expect(phones('138:1234:5678')[0]!.confidence).toBe(0.7);
    expect(phones('138-1234-5678')[0]!.confidence).toBe(0.8);
    expect(phones('手机 138|1234|5678')[0]!.confidence).toBe(0.85);
    expect(phones('0755:8888:6666')[0]!.confidence).toBeLessThan(phones('0755-8888-6666')[0]!.confidence);
  });

  it('numbers separated by a mark stay two numbers', () => {
    expect(summary('13812345678:13987654321')).toEqual(['mobile 13812345678 "13812345678"', 'mobile 13987654321 "13987654321"']);
    expect(summary('138:1234:5678 139|8765|4321')).toEqual(['mobile 13812345678 "138:1234:5678"', 'mobile 13987654321 "139|8765|4321"']);
  });

  it.each([
    // times, ratios, dates, ranges, versions, lists, amounts
    '13:12:34',
    '2024-01-15 13:12:34',
    '[10:23:45] 138',
    '1:2:3',
    '16:9',
    '比例 3:4:5',
    '2024/01/15',
    '2024:01:15',
    '12:30~13:45',
    '9:00～18:00',
    '1.2.3',
    'v1.380.1234',
    '1、2、3',
    '第1、2、3条',
    '1,380,000',
    '1，380，000',
    '¥1,380,000.00',
    '138,1234,5678', // the ASCII comma is no mark: CSV rows
    // longer grouped runs: table rows, IDs, addresses
    '138|1234|5678|9999',
    '138 | 1234 | 5678 | 9999',
    '2024|138|1234|5678',
    '138:1234:5678:9',
    '2024:0755:8888:6666',
    '一三八|一二三四|五六七八|九九九九',
    'fe80:138:1234:5678:1', // an IPv6-ish address
    // other groupings than the canonical ones
    '138:12345678',
    '1381:234:5678',
    '13:8123:45678',
    '138:123:45678',
    '0755:888:86666',
    '0755:8:8886666',
    '400:1234567',
    '4001:234:567',
    // mixed marks, unbalanced spaces, doubled marks
    '138:1234-5678',
    '138：1234:5678',
    '138|1234｜5678',
    '138 /1234 / 5678',
    '138 |1234| 5678',
    '138::1234::5678',
    '138||1234||5678',
    '138***1234***5678',
    '138 : 1234 : 5678', // spaced only for / and |
    // masked numbers and sizes
    '138****5678',
    '138*****5678',
    '规格 150*2000*3000',
    '180:1200:2400',
  ])('%j has no phone number', (text) => {
    expect(phones(text)).toEqual([]);
  });

  it('follows the detector switches', () => {
    const off = {
      ...DEFAULT_DETECTORS,
      mobile: { enabled: false, level: '秘密' as const },
      landline: { enabled: false, level: '秘密' as const },
    };
    expect(phones('138:1234:5678 0755:8888:6666', off)).toEqual([]);
    expect(summary('400|123|4567')).toEqual(['service 4001234567 "400|123|4567"']);
  });
});

// ---------------------------------------------------------------- enclosed digits

// [text, type, normalized, span]
const ENCLOSED: Array<[string, Finding['type'], string, string]> = [
  ['①③⑧①②③④⑤⑥⑦⑧', 'mobile', '13812345678', '①③⑧①②③④⑤⑥⑦⑧'],
  ['手机：①③⑧①②③④⑤⑥⑦⑧。', 'mobile', '13812345678', '①③⑧①②③④⑤⑥⑦⑧'],
  ['①⑧⓪⓪①②③④⑤⑥⑦', 'mobile', '18001234567', '①⑧⓪⓪①②③④⑤⑥⑦'],
  ['①③⑧ ①②③④ ⑤⑥⑦⑧', 'mobile', '13812345678', '①③⑧ ①②③④ ⑤⑥⑦⑧'],
  ['①③⑧-①②③④-⑤⑥⑦⑧', 'mobile', '13812345678', '①③⑧-①②③④-⑤⑥⑦⑧'],
  ['①③⑧:①②③④:⑤⑥⑦⑧', 'mobile', '13812345678', '①③⑧:①②③④:⑤⑥⑦⑧'],
  ['①③⑧1234⑤⑥⑦⑧', 'mobile', '13812345678', '①③⑧1234⑤⑥⑦⑧'],
  ['1③8①2③4⑤6⑦8', 'mobile', '13812345678', '1③8①2③4⑤6⑦8'],
  ['138一二三四⑤⑥⑦⑧', 'mobile', '13812345678', '138一二三四⑤⑥⑦⑧'],
  ['⑴⑶⑻⑴⑵⑶⑷⑸⑹⑺⑻', 'mobile', '13812345678', '⑴⑶⑻⑴⑵⑶⑷⑸⑹⑺⑻'],
  ['⒈⒊⒏⒈⒉⒊⒋⒌⒍⒎⒏', 'mobile', '13812345678', '⒈⒊⒏⒈⒉⒊⒋⒌⒍⒎⒏'],
  ['❶❸❽❶❷❸❹❺❻❼❽', 'mobile', '13812345678', '❶❸❽❶❷❸❹❺❻❼❽'],
  ['①③⑧⑴⑵⑶⑷⒌⒍⒎⒏', 'mobile', '13812345678', '①③⑧⑴⑵⑶⑷⒌⒍⒎⒏'],
  ['+86 ①③⑧①②③④⑤⑥⑦⑧', 'mobile', '13812345678', '+86 ①③⑧①②③④⑤⑥⑦⑧'],
  ['⓪⑦⑤⑤-⑧⑧⑧⑧⑥⑥⑥⑥', 'landline', '075588886666', '⓪⑦⑤⑤-⑧⑧⑧⑧⑥⑥⑥⑥'],
  ['0755-⑧⑧⑧⑧⑥⑥⑥⑥', 'landline', '075588886666', '0755-⑧⑧⑧⑧⑥⑥⑥⑥'],
  ['④⓪⓪-①②③-④⑤⑥⑦', 'service', '4001234567', '④⓪⓪-①②③-④⑤⑥⑦'],
];

describe('enclosed digits read as digits', () => {
  it.each(ENCLOSED)('%j → %s %s', (text, type, normalized, span) => {
    const f = phones(text);
    expect(f.map((x) => [x.type, x.normalized])).toEqual([[type, normalized]]);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(span);
    expect(f[0]!.masked).toMatch(/^[0-9*]+$/);
  });

  it('a list bullet does not glue to the number after it, nor lower it', () => {
    expect(summary('①13812345678 ②13987654321')).toEqual(['mobile 13812345678 "13812345678"', 'mobile 13987654321 "13987654321"']);
    expect(phones('① 138 1234 5678')[0]!.confidence).toBe(phones('138 1234 5678')[0]!.confidence);
    expect(summary('⑴ 0755-88886666')).toEqual(['landline 075588886666 "0755-88886666"']);
    expect(summary('13812345678①')).toEqual(['mobile 13812345678 "13812345678"']);
  });

  it.each([
    '①②③',
    '第①步',
    '① 3812345678', // a bullet is no first digit
    '⑩③⑧①②③④⑤⑥⑦⑧', // ⑩ is no digit
    '①③⑧①②③④⑤⑥⑦⑧⑨', // 12 numerals
    '①③⑧①②③④⑤⑥⑦', // 10 numerals
    '①③⑧****⑤⑥⑦⑧',
    'ID①③⑧①②③④⑤⑥⑦⑧',
  ])('%j has no phone number', (text) => {
    expect(phones(text)).toEqual([]);
  });
});
