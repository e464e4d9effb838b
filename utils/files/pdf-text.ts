/**
 * Text of a PDF, as far as it can be read without a PDF engine: content streams
 * (FlateDecode or unfiltered) are inflated and the strings of their text operators
 * (Tj, TJ, ', ") collected. That reads what report writers such as jsPDF produce with
 * standard fonts, where digits are digits. A PDF whose text is in embedded-subset or CID
 * fonts (glyph ids, not characters: almost every Chinese PDF) cannot be read this way;
 * it is reported as `unmapped-text` and decided by provenance. pdf.js would read more,
 * but it is a megabyte of code in every frame's content script; see docs/ARCHITECTURE.md.
 */
import { Inflate, Unzlib } from 'fflate';
import type { Pause, ReadLimits, ReadResult, TextSink } from './types';

const latin1 = new TextDecoder('latin1');

/** Streams of a PDF: [dictionary text, raw bytes]. Linear: one indexOf walk. */
function* streams(bytes: Uint8Array, text: string): Generator<{ dict: string; data: Uint8Array }> {
  let at = 0;
  for (;;) {
    const start = text.indexOf('stream', at);
    if (start < 0) return;
    if (text.startsWith('endstream', start - 3)) {
      at = start + 6;
      continue;
    }
    let dataStart = start + 6;
    if (text[dataStart] === '\r') dataStart++;
    if (text[dataStart] === '\n') dataStart++;
    const end = text.indexOf('endstream', dataStart);
    if (end < 0) return;
    const dictStart = text.lastIndexOf('<<', start);
    const dict = dictStart >= 0 && start - dictStart < 4096 ? text.slice(dictStart, start) : '';
    yield { dict, data: bytes.subarray(dataStart, end) };
    at = end + 9;
  }
}

/** One content stream's text: strings of text-showing operators, lines at text positioning. */
export function contentStreamText(content: string): { text: string; unmapped: boolean } {
  const out: string[] = [];
  let unmapped = false;
  let i = 0;
  const n = content.length;
  while (i < n) {
    const c = content.charCodeAt(i);
    if (c === 40 /* ( */) {
      const [value, next] = literalString(content, i);
      out.push(value);
      i = next;
    } else if (c === 60 /* < */ && content.charCodeAt(i + 1) !== 60) {
      const close = content.indexOf('>', i + 1);
      if (close < 0) break;
      const decoded = hexString(content.slice(i + 1, close));
      if (decoded === null) unmapped = true;
      else out.push(decoded);
      i = close + 1;
    } else if (c === 37 /* % comment */) {
      const eol = content.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === 84 /* T */ && i + 1 < n) {
      const op = content.charCodeAt(i + 1);
      // Td TD T* Tm move to a new position: a new cell or line.
      if (op === 100 || op === 68 || op === 42 || op === 109) out.push('\n');
      i += 2;
    } else if (c === 69 /* E */ && content.charCodeAt(i + 1) === 84 /* T */) {
      out.push('\n');
      i += 2;
    } else i++;
  }
  return { text: out.join(''), unmapped };
}

function literalString(s: string, open: number): [string, number] {
  let depth = 1;
  let i = open + 1;
  let out = '';
  while (i < s.length && depth > 0) {
    const ch = s[i]!;
    if (ch === '\\') {
      const next = s[i + 1] ?? '';
      if (next >= '0' && next <= '7') {
        let digits = next;
        if (s[i + 2]! >= '0' && s[i + 2]! <= '7') digits += s[i + 2];
        if (digits.length === 2 && s[i + 3]! >= '0' && s[i + 3]! <= '7') digits += s[i + 3];
        out += String.fromCharCode(parseInt(digits, 8) & 0xff);
        i += 1 + digits.length;
        continue;
      }
      const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '', f: '' };
      out += escapes[next] ?? (next === '\n' || next === '\r' ? '' : next);
      i += 2;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) break;
    out += ch;
    i++;
  }
  return [decodePdfString(out), i + 1];
}

/** A string's bytes (one char per byte): UTF-16BE with a BOM, else PDFDocEncoding ≈ Latin-1. */
function decodePdfString(raw: string): string {
  if (raw.charCodeAt(0) === 0xfe && raw.charCodeAt(1) === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < raw.length; i += 2) out += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return out;
  }
  return raw;
}

/** A hex string as text, or null when it holds glyph ids (bytes outside printable ASCII). */
function hexString(hex: string): string | null {
  const digits = hex.replace(/[^0-9a-fA-F]/g, '');
  let raw = '';
  for (let i = 0; i < digits.length; i += 2) raw += String.fromCharCode(parseInt(digits.slice(i, i + 2).padEnd(2, '0'), 16));
  if (raw.charCodeAt(0) === 0xfe && raw.charCodeAt(1) === 0xff) return decodePdfString(raw);
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return null;
  }
  return raw;
}

const TOO_FAR = new Error('expanded too far');

/** Inflates a zlib (or raw deflate) stream, giving up as soon as it passes `budget` bytes. */
function inflateCapped(data: Uint8Array, budget: number): Uint8Array | 'too-far' | 'corrupt' {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const onData = (chunk: Uint8Array) => {
    size += chunk.length;
    if (size > budget) throw TOO_FAR;
    chunks.push(chunk);
  };
  try {
    const inflater = data[0] === 0x78 ? new Unzlib(onData) : new Inflate(onData);
    inflater.push(data, true);
  } catch (error) {
    if (error === TOO_FAR) return 'too-far';
    // A stream cut short still gave what it had; only nothing at all counts as corrupt.
    if (size === 0) return 'corrupt';
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export async function readPdfText(bytes: Uint8Array, limits: ReadLimits, emit: TextSink, pause: Pause): Promise<ReadResult> {
  const whole = latin1.decode(bytes);
  let expanded = 0;
  let unmapped = false;
  let corrupt = false;
  let readAny = false;
  for (const { dict, data } of streams(bytes, whole)) {
    if (/\/(Image|XObject\s*\/Subtype\s*\/Image)|\/(DCT|JPX|JBIG2|CCITTFax)Decode/.test(dict)) continue;
    let content: Uint8Array;
    if (/\/FlateDecode/.test(dict)) {
      const inflated = inflateCapped(data, limits.maxExpandedBytes - expanded);
      if (inflated === 'too-far') return { format: 'pdf', unreadable: 'expanded-too-far' };
      if (inflated === 'corrupt') {
        corrupt = true;
        continue;
      }
      content = inflated;
    } else if (/\/Filter/.test(dict))
      continue; // another filter (LZW, ASCII85…): not read
    else content = data;
    expanded += content.length;
    if (expanded > limits.maxExpandedBytes) return { format: 'pdf', unreadable: 'expanded-too-far' };
    const source = latin1.decode(content);
    // Only content streams hold text operators; fonts, cmaps and metadata are skipped.
    if (!/\bBT\b/.test(source) || /begincmap/.test(source)) continue;
    const { text, unmapped: glyphs } = contentStreamText(source);
    unmapped ||= glyphs;
    if (/\S/.test(text)) readAny = true;
    if (emit(text + '\n')) return { format: 'pdf', unreadable: null };
    await pause();
  }
  if (!whole.startsWith('%PDF-') || corrupt) return { format: 'pdf', unreadable: 'corrupt' };
  // Text we could not map to characters, and nothing else: do not call the file clean.
  if (unmapped && !readAny) return { format: 'pdf', unreadable: 'unmapped-text' };
  return { format: 'pdf', unreadable: unmapped ? 'unmapped-text' : null };
}
