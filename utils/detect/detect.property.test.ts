import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digitValue, isMark, isSeparator } from './chars';
import { DEFAULT_DETECTORS, scanText, type DetectorSettings, type Finding } from './index';
import { AREA_CODES } from './numbering.generated';

// A fixed seed keeps CI deterministic; FC_SEED=<n> explores other cases locally
// (fast-check prints the seed of any failure, so a failure can be replayed).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261127) });

const ALL_ON: DetectorSettings = {
  ...DEFAULT_DETECTORS,
  marker: { ...DEFAULT_DETECTORS.marker, extraTerms: [{ term: 'CONFIDENTIAL', level: '机密' }] },
  residentId: { enabled: true, level: '机密' },
  bankCard: { enabled: true, level: '机密' },
  email: { enabled: true, level: '秘密' },
};

/** Characters that exercise every branch of the scanners. */
const DENSE = [
  ...'0123456789０１２３４５６７８９',
  ...' -.·–—－\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff\u00ad\n\r\t()（）',
  ...'+＋xX*＊@_/／＿:：|｜~～，、,aZ',
  ...'秘机绝密受控文件级★·长期年【】[]“”转分机ext',
  ...'〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖十百两',
  ...'⓪①②③④⑤⑥⑦⑧⑨⑩⑴⑼⒈⒐❶➀➊',
  '\ud83d', // lone surrogate
  '😀',
];

const denseString = (maxLength = 80) => fc.string({ unit: fc.constantFrom(...DENSE), maxLength });
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  denseString(200),
);

/** Chinese numerals the scanner reads as digits (written out here, independently of number-scanner.ts). */
const CHINESE_DIGITS = new Map<string, number>();
for (const [chars, d] of [
  ['〇零', 0],
  ['一幺壹', 1],
  ['二贰貳', 2],
  ['三叁參', 3],
  ['四肆', 4],
  ['五伍', 5],
  ['六陆陸', 6],
  ['七柒', 7],
  ['八捌', 8],
  ['九玖', 9],
] as const) {
  for (const ch of chars) CHINESE_DIGITS.set(ch, d);
}

/** Enclosed digits the scanner reads as digits (⓪ ⓿, then 1–9 from each block's first). */
const ENCLOSED_DIGITS = new Map<string, number>([
  ['⓪', 0],
  ['⓿', 0],
]);
for (const first of [0x2460, 0x2474, 0x2488, 0x2776, 0x2780, 0x278a]) {
  for (let d = 1; d <= 9; d++) ENCLOSED_DIGITS.set(String.fromCharCode(first + d - 1), d);
}

/** ASCII digits written as Chinese numerals. */
function chinese(digits: string): string {
  return [...digits].map((d) => '〇一二三四五六七八九'[Number(d)]).join('');
}

/** Digit value of an Arabic (ASCII/full-width) or Chinese numeral, else -1. */
function numeralValue(ch: string): number {
  const v = digitValue(ch.charCodeAt(0));
  return v >= 0 ? v : (CHINESE_DIGITS.get(ch) ?? ENCLOSED_DIGITS.get(ch) ?? -1);
}

/** The slice, stripped of separators/zero-width/slashes/marks and normalized to ASCII digits. */
function stripped(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSeparator(c) || isMark(c) || c === 0x2b || c === 0xff0b || '/_／＿|｜'.includes(s[i]!)) continue;
    const v = numeralValue(s[i]!);
    out += v >= 0 ? String(v) : s[i]!;
  }
  return out;
}

/** `pre` ends with `+` followed only by digits and separators (a +xx run the number would join). */
function endsWithForeignPrefix(pre: string): boolean {
  let q = pre.length - 1;
  while (q >= 0 && (isSeparator(pre.charCodeAt(q)) || numeralValue(pre[q]!) >= 0)) q--;
  return q >= 0 && (pre[q] === '+' || pre[q] === '＋');
}

