/**
 * Digit runs: what the number scanner reads at a candidate start. Its own module
 * because the scan loop (numbers.ts) and the classifiers (classify.ts, landline.ts)
 * share this scratch state; the candidate they pick is in hit.ts.
 *
 * A *numeral* is an ASCII, full-width, Chinese or enclosed digit character ({@link NUM1}).
 * A *segment* is a maximal tight run of numerals of one script (Arabic = ASCII and
 * full-width; Chinese = 〇零一…九幺 and the financial 壹贰叁…; enclosed = ⓪①…⑨ ⑴…⑼ ⒈…⒐).
 * Segments are joined into a *run* by:
 *  - {@link GAP}: 1–{@link MAX_GAP} separator units (chars.ts `isSeparator`);
 *  - {@link SOFT}: exactly one `/` `_` `／` `＿` — only the canonical shapes may use it
 *    (shape.ts `shapeOk`): a slash is a date, fraction or path far more often than a
 *    phone separator;
 *  - {@link MARK}: one mark (chars.ts `isMark`: `:` `|` `~` `*` `，` `、` …) after a group
 *    of 3–4 numerals, or ` / ` ` | ` with one space either side — canonical shapes only
 *    (shape.ts `shapeOk`), the same mark throughout;
 *  - {@link JOIN}: nothing, where the script changes inside a tight token
 *    (`138一二三四5678`). So `13812345678一直` and `陆13812345678` still end/start a
 *    candidate at the Arabic segment, while a tight segment is never cut.
 *
 * A look-ahead reads at most MAX_DIGITS + 1 numerals, so the work per candidate start
 * is bounded by a constant.
 */
import { isLetter, isMark, isSeparator, isSpacedMark } from './chars';

/** Longest candidate in digits (19-digit bank card; 0086 + 11 = 15). */
export const MAX_DIGITS = 19;
/** Longest separator gap between two digit groups, in UTF-16 units. */
export const MAX_GAP = 4;

/**
 * Numeral code of every UTF-16 unit: 0 = not a numeral; digit value + 1 for an Arabic
 * digit (ASCII or full-width); {@link CHINESE} | (digit value + 1) for a Chinese numeral,
 * {@link ENCLOSED} | (digit value + 1) for an enclosed one. One table load per unit in the
 * hot loop; `(code & 31) - 1` is the value and `code & ~31` the script.
 *
 * Chinese: 〇 零 (0), 一 幺 (1; 幺 is how 1 is said in phone numbers), 二 … 九, and the
 * financial forms 壹 贰/貳 叁/參 肆 伍 陆/陸 柒 捌 玖. Not numerals here: 两 (a quantity
 * word — 两个, 两点, 三三两两; digit-by-digit reading says 二), the radio alphabet
 * 拐 勾 洞 (rare, and ordinary words), ○ (a bullet/shape), and 十 百 千 万 — a unit word
 * ends the segment, so `三十八`, `一百三十八` never form a run.
 */
const codeOf = new Uint8Array(65536);
/** Flag bit of Chinese numerals in {@link NUM1}. */
export const CHINESE = 32;
for (let d = 0; d < 10; d++) {
  codeOf[48 + d] = d + 1;
  codeOf[0xff10 + d] = d + 1;
}
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
  for (let j = 0; j < chars.length; j++) codeOf[chars.charCodeAt(j)] = CHINESE | (d + 1);
}

/**
 * Enclosed digits: circled ⓪ ①…⑨ (and the dingbat ❶…❾ ➀…➈ ➊…➒ ⓿), parenthesized ⑴…⑼,
 * dotted ⒈…⒐ — typed to hide a number from digit matching (`①③⑧①②③④⑤⑥⑦⑧`). Their own
 * script, because a lone one is a list bullet: `①13812345678` must not become 12 digits.
 * Not ⑩ and up (two digits in one sign: they end a segment, like 十).
 */
