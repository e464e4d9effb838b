/**
 * Number scanner: one pass over the text with `charCodeAt`, no regular expressions.
 *
 * The text is seen as digit *groups* (maximal runs of ASCII/full-width digits) joined
 * by short *gaps* of separators (see {@link isSeparator}, at most {@link MAX_GAP}
 * units). A candidate always starts at the start of a group and ends at the end of a
 * group, so a number is never matched inside a longer tight digit run (order
 * numbers, timestamps, IDs, cards), and never when a Latin letter touches it.
 *
 * At each group start at most {@link MAX_DIGITS} digits (and the gaps between them)
 * are read ahead, so the work per group start is bounded by a constant and the whole
 * scan is linear in the text length, whatever the input.
 */
import { isDigit, isLetter, isSeparator, isSpace } from './chars';
import { contextBias, LOWER_DELTA, RAISE_DELTA } from './context';
import { maskNumber } from './mask';
import type { DetectorSettings, Finding } from './types';

/** Longest candidate in digits (19-digit bank card; 0086 + 11 = 15). */
const MAX_DIGITS = 19;
/** Longest separator gap between two digit groups, in UTF-16 units. */
export const MAX_GAP = 4;
/** Findings whose confidence ends below this are dropped. */
export const CONFIDENCE_FLOOR = 0.3;

/**
 * Allocated 11-digit mobile prefixes (MIIT), indexed by the 2nd and 3rd digit
 * (`1ab` → a*10+b). 1: allocated. 2: 174 — only 1740[0-5] (Tiantong satellite
 * phones, China Telecom) are personal numbers; the rest of 174 is not.
 * Not allocated / not 11-digit personal numbers: 140–144 (13-digit IoT/data-only),
 * 154, 160, 161, 163, 164, 168, 169, 179, 194.
 */
const MOBILE_PREFIX = new Uint8Array(100);
for (const p of [
  30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 45, 46, 47, 48, 49, 50, 51, 52, 53, 55, 56, 57, 58, 59, 62, 65,
  66, 67, 70, 71, 72, 73, 75, 76, 77, 78, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 95, 96,
  97, 98, 99,
]) {
  MOBILE_PREFIX[p] = 1;
}
MOBILE_PREFIX[74] = 2;

// Scratch state of one look-ahead (scanText is synchronous, so module state is safe;
// no allocation per group start).
const dv = new Uint8Array(MAX_DIGITS + 2); // digit values
const dpos = new Int32Array(MAX_DIGITS + 2); // UTF-16 index of each digit
const bnd = new Uint8Array(MAX_DIGITS + 2); // bnd[k] = 1: a group ends after k digits
/** Digits read by the last lookAhead (capped at MAX_DIGITS + 1). */
let la = 0;
/** Index just after the last digit read by the last lookAhead. */
let laEnd = 0;
/**
 * Candidates may not extend beyond this many digits: a lone '.' touching a group of
 * 1–2 digits (`1.3812345678` is a decimal, `138.1234.5678` is not) cuts there.
 */
let validUpTo = 0;
/** The last lookAhead stopped at the end of the digit run (not at MAX_DIGITS). */
let laRunEnded = false;
/** Set by tryAt when the whole run belongs to a foreign (+xx, not +86) number. */
let skipRun = false;
let laText = '';

/** Digit value + 1 of every UTF-16 unit (0: not an ASCII or full-width digit). */
const DIGIT1 = new Uint8Array(65536);
for (let d = 0; d < 10; d++) {
  DIGIT1[48 + d] = d + 1;
  DIGIT1[0xff10 + d] = d + 1;
}

