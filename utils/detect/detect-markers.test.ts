import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTORS, scanText, type DetectorSettings, type Finding } from './index';
import { residentIdCheckChar, withLuhnCheckDigit } from './check-digits';

const ALL_ON: DetectorSettings = {
  ...DEFAULT_DETECTORS,
  residentId: { enabled: true, level: '机密' },
  bankCard: { enabled: true, level: '机密' },
  email: { enabled: true, level: '秘密' },
};

function only(text: string, type: Finding['type'], detectors?: DetectorSettings): Finding[] {
  return scanText(text, detectors ? { detectors } : undefined).filter((f) => f.type === type);
}

const MARKERS: Array<[string, string, string]> = [
  ['密级：机密', '机密', '机密'],
  ['密级:秘密', '秘密', '秘密'],
  ['密级: 绝密', '绝密', '绝密'],
  ['密级 机密', '机密', '机密'],
  ['保密等级：机密', '机密', '机密'],
  ['文件密级：绝密★长期', '绝密', '绝密'],
  ['【绝密】客户名单', '绝密', '绝密'],
  ['[机密] customer list', '机密', '机密'],
  ['报告（机密）', '机密', '机密'],
  ['报告(秘密)', '秘密', '秘密'],
  ['〔机密〕', '机密', '机密'],
  ['［秘密］', '秘密', '秘密'],
  ['【 机密 】', '机密', '机密'],
  ['【绝密★1年】', '绝密', '绝密'],
  ['机密★1年', '机密', '机密'],
  ['机密★ 1年', '机密', '机密'],
  ['秘密★6个月', '秘密', '秘密'],
  ['绝密★长期', '绝密', '绝密'],
  ['绝密·长期 客户资料', '绝密', '绝密'],
  ['机密★', '机密', '机密'],
  ['机密☆3年', '机密', '机密'],
  ['秘密·10年', '秘密', '秘密'],
  ['机密\n客户名单如下', '机密', '机密'],
  ['报告标题\n  绝密  \n正文', '绝密', '绝密'],
  ['正文\n秘密', '秘密', '秘密'],
  ['== 机密 ==\n', '机密', '机密'],
  ['受控文件', '受控文件', '秘密'],
  ['\n受控文件\n', '受控文件', '秘密'],
  ['【受控文件】', '受控文件', '秘密'],
  ['受控文件 编号：QP-2023-01', '受控文件', '秘密'],
  ['受控文件 使用期限：2024年', '受控文件', '秘密'],
  ['受控文件 No. 12', '受控文件', '秘密'],
];

describe('markers: used as a marker', () => {
  it.each(MARKERS)('%j → %s', (text, word, level) => {
    const f = only(text, 'marker');
    expect(f).toHaveLength(1);
    expect(f[0]!.normalized).toBe(word);
    expect(f[0]!.masked).toBe(word);
    expect(f[0]!.level).toBe(level);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(word);
  });
});

const NOT_MARKERS = [
  '小秘密',
  '这是我们的小秘密。',
  '保守公司秘密',
  '商业秘密',
  '涉及机密的会议',
  '不得泄露机密信息',
  '绝密行动是一部电影',
  '秘密花园',
  '客户资料密级分为“秘密”、“机密”、“绝密”三级。',
  '“机密”是重要的客户资料',
  '打印件盖“受控文件”、使用期限后接收人签收领取。',
  '这份受控文件已经归档',
  '公司一般业务往来的客户为秘密级。',
  '属于秘密的客户资料和文件',
  '机密文件请妥善保管',
  '他说：机密的事情别问',
  '秘密 是一个词',
  '密密密密密密',
  '机',
  '密',
  // A letter-spaced level alone on its line is a header label now (detect-marker-forms.test.ts);
  // spaced inside a sentence it stays prose.
  '这件事是秘 密，别说',
];

describe('markers: prose mentioning the word', () => {
  it.each(NOT_MARKERS)('%j has no marker', (text) => {
    expect(only(text, 'marker')).toEqual([]);
  });
});

describe('markers: the domain policy text is not a classified document', () => {
  const path = fileURLToPath(new URL('../../../shared/domain/customer-info-confidentiality-policy.zh.txt', import.meta.url));
  it.skipIf(!existsSync(path))('produces zero marker findings', () => {
    const text = readFileSync(path, 'utf8');
    expect(text.length).toBeGreaterThan(1000);
    expect(scanText(text).filter((f) => f.type === 'marker')).toEqual([]);
  });
});

