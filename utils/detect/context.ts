/**
 * Context words before a number raise or lower its confidence. Only the
 * {@link CONTEXT_WINDOW} UTF-16 units before the number are looked at (bounded work
 * per candidate). If both kinds occur, the one closest to the number wins.
 */

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
  'tel',
  'mobile',
  'phone',
  'call',
  'cell',
  'fax',
  '传真',
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
  'no.',
  'no:',
  '交易号',
  '快递',
  '卡号',
  '账号',
  '日期',
  '序列号',
  '批次',
  'order',
  'invoice',
  'serial',
];

export const RAISE_DELTA = 0.15;
export const LOWER_DELTA = 0.35;

/**
 * +1 when the nearest context word before `start` raises confidence, -1 when it
 * lowers it, 0 when there is none.
 */
export function contextBias(text: string, start: number): number {
  if (start <= 0) return 0;
  const from = start > CONTEXT_WINDOW ? start - CONTEXT_WINDOW : 0;
  // Only candidates reach here, so a small string per candidate is fine.
  const w = text.slice(from, start).toLowerCase();
  let raise = -1;
  for (const word of RAISE_WORDS) {
    const p = w.lastIndexOf(word);
    if (p >= 0 && p + word.length > raise) raise = p + word.length;
  }
  let lower = -1;
  for (const word of LOWER_WORDS) {
    const p = w.lastIndexOf(word);
    if (p >= 0 && p + word.length > lower) lower = p + word.length;
  }
  if (raise < 0 && lower < 0) return 0;
  return lower >= raise ? -1 : 1;
}
