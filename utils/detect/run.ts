/**
 * Digit runs: what the number scanner reads at a candidate start. Its own module
 * because the scan loop (numbers.ts) and the classifiers (classify.ts, landline.ts)
 * share this scratch state; the candidate they pick is in hit.ts.
 *
 * A *numeral* is an ASCII, full-width or Chinese digit character ({@link NUM1}). A
 * *segment* is a maximal tight run of numerals of one script (Arabic = ASCII and
 * full-width; Chinese = 〇零一…九幺 and the financial 壹贰叁…). Segments are joined into a
 * *run* by:
 *  - {@link GAP}: 1–{@link MAX_GAP} separator units (chars.ts `isSeparator`);
 *  - {@link SOFT}: exactly one `/` `_` `／` `＿` — only the canonical shapes may use it
 *    ({@link softShapeOk}): a slash is a date, fraction or path far more often than a
 *    phone separator;
 *  - {@link JOIN}: nothing, where the script changes inside a tight token
 *    (`138一二三四5678`). So `13812345678一直` and `陆13812345678` still end/start a
 *    candidate at the Arabic segment, while a tight segment is never cut.
 *
 * A look-ahead reads at most MAX_DIGITS + 1 numerals, so the work per candidate start
 * is bounded by a constant.
 */
import { isLetter, isSeparator } from './chars';

/** Longest candidate in digits (19-digit bank card; 0086 + 11 = 15). */
export const MAX_DIGITS = 19;
/** Longest separator gap between two digit groups, in UTF-16 units. */
export const MAX_GAP = 4;

/**
 * Numeral code of every UTF-16 unit: 0 = not a numeral; digit value + 1 for an Arabic
 * digit (ASCII or full-width); {@link CHINESE} | (digit value + 1) for a Chinese numeral.
 * One table load per unit in the hot loop; `(code & 31) - 1` is the value either way.
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
  /** Smallest k with bounds[k] = SOFT (NO_SOFT: none). */
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
    // read; only where that loop stops is a Chinese numeral taken (rare), with a JOIN
    // boundary where the script changes (138一二三四5678).
    const k0 = k;
    let v = -1;
    for (;;) {
      while (p < n) {
        v = code[text.charCodeAt(p)]! - 1;
        if (v >>> 0 > 9) break; // not an Arabic digit: -1, or a Chinese numeral (CHINESE + d)
        if (k > MAX_DIGITS) break read; // too long: nothing can end beyond here
        value[k] = v;
        position[k] = p;
        k++;
        p++;
      }
      if (v <= 9) break; // no numeral (-1), or the text ended after a digit
      if (k > k0) bound[k] = JOIN;
      do {
        if (k > MAX_DIGITS) break read;
        value[k] = v - CHINESE;
        position[k] = p;
        k++;
        p++;
        v = p < n ? code[text.charCodeAt(p)]! - 1 : -1;
      } while (v >= CHINESE);
      if (v < 0) break;
      bound[k] = JOIN; // Arabic digits follow, tight
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
    const soft = g === 0 && q < n && isSoftSeparator(text.charCodeAt(q));
    if (soft) {
      q++;
      g = 1;
    }
    if (g === 0 || g > MAX_GAP || q >= n || code[text.charCodeAt(q)] === 0) {
      ended = true;
      break;
    }
    const c = text.charCodeAt(p);
    if (soft) {
      bound[k] = SOFT;
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

/** {@link endsAt}, and no `/` or `_` joins groups inside the candidate. */
export function endOk(len: number): boolean {
  return run.firstSoft >= len && endsAt(len);
}

/** First unit of the gap at boundary b (0 < b < run.len): it follows numeral b - 1. */
function gapChar(b: number): number {
  return run.text.charCodeAt(positions[b - 1]! + 1);
}

/** The gaps at boundaries a and b (inside the run) are written alike: same first unit, same length. */
export function sameGap(a: number, b: number): boolean {
  return gapChar(a) === gapChar(b) && positions[a]! - positions[a - 1]! === positions[b]! - positions[b - 1]!;
}

/**
 * A candidate of `len` numerals that uses `/` or `_` is accepted only in its canonical
 * grouping: exactly the boundaries `a` (and `b`, if > 0) inside it, both the same soft
 * separator, and the slashed sequence is the whole candidate — no `/` or `_` right
 * before or after it (paths, `IMG_…` names, dates like `12/138/1234/5678`). The caller
 * checks the end ({@link endsAt}) itself (a landline may end in an extension).
 */
export function softShapeOk(len: number, a: number, b: number): boolean {
  if (bounds[a] !== SOFT || (b > 0 && (bounds[b] !== SOFT || gapChar(b) !== gapChar(a)))) return false;
  for (let j = 1; j < len; j++) if (bounds[j] !== NONE && j !== a && j !== b) return false;
  const text = run.text;
  const s = positions[0]!;
  return !(s > 0 && isSoftSeparator(text.charCodeAt(s - 1))) && !isSoftSeparator(text.charCodeAt(positions[len - 1]! + 1));
}

/** A numeral within a separator gap before `start` (a grouped candidate inside a longer run). */
export function numeralBefore(text: string, start: number): boolean {
  let q = start - 1;
  let g = 0;
  while (q >= 0 && g < MAX_GAP && isSeparator(text.charCodeAt(q))) {
    q--;
    g++;
  }
  return g > 0 && q >= 0 && codeOf[text.charCodeAt(q)]! > 0;
}

/** A numeral within a separator gap after `end`. */
export function numeralAfter(text: string, end: number): boolean {
  let q = end;
  let g = 0;
  while (q < text.length && g < MAX_GAP && isSeparator(text.charCodeAt(q))) {
    q++;
    g++;
  }
  return g > 0 && q < text.length && codeOf[text.charCodeAt(q)]! > 0;
}
