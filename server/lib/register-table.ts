/**
 * A register file (CSV or XLSX as a CRM exports it) read into rows of cell strings.
 * CSV: RFC 4180 (quotes, doubled quotes, CR/LF inside quotes) in UTF-8, UTF-16 or
 * GB18030 (a Chinese Excel's default), sniffed by utils/files/text-decode.ts. XLSX: the
 * first worksheet, through fflate (already a dependency, used by the download guard):
 * shared strings, inline strings, numbers (a phone number typed into Excel is a number,
 * sometimes in exponent form). SheetJS is not used: its npm release stopped at 0.18.5
 * with open advisories; the part of XLSX a register needs is small.
 */
import { unzipSync } from 'fflate';
import { sniffTextEncoding } from '../../utils/files/text-decode';
import { decodeXmlEntities } from '../../utils/files/xml-text';

export const MAX_REGISTER_ROWS = 200_000;
export const MAX_COLUMNS = 50;
/** Uncompressed bytes an XLSX may expand to (a zip bomb stops here). */
const MAX_XLSX_EXPANDED = 200 * 1024 * 1024;

export class TableError extends Error {
  constructor(
    readonly code: 'register-file-unreadable' | 'register-too-many-rows' | 'register-empty',
    message: string,
  ) {
    super(message);
    this.name = 'TableError';
  }
}

export type TableFormat = 'csv' | 'xlsx';

export function formatOf(bytes: Uint8Array): TableFormat {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 ? 'xlsx' : 'csv';
}

export function readTable(bytes: Uint8Array): string[][] {
  const rows = formatOf(bytes) === 'xlsx' ? readXlsx(bytes) : readCsv(decodeCsv(bytes));
  // Trailing empty rows (Excel leaves some) are not rows.
  while (rows.length > 0 && rows[rows.length - 1]!.every((cell) => cell.trim() === '')) rows.pop();
  if (rows.length === 0) throw new TableError('register-empty', 'the file holds no rows');
  if (rows.length > MAX_REGISTER_ROWS + 1) throw new TableError('register-too-many-rows', `at most ${MAX_REGISTER_ROWS} rows`);
  return rows;
}

function decodeCsv(bytes: Uint8Array): string {
  const encoding = sniffTextEncoding(bytes);
  if (!encoding) throw new TableError('register-file-unreadable', 'the file is neither text (CSV) nor XLSX');
  const text = new TextDecoder(encoding).decode(bytes); // drops a BOM
  return text;
}

export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  // Excel writes `;` or tab in some locales: take the separator of the header line.
  const firstLineEnd = text.search(/\r|\n/);
  const header = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  const separator = [',', '\t', ';'].map((s) => [s, header.split(s).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === separator) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      if (rows.length > MAX_REGISTER_ROWS + 1) throw new TableError('register-too-many-rows', `at most ${MAX_REGISTER_ROWS} rows`);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.map((r) => r.slice(0, MAX_COLUMNS));
}

function readXlsx(bytes: Uint8Array): string[][] {
  let expanded = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        expanded += file.originalSize;
        if (expanded > MAX_XLSX_EXPANDED) throw new TableError('register-file-unreadable', 'the XLSX file expands beyond 200 MB');
        return /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|worksheets\/[^/]+\.xml)$/.test(file.name);
      },
    });
  } catch (error) {
    if (error instanceof TableError) throw error;
    throw new TableError('register-file-unreadable', 'the XLSX file cannot be unzipped');
  }
  const text = (name: string) => (files[name] ? withoutElementPrefixes(new TextDecoder().decode(files[name])) : null);
  const sheet = text(firstSheetPath(text('xl/workbook.xml'), text('xl/_rels/workbook.xml.rels')) ?? '') ?? text('xl/worksheets/sheet1.xml');
  if (!sheet) throw new TableError('register-file-unreadable', 'the XLSX file has no worksheet');
  return sheetRows(sheet, sharedStrings(text('xl/sharedStrings.xml') ?? ''));
}

/**
 * The XML with its elements' namespace prefix removed (<x:row> → <row>) when the root
 * element has one: writers such as the Open XML SDK prefix every SpreadsheetML element,
 * and the reading below matches element names.
 */
function withoutElementPrefixes(xml: string): string {
  // The root element: the first tag that is not the XML declaration or a comment.
  const prefix = /<(?![?!])(?:([A-Za-z_][\w.-]*):)?[A-Za-z_]/.exec(xml.slice(0, 4096))?.[1];
  if (!prefix) return xml;
  return xml.replace(new RegExp(`<(/?)${prefix.replace(/\./g, '\\.')}:`, 'g'), '<$1');
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decodeXmlEntities(match[1]!) : null;
}

/** Path of the workbook's first sheet (its order in workbook.xml, not the file name). */
function firstSheetPath(workbook: string | null, rels: string | null): string | null {
  if (!workbook || !rels) return null;
  const sheetTag = /<sheet\s[^>]*>/.exec(workbook)?.[0];
  // The relationships namespace's prefix is the writer's choice (r: by convention).
  const id = sheetTag ? (/\s[A-Za-z_][\w.-]*:id="([^"]*)"/.exec(sheetTag)?.[1] ?? null) : null;
  if (!id) return null;
  for (const rel of rels.match(/<Relationship\s[^>]*>/g) ?? []) {
    if (attribute(rel, 'Id') !== id) continue;
    const target = attribute(rel, 'Target') ?? '';
    return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  }
  return null;
}

/** Text of the <t> runs of an element, phonetic runs (<rPh>) left out. */
function runsText(xml: string): string {
  const withoutPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  for (const match of withoutPhonetic.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += decodeXmlEntities(match[1]!);
  return out;
}

function sharedStrings(xml: string): string[] {
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => (m[1] ? runsText(m[1]) : ''));
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const c of ref) {
    const code = c.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

/** A numeric cell as text: 13812345678, never 1.3812345678E10. */
function numberText(value: string): string {
  if (!/[eE]/.test(value)) return value;
  const n = Number(value);
  return Number.isFinite(n) && Number.isInteger(n) ? BigInt(n).toString() : value;
}

function sheetRows(xml: string, strings: string[]): string[][] {
  const rows: string[][] = [];
  for (const rowMatch of xml.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
    const rowNumber = Number(attribute(rowMatch[1]!, 'r') ?? rows.length + 1);
    if (rowNumber > MAX_REGISTER_ROWS + 1) throw new TableError('register-too-many-rows', `at most ${MAX_REGISTER_ROWS} rows`);
    while (rows.length < rowNumber - 1) rows.push([]);
    const row: string[] = [];
    for (const cellMatch of rowMatch[2]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cellMatch[1]!;
      const body = cellMatch[2] ?? '';
      const ref = attribute(attrs, 'r');
      const column = ref ? columnIndex(ref) : row.length;
      if (column < 0 || column >= MAX_COLUMNS) continue;
      const type = attribute(attrs, 't');
      const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let cell: string;
      if (type === 's') cell = strings[Number(value)] ?? '';
      else if (type === 'inlineStr') cell = runsText(body);
      else if (type === 'str' || type === 'b' || type === 'e') cell = value !== undefined ? decodeXmlEntities(value) : '';
      else cell = value !== undefined ? numberText(value) : '';
      while (row.length < column) row.push('');
      row[column] = cell;
    }
    rows.push(row);
  }
  return rows;
}