function checkInvariants(text: string, findings: Finding[]): void {
  let lastEnd = 0;
  for (const f of findings) {
    expect(f.start).toBeGreaterThanOrEqual(lastEnd);
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.end).toBeLessThanOrEqual(text.length);
    expect(f.confidence).toBeGreaterThan(0);
    expect(f.confidence).toBeLessThanOrEqual(1);
    lastEnd = f.end;
    const slice = text.slice(f.start, f.end);
    if (f.type === 'marker') {
      expect(slice).toBe(f.masked);
    } else if (f.type === 'email') {
      expect(slice.toLowerCase()).toBe(f.normalized);
    } else {
      expect(f.normalized).toMatch(/^[0-9]+X?$/);
      const digits = stripped(slice).toUpperCase();
      if (f.type === 'landline' && !digits.includes(f.normalized)) {
        // +86 10 8888 6666 / 0086 755 …: the area code's trunk 0 is restored in `normalized`.
        expect(digits.startsWith('86') || digits.startsWith('0086'), slice).toBe(true);
        expect(digits).toContain(f.normalized.slice(1));
      } else {
        expect(digits).toContain(f.normalized);
      }
      expect(f.masked).not.toBe(f.normalized);
    }
  }
}

describe('properties', () => {
  it('never throws; offsets in bounds; spans contain the normalized value (defaults)', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        checkInvariants(text, scanText(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('same with every detector on and an extra term', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        checkInvariants(text, scanText(text, { detectors: ALL_ON }));
      }),
      { numRuns: 2000 },
    );
  });

  it('concatenations of dense fragments keep the invariants', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(denseString(12), fc.constantFrom('13812345678', '+86 ', '0755-', '88886666', '【机密】', '密级：')), {
          maxLength: 30,
        }),
        (parts) => {
          const text = parts.join('');
          checkInvariants(text, scanText(text));
          checkInvariants(text, scanText(text, { detectors: ALL_ON }));
        },
      ),
      { numRuns: 1500 },
    );
  });

  const PREFIXES = [
    '130',
    '133',
    '138',
    '139',
    '145',
    '147',
    '150',
    '153',
    '155',
    '159',
    '162',
    '166',
    '170',
    '173',
    '177',
    '180',
    '186',
    '189',
    '191',
    '199',
  ];
  const mobile = fc
    .tuple(fc.constantFrom(...PREFIXES), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 8, maxLength: 8 }))
    .map(([p, r]) => p + r);
  const FORMATS: Array<(n: string) => string> = [
    (n) => n,
    (n) => `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`,
    (n) => `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
    (n) => `${n.slice(0, 3)}.${n.slice(3, 7)}.${n.slice(7)}`,
    (n) => `${n.slice(0, 3)}\u200b${n.slice(3)}`,
    (n) => `+86 ${n}`,
    (n) => [...n].map((d) => String.fromCharCode(0xff10 + Number(d))).join(''),
    (n) => `${n.slice(0, 4)}\u3000${n.slice(4, 8)}\u3000${n.slice(8)}`,
    (n) => `${n.slice(0, 3)}/${n.slice(3, 7)}/${n.slice(7)}`,
    (n) => `${n.slice(0, 3)}_${n.slice(3, 7)}_${n.slice(7)}`,
    (n) => chinese(n),
    (n) => `${n.slice(0, 3)}${chinese(n.slice(3, 7))}${n.slice(7)}`,
    (n) => `${n.slice(0, 3)}:${n.slice(3, 7)}:${n.slice(7)}`,
    (n) => `${n.slice(0, 3)}｜${n.slice(3, 7)}｜${n.slice(7)}`,
    (n) => `${n.slice(0, 3)}、${n.slice(3, 7)}、${n.slice(7)}`,
    (n) => [...n].map((d) => '⓪①②③④⑤⑥⑦⑧⑨'[Number(d)]).join(''),
  ];
  const SLASHED = new Set([8, 9, 12, 13, 14]);
  /** `150/2000/3000`, `150:2000:3000`: groups that both end in 00 read as measurements, by design. */
  const roundGroups = (n: string) => n.endsWith('00') && n.slice(5, 7) === '00';

  /** Whether the first non-separator character from the end (dir -1) or start (dir 1) is a digit. */
  function digitAcrossSeparators(text: string, dir: -1 | 1): boolean {
    let i = dir === -1 ? text.length - 1 : 0;
    while (i >= 0 && i < text.length && isSeparator(text.charCodeAt(i))) i += dir;
    return i >= 0 && i < text.length && numeralValue(text[i]!) >= 0;
  }

  it('a valid mobile inserted anywhere (separators around it) is found', () => {
    fc.assert(
      fc.property(anyString, anyString, mobile, fc.nat(FORMATS.length - 1), (pre, post, n, fmt) => {
        // "+44 " right before would make it a foreign number, by design.
        fc.pre(!endsWithForeignPrefix(pre));
        // Digits right before or after (only a space between) continue the digit run:
        // "400 130 0000 0000" is honestly ambiguous (a 400 number + 4 digits, or 400 + a mobile).
        fc.pre(!digitAcrossSeparators(pre, -1) && !digitAcrossSeparators(post, 1));
        fc.pre(!(SLASHED.has(fmt) && roundGroups(n)));
        const formatted = FORMATS[fmt]!(n);
        const text = `${pre} ${formatted} ${post}`;
        const at = pre.length + 1;
        const findings = scanText(text);
        const hit = findings.find((f) => f.type === 'mobile' && f.normalized === n && f.start < at + formatted.length && f.end > at);
        expect(hit, JSON.stringify(text)).toBeDefined();
      }),
      { numRuns: 3000 },
    );
  });

  const AREAS = [
    '10',
    '20',
    '21',
    '22',
    '23',
    '24',
    '25',
    '27',
    '28',
    '29',
    '311',
    '351',
    '371',
    '411',
    '431',
    '451',
    '510',
    '531',
    '571',
    '591',
    '731',
    '755',
    '871',
    '898',
    '931',
    '991',
  ];
  // Local-number lengths per area code from the generated table (libphonenumber): 7 and/or 8.
  const LENGTHS = new Map(AREA_CODES);
  const ccLandline = fc
    .tuple(
      fc.constantFrom(...AREAS),
      fc.constantFrom(...'23456789'),
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 7, maxLength: 7 }),
      fc.boolean(),
    )
    .map(([area, first, rest, short]) => {
      const m = LENGTHS.get(area)!;
      return [area, first, m === 1 || (m === 3 && short) ? rest.slice(1) : rest] as const;
    });
  const CC_FORMATS: Array<(area: string, local: string) => string> = [
    (a, l) => `+86 ${a} ${l}`,
    (a, l) => `+86-${a}-${l}`,
    (a, l) => `+86${a}${l}`,
    (a, l) => `(+86) ${a} ${l.slice(0, 4)} ${l.slice(4)}`,
    (a, l) => `＋86 ${a} ${l}`,
    (a, l) => `0086 ${a} ${l}`,
    (a, l) => `0086-${a}-${l}`,
  ];

  it('a valid +86 landline inserted anywhere is found, its trunk 0 restored', () => {
    fc.assert(
      fc.property(anyString, anyString, ccLandline, fc.nat(CC_FORMATS.length - 1), (pre, post, [area, first, rest], fmt) => {
        fc.pre(!endsWithForeignPrefix(pre));
        fc.pre(!digitAcrossSeparators(pre, -1) && !digitAcrossSeparators(post, 1));
        const local = first + rest;
        const formatted = CC_FORMATS[fmt]!(area, local);
        const text = `${pre} ${formatted} ${post}`;
        const at = pre.length + 1;
        const hit = scanText(text).find((f) => f.type === 'landline' && f.start < at + formatted.length && f.end > at);
        expect(hit?.normalized, JSON.stringify(text)).toBe(`0${area}${local}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('linear time on adversarial inputs', { timeout: 120_000 }, () => {
  const cases: Array<[string, (n: number) => string, DetectorSettings]> = [
    ['digit run', (n) => '1'.repeat(n), ALL_ON],
    ['full-width digit run', (n) => '１'.repeat(n), ALL_ON],
    ['separated digits "1 1 1"', (n) => '1 '.repeat(n / 2), ALL_ON],
    ['separated digits "1-1-1"', (n) => '13-'.repeat(n / 3), ALL_ON],
    ['zero-width separated digits', (n) => '8\u200b'.repeat(n / 2), ALL_ON],
    ['many real numbers', (n) => '13812345678 '.repeat(n / 12), DEFAULT_DETECTORS],
    ['+86 runs', (n) => '+86 '.repeat(n / 4), DEFAULT_DETECTORS],
    ['landline with extension noise', (n) => '0755-88886666转'.repeat(n / 14), DEFAULT_DETECTORS],
    ['repeated 【机密】', (n) => '【机密】'.repeat(n / 4), DEFAULT_DETECTORS],
    ['密密密', (n) => '密'.repeat(n), DEFAULT_DETECTORS],
    ['机密机密', (n) => '机密'.repeat(n / 2), DEFAULT_DETECTORS],
    ['受控文件 stream', (n) => '受控文件'.repeat(n / 4), DEFAULT_DETECTORS],
    ['extra term prefix', (n) => 'confidentia'.repeat(n / 11), ALL_ON],
    ['at signs', (n) => 'a@'.repeat(n / 2), ALL_ON],
    ['long local parts', (n) => ('a'.repeat(100) + '@').repeat(n / 101), ALL_ON],
    ['dots', (n) => '1.'.repeat(n / 2), ALL_ON],
    ['slashes "1/1/1"', (n) => '1/'.repeat(n / 2), ALL_ON],
    ['underscored mobiles', (n) => '138_1234_5678_'.repeat(n / 14), DEFAULT_DETECTORS],
    ['marked runs "138|1234|5678|"', (n) => '138|1234|5678|'.repeat(n / 14), ALL_ON],
    ['spaced bars "138 | 1234 | "', (n) => '138 | 1234 | '.repeat(n / 13), ALL_ON],
    ['times "13:12:34 "', (n) => '13:12:34 '.repeat(n / 9), ALL_ON],
    ['enclosed digits "①③⑧ "', (n) => '①③⑧ '.repeat(n / 4), ALL_ON],
    ['Chinese numeral run', (n) => '一'.repeat(n), ALL_ON],
    ['Chinese numerals separated', (n) => '一 '.repeat(n / 2), ALL_ON],
    ['mixed scripts "1一1一"', (n) => '1一'.repeat(n / 2), ALL_ON],
    ['Chinese prose with numerals', (n) => '一三五开会，第一二三章，三十八人。'.repeat(n / 17), DEFAULT_DETECTORS],
    ['+86 landlines', (n) => '+86 10 8888 6666 '.repeat(n / 17), DEFAULT_DETECTORS],
    ['400 runs "400 130 0000 0000"', (n) => '400 130 0000 0000 '.repeat(n / 18), DEFAULT_DETECTORS],
  ];

  // The machine may be shared: take the best of several runs, and re-measure once
  // before failing (a linear scanner stays near 4×; a quadratic one would be ~16×).
  function time(text: string, detectors: DetectorSettings): number {
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      scanText(text, { detectors });
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  }

  it.each(cases)('%s: 4× input takes < 12× time', (_name, make, detectors) => {
    const small = make(250_000);
    const big = make(1_000_000);
    time(small, detectors); // warm up
    let ratio = Infinity;
    let detail = '';
    for (let attempt = 0; attempt < 3 && ratio >= 12; attempt++) {
      const ts = Math.max(time(small, detectors), 1);
      const tb = time(big, detectors);
      ratio = Math.min(ratio, tb / ts);
      detail += `small ${ts.toFixed(2)} ms, big ${tb.toFixed(2)} ms; `;
    }
    expect(ratio, detail).toBeLessThan(12);
  });
});
