/**
 * Reading register files written by tools other than SheetJS: the Open XML SDK (and the
 * CRMs built on it) prefixes every SpreadsheetML element (<x:row>) and may name the
 * relationships namespace differently; cells may be inline strings.
 */
import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { readTable } from '../../../server/lib/register-table';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** An XLSX as the Open XML SDK writes it when the document's root is given a prefix. */
function prefixedXlsx(prefix: string, relPrefix: string): Uint8Array {
  const p = prefix;
  const workbook = `<?xml version="1.0" encoding="utf-8"?><${p}:workbook xmlns:${relPrefix}="${RELS}" xmlns:${p}="${MAIN}"><${p}:sheets><${p}:sheet name="客户" sheetId="1" ${relPrefix}:id="R5a1" /></${p}:sheets></${p}:workbook>`;
  const rels = `<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="${RELS}/worksheet" Target="/xl/worksheets/客户表.xml" Id="R5a1" /><Relationship Type="${RELS}/sharedStrings" Target="/xl/sharedStrings.xml" Id="R9" /></Relationships>`;
  const shared = `<?xml version="1.0" encoding="utf-8"?><${p}:sst xmlns:${p}="${MAIN}"><${p}:si><${p}:t>客户名称</${p}:t></${p}:si><${p}:si><${p}:r><${p}:t>北京星辰</${p}:t></${p}:r><${p}:r><${p}:t xml:space="preserve">科技有限公司</${p}:t></${p}:r></${p}:si></${p}:sst>`;
  const row = (r: number, cells: string) => `<${p}:row r="${r}">${cells}</${p}:row>`;
  const shared0 = (ref: string, i: number) => `<${p}:c r="${ref}" t="s"><${p}:v>${i}</${p}:v></${p}:c>`;
  const inline = (ref: string, text: string) => `<${p}:c r="${ref}" t="inlineStr"><${p}:is><${p}:t>${text}</${p}:t></${p}:is></${p}:c>`;
  const number = (ref: string, value: string) => `<${p}:c r="${ref}"><${p}:v>${value}</${p}:v></${p}:c>`;
  const sheet = `<?xml version="1.0" encoding="utf-8"?><${p}:worksheet xmlns:${p}="${MAIN}"><${p}:sheetData>${row(
    1,
    shared0('A1', 0) + inline('B1', '手机') + inline('C1', '密级'),
  )}${row(2, shared0('A2', 1) + number('B2', '1.3812345678E10') + inline('C2', '绝密'))}</${p}:sheetData></${p}:worksheet>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'xl/workbook.xml': strToU8(workbook),
    'xl/_rels/workbook.xml.rels': strToU8(rels),
    'xl/sharedStrings.xml': strToU8(shared),
    'xl/worksheets/客户表.xml': strToU8(sheet),
  });
}

describe('register file reading', () => {
  it('reads an XLSX whose elements carry a namespace prefix (Open XML SDK), rich-text and inline strings', () => {
    for (const [prefix, relPrefix] of [
      ['x', 'r'],
      ['main', 'rel'],
    ] as const) {
      expect(readTable(prefixedXlsx(prefix, relPrefix))).toEqual([
        ['客户名称', '手机', '密级'],
        ['北京星辰科技有限公司', '13812345678', '绝密'],
      ]);
    }
  });

  it('control: an XLSX without prefixes (SheetJS) reads the same', () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['客户名称', '手机', '密级'],
      ['北京星辰科技有限公司', 13812345678, '绝密'],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, '客户');
    const bytes = new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    expect(readTable(bytes)).toEqual([
      ['客户名称', '手机', '密级'],
      ['北京星辰科技有限公司', '13812345678', '绝密'],
    ]);
  });
});
