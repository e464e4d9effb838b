/**
 * How the groups of a candidate are written: same gaps, canonical shapes for `/` `_` and
 * marks, numerals just beyond it. Per candidate, not per text unit, so run.ts's tables
 * are read here under module-private names only to spare the module-cell loads.
 */
import { isSeparator } from './chars';
import { bnd, CHINESE, dpos, ENCLOSED, isGap, isSoftSeparator, MARK, MAX_GAP, NUM1, run, SOFT } from './run';

const positions = dpos;
const bounds = bnd;
const codeOf = NUM1;

/** First unit of the gap at boundary b (0 < b < run.len): it follows numeral b - 1. */
function gapChar(b: number): number {
  return run.text.charCodeAt(positions[b - 1]! + 1);
}

/** The gaps at boundaries a and b (inside the run) are written alike: same first unit, same length. */
export function sameGap(a: number, b: number): boolean {
  return gapChar(a) === gapChar(b) && positions[a]! - positions[a - 1]! === positions[b]! - positions[b - 1]!;
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
 * (run.ts `endsAt`) itself (a landline may end in an extension).
 */
export function shapeOk(len: number, a: number, b: number): boolean {
  const kind = bounds[a]!;
  const p = positions[a - 1]! + 1; // the gap at a
  const g = positions[a]! - p;
  const text = run.text;
  if (kind !== SOFT && kind !== MARK) return false;
  if (b > 0 && (bounds[b] !== kind || positions[b]! - positions[b - 1]! - 1 !== g || !repeats(text, p, positions[b - 1]! + 1, g))) return false;
  for (let j = 1; j < len; j++) if (isGap(bounds[j]!) && j !== a && j !== b) return false;
  const s = positions[0]!;
  const e = positions[len - 1]! + 1;
  if (kind === SOFT) return !(s > 0 && isSoftSeparator(text.charCodeAt(s - 1))) && !isSoftSeparator(text.charCodeAt(e));
  return !(repeats(text, p, e, g) && continues(text, e + g, e - 1)) && !(s - g > 0 && repeats(text, p, s - g, g) && continues(text, s - g - 1, s));
}

/**
 * The numeral at `at` continues the run whose numeral at `edge` is beside the mark. A
 * Chinese one only continues Chinese numerals: `张三 | 138 | 1234 | 5678` is a name.
 */
function continues(text: string, at: number, edge: number): boolean {
  const v = codeOf[text.charCodeAt(at)]!;
  return v > 0 && ((v & CHINESE) === 0 || (codeOf[text.charCodeAt(edge)]! & CHINESE) !== 0);
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
export function numeralBefore(text: string, start: number): boolean {
  let q = start - 1;
  let g = 0;
  while (q >= 0 && g < MAX_GAP && isSeparator(text.charCodeAt(q))) {
    q--;
    g++;
  }
  if (g === 0 || q < 0) return false;
  const v = codeOf[text.charCodeAt(q)]!;
  return v > 0 && v < ENCLOSED;
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