describe('markers: controlledLevel and switch', () => {
  it('受控文件 takes controlledLevel', () => {
    const detectors = { ...DEFAULT_DETECTORS, marker: { ...DEFAULT_DETECTORS.marker, controlledLevel: '绝密' as const } };
    expect(scanText('【受控文件】', { detectors })[0]!.level).toBe('绝密');
  });
  it('disabled markers find nothing', () => {
    const detectors = { ...DEFAULT_DETECTORS, marker: { ...DEFAULT_DETECTORS.marker, enabled: false } };
    expect(scanText('密级：机密 【绝密】', { detectors })).toEqual([]);
  });
});

const EXTRA: DetectorSettings = {
  ...DEFAULT_DETECTORS,
  marker: {
    ...DEFAULT_DETECTORS.marker,
    extraTerms: [
      { term: 'CONFIDENTIAL', level: '机密' },
      { term: 'Top Secret', level: '绝密' },
      { term: '内部资料', level: '秘密' },
    ],
  },
};

const EXTRA_POS: Array<[string, string, string]> = [
  ['[CONFIDENTIAL]', 'CONFIDENTIAL', '机密'],
  ['[confidential]', 'confidential', '机密'],
  ['Classification: Confidential', 'Confidential', '机密'],
  ['classification:CONFIDENTIAL\nbody', 'CONFIDENTIAL', '机密'],
  ['Report\nCONFIDENTIAL\nBody', 'CONFIDENTIAL', '机密'],
  ['(TOP SECRET)', 'TOP SECRET', '绝密'],
  ['【内部资料】', '内部资料', '秘密'],
  ['密级：内部资料', '内部资料', '秘密'],
];

describe('markers: policy extra terms', () => {
  it.each(EXTRA_POS)('%j', (text, matched, level) => {
    const f = scanText(text, { detectors: EXTRA }).filter((x) => x.type === 'marker');
    expect(f).toHaveLength(1);
    expect(f[0]!.masked).toBe(matched);
    expect(f[0]!.level).toBe(level);
  });
  it.each([
    'This is confidential information.',
    'UNCONFIDENTIAL',
    '[CONFIDENTIALITY]',
    'Please keep this confidential',
    '这些内部资料不要外传',
  ])('%j is prose', (text) => {
    expect(scanText(text, { detectors: EXTRA }).filter((x) => x.type === 'marker')).toEqual([]);
  });
});

// ---------------------------------------------------------------- resident ID, bank card, e-mail

const IDS: Array<[string, string]> = [
  ['11010519491231002X', '11010519491231002X'],
  ['11010519491231002x', '11010519491231002X'],
  ['身份证 110101199003078814', '110101199003078814'],
  [
    '440308199901011234'.slice(0, 17) + residentIdCheckChar('44030819990101123'),
    '44030819990101123' + residentIdCheckChar('44030819990101123'),
  ],
  ['110101 19900307 8814', '110101199003078814'],
  ['１１０１０１１９９００３０７８８１４', '110101199003078814'],
];

describe('resident ID (when enabled)', () => {
  it.each(IDS)('%j', (text, normalized) => {
    const f = scanText(text, { detectors: ALL_ON });
    expect(f.filter((x) => x.type === 'resident-id').map((x) => x.normalized)).toEqual([normalized]);
    expect(f.filter((x) => x.type === 'mobile')).toEqual([]);
  });
  it.each([
    '110105194912310021', // wrong check digit
    '110105194913310028', // month 13
    '110105180001010010', // year 1800
    '110105199002300012', // Feb 30
    '11010519491231002Y',
    '1101051949123100211',
  ])('%j is not an ID', (text) => {
    expect(only(text, 'resident-id', ALL_ON)).toEqual([]);
  });
  it('is off by default', () => {
    expect(scanText('11010519491231002X')).toEqual([]);
  });
});

describe('bank card (when enabled)', () => {
  it.each([
    ['6222021234567890128', '6222021234567890128'],
    ['6222 0212 3456 7890 128', '6222021234567890128'],
    ['4111111111111111', '4111111111111111'],
    ['4111-1111-1111-1111', '4111111111111111'],
    ['5500 0000 0000 0004', '5500000000000004'],
    ['卡号 6217 0013 8123 4567 8', withLuhnCheckDigit('62170013812345678')],
  ])('%j', (text, normalized) => {
    const t = text.startsWith('卡号') ? `卡号 ${normalized}` : text;
    const f = scanText(t, { detectors: ALL_ON });
    expect(f.filter((x) => x.type === 'bank-card').map((x) => x.normalized)).toEqual([normalized]);
    expect(f.filter((x) => x.type === 'mobile')).toEqual([]);
  });
  it.each(['4111111111111112', '411111111111111', '41111111111111111111', '0111111111111111'])('%j is not a card', (t) => {
    expect(only(t, 'bank-card', ALL_ON)).toEqual([]);
  });
  it('a card containing a mobile-like group produces no mobile', () => {
    const card = withLuhnCheckDigit('621713812345678');
    const f = scanText(`${card.slice(0, 4)} ${card.slice(4)}`, { detectors: ALL_ON });
    expect(f.map((x) => x.type)).toEqual(['bank-card']);
  });
  it('is off by default', () => {
    expect(scanText('4111111111111111')).toEqual([]);
  });
});

