/**
 * Number scanner: mobile, landline, 400/800 service numbers, resident IDs and bank
 * cards, in one pass over the text with `charCodeAt` and no regular expressions.
 *
 * One module because its parts share one scratch state: the look-ahead fills
 * `digitValues` / `digitPositions` / `boundaries` (the numerals read at a candidate
 * start, where they are, how their groups are joined), the classifiers read them and
 * report the candidate they pick through `hit`, and the scan loop turns that into a
 * Finding. scanText is synchronous, so module state is safe and nothing is allocated
 * per candidate start.
 *
 * The text is seen as numeral *segments* joined into *runs* (separator gaps of at most
 * MAX_GAP units, a single `/` or `_`, a mark after a group of 3–4 numerals, or a change
 * of script). A candidate always starts at a segment start and ends at a segment end, so
 * a number is never matched inside a longer tight digit run (order numbers, timestamps,
 * IDs, cards), and never when a Latin letter touches it. At each segment start at most
 * MAX_DIGITS numerals (and the gaps between them) are read ahead, so the whole scan is
 * linear in the text length, whatever the input. The rules are in README.md (Numbers).
 */
import { isDigit, isLetter, isMark, isSeparator, isSpace, isSpacedMark } from './chars';
import { contextBias, LOWER_DELTA, RAISE_DELTA } from './context';
import { maskNumber } from './mask';
import { AREA_CODES, DATA_ONLY_PREFIXES, MOBILE_PREFIXES } from './numbering.generated';
import type { DetectorSettings, Finding } from './types';

// ---------------------------------------------------------------- look-ahead: numerals, segments, runs

/** Longest candidate in digits (19-digit bank card; 0086 + 11 = 15). */
const MAX_DIGITS = 19;
/** Longest separator gap between two digit groups, in UTF-16 units. */
const MAX_GAP = 4;

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
const numeralCode = new Uint8Array(65536);
/** Every unit with a numeral code (the unit table below is built from it, not from a loop over 65,536). */
const numeralUnits: number[] = [];
function setNumeral(c: number, code: number): void {
  numeralCode[c] = code;
  numeralUnits.push(c);
}
/** Flag bit of Chinese numerals in {@link numeralCode}. */
const CHINESE = 32;
for (let d = 0; d < 10; d++) {
  setNumeral(48 + d, d + 1);
  setNumeral(0xff10 + d, d + 1);
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
  for (let j = 0; j < chars.length; j++) setNumeral(chars.charCodeAt(j), CHINESE | (d + 1));
}

/**
 * Enclosed digits: circled ⓪ ①…⑨ (and the dingbat ❶…❾ ➀…➈ ➊…➒ ⓿), parenthesized ⑴…⑼,
 * dotted ⒈…⒐ — typed to hide a number from digit matching (`①③⑧①②③④⑤⑥⑦⑧`). Their own
 * script, because a lone one is a list bullet: `①13812345678` must not become 12 digits.
 * Not ⑩ and up (two digits in one sign: they end a segment, like 十).
 */
const ENCLOSED = 64;
setNumeral(0x24ea, ENCLOSED | 1); // ⓪
setNumeral(0x24ff, ENCLOSED | 1); // ⓿
for (let d = 1; d <= 9; d++) {
  for (const first of [0x2460 /* ① */, 0x2474 /* ⑴ */, 0x2488 /* ⒈ */, 0x2776 /* ❶ */, 0x2780 /* ➀ */, 0x278a /* ➊ */]) {
    setNumeral(first + d - 1, ENCLOSED | (d + 1));
  }
}

/** `c` may be NaN (charCodeAt past the end): not a numeral. */
function isNumeral(c: number): boolean {
  return numeralCode[c]! > 0;
}

/** `/` `_` and their full-width forms: a separator only in canonical shapes. */
function isSoftSeparator(c: number): boolean {
  return c === 0x2f || c === 0x5f || c === 0xff0f || c === 0xff3f;
}

// Boundary kinds, boundaries[k] = kind of the boundary after k numerals. Bit 0 set = a gap
// (so counting groups is a branch-free sum of `boundaries[j] & 1`).
const NONE = 0;
/** A segment ends here and a separator gap (or the end of the run) follows. */
const GAP = 1;
/** The script changes here, inside a tight token (no gap). */
const JOIN = 2;
/** A segment ends here and a single `/` or `_` follows. */
const SOFT = 3;
/** A segment ends here and a mark follows (chars.ts `isMark`, or a spaced ` / ` ` | `). */
const MARK = 5;
const NO_SOFT = MAX_DIGITS + 2;

// Scratch state of one look-ahead (scanText is synchronous, so module state is safe;
// no allocation per candidate start).
const digitValues = new Uint8Array(MAX_DIGITS + 2); // digit values
const digitPositions = new Int32Array(MAX_DIGITS + 2); // UTF-16 index of each numeral
const boundaries = new Uint8Array(MAX_DIGITS + 2); // boundary kinds, see above

