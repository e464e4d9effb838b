/**
 * The customer register benchmarks share (issue 15): a synthetic register of company and
 * personal names over the bench corpus, built and stored as the server and the
 * background do, and the timing of scanText against scanText followed by the register
 * lookup, alternated in one run. `bench:register` prints all of it; `bench:detect`
 * prints the lookup's ratio beside the detector's speed, with both bundled as shipped.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { LEVELS, type Finding } from '../../utils/detect/types';
import { deriveRegisterKeys } from '../../utils/register/keys';
import { normalizeName } from '../../utils/register/normalize';
import {
  buildRegisterPayload,
  loadRegisterIndex,
  numberTableOf,
  type RegisterCustomerInput,
  type RegisterIndex,
} from '../../utils/register/structure';
import type { applyRegister as ApplyRegister } from '../../utils/register/match';
import { Prng } from './prng';
import { median } from './score';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
const collect = (): void => {
  if (typeof gc === 'function') gc();
};

const CITIES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '南京',
  '成都',
  '武汉',
  '西安',
  '苏州',
  '天津',
  '重庆',
  '长沙',
  '郑州',
  '青岛',
  '厦门',
  '宁波',
  '合肥',
  '福州',
  '济南',
];
const SYLLABLES = [
  ...'瑞丰华宏鼎盛泰和嘉禾恒远佳信安达隆昌兴旺源通博雅汇德锦程凯越优创智云海天晨星光明辉煌永康富民聚鑫祥龙腾飞扬众诚联合新时代金石银河',
];
const TRADES = [
  '科技',
  '贸易',
  '物流',
  '建材',
  '医药',
  '食品',
  '电子',
  '机械',
  '传媒',
  '地产',
  '咨询',
  '投资',
  '能源',
  '化工',
  '纺织',
  '印务',
];
const SUFFIXES = ['有限公司', '股份有限公司', '有限责任公司', '集团', ''];
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀英华慧建国平刚桂兰玲辉鹏飞婷晶玉萍红斌宇浩凯博文欣怡佳琪子涵晨雨轩思源梓萱一诺'];

/**
 * `total` customers, each with a company name, a personal name, a mobile and a landline.
 * One customer in 20 owns a mobile number of the corpus, so lookups also hit.
 */
export function syntheticRegister(rng: Prng, total: number, corpusNumbers: readonly string[]): RegisterCustomerInput[] {
  const customers: RegisterCustomerInput[] = [];
  for (let i = 0; i < total; i++) {
    const company = rng.pick(CITIES) + rng.pick(SYLLABLES) + rng.pick(SYLLABLES) + rng.pick(TRADES) + rng.pick(SUFFIXES);
    const person = rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.next() < 0.6 ? rng.pick(GIVEN) : '');
    const mobile =
      i % 20 === 0 && corpusNumbers.length > 0
        ? corpusNumbers[(i / 20) % corpusNumbers.length]!
        : `1${rng.pick(['3', '5', '8'])}${String(rng.int(1e9)).padStart(9, '0')}`;
    customers.push({
      level: LEVELS[rng.int(3)]!,
      customerHash:
        rng
          .int(2 ** 32)
          .toString(16)
          .padStart(8, '0') + '0000',
      numbers: [mobile, `0${rng.pick(['10', '21', '755'])}${String(rng.int(1e8)).padStart(8, '0')}`],
      names: [normalizeName(company), person],
    });
  }
  return customers;
}

export interface BenchRegister {
  customers: number;
  payload: ReturnType<typeof buildRegisterPayload>;
  keys: Awaited<ReturnType<typeof deriveRegisterKeys>>;
  /** The background's index: decoded, checked, number table built. */
  checked: RegisterIndex;
  /** What the background stores for the frames (register-sync.ts): numbers as the table only. */
  stored: { payload: ReturnType<typeof buildRegisterPayload>; numberTable: ReturnType<typeof numberTableOf> };
  /** A frame's index over the stored form (read in place). */
  frameIndex: () => RegisterIndex;
  buildMs: number;
  checkMs: number;
}

