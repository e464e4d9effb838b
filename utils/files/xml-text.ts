/**
 * The text of an Office XML part (XLSX sheets and shared strings, DOCX, PPTX, ODF),
 * read piece by piece from its UTF-8 bytes: tags are dropped, entities decoded, and the
 * tags that end a cell, row or paragraph become a tab or a line break, as the page's
 * text map separates table cells and blocks, while the runs of one paragraph
 * (`<w:r>138</w:r><w:r>1234…`) still read as one. One linear pass over bytes (tags are
 * ASCII in UTF-8, so '<' and '>' never occur inside a character); a tag cut between two
 * pieces is carried over. Bytes, not strings: a spreadsheet holds millions of tags, and
 * slicing each one as a string cost more than the scan itself (docs/PERFORMANCE.md).
 */
import { createUtf8PieceDecoder } from './utf8';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;
const TAB = 0x09;
const NL = 0x0a;
const SPACE = 0x20;

/** Longest tag carried over between pieces (real ones are far shorter). */
const MAX_TAG = 64 * 1024;

/**
 * Separator for a tag's local name (prefix dropped), or 0. SpreadsheetML: c (cell),
 * row, si (shared string); WordprocessingML/DrawingML: p, tc, tr, tab, br, cr; ODF: h,
 * table-cell, table-row, s (space), line-break.
 */
function separatorOf(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  const c0 = b[start]!;
  switch (len) {
    case 1:
      return c0 === 0x63 /* c */ ? TAB : c0 === 0x70 /* p */ || c0 === 0x68 /* h */ ? NL : c0 === 0x73 /* s */ ? SPACE : 0;
    case 2: {
      const c1 = b[start + 1]!;
      if (c0 === 0x73 && c1 === 0x69) return NL; // si
      if (c0 === 0x74 && c1 === 0x63) return TAB; // tc
      if (c0 === 0x74 && c1 === 0x72) return NL; // tr
      if ((c0 === 0x62 || c0 === 0x63) && c1 === 0x72) return NL; // br, cr
      return 0;
    }
    case 3: {
      const c1 = b[start + 1]!;
      const c2 = b[start + 2]!;
      if (c0 === 0x72 && c1 === 0x6f && c2 === 0x77) return NL; // row
      if (c0 === 0x74 && c1 === 0x61 && c2 === 0x62) return TAB; // tab
      return 0;
    }
    case 9:
    case 10: {
      const name = String.fromCharCode(...b.subarray(start, end));
      return name === 'table-cell' ? TAB : name === 'table-row' || name === 'line-break' ? NL : 0;
    }
    default:
      return 0;
  }
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body] ?? whole;
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

export interface XmlTextReader {
  /** Feed the next piece of the XML's bytes; returns its text (possibly ''). */
  push(xml: Uint8Array, final?: boolean): string;
}

export function createXmlTextReader(): XmlTextReader {
  let carry: Uint8Array | null = null;
  let out = new Uint8Array(64 * 1024);
  const decoder = createUtf8PieceDecoder();
  // An entity cut between pieces ("&am" + "p;") is decoded once the text is joined: the
  // entity pass runs on the decoded text of each piece, so a cut one is kept for the next.
  let pendingText = '';

  return {
    push(piece, final = false) {
      let b = piece;
      if (carry) {
        b = new Uint8Array(carry.length + piece.length);
        b.set(carry);
        b.set(piece, carry.length);
        carry = null;
      }
      if (out.length < b.length) out = new Uint8Array(b.length);
      // One loop over the bytes: text bytes are copied, a tag is skipped and, when it ends
      // a cell or a line, leaves its separator. (Per-segment subarray/indexOf calls cost
      // more than the copying on spreadsheets, where segments are a few bytes long.)
      let n = 0;
      const len = b.length;
      let i = 0;
      while (i < len) {
        const ch = b[i]!;
        if (ch !== LT) {
          out[n++] = ch;
          i++;
          continue;
        }
        const open = i;
        let j = open + 1;
        const closing = b[j] === SLASH;
        if (closing) j++;
        let nameStart = j;
        while (j < len) {
          const c = b[j]!;
          if (c === GT || c === SPACE || c === SLASH || c === TAB || c === NL || c === 0x0d) break;
          if (c === COLON) nameStart = j + 1;
          j++;
        }
        const nameEnd = j;
        while (j < len && b[j] !== GT) j++;
        if (j >= len) {
          // A tag cut by the piece boundary; a "tag" longer than any real one is dropped
          // (carrying it on would make a hostile file quadratic).
          if (len - open <= MAX_TAG && !final) carry = b.slice(open);
          break;
        }
        // Containers separate where they end, empty elements (<w:tab/>, <w:br/>, <text:s/>) where they stand.
        if ((closing || b[j - 1] === SLASH) && nameEnd > nameStart) {
          const sep = separatorOf(b, nameStart, nameEnd);
          if (sep !== 0) out[n++] = sep;
        }
        i = j + 1;
      }
      let text = pendingText + decoder.decode(out.subarray(0, n), final);
      pendingText = '';
      const amp = text.lastIndexOf('&');
      if (!final && amp >= 0 && text.length - amp < 12 && text.indexOf(';', amp) < 0) {
        pendingText = text.slice(amp);
        text = text.slice(0, amp);
      }
      return decodeXmlEntities(text);
    },
  };
}
