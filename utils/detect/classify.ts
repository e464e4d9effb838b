/**
 * What the numerals read at one candidate start are: mobile, landline (landline.ts),
 * service, resident ID or bank card — or nothing. Works on the scratch state of run.ts
 * and reports through `hit`; O(MAX_DIGITS) per call.
 */
import { isLetter } from './chars';
import { landlineAt, SOFT_PENALTY } from './landline';
import { hit, setHit, T_CARD, T_ID, T_MOBILE, T_NONE, T_SERVICE } from './hit';
import { bnd as sharedBnd, dpos as sharedDpos, dv as sharedDv, endOk, endsAt, GAP, isGap, isNumeral, lookAhead, MARK, MAX_DIGITS, NONE, run } from './run';
import { DATA_ONLY_PREFIXES, MOBILE_PREFIXES } from './numbering.generated';
import { sameGap, shapeOk } from './shape';

// run.ts's tables under module-private names: an imported binding is re-read from its
// module cell on every use when the modules run unbundled (tsx, the benchmark), and
// the compiler then cannot drop the bounds checks of the hot loops.
const bnd = sharedBnd;
const dpos = sharedDpos;
const dv = sharedDv;

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
export const DATA_ONLY_PENALTY = 0.3;
/** Penalty of the last successful mobileAt (0, or DATA_ONLY_PENALTY). */
let mobilePenalty = 0;

export function isPlus(c: number): boolean {
  return c === 0x2b || c === 0xff0b;
}

function mobileAt(off: number): boolean {
  if (run.len < off + 11 || dv[off] !== 1) return false;
  const ix = dv[off + 1]! * 10 + dv[off + 2]!;
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
    while (j < rest.length && dv[off + 3 + j] === rest[j]) j++;
    if (j === rest.length) return true;
  }
  return false;
}

/**
 * Classifies the candidate starting at segment start i. Sets `hit.foreign` when the
 * whole run belongs to a foreign (+xx, not +86) number.
 */
export function tryAt(i: number, wantMobile: boolean, wantLand: boolean, wantService: boolean, wantId: boolean, wantCard: boolean): number {
  lookAhead(i);
  hit.foreign = false;
  const text = run.text;
  const k = run.len;
  const plus = i > 0 && isPlus(text.charCodeAt(i - 1));
  const cc86 = dv[0] === 8 && dv[1] === 6;
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
    if (wantLand && !isGap(bnd[1]!)) return landlineAt(2, true);
    return T_NONE;
  }
  if (wantId && k >= 17 && residentIdAt(text)) return T_ID;
  if (wantCard && k >= 16 && dv[0]! >= 2 && dv[0]! <= 6) {
    for (let len = k < MAX_DIGITS ? k : MAX_DIGITS; len >= 16; len--) {
      if (endOk(len) && luhn(len)) return setHit(T_CARD, len, 0, -1, 0.75);
    }
  }
  const c0086 = dv[0] === 0 && dv[1] === 0 && dv[2] === 8 && dv[3] === 6;
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
  if (wantService && (dv[0] === 4 || dv[0] === 8) && dv[1] === 0 && dv[2] === 0 && !isGap(bnd[1]!) && !isGap(bnd[2]!)) {
    if (endOk(10)) {
      if (!partOfLongerNumber(10)) return setHit(T_SERVICE, 10, 0, -1, 0.75);
    } else if (bnd[3] === MARK && endsAt(10) && (shapeOk(10, 3, 6) || shapeOk(10, 3, 7))) {
      // `400:123:4567`, `800|8888|123`: marks only as 3-3-4 or 3-4-3 (and no `/` `_` at
      // all: `800/820/8820` reads as a ratio).
      return setHit(T_SERVICE, 10, 0, -1, 0.75 - SOFT_PENALTY);
    }
  }
  if (wantLand && dv[0] === 0) {
    // `0086 755 12345678`: 0086 written as one tight group.
    if (c0086) return bnd[1] === NONE && bnd[2] === NONE && bnd[3] === NONE ? landlineAt(4, true) : T_NONE;
    return landlineAt(0, false);
  }
  return T_NONE;
}

/**
 * `150/2000/3000`, `180/1200/2400`: slash-separated sizes and quantities. Both 4-digit
 * groups ending in 00 is what measurements look like (a real number: 1 in 10 000).
 */
function roundMeasures(): boolean {
  return dv[5] === 0 && dv[6] === 0 && dv[9] === 0 && dv[10] === 0;
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
  if (bnd[len] !== GAP || !run.ended || rest < 3 || rest > 9) return false;
  let last = len - 1;
  while (last > 0 && !isGap(bnd[last]!)) last--;
  if (last === 0 || !sameGap(last, len)) return false;
  let next = len + 1;
  while (next < run.len && bnd[next] === NONE) next++;
  return next - len >= 3;
}

function residentIdAt(text: string): boolean {
  const k = run.len;
  // 18 digits, or 17 digits followed directly by X/x.
  let check = -1;
  let end = -1;
  let len = 0;
  if (k >= 18 && endOk(18)) {
    check = dv[17]!;
    len = 18;
  } else if (bnd[17] !== NONE && run.validUpTo >= 17 && run.firstSoft >= 17) {
    const p = dpos[16]! + 1;
    const c = text.charCodeAt(p);
    if ((c === 88 || c === 120) && !isLetter(text.charCodeAt(p + 1)) && !isNumeral(text.charCodeAt(p + 1))) {
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
  setHit(T_ID, len, 0, end, 0.9);
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