describe('e-mail (when enabled)', () => {
  it.each([
    ['mail zhang.san@example.com please', 'zhang.san@example.com', 'z***@example.com'],
    ['13812345678@qq.com', '13812345678@qq.com', '1***@qq.com'],
    ['<Li_Si+crm@mail.corp.cn>', 'li_si+crm@mail.corp.cn', 'L***@mail.corp.cn'],
    ['邮箱：wang@163.com。', 'wang@163.com', 'w***@163.com'],
  ])('%j', (text, normalized, masked) => {
    const f = scanText(text, { detectors: ALL_ON });
    expect(f.map((x) => [x.type, x.normalized, x.masked])).toEqual([['email', normalized, masked]]);
  });
  it.each(['a@b', '@example.com', 'user@', 'user@host', 'x@y.c', 'user@123.456'])('%j is not an e-mail', (t) => {
    expect(only(t, 'email', ALL_ON)).toEqual([]);
  });
  it('is off by default', () => {
    expect(only('a@example.com', 'email')).toEqual([]);
  });
});

// ---------------------------------------------------------------- context & confidence

describe('context words', () => {
  const base = scanText('xx 13812345678')[0]!.confidence;
  it.each(['手机', '电话', '联系方式', '联系电话', 'Tel', 'tel', 'Mobile', '客户', '致电', 'call', 'TEL:'])('%s raises', (w) => {
    expect(scanText(`${w} 13812345678`)[0]!.confidence).toBeGreaterThan(base);
  });
  it.each(['订单号', '单号', '流水号', '运单', '金额', '时间', '编号', 'No.', '订单号：'])('%s lowers (still returned)', (w) => {
    const f = scanText(`${w} 13812345678`);
    expect(f).toHaveLength(1);
    expect(f[0]!.confidence).toBeLessThan(base);
    expect(f[0]!.confidence).toBeGreaterThanOrEqual(0.3);
  });
  it('nearest word wins', () => {
    expect(scanText('客户订单号 13812345678')[0]!.confidence).toBeLessThan(base);
    expect(scanText('订单客户电话 13812345678')[0]!.confidence).toBeGreaterThan(base);
  });
  it('words far away do not count', () => {
    expect(scanText('订单号 ' + '，'.repeat(20) + '13812345678')[0]!.confidence).toBe(base);
  });
  it('confidence is within 0..1', () => {
    for (const f of scanText('手机 +86 138 1234 5678 订单号 0755-88886666 【机密】')) {
      expect(f.confidence).toBeGreaterThan(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
    }
  });
});

// ---------------------------------------------------------------- options & helpers

describe('options', () => {
  it('maxFindings stops early', () => {
    const text = Array.from({ length: 50 }, () => '13812345678').join(' ; ');
    expect(scanText(text)).toHaveLength(50);
    expect(scanText(text, { maxFindings: 5 })).toHaveLength(5);
  });
  it('levels come from the detector settings', () => {
    const detectors = { ...DEFAULT_DETECTORS, mobile: { enabled: true, level: '绝密' as const } };
    expect(scanText('13812345678', { detectors })[0]!.level).toBe('绝密');
  });
  it('disabled mobile detector', () => {
    const detectors = { ...DEFAULT_DETECTORS, mobile: { enabled: false, level: '秘密' as const } };
    expect(scanText('13812345678', { detectors })).toEqual([]);
  });
});

describe('regressions', () => {
  it.each([
    ['080 1300\u30000000\u3000000', 'mobile', '13000000000'],
    ['12 13812345678', 'mobile', '13812345678'],
    ['2023-12-01 138 1234 5678', 'mobile', '13812345678'],
    ['40 0123 4567 13812345678', 'mobile', '13812345678'],
  ])('%j → %s %s', (text, type, normalized) => {
    expect(scanText(text).map((f) => [f.type, f.normalized])).toEqual([[type, normalized]]);
  });
});
