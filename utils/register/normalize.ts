/**
 * Normalization shared by the server (import) and the guard (lookup), so both hash the
 * same string: names NFKC, full-width ASCII folded to half-width, Latin lower-cased,
 * spaces and invisible characters removed; numbers in the detector's canonical form.
 */
import { DEFAULT_DETECTORS, scanText, type DetectorSettings, type Finding } from '../detect';

/** Finding types that identify a customer (looked up in the register). */
export const NUMBER_TYPES: ReadonlySet<string> = new Set(['mobile', 'landline', 'service', 'resident-id']);

/** The fold of one UTF-16 unit: the unit to keep, or -1 for one that is skipped. */
export function foldUnit(c: number): number {
  if (c > 0x3000 && c < 0xfeff) return c; // CJK and most of the BMP: kept as is (the common case, one test)
  if (c <= 0x20 || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x2060 || (c >= 0x200b && c <= 0x200d)) return -1;
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII
  if (c >= 0x41 && c <= 0x5a) c += 0x20;
  return c;
}

/** A customer or contact name as the register keeps it (before hashing). */
export function normalizeName(name: string): string {
  const nfkc = name.normalize('NFKC');
  let out = '';
  for (let i = 0; i < nfkc.length; i++) {
    const c = foldUnit(nfkc.charCodeAt(i));
    if (c >= 0) out += String.fromCharCode(c);
  }
  return out;
}

/** Text folded unit by unit, with the original index of every kept unit. */
export interface FoldedText {
  units: Uint16Array;
  /** offsets[i] = index in the original text of units[i]. */
  offsets: Int32Array;
  length: number;
}

/**
 * Page or outgoing text folded like names are (NFKC itself is not run over the text:
 * it would cost more than the scan; full-width forms, the common case, are folded).
 * The matcher folds unit by unit as it reads (match.ts findNames); this whole-text form
 * is the reference its tests compare against.
 */
export function foldText(text: string): FoldedText {
  const units = new Uint16Array(text.length);
  const offsets = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = foldUnit(text.charCodeAt(i));
    if (c < 0) continue;
    units[n] = c;
    offsets[n++] = i;
  }
  return { units, offsets, length: n };
}

export function unitsOf(text: string): Uint16Array {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

/** Detectors for reading a register cell: every number kind on, resident IDs too. */
const CELL_DETECTORS: DetectorSettings = {
  ...DEFAULT_DETECTORS,
  residentId: { enabled: true, level: '绝密' },
  marker: { ...DEFAULT_DETECTORS.marker, enabled: false },
};

/**
 * The canonical numbers in one register cell (it may hold several, `138…; 139…`), read by
 * the detector itself so they equal the `normalized` of what the guard finds in a page.
 * Empty when the cell holds none.
 */
export function numbersInCell(cell: string): string[] {
  return scanText(cell, { detectors: CELL_DETECTORS })
    .filter((finding: Finding) => NUMBER_TYPES.has(finding.type))
    .map((finding) => finding.normalized);
}