export const ENCLOSED = 64;
codeOf[0x24ea] = ENCLOSED | 1; // ⓪
codeOf[0x24ff] = ENCLOSED | 1; // ⓿
for (let d = 1; d <= 9; d++) {
  for (const first of [0x2460 /* ① */, 0x2474 /* ⑴ */, 0x2488 /* ⒈ */, 0x2776 /* ❶ */, 0x2780 /* ➀ */, 0x278a /* ➊ */]) {
    codeOf[first + d - 1] = ENCLOSED | (d + 1);
  }
}

/** `c` may be NaN (charCodeAt past the end): not a numeral. */
export function isNumeral(c: number): boolean {
  return codeOf[c]! > 0;
}

/** `/` `_` and their full-width forms: a separator only in canonical shapes. */
export function isSoftSeparator(c: number): boolean {
  return c === 0x2f || c === 0x5f || c === 0xff0f || c === 0xff3f;
}

// Boundary kinds, bounds[k] = kind of the boundary after k numerals. Bit 0 set = a gap
// (so counting groups is a branch-free sum of `bounds[j] & 1`).
export const NONE = 0;
/** A segment ends here and a separator gap (or the end of the run) follows. */
export const GAP = 1;
/** The script changes here, inside a tight token (no gap). */
export const JOIN = 2;
/** A segment ends here and a single `/` or `_` follows. */
export const SOFT = 3;
/** A segment ends here and a mark follows (chars.ts `isMark`, or a spaced ` / ` ` | `). */
export const MARK = 5;
const NO_SOFT = MAX_DIGITS + 2;

// Scratch state of one look-ahead (scanText is synchronous, so module state is safe;
// no allocation per candidate start).
const values = new Uint8Array(MAX_DIGITS + 2); // digit values
const positions = new Int32Array(MAX_DIGITS + 2); // UTF-16 index of each numeral
const bounds = new Uint8Array(MAX_DIGITS + 2); // boundary kinds, see above

// The tables under their public names, for the classifiers. This module uses the
// private bindings, and the look-ahead copies them into locals: an exported binding is
// read through its module cell on every use, which made the look-ahead ~20% slower
// when the modules run unbundled (tsx, the benchmark).
/** Numeral codes, see above. */
export const NUM1 = codeOf;
/** dv[k]: value of the k-th numeral read. */
export const dv = values;
/** dpos[k]: UTF-16 index of the k-th numeral read. */
export const dpos = positions;
/** bnd[k]: kind of the boundary after k numerals. */
export const bnd = bounds;

export const run = {
  text: '',
  /** Numerals read by the last lookAhead (capped at MAX_DIGITS + 1). */
  len: 0,
  /** Index just after the last numeral read. */
  end: 0,
  /**
   * Candidates may not extend beyond this many digits: a lone '.' touching a group of
   * 1–2 digits (`1.3812345678` is a decimal, `138.1234.5678` is not) cuts there.
   */
  validUpTo: 0,
  /** The look-ahead stopped at the end of the run (not at MAX_DIGITS). */
  ended: false,
  /** Smallest k with bounds[k] = SOFT or MARK (NO_SOFT: none): candidates beyond it need shape.ts `shapeOk`. */
  firstSoft: NO_SOFT,
};

export function beginRuns(text: string): void {
  run.text = text;
  run.len = MAX_DIGITS + 1;
}

