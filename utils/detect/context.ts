/**
 * Context words before a number raise or lower its confidence. Only the
 * {@link CONTEXT_WINDOW} UTF-16 units before the number are looked at (bounded work
 * per candidate). If both kinds occur, the one closest to the number wins.
 */
import { foldAscii } from './chars';

export const CONTEXT_WINDOW = 12;

/** Words that say "this is a phone number". Latin words are matched case-insensitively. */
export const RAISE_WORDS = [
  '手机',
  '电话',
  '联系方式',
  '联系电话',
  '致电',
  '客户',
  '座机',
  '热线',
  '来电',
  '回电',
  '手機',
  '電話',
  '传真',
  'tel',
  'mobile',
  'phone',
  'call',
  'cell',
  'fax',
];

/** Words that say "this is some other number that merely looks like one". */
export const LOWER_WORDS = [
  '订单号',
  '订单',
  '单号',
  '流水号',
  '运单',
  '金额',
  '时间',
  '编号',
  '交易号',
  '快递',
  '卡号',
  '账号',
  '日期',
  '序列号',
  '批次',
  'no.',
  'no:',
  'order',
  'invoice',
  'serial',
];

export const RAISE_DELTA = 0.15;
export const LOWER_DELTA = 0.35;

// Words indexed by their last (ASCII-folded) UTF-16 unit: walking back from the number,
// each position costs one table lookup; no string is built.
const BUCKET = new Int16Array(65536).fill(-1);
const BUCKETS: Array<Array<{ word: string; sign: number }>> = [];
for (const [list, sign] of [
  [RAISE_WORDS, 1],
  [LOWER_WORDS, -1],
] as const) {
  for (const w of list) {
    const word = w.toLowerCase();
    const last = word.charCodeAt(word.length - 1);
    let b = BUCKET[last]!;
    if (b < 0) {
      b = BUCKETS.length;
      BUCKETS.push([]);
      BUCKET[last] = b;
    }
    BUCKETS[b]!.push({ word, sign });
  }
}
// Longer words first, so 订单号 is preferred to 单号 (same sign anyway).
for (const b of BUCKETS) b.sort((x, y) => y.word.length - x.word.length);

/**
 * +1 when the nearest context word before `start` raises confidence, -1 when it
 * lowers it, 0 when there is none.
 */
export function contextBias(text: string, start: number): number {
  const from = start > CONTEXT_WINDOW ? start - CONTEXT_WINDOW : 0;
  for (let q = start - 1; q >= from; q--) {
    const b = BUCKET[foldAscii(text.charCodeAt(q))]!;
    if (b < 0) continue;
    const bucket = BUCKETS[b]!;
    for (let w = 0; w < bucket.length; w++) {
      const entry = bucket[w]!;
      const word = entry.word;
      const s = q - word.length + 1;
      if (s < from) continue;
      let j = 0;
      while (j < word.length && foldAscii(text.charCodeAt(s + j)) === word.charCodeAt(j)) j++;
      if (j === word.length) return entry.sign;
    }
  }
  return 0;
}
