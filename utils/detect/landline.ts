/**
 * Fixed-line numbers: an area code of libphonenumber's metadata (010, 02x, 0xxx), then a
 * local number of the length the metadata gives that area code (7 or 8 digits).
 * Own module because the country-code form (`+86 10 8888 6666`, where the area code
 * loses its trunk 0) and the extension suffix make it the largest classifier.
 */
import { isDigit, isLetter, isSpace } from './chars';
import { hit, setHit, T_LANDLINE, T_NONE } from './hit';
import { bnd as sharedBnd, dpos as sharedDpos, dv as sharedDv, endsAt, isGap, MARK, NONE, run } from './run';
import { AREA_CODES } from './numbering.generated';
import { shapeOk } from './shape';

/**
 * Area codes from libphonenumber's metadata (numbering.generated.ts), without the trunk
 * 0: AREA2 by the 2-digit codes 10 and 2x, AREA3 by the 3-digit ones. Value: the lengths
 * of local numbers, 1 = 7 digits, 2 = 8 digits, 3 = both; 0 = no area code.
 */
const AREA2 = new Uint8Array(100);
const AREA3 = new Uint8Array(1000);
for (const [code, lengths] of AREA_CODES) (code.length === 2 ? AREA2 : AREA3)[Number(code)] = lengths;

// run.ts's tables under module-private names: an imported binding is re-read from its
// module cell on every use when the modules run unbundled (tsx, the benchmark), and
// the compiler then cannot drop the bounds checks of the hot loops.
const bnd = sharedBnd;
const dpos = sharedDpos;
const dv = sharedDv;

/** Confidence taken off a candidate written with `/`, `_` or a mark between its groups. */
export const SOFT_PENALTY = 0.1;
/** Confidence added when +86 / 0086 says "a Chinese number" explicitly. */
const CC_BONUS = 0.05;

/**
 * A landline whose national number starts at numeral `off`: 0 for the domestic form
 * (`010-62345678`, the trunk 0 written), 2 after +86 and 4 after 0086 (`cc`). After a
 * country code the area code is written without its 0 (`+86 10 …`, `0086 755 …`) and
 * `normalized` gets the 0 back; a written 0 (`+86 010 …`, `+86 (0)10 …`) is tolerated.
 */
export function landlineAt(off: number, cc: boolean): number {
  const k = run.len;
  let z: number; // first area-code numeral after the trunk 0
  let zero = false; // the trunk 0 is not in the text
  if (dv[off] === 0) z = off + 1;
  else if (cc) {
    z = off;
    zero = true;
  } else return T_NONE;
  const d1 = dv[z]!;
  let e = 0; // index just after the area code
  let lengths = 0; // local-number lengths of the area code (AREA2 / AREA3)
  if (d1 === 1 || d1 === 2) {
    e = z + 2;
    lengths = AREA2[d1 * 10 + dv[z + 1]!]!;
  } else if (d1 >= 3) {
    e = z + 3;
    lengths = AREA3[d1 * 100 + dv[z + 1]! * 10 + dv[z + 2]!]!;
  }
  if (lengths === 0 || e >= k) return T_NONE;
  // The area code is never split across groups (`080 1300 0000` is not 0801-3000000).
  // After a country code, a written trunk 0 may stand apart: `+86 (0)10 …`.
  for (let j = cc && !zero ? z + 1 : off + 1; j < e; j++) if (isGap(bnd[j]!)) return T_NONE;
  // Local numbers start with 2-9. One starting with 1 (`010-12345678`, a common
  // placeholder/example form) is accepted only when the area code is written apart,
  // with lower confidence; one starting with 0 never.
  const first = dv[e]!;
  const apart = isGap(bnd[e]!);
  if (!(first >= 2 || (first === 1 && apart))) return T_NONE;
  const adjust = (first === 1 ? -0.15 : 0) + (cc ? CC_BONUS : 0);
  for (let len = e + 8; len >= e + 7; len--) {
    if (len > k || len > run.validUpTo || bnd[len] === NONE || (lengths & (len - e === 8 ? 2 : 1)) === 0) continue;
    let a = adjust;
    if (run.firstSoft < len) {
      // `010/12345678`: only area code / local number, one group each, domestic form.
      // With a mark also the local number split before its last 4 digits (`0755:8888:6666`,
      // `0571|876|5432`) — how local numbers are written; `/` keeps to the stricter shape.
      if (cc || !(shapeOk(len, e, 0) || (bnd[e] === MARK && shapeOk(len, e, len - 4)))) continue;
      a -= SOFT_PENALTY;
    }
    const extEnd = extensionEnd(run.text, dpos[len - 1]! + 1);
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
export function extensionEnd(text: string, p: number): number {
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