const ALL_FIRST = new Uint8Array(10).fill(1);
const FIRST_0148 = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
const FIRST_148 = Uint8Array.from([0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);

// The hit of the last tryAt (no object per candidate).
const T_NONE = 0;
const T_MOBILE = 1;
const T_LANDLINE = 2;
const T_SERVICE = 3;
const T_ID = 4;
const T_CARD = 5;
const TYPE_NAMES: Finding['type'][] = ['mobile', 'mobile', 'landline', 'service', 'resident-id', 'bank-card'];
let hitLen = 0; // look-ahead digits used
let hitOff = 0; // digits of country code before the national number
let hitEnd = -1; // end index when not right after the last digit (extension, ID 'X')
let hitBase = 0; // percent (a small integer keeps the module slot unboxed)

function hit(type: number, len: number, off: number, end: number, base: number): number {
  hitLen = len;
  hitOff = off;
  hitEnd = end;
  hitBase = Math.round(base * 100);
  return type;
}

export function scanNumbers(text: string, detectors: DetectorSettings, out: Finding[], limit: number): void {
  const n = text.length;
  const wantMobile = detectors.mobile.enabled;
  const wantLand = detectors.landline.enabled;
  const wantService = detectors.service.enabled;
  const wantId = detectors.residentId.enabled;
  const wantCard = detectors.bankCard.enabled;
  if (!wantMobile && !wantLand && !wantService && !wantId && !wantCard) return;
  laText = text;
  la = MAX_DIGITS + 1;
  // First digits that can start a candidate: 1 (mobile), 8 (86…/800), 4 (400), 0 (landline/0086);
  // any digit for resident IDs.
  const firstDigitOk = wantId ? ALL_FIRST : wantLand ? FIRST_0148 : FIRST_148;

  let i = 0;
  while (i < n) {
    // Fast skip to the next digit.
    let c = text.charCodeAt(i);
    // One table load per unit (faster than range tests on mixed CJK/ASCII text).
    if (DIGIT1[c] === 0) {
      i++;
      continue;
    }
    // i is a group start (previous unit is not a digit: we always arrive here after a non-digit).
    // Fast rejections without a look-ahead (most digit groups in text are dates, times,
    // amounts, order numbers):
    //  - no candidate starts with 2,3,5,6,7,9 unless cards/IDs are wanted or a '+' precedes;
    //  - a group of < 10 digits not followed by a separator cannot grow into a candidate;
    //  - a group of > 19 digits is part of no candidate.
    const d0 = c <= 57 ? c - 48 : c - 0xff10;
    let p = i + 1;
    while (p < n && DIGIT1[text.charCodeAt(p)] !== 0) p++;
    const glen = p - i;
    const plusBefore = i > 0 && isPlus(text.charCodeAt(i - 1));
    if (
      glen > MAX_DIGITS ||
      (!plusBefore &&
        ((!firstDigitOk[d0] && !(wantCard && d0 >= 2 && d0 <= 6)) ||
          (glen < 10 && (p >= n || !isSeparator(text.charCodeAt(p)))) ||
          // Area codes, 400/800 and 86 are never split: `04-08`, `8 00` start nothing
          // (unless IDs/cards, which may be grouped any way, are wanted).
          (glen < 3 && !wantId && !wantCard && (d0 === 0 || d0 === 4 || (d0 === 8 && glen < 2)))))
    ) {
      i = p;
      continue;
    }
    skipRun = false;
    const type = tryAt(text, i, n, wantMobile, wantLand, wantService, wantId, wantCard);
    if (type !== T_NONE) {
      const f = makeFinding(text, i, type, detectors);
      if (f) {
        out.push(f);
        if (out.length >= limit) break;
        i = f.end;
        continue;
      }
    }
    // A foreign +xx number: skip its whole run (laEnd - 1 is its last digit read).
    if (skipRun) i = laEnd - 1;
    else if (type === T_NONE && laRunEnded) {
      // The run ends after la digits: a later group start in it has fewer digits, so
      // only those with >= 10 digits left can still start a candidate.
      let next = -1;
      for (let b = 1; b < la && la - b >= 10; b++) {
        if (bnd[b] === 1) {
          next = b;
          break;
        }
      }
      i = next < 0 ? laEnd : dpos[next]!;
      continue;
    }
    // Skip the rest of this tight group.
    i++;
    while (i < n && DIGIT1[text.charCodeAt(i)] !== 0) i++;
  }
  laText = '';
}

/** Reads up to MAX_DIGITS digits (and the gaps between them) from group start i into dv/dpos/bnd. */
function lookAhead(text: string, i: number, n: number): void {
  for (let j = la < MAX_DIGITS + 1 ? la : MAX_DIGITS + 1; j >= 0; j--) bnd[j] = 0;
  let k = 0;
  let p = i;
  let prevBoundary = 0;
  let dotPending = false; // a lone '.' gap before the group being read
  validUpTo = MAX_DIGITS + 1;
  laRunEnded = false;
  for (;;) {
    while (p < n) {
      const v = DIGIT1[text.charCodeAt(p)]! - 1;
      if (v < 0) break;
      if (k > MAX_DIGITS) {
        la = k;
        laEnd = p;
        return; // too long: nothing can end beyond here
      }
      dv[k] = v;
      dpos[k] = p;
      k++;
      p++;
    }
    bnd[k] = 1;
    la = k;
    laEnd = p;
    // The group just read is [prevBoundary, k); a lone dot before it touching a short group cuts there.
    if (dotPending && validUpTo > MAX_DIGITS && k - prevBoundary <= 2) validUpTo = prevBoundary;
    if (k >= MAX_DIGITS) return;
    let q = p;
    let g = 0;
    while (q < n && g <= MAX_GAP && isSeparator(text.charCodeAt(q))) {
      q++;
      g++;
    }
    if (g === 0 || g > MAX_GAP || q >= n || !isDigit(text.charCodeAt(q))) {
      laRunEnded = true;
      return;
    }
    const lone = g === 1 && (text.charCodeAt(p) === 0x2e || text.charCodeAt(p) === 0xff0e);
    if (lone && validUpTo > MAX_DIGITS && k - prevBoundary <= 2) validUpTo = k;
    dotPending = lone;
    prevBoundary = k;
    p = q;
  }
}

/** A group ends after `len` digits, no letter touches the last digit, no decimal dot inside. */
function endOk(len: number): boolean {
  return len <= la && len <= validUpTo && bnd[len] === 1 && !isLetter(laText.charCodeAt(dpos[len - 1]! + 1));
}

function mobileAt(off: number): boolean {
  if (la < off + 11 || dv[off] !== 1) return false;
  const p = MOBILE_PREFIX[dv[off + 1]! * 10 + dv[off + 2]!];
  if (p === 1) return true;
  return p === 2 && dv[off + 3] === 0 && dv[off + 4]! <= 5;
}

function tryAt(
  text: string,
  i: number,
  n: number,
  wantMobile: boolean,
  wantLand: boolean,
  wantService: boolean,
  wantId: boolean,
  wantCard: boolean,
): number {
  lookAhead(text, i, n);
  const k = la;
  const plus = i > 0 && isPlus(text.charCodeAt(i - 1));
  const cc86 = dv[0] === 8 && dv[1] === 6;
  if (k < 10 || validUpTo < 10) {
    if (plus && !cc86) skipRun = true;
    return T_NONE; // shortest candidate: 10-digit service / landline numbers
  }
  const spanStart = plus ? i - 1 : i;
  if (spanStart > 0 && isLetter(text.charCodeAt(spanStart - 1))) return T_NONE;

  if (plus) {
    // An explicit international prefix: only +86 numbers are ours.
    if (wantMobile && cc86 && mobileAt(2) && endOk(13)) return hit(T_MOBILE, 13, 2, -1, 0.9);
    if (!cc86) skipRun = true; // +1 415 …, +44 …: a foreign number
    return T_NONE;
  }
  if (wantId && k >= 17 && residentIdAt(text)) return T_ID;
  if (wantCard && k >= 16 && dv[0]! >= 2 && dv[0]! <= 6) {
    for (let len = k < MAX_DIGITS ? k : MAX_DIGITS; len >= 16; len--) {
      if (endOk(len) && luhn(len)) return hit(T_CARD, len, 0, -1, 0.75);
    }
  }
  if (wantMobile) {
    if (dv[0] === 0 && dv[1] === 0 && dv[2] === 8 && dv[3] === 6 && mobileAt(4) && endOk(15)) {
      return hit(T_MOBILE, 15, 4, -1, 0.9);
    }
    if (cc86 && mobileAt(2) && endOk(13)) return hit(T_MOBILE, 13, 2, -1, 0.85);
    if (mobileAt(0) && endOk(11)) return hit(T_MOBILE, 11, 0, -1, 0.8);
  }
  if (wantService && (dv[0] === 4 || dv[0] === 8) && dv[1] === 0 && dv[2] === 0 && bnd[1] !== 1 && bnd[2] !== 1 && endOk(10)) {
    return hit(T_SERVICE, 10, 0, -1, 0.75);
  }
  if (wantLand && dv[0] === 0) {
    const d1 = dv[1]!;
    let area = 0;
    if (d1 === 1) area = dv[2] === 0 ? 3 : 0;
    else if (d1 === 2) area = 3;
    else if (d1 >= 3) area = 4;
    // Local numbers start with 2-9. One starting with 1 (`010-12345678`, a common
    // placeholder/example form) is accepted only when the area code is written apart,
    // with lower confidence; one starting with 0 never.
    const first = dv[area]!;
    const apart = bnd[area] === 1;
    // The area code is never split across groups (`080 1300 0000` is not 0801-3000000).
    let split = false;
    for (let j = 1; j < area; j++) if (bnd[j] === 1) split = true;
    if (area > 0 && !split && (first >= 2 || (first === 1 && apart))) {
      const adjust = first === 1 ? -0.15 : 0;
      for (let len = area + 8; len >= area + 7; len--) {
        if (len > k || len > validUpTo || bnd[len] !== 1) continue;
        const extEnd = extensionEnd(text, dpos[len - 1]! + 1, n);
        if (extEnd > 0) return hit(T_LANDLINE, len, 0, extEnd, 0.8 + adjust);
        // An area code written apart from the local number is the usual, clear form.
        if (endOk(len)) return hit(T_LANDLINE, len, 0, -1, (apart ? 0.75 : 0.65) + adjust);
      }
    }
  }
  return T_NONE;
}

function residentIdAt(text: string): boolean {
  const k = la;
  // 18 digits, or 17 digits followed directly by X/x.
  let check = -1;
  let end = -1;
  let len = 0;
  if (k >= 18 && endOk(18)) {
    check = dv[17]!;
    len = 18;
  } else if (bnd[17] === 1 && validUpTo >= 17) {
    const p = dpos[16]! + 1;
    const c = text.charCodeAt(p);
    if ((c === 88 || c === 120) && !isLetter(text.charCodeAt(p + 1)) && !isDigit(text.charCodeAt(p + 1))) {
      check = 10;
      len = 17;
      end = p + 1;
    }
  }
  if (check < 0) return false;
  // Birth date YYYYMMDD at digits 6..13, 19xx or 20xx.
  const y = dv[6]! * 1000 + dv[7]! * 100 + dv[8]! * 10 + dv[9]!;
  const m = dv[10]! * 10 + dv[11]!;
  const d = dv[12]! * 10 + dv[13]!;
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (d > dim) return false;
  // ISO 7064 MOD 11-2.
  let sum = 0;
  for (let j = 0; j < 17; j++) sum += dv[j]! * ID_WEIGHTS[j]!;
  const expected = (12 - (sum % 11)) % 11;
  if (expected !== check) return false;
  hit(T_ID, len, 0, end, 0.9);
  return true;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function luhn(len: number): boolean {
  let sum = 0;
  let dbl = false;
  for (let j = len - 1; j >= 0; j--) {
    let v = dv[j]!;
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/**
 * An extension right after a landline: optional spaces, then 转 / 分机 / ext / ext.,
 * optional spaces or a colon, then 1–6 digits not followed by a digit or letter.
 * Returns the end index (exclusive) of the extension's last digit, or -1.
 */
function extensionEnd(text: string, p: number, n: number): number {
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

function makeFinding(text: string, i: number, t: number, detectors: DetectorSettings): Finding | null {
  const type = TYPE_NAMES[t]!;
  const start = hitOff > 0 && i > 0 && isPlus(text.charCodeAt(i - 1)) ? i - 1 : i;
  const lastDigitEnd = dpos[hitLen - 1]! + 1;
  const end = hitEnd > 0 ? hitEnd : lastDigitEnd;
  // Tight ASCII digits (the common case): slice them from the text, else build.
  const d0pos = dpos[hitOff]!;
  const d1pos = dpos[hitLen - 1]!;
  let digits =
    d1pos - d0pos === hitLen - 1 - hitOff && text.charCodeAt(d0pos) <= 57 && text.charCodeAt(d1pos) <= 57 && asciiRun(text, d0pos, d1pos)
      ? text.slice(d0pos, d1pos + 1)
      : digitString(hitOff, hitLen);
  if (t === T_ID && hitLen === 17) digits += 'X';

  let conf = hitBase / 100;
  // Grouping: many groups (1 3 8 1 2 …) is an odd way to write a number.
  let groups = 0;
  for (let j = 1; j <= hitLen; j++) groups += bnd[j]!;
  if (groups > 5) conf -= 0.15;
  // A grouped candidate that is only a piece of a longer grouped digit sequence.
  if (groups > 1 && (digitBefore(text, start) || digitAfter(text, lastDigitEnd))) conf -= 0.15;
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
  const o = hitOff;
  const masked =
    t === T_MOBILE
      ? String.fromCharCode(48 + dv[o]!, 48 + dv[o + 1]!, 48 + dv[o + 2]!, 42, 42, 42, 42, 48 + dv[o + 7]!, 48 + dv[o + 8]!, 48 + dv[o + 9]!, 48 + dv[o + 10]!)
      : maskNumber(digits, type);
  return { type, level, start, end, masked, confidence: conf, normalized: digits };
}

function asciiRun(text: string, from: number, to: number): boolean {
  for (let q = from; q <= to; q++) if (text.charCodeAt(q) > 57) return false;
  return true;
}

/** dv[from..to) as an ASCII digit string (one flat string, no concatenation chain). */
function digitString(from: number, to: number): string {
  const o = from;
  if (to - from === 11) {
    return String.fromCharCode(
      48 + dv[o]!, 48 + dv[o + 1]!, 48 + dv[o + 2]!, 48 + dv[o + 3]!, 48 + dv[o + 4]!, 48 + dv[o + 5]!,
      48 + dv[o + 6]!, 48 + dv[o + 7]!, 48 + dv[o + 8]!, 48 + dv[o + 9]!, 48 + dv[o + 10]!,
    );
  }
  for (let j = from; j < to; j++) codes[j - from] = 48 + dv[j]!;
  return String.fromCharCode.apply(null, Array.from(codes.subarray(0, to - from)));
}
const codes = new Uint16Array(MAX_DIGITS + 2);

function isPlus(c: number): boolean {
  return c === 0x2b || c === 0xff0b;
}

/** A digit within a separator gap before `start`. */
function digitBefore(text: string, start: number): boolean {
  let q = start - 1;
  let g = 0;
  while (q >= 0 && g < MAX_GAP && isSeparator(text.charCodeAt(q))) {
    q--;
    g++;
  }
  return g > 0 && q >= 0 && isDigit(text.charCodeAt(q));
}

/** A digit within a separator gap after `end`. */
function digitAfter(text: string, end: number): boolean {
  let q = end;
  let g = 0;
  while (q < text.length && g < MAX_GAP && isSeparator(text.charCodeAt(q))) {
    q++;
    g++;
  }
  return g > 0 && q < text.length && isDigit(text.charCodeAt(q));
}