const run = {
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
  /** Smallest k with boundaries[k] = SOFT or MARK (NO_SOFT: none): candidates beyond it need `shapeOk`. */
  firstSoft: NO_SOFT,
};

function beginRuns(text: string): void {
  run.text = text;
  run.len = MAX_DIGITS + 1;
}

/** Reads up to MAX_DIGITS numerals (and the gaps between them) from segment start i. */
function lookAhead(i: number): void {
  // Tables and state in locals (`run` is written once at the end): this runs at every
  // candidate start.
  const code = numeralCode;
  const value = digitValues;
  const position = digitPositions;
  const bound = boundaries;
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
    } else if (
      g === 1 &&
      (k - prevBoundary - 3) >>> 0 <= 1 &&
      isSpacedMark(text.charCodeAt(q)) &&
      text.charCodeAt(p) === 0x20 &&
      text.charCodeAt(q + 1) === 0x20
    ) {
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
function isGap(b: number): boolean {
  return (b & 1) !== 0;
}

/** The first `len` numerals may form a candidate: it ends at a boundary, no letter touches it, no decimal dot inside. */
function endsAt(len: number): boolean {
  return len <= run.len && len <= run.validUpTo && boundaries[len] !== NONE && !isLetter(run.text.charCodeAt(digitPositions[len - 1]! + 1));
}

/** {@link endsAt}, and no `/`, `_` or mark joins groups inside the candidate. */
function endOk(len: number): boolean {
  return run.firstSoft >= len && endsAt(len);
}

// ---------------------------------------------------------------- the candidate picked

const T_NONE = 0;
const T_MOBILE = 1;
const T_LANDLINE = 2;
const T_SERVICE = 3;
const T_ID = 4;
const T_CARD = 5;

/** The hit of the last classification (no object per candidate). */
const hit = {
  /** Look-ahead numerals used. */
  len: 0,
  /** Numerals of country code before the national number. */
  off: 0,
  /** End index when not right after the last numeral (extension, ID 'X'); -1 otherwise. */
  end: -1,
  /** Confidence in percent (a small integer keeps the field unboxed). */
  base: 0,
  /** `normalized` gets a leading 0 the text does not show (`+86 10 …` → `010…`). */
  zero: false,
  /** The whole run belongs to a foreign (+xx, not +86) number: skip it. */
  foreign: false,
};

function setHit(type: number, len: number, off: number, end: number, base: number): number {
  hit.len = len;
  hit.off = off;
  hit.end = end;
  hit.base = Math.round(base * 100);
  hit.zero = false;
  return type;
}

// ---------------------------------------------------------------- grouping rules

/** First unit of the gap at boundary b (0 < b < run.len): it follows numeral b - 1. */
function gapChar(b: number): number {
  return run.text.charCodeAt(digitPositions[b - 1]! + 1);
}

/** The gaps at boundaries a and b (inside the run) are written alike: same first unit, same length. */
function sameGap(a: number, b: number): boolean {
  return gapChar(a) === gapChar(b) && digitPositions[a]! - digitPositions[a - 1]! === digitPositions[b]! - digitPositions[b - 1]!;
}

/**
 * A candidate of `len` numerals that uses `/` `_` or a mark is accepted only in its
 * canonical grouping: exactly the gaps `a` (and `b`, if > 0) inside it (a script change
 * is no gap), both of one kind and written identically (`138:1234-5678`, `138:1234：5678`
 * are not), and the sequence is the whole candidate. For `/` `_`: no soft separator right
 * before or after it (paths, `IMG_…` names, dates like `12/138/1234/5678`). For a mark:
 * not the same gap again with a numeral beyond it (`138|1234|5678|9999`,
 * `2024:0755:8888:6666` — a longer grouped run, a table row), while a mark ending a
 * sentence or label (`电话:138:1234:5678，`) is fine. The caller checks the end
 * (`endsAt`) itself (a landline may end in an extension).
 */
function shapeOk(len: number, a: number, b: number): boolean {
  const kind = boundaries[a]!;
  const p = digitPositions[a - 1]! + 1; // the gap at a
  const g = digitPositions[a]! - p;
  const text = run.text;
  if (kind !== SOFT && kind !== MARK) return false;
  if (
    b > 0 &&
    (boundaries[b] !== kind || digitPositions[b]! - digitPositions[b - 1]! - 1 !== g || !repeats(text, p, digitPositions[b - 1]! + 1, g))
  )
    return false;
  for (let j = 1; j < len; j++) if (isGap(boundaries[j]!) && j !== a && j !== b) return false;
  const s = digitPositions[0]!;
  const e = digitPositions[len - 1]! + 1;
  if (kind === SOFT) return !(s > 0 && isSoftSeparator(text.charCodeAt(s - 1))) && !isSoftSeparator(text.charCodeAt(e));
  return (
    !(repeats(text, p, e, g) && continues(text, e + g, e - 1)) &&
    !(s - g > 0 && repeats(text, p, s - g, g) && continues(text, s - g - 1, s))
  );
}

/**
 * The numeral at `at` continues the run whose numeral at `edge` is beside the mark. A
 * Chinese one only continues Chinese numerals: `张三 | 138 | 1234 | 5678` is a name.
 */
function continues(text: string, at: number, edge: number): boolean {
  const v = numeralCode[text.charCodeAt(at)]!;
  return v > 0 && ((v & CHINESE) === 0 || (numeralCode[text.charCodeAt(edge)]! & CHINESE) !== 0);
}

/** text[at, at + length) equals text[from, from + length). */
function repeats(text: string, from: number, at: number, length: number): boolean {
  for (let j = 0; j < length; j++) if (text.charCodeAt(at + j) !== text.charCodeAt(from + j)) return false;
  return true;
}

/**
 * A numeral within a separator gap before `start` (a grouped candidate inside a longer
 * run). Not an enclosed one: `① 138 1234 5678` — a list bullet.
 */
function numeralBefore(text: string, start: number): boolean {
  let q = start - 1;
  let g = 0;
  while (q >= 0 && g < MAX_GAP && isSeparator(text.charCodeAt(q))) {
    q--;
    g++;
  }
  if (g === 0 || q < 0) return false;
  const v = numeralCode[text.charCodeAt(q)]!;
  return v > 0 && v < ENCLOSED;
}

/** A numeral within a separator gap after `end`. */
function numeralAfter(text: string, end: number): boolean {
  let q = end;
  let g = 0;
  while (q < text.length && g < MAX_GAP && isSeparator(text.charCodeAt(q))) {
    q++;
    g++;
  }
  return g > 0 && q < text.length && numeralCode[text.charCodeAt(q)]! > 0;
}

// ---------------------------------------------------------------- landlines

/**
 * Area codes from libphonenumber's metadata (numbering.generated.ts), without the trunk
 * 0: AREA2 by the 2-digit codes 10 and 2x, AREA3 by the 3-digit ones. Value: the lengths
 * of local numbers, 1 = 7 digits, 2 = 8 digits, 3 = both; 0 = no area code.
 */
const AREA2 = new Uint8Array(100);
const AREA3 = new Uint8Array(1000);
for (const [code, lengths] of AREA_CODES) (code.length === 2 ? AREA2 : AREA3)[Number(code)] = lengths;

/** Confidence taken off a candidate written with `/`, `_` or a mark between its groups. */
const SOFT_PENALTY = 0.1;
/** Confidence added when +86 / 0086 says "a Chinese number" explicitly. */
const CC_BONUS = 0.05;

/**
 * A landline whose national number starts at numeral `off`: 0 for the domestic form
 * (`010-62345678`, the trunk 0 written), 2 after +86 and 4 after 0086 (`cc`). After a
 * country code the area code is written without its 0 (`+86 10 …`, `0086 755 …`) and
 * `normalized` gets the 0 back; a written 0 (`+86 010 …`, `+86 (0)10 …`) is tolerated.
 */
function landlineAt(off: number, cc: boolean): number {
  const k = run.len;
  let z: number; // first area-code numeral after the trunk 0
  let zero = false; // the trunk 0 is not in the text
  if (digitValues[off] === 0) z = off + 1;
  else if (cc) {
    z = off;
    zero = true;
  } else return T_NONE;
  const d1 = digitValues[z]!;
  let e = 0; // index just after the area code
  let lengths = 0; // local-number lengths of the area code (AREA2 / AREA3)
  if (d1 === 1 || d1 === 2) {
    e = z + 2;
    lengths = AREA2[d1 * 10 + digitValues[z + 1]!]!;
  } else if (d1 >= 3) {
    e = z + 3;
    lengths = AREA3[d1 * 100 + digitValues[z + 1]! * 10 + digitValues[z + 2]!]!;
  }
  if (lengths === 0 || e >= k) return T_NONE;
  // The area code is never split across groups (`080 1300 0000` is not 0801-3000000).
  // After a country code, a written trunk 0 may stand apart: `+86 (0)10 …`.
  for (let j = cc && !zero ? z + 1 : off + 1; j < e; j++) if (isGap(boundaries[j]!)) return T_NONE;
  // Local numbers start with 2-9. One starting with 1 (`010-12345678`, a common
  // placeholder/example form) is accepted only when the area code is written apart,
  // with lower confidence; one starting with 0 never.
  const first = digitValues[e]!;
  const apart = isGap(boundaries[e]!);
  if (!(first >= 2 || (first === 1 && apart))) return T_NONE;
  const adjust = (first === 1 ? -0.15 : 0) + (cc ? CC_BONUS : 0);
  for (let len = e + 8; len >= e + 7; len--) {
    if (len > k || len > run.validUpTo || boundaries[len] === NONE || (lengths & (len - e === 8 ? 2 : 1)) === 0) continue;
    let a = adjust;
    if (run.firstSoft < len) {
      // `010/12345678`: only area code / local number, one group each, domestic form.
      // With a mark also the local number split before its last 4 digits (`0755:8888:6666`,
      // `0571|876|5432`) — how local numbers are written; `/` keeps to the stricter shape.
      if (cc || !(shapeOk(len, e, 0) || (boundaries[e] === MARK && shapeOk(len, e, len - 4)))) continue;
      a -= SOFT_PENALTY;
    }
    const extEnd = extensionEnd(run.text, digitPositions[len - 1]! + 1);
    if (extEnd > 0) return landHit(len, off, extEnd, 0.8 + a, zero);
    // An area code written apart from the local number is the usual, clear form.
    if (endsAt(len)) return landHit(len, off, -1, (apart ? 0.75 : 0.65) + a, zero);
  }
  return T_NONE;
}

function landHit(len: number, off: number, end: number, base: number, zero: boolean): number {
  setHit(T_LANDLINE, len, off, end, base);
  hit.zero = zero;
  return T_LANDLINE;
}

/**
 * An extension right after a landline: optional spaces, then 转 / 分机 / ext / ext.,
 * optional spaces or a colon, then 1–6 digits not followed by a digit or letter.
 * Returns the end index (exclusive) of the extension's last digit, or -1.
 */
function extensionEnd(text: string, p: number): number {
  const n = text.length;
  let q = p;
  let s = 0;
  while (q < n && s < 2 && (isSpace(text.charCodeAt(q)) || text.charCodeAt(q) === 0x2d)) {
    q++;
    s++;
  }
  const c = text.charCodeAt(q);
  if (c === 0x8f6c /* 转 */ || c === 0x8f49 /* 轉 */) q += 1;
  else if (c === 0x5206 /* 分 */ && text.charCodeAt(q + 1) === 0x673a /* 机 */) q += 2;
  else if ((c | 32) === 101 && (text.charCodeAt(q + 1) | 32) === 120 && (text.charCodeAt(q + 2) | 32) === 116) {
    q += 3;
    if (text.charCodeAt(q) === 0x2e) q++;
  } else return -1;
  s = 0;
  while (q < n && s < 2) {
    const d = text.charCodeAt(q);
    if (!(isSpace(d) || d === 0x3a || d === 0xff1a)) break;
    q++;
    s++;
  }
  const first = q;
  while (q < n && q - first < 7 && isDigit(text.charCodeAt(q))) q++;
  const digits = q - first;
  if (digits < 1 || digits > 6) return -1;
  if (q < n && isLetter(text.charCodeAt(q))) return -1;
  return q;
}

// ---------------------------------------------------------------- classification

/**
 * 11-digit mobile prefixes, generated from libphonenumber's metadata
 * (numbering.generated.ts), indexed by the 2nd and 3rd digit (`1ab` → a*10+b).
 * 1: every number under `1ab` is a mobile; 2: only longer prefixes are (`1610`,
 * `1740[0-5]`, listed in MOBILE_LONG); 3: data-only (146, 148, 149 — the product's
 * departure from the metadata, decided in scripts/gen-numbering.ts): a mobile at
 * DATA_ONLY_PENALTY less confidence. 0: no mobile (140–144 are 13-digit IoT numbers).
 */
const MOBILE_PREFIX = new Uint8Array(100);
/** For MOBILE_PREFIX 2: the digits after the 3rd of each longer prefix. */
const MOBILE_LONG: number[][][] = [];
for (const p of MOBILE_PREFIXES) {
  const ix = (p.charCodeAt(1) - 48) * 10 + p.charCodeAt(2) - 48;
  if (p.length === 3) MOBILE_PREFIX[ix] = 1;
  else {
    if (MOBILE_PREFIX[ix] !== 1) MOBILE_PREFIX[ix] = 2;
    (MOBILE_LONG[ix] ??= []).push([...p.slice(3)].map((c) => c.charCodeAt(0) - 48));
  }
}
for (const p of DATA_ONLY_PREFIXES) MOBILE_PREFIX[(p.charCodeAt(1) - 48) * 10 + p.charCodeAt(2) - 48] = 3;

/** Confidence taken off a data-only number (146, 148, 149): a subscriber, rarely a contact. */
const DATA_ONLY_PENALTY = 0.3;
/** Penalty of the last successful mobileAt (0, or DATA_ONLY_PENALTY). */
let mobilePenalty = 0;

function isPlus(c: number): boolean {
  return c === 0x2b || c === 0xff0b;
}

function mobileAt(off: number): boolean {
  if (run.len < off + 11 || digitValues[off] !== 1) return false;
  const ix = digitValues[off + 1]! * 10 + digitValues[off + 2]!;
  const p = MOBILE_PREFIX[ix];
  mobilePenalty = 0;
  if (p === 1) return true;
  if (p === 3) {
    mobilePenalty = DATA_ONLY_PENALTY;
    return true;
  }
  if (p !== 2) return false;
  for (const rest of MOBILE_LONG[ix]!) {
    let j = 0;
    while (j < rest.length && digitValues[off + 3 + j] === rest[j]) j++;
    if (j === rest.length) return true;
  }
  return false;
}

/**
 * Classifies the candidate starting at segment start i. Sets `hit.foreign` when the
 * whole run belongs to a foreign (+xx, not +86) number.
 */
function tryAt(i: number, wantMobile: boolean, wantLand: boolean, wantService: boolean, wantId: boolean, wantCard: boolean): number {
  lookAhead(i);
  hit.foreign = false;
  const text = run.text;
  const k = run.len;
  const plus = i > 0 && isPlus(text.charCodeAt(i - 1));
  const cc86 = digitValues[0] === 8 && digitValues[1] === 6;
  if (k < 10 || run.validUpTo < 10) {
    if (plus && !cc86) hit.foreign = true;
    return T_NONE; // shortest candidate: 10-digit service / landline numbers
  }
  const spanStart = plus ? i - 1 : i;
  if (spanStart > 0 && isLetter(text.charCodeAt(spanStart - 1))) return T_NONE;

  if (plus) {
    // An explicit international prefix: only +86 numbers are ours (+1 415 …, +44 …: foreign).
    if (!cc86) {
      hit.foreign = true;
      return T_NONE;
    }
    if (wantMobile && mobileAt(2) && endOk(13)) return setHit(T_MOBILE, 13, 2, -1, 0.9 - mobilePenalty);
    // `+86 10 8888 6666`: a landline whose area code dropped its 0 (86 itself not split).
    if (wantLand && !isGap(boundaries[1]!)) return landlineAt(2, true);
    return T_NONE;
  }
  if (wantId && k >= 17 && residentIdAt(text)) return T_ID;
  if (wantCard && k >= 16 && digitValues[0]! >= 2 && digitValues[0]! <= 6) {
    for (let len = k < MAX_DIGITS ? k : MAX_DIGITS; len >= 16; len--) {
      if (endOk(len) && luhn(len)) return setHit(T_CARD, len, 0, -1, 0.75);
    }
  }
  const c0086 = digitValues[0] === 0 && digitValues[1] === 0 && digitValues[2] === 8 && digitValues[3] === 6;
  if (wantMobile) {
    if (c0086 && mobileAt(4) && endOk(15)) return setHit(T_MOBILE, 15, 4, -1, 0.9 - mobilePenalty);
    if (cc86 && mobileAt(2) && endOk(13)) return setHit(T_MOBILE, 13, 2, -1, 0.85 - mobilePenalty);
    if (mobileAt(0)) {
      if (endOk(11)) return setHit(T_MOBILE, 11, 0, -1, 0.8 - mobilePenalty);
      if (run.firstSoft < 11 && endsAt(11) && shapeOk(11, 3, 7) && !roundMeasures()) {
        return setHit(T_MOBILE, 11, 0, -1, 0.8 - SOFT_PENALTY - mobilePenalty);
      }
    }
  }
  if (
    wantService &&
    (digitValues[0] === 4 || digitValues[0] === 8) &&
    digitValues[1] === 0 &&
    digitValues[2] === 0 &&
    !isGap(boundaries[1]!) &&
    !isGap(boundaries[2]!)
  ) {
    if (endOk(10)) {
      if (!partOfLongerNumber(10)) return setHit(T_SERVICE, 10, 0, -1, 0.75);
    } else if (boundaries[3] === MARK && endsAt(10) && (shapeOk(10, 3, 6) || shapeOk(10, 3, 7))) {
      // `400:123:4567`, `800|8888|123`: marks only as 3-3-4 or 3-4-3 (and no `/` `_` at
      // all: `800/820/8820` reads as a ratio).
      return setHit(T_SERVICE, 10, 0, -1, 0.75 - SOFT_PENALTY);
    }
  }
  if (wantLand && digitValues[0] === 0) {
    // `0086 755 12345678`: 0086 written as one tight group.
    if (c0086) return boundaries[1] === NONE && boundaries[2] === NONE && boundaries[3] === NONE ? landlineAt(4, true) : T_NONE;
    return landlineAt(0, false);
  }
  return T_NONE;
}

/**
 * `150/2000/3000`, `180/1200/2400`: slash-separated sizes and quantities. Both 4-digit
 * groups ending in 00 is what measurements look like (a real number: 1 in 10 000).
 */
function roundMeasures(): boolean {
  return digitValues[5] === 0 && digitValues[6] === 0 && digitValues[9] === 0 && digitValues[10] === 0;
}

/**
 * `400 130 0000 0000`, `400-130-0000-0000`: the first `len` digits end at a gap written
 * like the gaps inside them, a further group of >= 3 digits follows, and the run ends
 * within 9 more digits (so the rest is no number of its own). That is one long grouped
 * number — a card, an account, a typo — not a number followed by a stray group. A short
 * tail (`400-123-4567 24小时`), a differently written gap, or a tail long enough to be
 * another number (`400 123 4567 138 1234 5678`) keeps the number.
 */
function partOfLongerNumber(len: number): boolean {
  const rest = run.len - len;
  if (boundaries[len] !== GAP || !run.ended || rest < 3 || rest > 9) return false;
  let last = len - 1;
  while (last > 0 && !isGap(boundaries[last]!)) last--;
  if (last === 0 || !sameGap(last, len)) return false;
  let next = len + 1;
  while (next < run.len && boundaries[next] === NONE) next++;
  return next - len >= 3;
}

function residentIdAt(text: string): boolean {
  const k = run.len;
  // 18 digits, or 17 digits followed directly by X/x.
  let check = -1;
  let end = -1;
  let len = 0;
  if (k >= 18 && endOk(18)) {
    check = digitValues[17]!;
    len = 18;
  } else if (boundaries[17] !== NONE && run.validUpTo >= 17 && run.firstSoft >= 17) {
    const p = digitPositions[16]! + 1;
    const c = text.charCodeAt(p);
    if ((c === 88 || c === 120) && !isLetter(text.charCodeAt(p + 1)) && !isNumeral(text.charCodeAt(p + 1))) {
      check = 10;
      len = 17;
      end = p + 1;
    }
  }
  if (check < 0) return false;
  // Birth date YYYYMMDD at digits 6..13, 19xx or 20xx.
  const y = digitValues[6]! * 1000 + digitValues[7]! * 100 + digitValues[8]! * 10 + digitValues[9]!;
  const m = digitValues[10]! * 10 + digitValues[11]!;
  const d = digitValues[12]! * 10 + digitValues[13]!;
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (d > dim) return false;
  // ISO 7064 MOD 11-2.
  let sum = 0;
  for (let j = 0; j < 17; j++) sum += digitValues[j]! * ID_WEIGHTS[j]!;
  const expected = (12 - (sum % 11)) % 11;
  if (expected !== check) return false;
  setHit(T_ID, len, 0, end, 0.9);
  return true;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function luhn(len: number): boolean {
  let sum = 0;
  let dbl = false;
  for (let j = len - 1; j >= 0; j--) {
    let v = digitValues[j]!;
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

// ---------------------------------------------------------------- the scan loop

/** Fewest numerals of any candidate (10-digit service numbers). */
const MIN_NUMERALS = 10;

/** runUnit: the unit may stand anywhere inside a candidate. */
const ANYWHERE = 1;
/** runUnit: a mark, inside a candidate only right after a numeral (`138：1234：5678`). */
const AFTER_NUMERAL = 2;
/**
 * What each unit may be inside a candidate (between its first and last numeral): 0 =
 * nothing, ANYWHERE (numerals, separators, `/` `_`, the spaced marks `|` `｜`) or
 * AFTER_NUMERAL (the other marks).
 */
const runUnit = new Uint8Array(65536);
/**
 * Built without visiting all 65,536 units: numerals from their list, separators and marks
 * outside U+3100–U+FDFF (CJK text, where there are none). A loop over every unit cost
 * ~20 ms of every frame's start-up in Chromium (interpreted, in an isolated world,
 * 2026-12-05; docs/PERFORMANCE.md). detect.test.ts holds the table equal to the
 * predicates on every unit.
 */
const NO_SEPARATORS_FROM = 0x3100;
const NO_SEPARATORS_TO = 0xfe00;
for (let c = 0; c < NO_SEPARATORS_FROM; c++) runUnit[c] = runUnitByPredicates(c);
for (let c = NO_SEPARATORS_TO; c < 65536; c++) runUnit[c] = runUnitByPredicates(c);
for (const c of numeralUnits) runUnit[c] = ANYWHERE;

/** What `runUnit` holds for a unit, from the predicates (exported for the test above). */
export function runUnitByPredicates(c: number): number {
  if (numeralCode[c] !== 0 || isSeparator(c) || isSoftSeparator(c) || isSpacedMark(c)) return ANYWHERE;
  return isMark(c) ? AFTER_NUMERAL : 0;
}

/** The table as built (for the test above). */
export function runUnitOf(c: number): number {
  return runUnit[c]!;
}

/** Findings whose confidence ends below this are dropped. */
export const CONFIDENCE_FLOOR = 0.3;

const ALL_FIRST = new Uint8Array(10).fill(1);
const FIRST_0148 = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
const FIRST_148 = Uint8Array.from([0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);

const TYPE_NAMES: Finding['type'][] = ['mobile', 'mobile', 'landline', 'service', 'resident-id', 'bank-card'];

export function scanNumbers(text: string, detectors: DetectorSettings, out: Finding[], limit: number): void {
  const n = text.length;
  const wantMobile = detectors.mobile.enabled;
  const wantLand = detectors.landline.enabled;
  const wantService = detectors.service.enabled;
  const wantId = detectors.residentId.enabled;
  const wantCard = detectors.bankCard.enabled;
  if (!wantMobile && !wantLand && !wantService && !wantId && !wantCard) return;
  beginRuns(text);
  // First digits that can start a candidate: 1 (mobile), 8 (86…/800), 4 (400), 0 (landline/0086);
  // any digit for resident IDs.
  const firstDigitOk = wantId ? ALL_FIRST : wantLand ? FIRST_0148 : FIRST_148;

  const skipEnd = n - MIN_NUMERALS + 1;
  let i = 0;
  while (i < n) {
    // Fast skip: a candidate holds >= MIN_NUMERALS numerals, so it spans at least that
    // many units; when the unit MIN_NUMERALS - 1 ahead can be inside no candidate (most
    // CJK, Latin letters, a `，` not after a numeral), none starts before it: jump past it.
    // (Only where i + MIN_NUMERALS - 1 is inside the text: a load past the end would
    // make the load site generic and cost more than the skip saves.)
    if (i < skipEnd) {
      const far = runUnit[text.charCodeAt(i + MIN_NUMERALS - 1)]!;
      if (far === 0 || (far === AFTER_NUMERAL && numeralCode[text.charCodeAt(i + MIN_NUMERALS - 2)] === 0)) {
        i += MIN_NUMERALS;
        continue;
      }
      // Else a candidate starting at or before the last unit in between that can be in
      // none would contain that unit: start after it (Horspool-style).
      let b = i + MIN_NUMERALS - 2;
      while (b >= i && runUnit[text.charCodeAt(b)] !== 0) b--;
      if (b >= i) {
        i = b + 1;
        continue;
      }
    }
    const v = numeralCode[text.charCodeAt(i)]!;
    if (v === 0) {
      i++;
      continue;
    }
    // i is a segment start: we always arrive here after a non-numeral or where the
    // script changes (Arabic ↔ Chinese numerals).
    // Fast rejections without a look-ahead (most digit groups in text are dates, times,
    // amounts, order numbers; most Chinese numerals are words: 一下, 三级):
    //  - no candidate starts with 2,3,5,6,7,9 unless cards/IDs are wanted or a '+' precedes;
    //  - a segment of < 10 numerals not followed by a gap or a numeral cannot grow into a candidate;
    //  - a segment of > 19 numerals is part of no candidate.
    const lo = (v & ~31) + 1; // the script's flag (code & ~31) + 1: the same script continues the segment
    const d0 = v - lo;
    let p = i + 1;
    while (p < n && (numeralCode[text.charCodeAt(p)]! - lo) >>> 0 <= 9) p++;
    const glen = p - i;
    if (glen > MAX_DIGITS) {
      i = p;
      continue;
    }
    if (!(i > 0 && isPlus(text.charCodeAt(i - 1)))) {
      if (!firstDigitOk[d0] && !(wantCard && d0 >= 2 && d0 <= 6)) {
        i = p;
        continue;
      }
      if (glen < 10) {
        const next = p < n ? text.charCodeAt(p) : 0;
        if (
          numeralCode[next] === 0 && // the other script right after joins the segment into a run
          // A mark continues a run only after 3–4 numerals (the look-ahead): `13:12:34` starts nothing.
          ((!isSeparator(next) && !isSoftSeparator(next) && !((glen - 3) >>> 0 <= 1 && isMark(next))) ||
            // Area codes, 400/800 and 86 are never split: `04-08`, `8 00` start nothing
            // (unless IDs/cards, which may be grouped any way, are wanted).
            (glen < 3 && !wantId && !wantCard && (d0 === 0 || d0 === 4 || (d0 === 8 && glen < 2))) ||
            // A lone enclosed numeral is a list bullet (`① 138 1234 5678`).
            (glen === 1 && v > ENCLOSED))
        ) {
          i = p;
          continue;
        }
      }
    }
    const type = tryAt(i, wantMobile, wantLand, wantService, wantId, wantCard);
    if (type !== T_NONE) {
      const f = makeFinding(text, i, type, detectors);
      if (f) {
        out.push(f);
        if (out.length >= limit) break;
        i = f.end;
        continue;
      }
    }
    if (hit.foreign) {
      // A foreign +xx number: skip its whole run (and the rest of a tight token the look-ahead stopped in).
      i = run.end;
      while (i < n && numeralCode[text.charCodeAt(i)] !== 0) i++;
      continue;
    }
    if (type === T_NONE && run.ended) {
      // The run ends after run.len numerals: a later segment start in it has fewer
      // numerals, so only those with >= 10 numerals left can still start a candidate.
      let nextStart = -1;
      for (let b = 1; b < run.len && run.len - b >= 10; b++) {
        if (boundaries[b] !== NONE) {
          nextStart = b;
          break;
        }
      }
      i = nextStart < 0 ? run.end : digitPositions[nextStart]!;
      continue;
    }
    // Skip the rest of this segment.
    i = p;
  }
  run.text = '';
}

function makeFinding(text: string, i: number, t: number, detectors: DetectorSettings): Finding | null {
  const type = TYPE_NAMES[t]!;
  const len = hit.len;
  const o = hit.off;
  const start = o > 0 && i > 0 && isPlus(text.charCodeAt(i - 1)) ? i - 1 : i;
  const lastDigitEnd = digitPositions[len - 1]! + 1;
  const end = hit.end > 0 ? hit.end : lastDigitEnd;
  // Tight ASCII digits (the common case): slice them from the text, else build.
  const d0pos = digitPositions[o]!;
  const d1pos = digitPositions[len - 1]!;
  let digits =
    d1pos - d0pos === len - 1 - o && text.charCodeAt(d0pos) <= 57 && text.charCodeAt(d1pos) <= 57 && asciiRun(text, d0pos, d1pos)
      ? text.slice(d0pos, d1pos + 1)
      : digitString(o, len);
  if (hit.zero) digits = '0' + digits; // +86 10 …: the area code's trunk 0
  if (t === T_ID && len === 17) digits += 'X';

  let conf = hit.base / 100;
  // Grouping: many groups (1 3 8 1 2 …) is an odd way to write a number. A script
  // change (138一二三四5678) is no group boundary.
  let groups = 1;
  for (let j = 1; j < len; j++) groups += boundaries[j]! & 1;
  if (groups > 5) conf -= 0.15;
  // A grouped candidate that is only a piece of a longer grouped digit sequence.
  if (groups > 1 && (numeralBefore(text, start) || numeralAfter(text, lastDigitEnd))) conf -= 0.15;
  const bias = contextBias(text, start);
  if (bias > 0) conf += RAISE_DELTA;
  else if (bias < 0) conf -= LOWER_DELTA;
  conf = Math.round(Math.min(0.99, Math.max(0, conf)) * 100) / 100;
  if (conf < CONFIDENCE_FLOOR) return null;

  const level =
    t === T_MOBILE
      ? detectors.mobile.level
      : t === T_LANDLINE
        ? detectors.landline.level
        : t === T_SERVICE
          ? detectors.service.level
          : t === T_ID
            ? detectors.residentId.level
            : detectors.bankCard.level;
  // Mobile mask built in one allocation: 138****5678.
  const masked =
    t === T_MOBILE
      ? String.fromCharCode(
          48 + digitValues[o]!,
          48 + digitValues[o + 1]!,
          48 + digitValues[o + 2]!,
          42,
          42,
          42,
          42,
          48 + digitValues[o + 7]!,
          48 + digitValues[o + 8]!,
          48 + digitValues[o + 9]!,
          48 + digitValues[o + 10]!,
        )
      : maskNumber(digits, type);
  return { type, level, start, end, masked, confidence: conf, normalized: digits };
}

function asciiRun(text: string, from: number, to: number): boolean {
  for (let q = from; q <= to; q++) if (text.charCodeAt(q) > 57) return false;
  return true;
}

/** digitValues[from..to) as an ASCII digit string (one flat string, no concatenation chain). */
function digitString(from: number, to: number): string {
  const o = from;
  if (to - from === 11) {
    return String.fromCharCode(
      48 + digitValues[o]!,
      48 + digitValues[o + 1]!,
      48 + digitValues[o + 2]!,
      48 + digitValues[o + 3]!,
      48 + digitValues[o + 4]!,
      48 + digitValues[o + 5]!,
      48 + digitValues[o + 6]!,
      48 + digitValues[o + 7]!,
      48 + digitValues[o + 8]!,
      48 + digitValues[o + 9]!,
      48 + digitValues[o + 10]!,
    );
  }
  for (let j = from; j < to; j++) codes[j - from] = 48 + digitValues[j]!;
  return String.fromCharCode.apply(null, Array.from(codes.subarray(0, to - from)));
}
const codes = new Uint16Array(MAX_DIGITS + 2);