/** The register over `text`'s first 5,000 distinct mobile numbers (as scanText finds them) and random others. */
export async function buildBenchRegister(text: string, scanText: (text: string) => Finding[], total: number): Promise<BenchRegister> {
  const corpusNumbers = [
    ...new Set(
      scanText(text)
        .filter((f) => f.type === 'mobile')
        .map((f) => f.normalized),
    ),
  ].slice(0, 5000);
  const t0 = performance.now();
  const inputs = syntheticRegister(new Prng(0x15), total, corpusNumbers);
  const keys = await deriveRegisterKeys('bench-hash-key-'.padEnd(43, 'x'), 'bench-salt');
  const payload = buildRegisterPayload(inputs, keys, { version: 1, createdAt: new Date().toISOString(), salt: 'bench-salt' });
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  const checked = loadRegisterIndex(payload, keys);
  const checkMs = performance.now() - t1;
  const stored = { payload: { ...payload, numbers: '' }, numberTable: numberTableOf(checked) };
  return {
    customers: total,
    payload,
    keys,
    checked,
    stored,
    frameIndex: () => loadRegisterIndex(stored.payload, keys, true, stored.numberTable),
    buildMs,
    checkMs,
  };
}

/**
 * One timed run after a full GC; the collector's concurrent sweeping is given 50 ms to
 * finish first, or its leftovers land in whatever the timed code allocates first.
 */
export async function timeAfterGc(fn: () => void): Promise<number> {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export interface LookupCost {
  runs: number;
  findings: number;
  /** Milliseconds per run of each variant (alternated, each after a GC). */
  plain: number[];
  numbers: number[];
  lookupOnly: number[];
  withNames: number[];
  /** What the page scanner runs: numbers and the long names that decide alone. */
  withLongNames: number[];
  /** Back to back, no GC between: the register stays in the caches. */
  lookupWarm: number[];
  scanWarm: number[];
  /** (scanText + number lookup) / scanText, medians and minima. */
  ratioNumbers: number;
  minRatioNumbers: number;
  /** (scanText + the lookup alone on scanText's findings) / scanText, medians and minima. */
  ratioLookup: number;
  minRatioLookup: number;
  ratioLookupWarm: number;
  ratioNames: number;
  ratioLongNames: number;
  minRatioNames: number;
}

/**
 * scanText against scanText + the register lookup on `text`, `runs` alternated rounds so
 * machine-load drift lands on all variants. The functions are passed in so a caller can
 * time the bundles the extension ships.
 */
export async function measureLookupCost(options: {
  text: string;
  index: RegisterIndex;
  scanText: (text: string) => Finding[];
  applyRegister: typeof ApplyRegister;
  runs: number;
}): Promise<LookupCost> {
  const { text, index, scanText, applyRegister, runs } = options;
  for (let i = 0; i < 2; i++) applyRegister(index, text, scanText(text), { names: 'all' });
  // The lookup alone, on the findings scanText gave (what the guard adds after it): less
  // noisy than the difference of two totals on a shared machine.
  const findings = scanText(text);
  const plain: number[] = [];
  const numbers: number[] = [];
  const lookupOnly: number[] = [];
  const withNames: number[] = [];
  const withLongNames: number[] = [];
  for (let r = 0; r < runs; r++) {
    plain.push(await timeAfterGc(() => void scanText(text)));
    lookupOnly.push(await timeAfterGc(() => void applyRegister(index, text, findings, { names: 'none' })));
    numbers.push(await timeAfterGc(() => void applyRegister(index, text, scanText(text), { names: 'none' }).findings));
    withNames.push(await timeAfterGc(() => void applyRegister(index, text, scanText(text), { names: 'all' })));
    withLongNames.push(await timeAfterGc(() => void applyRegister(index, text, scanText(text), { names: 'long' })));
  }
  const lookupWarm: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    applyRegister(index, text, findings, { names: 'none' });
    lookupWarm.push(performance.now() - t);
  }
  const scanWarm: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    scanText(text);
    scanWarm.push(performance.now() - t);
  }
  const base = median(plain);
  const minBase = Math.min(...plain);
  const minWarm = Math.min(...scanWarm);
  return {
    runs,
    findings: findings.length,
    plain,
    numbers,
    lookupOnly,
    withNames,
    withLongNames,
    lookupWarm,
    scanWarm,
    ratioNumbers: median(numbers) / base,
    minRatioNumbers: Math.min(...numbers) / minBase,
    ratioLookup: (base + median(lookupOnly)) / base,
    minRatioLookup: (minBase + Math.min(...lookupOnly)) / minBase,
    ratioLookupWarm: (minWarm + Math.min(...lookupWarm)) / minWarm,
    ratioNames: median(withNames) / base,
    ratioLongNames: median(withLongNames) / base,
    minRatioNames: Math.min(...withNames) / minBase,
  };
}