/** Reads up to MAX_DIGITS numerals (and the gaps between them) from segment start i. */
export function lookAhead(i: number): void {
  // Tables and state in locals (`run` is written once at the end): this runs at every
  // candidate start.
  const code = codeOf;
  const value = values;
  const position = positions;
  const bound = bounds;
  const text = run.text;
  const n = text.length;
  for (let j = run.len < MAX_DIGITS + 1 ? run.len : MAX_DIGITS + 1; j >= 0; j--) bound[j] = NONE;
  let k = 0;
  let p = i;
  let prevBoundary = 0;
  let dotPending = false; // a lone '.' gap before the group being read
  let validUpTo = MAX_DIGITS + 1;
  let firstSoft = NO_SOFT;
  let ended = false;
  read: for (;;) {
    // One tight group. Arabic digits cost what they did before Chinese numerals were
    // read; only where that loop stops is a Chinese or enclosed numeral taken (rare),
    // with a JOIN boundary where the script changes (138一二三四5678, ①③⑧1234⑤⑥⑦⑧).
    const k0 = k;
    let v = -1;
    for (;;) {
      while (p < n) {
        v = code[text.charCodeAt(p)]! - 1;
        if (v >>> 0 > 9) break; // not an Arabic digit: -1, or a Chinese / enclosed numeral (script + d)
        if (k > MAX_DIGITS) break read; // too long: nothing can end beyond here
        value[k] = v;
        position[k] = p;
        k++;
        p++;
      }
      if (v <= 9) break; // no numeral (-1), or the text ended after a digit
      if (k > k0) bound[k] = JOIN;
      const script = v & ~31;
      do {
        if (k > MAX_DIGITS) break read;
        value[k] = v & 31;
        position[k] = p;
        k++;
        p++;
        v = p < n ? code[text.charCodeAt(p)]! - 1 : -1;
      } while ((v & ~31) === script);
      if (v < 0) break;
      bound[k] = JOIN; // numerals of another script follow, tight
    }
    bound[k] = GAP;
    // The group just read is [prevBoundary, k); a lone dot before it touching a short group cuts there.
    if (dotPending && validUpTo > MAX_DIGITS && k - prevBoundary <= 2) validUpTo = prevBoundary;
    if (k >= MAX_DIGITS) break;
    let q = p;
    let g = 0;
    while (q < n && g <= MAX_GAP && isSeparator(text.charCodeAt(q))) {
      q++;
      g++;
    }
    // A mark only after a group of 3–4 numerals (the groups of the canonical shapes):
    // times and ratios (`13:12:34`, `1:2:3`) end the run here, as before marks were read.
    let kind = GAP;
    if (g === 0) {
      const c = text.charCodeAt(q); // NaN past the end: neither
      if (isSoftSeparator(c)) kind = SOFT;
      else if ((k - prevBoundary - 3) >>> 0 <= 1 && isMark(c)) kind = MARK;
      if (kind !== GAP) {
        q++;
        g = 1;
      }
    } else if (g === 1 && (k - prevBoundary - 3) >>> 0 <= 1 && isSpacedMark(text.charCodeAt(q)) && text.charCodeAt(p) === 0x20 && text.charCodeAt(q + 1) === 0x20) {
      kind = MARK;
      q += 2;
      g = 3;
    }
    if (g === 0 || g > MAX_GAP || q >= n || code[text.charCodeAt(q)] === 0) {
      ended = true;
      break;
    }
    const c = text.charCodeAt(p);
    if (kind !== GAP) {
      bound[k] = kind;
      if (firstSoft === NO_SOFT) firstSoft = k;
    }
    const lone = g === 1 && (c === 0x2e || c === 0xff0e);
    if (lone && validUpTo > MAX_DIGITS && k - prevBoundary <= 2) validUpTo = k;
    dotPending = lone;
    prevBoundary = k;
    p = q;
  }
  run.len = k;
  run.end = p;
  run.validUpTo = validUpTo;
  run.firstSoft = firstSoft;
  run.ended = ended;
}

/** A separator gap (hard or soft) at boundary kind b — not a script change. */
export function isGap(b: number): boolean {
  return (b & 1) !== 0;
}

/** The first `len` numerals may form a candidate: it ends at a boundary, no letter touches it, no decimal dot inside. */
export function endsAt(len: number): boolean {
  return len <= run.len && len <= run.validUpTo && bounds[len] !== NONE && !isLetter(run.text.charCodeAt(positions[len - 1]! + 1));
}

/** {@link endsAt}, and no `/`, `_` or mark joins groups inside the candidate. */
export function endOk(len: number): boolean {
  return run.firstSoft >= len && endsAt(len);
}
