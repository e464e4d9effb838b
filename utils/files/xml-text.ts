/**
 * The text of an Office XML part (XLSX sheets and shared strings, DOCX, PPTX, ODF),
 * read piece by piece: tags are dropped, entities decoded, and the tags that end a
 * cell, row or paragraph become a tab or a line break, so two cells never read as one
 * number while the runs of one paragraph (`<w:r>138</w:r><w:r>1234…`) still do.
 * One linear pass; a tag cut between two pieces is carried over.
 */

/** Local tag names (prefix dropped) that end a cell or a line, and what they become. */
const SEPARATORS: Record<string, string> = {
  // SpreadsheetML: cell, row, shared string item
  c: '\t',
  row: '\n',
  si: '\n',
  // WordprocessingML / DrawingML: paragraph, table cell, tab, breaks
  p: '\n',
  tc: '\t',
  tr: '\n',
  tab: '\t',
  br: '\n',
  cr: '\n',
  // ODF: heading, cell, spaces, line break
  h: '\n',
  'table-cell': '\t',
  'table-row': '\n',
  s: ' ',
  'line-break': '\n',
};

/** Longest tag carried over between pieces (real ones are far shorter). */
const MAX_TAG = 64 * 1024;

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body] ?? whole;
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function separatorOf(tag: string): string {
  // tag is the inside of <…>: "/w:p", "w:br/", "c r=\"A1\" t=\"s\"", "?xml …", "!-- … --"
  let start = tag.charCodeAt(0) === 47 /* / */ ? 1 : 0;
  let end = start;
  while (end < tag.length) {
    const code = tag.charCodeAt(end);
    if (code === 32 || code === 47 || code === 9 || code === 10 || code === 13) break;
    end++;
  }
  const colon = tag.lastIndexOf(':', end);
  if (colon >= start) start = colon + 1;
  const name = tag.slice(start, end);
  const sep = SEPARATORS[name];
  if (sep === undefined) return '';
  const closing = tag.charCodeAt(0) === 47;
  const selfClosing = tag.charCodeAt(tag.length - 1) === 47;
  // Containers separate when they end; empty elements (<w:tab/>, <w:br/>, <text:s/>) where they stand.
  if (closing || selfClosing) return sep;
  return '';
}

export interface XmlTextReader {
  /** Feed the next piece of the XML; returns its text (possibly ''). */
  push(xml: string): string;
  /** Text left over at the end (a dangling tag is dropped). */
  end(): string;
}

export function createXmlTextReader(): XmlTextReader {
  let carry = '';
  return {
    push(piece) {
      const xml = carry ? carry + piece : piece;
      carry = '';
      const out: string[] = [];
      let at = 0;
      while (at < xml.length) {
        const open = xml.indexOf('<', at);
        if (open < 0) {
          // Text may end in a cut entity ("&am"): keep a short tail for the next piece.
          const amp = xml.lastIndexOf('&');
          if (amp >= at && xml.length - amp < 12 && xml.indexOf(';', amp) < 0) {
            out.push(decodeXmlEntities(xml.slice(at, amp)));
            carry = xml.slice(amp);
          } else out.push(decodeXmlEntities(xml.slice(at)));
          break;
        }
        if (open > at) out.push(decodeXmlEntities(xml.slice(at, open)));
        const close = xml.indexOf('>', open + 1);
        if (close < 0) {
          // A tag cut by the piece boundary; a "tag" longer than any real one is dropped
          // (carrying it on would make a hostile file quadratic).
          if (xml.length - open <= MAX_TAG) carry = xml.slice(open);
          break;
        }
        const sep = separatorOf(xml.slice(open + 1, close));
        if (sep) out.push(sep);
        at = close + 1;
      }
      return out.join('');
    },
    end() {
      const rest = carry && carry[0] !== '<' ? decodeXmlEntities(carry) : '';
      carry = '';
      return rest;
    },
  };
}
