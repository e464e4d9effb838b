/**
 * Character classes used by the scanners. All work on UTF-16 code units
 * (`charCodeAt`), never allocate, and are O(1).
 */

/** Value 0..9 of an ASCII or full-width digit (０-９), else -1. */
export function digitValue(c: number): number {
  if (c <= 57) return c >= 48 ? c - 48 : -1;
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10;
  return -1;
}

export function isDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19);
}

/** ASCII or full-width Latin letter. */
export function isLetter(c: number): boolean {
  if (c < 128) {
    const l = c | 32;
    return l >= 97 && l <= 122;
  }
  return (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);
}

/** Zero-width / invisible characters people (or tools) leave between digits. */
export function isInvisible(c: number): boolean {
  return c === 0x200b || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff || c === 0x00ad;
}

/**
 * Separators allowed between the digit groups of a phone number: space, tab, line
 * breaks, - . · – — － NBSP, ideographic space, thin/narrow spaces, other dashes,
 * parentheses (ASCII and full-width, for `(010)`/`（0755）`/`(+86)`), and the
 * invisible characters of {@link isInvisible}.
 */
export function isSeparator(c: number): boolean {
  switch (c) {
    case 0x20: // space
    case 0x09: // tab
    case 0x0a: // \n
    case 0x0d: // \r
    case 0x2d: // -
    case 0x2e: // .
    case 0x28: // (
    case 0x29: // )
    case 0xa0: // NBSP
    case 0xad: // soft hyphen
    case 0xb7: // ·
    case 0x2009: // thin space
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2013: // –
    case 0x2014: // —
    case 0x2212: // minus
    case 0x202f: // narrow NBSP
    case 0x200b:
    case 0x200c:
    case 0x200d:
    case 0x2060:
    case 0xfeff:
    case 0x3000: // ideographic space
    case 0x30fb: // katakana middle dot (often typed for ·)
    case 0xff08: // （
    case 0xff09: // ）
    case 0xff0d: // －
    case 0xff0e: // ．
      return true;
    default:
      return false;
  }
}

/**
 * Marks typed between the groups of a disguised number: `:` `：` `|` `｜` `~` `～` `*` `＊`
 * `，` `、` (`138:1234:5678`, `138｜1234｜5678`). Unlike separators they usually mean
 * something else (times, ratios, ranges, tables, products, lists), so the number scanner takes them
 * only after a group of 3–4 numerals and the classifiers only in canonical groupings,
 * the same mark throughout. Not the ASCII `,`: `1,380,000`, CSV rows.
 */
export function isMark(c: number): boolean {
  switch (c) {
    case 0x3a: // :
    case 0xff1a: // ：
    case 0x7c: // |
    case 0xff5c: // ｜
    case 0x7e: // ~
    case 0xff5e: // ～
    case 0x2a: // *
    case 0xff0a: // ＊
    case 0xff0c: // ，
    case 0x3001: // 、
      return true;
    default:
      return false;
  }
}

/**
 * Marks also taken with exactly one space either side (`138 / 1234 / 5678`,
 * `138 | 1234 | 5678`): how slashes and bars are written between table cells or fields.
 * A tight `/` stays a soft separator (number-scanner.ts).
 */
export function isSpacedMark(c: number): boolean {
  return c === 0x2f || c === 0xff0f || c === 0x7c || c === 0xff5c;
}

/** Horizontal whitespace (no line breaks). */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x3000 || c === 0x2009 || c === 0x202f || isInvisible(c);
}

export function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/** ASCII letter, digit or underscore (for word boundaries of Latin extra terms). */
export function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

/** ASCII lower-case fold (other characters unchanged). */
export function foldAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
