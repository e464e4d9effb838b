/**
 * Number scanner: one pass over the text with `charCodeAt`, no regular expressions.
 *
 * The text is seen as numeral *segments* joined into *runs* (run.ts: separator gaps of
 * at most MAX_GAP units, a single `/` or `_`, or a change between Arabic and Chinese
 * numerals). A candidate always starts at a segment start and ends at a segment end,
 * so a number is never matched inside a longer tight digit run (order numbers,
 * timestamps, IDs, cards), and never when a Latin letter touches it. What the digits
 * are is decided in classify.ts / landline.ts; this module walks the text and turns a
 * hit into a Finding.
 *
 * At each segment start at most MAX_DIGITS numerals (and the gaps between them) are
 * read ahead, so the work per segment start is bounded by a constant and the whole scan
 * is linear in the text length, whatever the input.
 */
import { isMark, isSeparator } from './chars';
import { isPlus, tryAt } from './classify';
import { contextBias, LOWER_DELTA, RAISE_DELTA } from './context';
import { maskNumber } from './mask';
import { hit, T_ID, T_LANDLINE, T_MOBILE, T_NONE, T_SERVICE } from './hit';
import { beginRuns, bnd as sharedBnd, dpos as sharedDpos, dv as sharedDv, ENCLOSED, isSoftSeparator, MAX_DIGITS, NONE, NUM1 as sharedNUM1, run } from './run';
import { numeralAfter, numeralBefore } from './shape';
import type { DetectorSettings, Finding } from './types';

// run.ts's tables under module-private names: an imported binding is re-read from its
// module cell on every use when the modules run unbundled (tsx, the benchmark), and
// the compiler then cannot drop the bounds checks of the hot loops.
const bnd = sharedBnd;
const dpos = sharedDpos;
const dv = sharedDv;
const NUM1 = sharedNUM1;

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

  let i = 0;
  while (i < n) {
    // Fast skip to the next numeral: one table load per unit (faster than range tests
    // on mixed CJK/ASCII text).
    const v = NUM1[text.charCodeAt(i)]!;
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
    while (p < n && ((NUM1[text.charCodeAt(p)]! - lo) >>> 0) <= 9) p++;
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
          NUM1[next] === 0 && // the other script right after joins the segment into a run
          // A mark continues a run only after 3–4 numerals (run.ts): `13:12:34` starts nothing.
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
      while (i < n && NUM1[text.charCodeAt(i)] !== 0) i++;
      continue;
    }
    if (type === T_NONE && run.ended) {
      // The run ends after run.len numerals: a later segment start in it has fewer
      // numerals, so only those with >= 10 numerals left can still start a candidate.
      let nextStart = -1;
      for (let b = 1; b < run.len && run.len - b >= 10; b++) {
        if (bnd[b] !== NONE) {
          nextStart = b;
          break;
        }
      }
      i = nextStart < 0 ? run.end : dpos[nextStart]!;
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
  const lastDigitEnd = dpos[len - 1]! + 1;
  const end = hit.end > 0 ? hit.end : lastDigitEnd;
  // Tight ASCII digits (the common case): slice them from the text, else build.
  const d0pos = dpos[o]!;
  const d1pos = dpos[len - 1]!;
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
  for (let j = 1; j < len; j++) groups += bnd[j]! & 1;
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
