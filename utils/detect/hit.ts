/**
 * The candidate a classifier picked (classify.ts, landline.ts), read by the scan loop
 * (numbers.ts) to build the Finding: module state, no object per candidate.
 */

export const T_NONE = 0;
export const T_MOBILE = 1;
export const T_LANDLINE = 2;
export const T_SERVICE = 3;
export const T_ID = 4;
export const T_CARD = 5;

/** The hit of the last classification (no object per candidate). */
export const hit = {
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

export function setHit(type: number, len: number, off: number, end: number, base: number): number {
  hit.len = len;
  hit.off = off;
  hit.end = end;
  hit.base = Math.round(base * 100);
  hit.zero = false;
  return type;
}
