import { Document, Packer, Paragraph, TextRun } from 'docx';
import { strToU8, zipSync } from 'fflate';
import { jsPDF } from 'jspdf';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { DEFAULT_DETECTORS } from '../detect/defaults';
import { parseDataUrl } from './data-url';
import { scanFile } from './scan-file';
import { sniffTextEncoding } from './text-decode';
import { createXmlTextReader } from './xml-text';

const LIMITS = { maxScanBytes: 32 * 1024 * 1024, maxExpandedBytes: 64 * 1024 * 1024 };
const scan = (bytes: Uint8Array, limits = LIMITS, name = '') =>
  scanFile(bytes, bytes.length, { name, mime: '' }, { detectors: DEFAULT_DETECTORS, limits, keepFindings: 50 });
const utf8 = (text: string) => new TextEncoder().encode(text);

function xlsxOf(rows: unknown[][]): Uint8Array {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '客户');
  return new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}

describe('text files', () => {
  it.each([
    ['UTF-8 CSV', utf8('客户,电话\n张三,13812345678\n'), 'utf-8'],
    ['UTF-8 with BOM', utf8('\ufeff客户,电话\n张三,13812345678\n'), 'utf-8'],
    // Excel's "Unicode text": UTF-16LE with a BOM
    [
      'UTF-16LE',
      new Uint8Array([0xff, 0xfe, ...[...'张三\t13812345678\r\n'].flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8])]),
      'utf-16le',
    ],
    // A Chinese Excel's default CSV: GBK/GB18030 (客户 = BF CD BB A7)
    ['GB18030 CSV', new Uint8Array([0xbf, 0xcd, 0xbb, 0xa7, 0x2c, ...utf8('13812345678\n')]), 'gb18030'],
  ])('%s: encoding sniffed, number found', async (_name, bytes, encoding) => {
    expect(sniffTextEncoding(bytes)).toBe(encoding);
    const result = await scan(bytes);
    expect(result).toMatchObject({ format: 'text', unreadable: null, findingCount: 1 });
    expect(result.findings[0]!.masked).toBe('138****5678');
  });

  it('a plain file has no findings and was read in full', async () => {
    expect(await scan(utf8('产品,单价\n打印纸,25\n墨盒,180\n'))).toMatchObject({ unreadable: null, findingCount: 0, level: null });
  });

  it('a number cut between two decoded pieces is found once', async () => {
    // Text is decoded in 256 KB pieces: the first number straddles the first boundary.
    const filler = ' '.repeat(256 * 1024 - 5);
    const result = await scan(utf8(`${filler}13812345678 ${filler} 13912345678`));
    expect(result.findingCount).toBe(2);
    expect(result.findings.map((f) => f.masked)).toEqual(['138****5678', '139****5678']);
  });

  it('binary files are not read as text', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(await scan(png)).toMatchObject({ format: 'binary', unreadable: 'unreadable-format' });
  });

  it('a file over the policy cap is not read (provenance decides)', async () => {
    const bytes = utf8('13812345678\n'.repeat(20_000));
    expect(await scan(bytes, { maxScanBytes: 64 * 1024, maxExpandedBytes: 1 << 20 })).toMatchObject({
      unreadable: 'too-large',
      findingCount: 0,
    });
  });
});

describe('XLSX (written by SheetJS)', () => {
  it('finds numbers stored as strings and as numbers; cells are separated as the page separates them', async () => {
    // Cells end in a tab and rows in a line break, as the page's text map reads a table.
    const result = await scan(
      xlsxOf([
        ['客户', '电话', '手机'],
        ['张三', '13812345678', 13912345678],
        ['订单', '2024', 1001],
      ]),
    );
    expect(result.format).toBe('xlsx');
    expect(result.unreadable).toBeNull();
    expect(result.findings.map((f) => f.masked).sort()).toEqual(['138****5678', '139****5678']);
  });

  it('a product list has no findings', async () => {
    expect(
      await scan(
        xlsxOf([
          ['产品', '单价'],
          ['打印纸', 25],
          ['墨盒', 180],
        ]),
      ),
    ).toMatchObject({ format: 'xlsx', unreadable: null, findingCount: 0 });
  });

  it('a marker in a cell is found', async () => {
    const result = await scan(xlsxOf([['密级：绝密'], ['客户名单']]));
    expect(result.level).toBe('绝密');
  });

  it('a truncated file is reported unreadable, with what it read before the cut', async () => {
    const whole = xlsxOf(Array.from({ length: 200 }, (_, i) => [`客户${i}`, `1381234${String(i).padStart(4, '0')}`]));
    const result = await scan(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(result.unreadable).toBe('corrupt');
  });

  it('corrupt bytes behind a zip signature are reported corrupt, not clean', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff);
    bytes.set([0x50, 0x4b, 0x03, 0x04]);
    expect((await scan(bytes)).unreadable).toBe('corrupt');
  });

  it('a zip bomb is refused once it expands past the cap, without inflating the rest', async () => {
    const bomb = zipSync({ 'xl/sharedStrings.xml': new Uint8Array(50 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = process.memoryUsage().arrayBuffers;
    const result = await scan(bomb, { maxScanBytes: 1 << 20, maxExpandedBytes: 2 * 1024 * 1024 });
    expect(result.unreadable).toBe('expanded-too-far');
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(40 * 1024 * 1024);
  });

  it('a zip archive of CSV files is read entry by entry', async () => {
    const zip = zipSync({
      'export/a.csv': strToU8('产品,单价\n'),
      'export/b.csv': strToU8('客户,电话\n张三,13812345678\n'),
      'logo.png': new Uint8Array([0x89, 0x50]),
    });
    expect(await scan(zip)).toMatchObject({ format: 'zip', unreadable: null, findingCount: 1 });
  });
});

describe('DOCX (written by the docx library)', () => {
  it('finds a number whose digits are split across runs', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              children: [new TextRun('客户电话：'), new TextRun('138'), new TextRun({ text: '1234', bold: true }), new TextRun('5678')],
            }),
            new Paragraph({ children: [new TextRun('订单 2024')] }),
            new Paragraph({ children: [new TextRun('1001')] }),
          ],
        },
      ],
    });
    const bytes = new Uint8Array(await Packer.toBuffer(doc));
    const result = await scan(bytes);
    expect(result.format).toBe('docx');
    expect(result.findings.map((f) => f.masked)).toEqual(['138****5678']);
  });
});

describe('PDF (written by jsPDF)', () => {
  it('finds numbers in the text; a PDF without them is clean', async () => {
    const withNumbers = new jsPDF();
    withNumbers.text('Customer 13812345678', 10, 10);
    withNumbers.text('Hotline 010-88886666', 10, 20);
    const found = await scan(new Uint8Array(withNumbers.output('arraybuffer')));
    expect(found).toMatchObject({ format: 'pdf', unreadable: null });
    expect(found.findings.map((f) => f.masked)).toEqual(['138****5678', expect.stringMatching(/^010/)]);

    const plain = new jsPDF();
    plain.text('Price list: paper 25, ink 180', 10, 10);
    expect(await scan(new Uint8Array(plain.output('arraybuffer')))).toMatchObject({ format: 'pdf', unreadable: null, findingCount: 0 });
  });

  it('a compressed PDF is inflated and read', async () => {
    const doc = new jsPDF({ compress: true });
    doc.text('13912345678', 10, 10);
    expect((await scan(new Uint8Array(doc.output('arraybuffer')))).findingCount).toBe(1);
  });
});

describe('XML text', () => {
  it('drops tags, decodes entities, separates cells and paragraphs, survives tags cut between pieces', () => {
    const reader = createXmlTextReader();
    const xml =
      '<row><c><v>138</v></c><c><is><t>A&amp;B &#x31;</t></is></c></row><w:p><w:r><w:t>13</w:t></w:r><w:r><w:t>8</w:t></w:r></w:p>';
    const bytes = utf8(xml.replace('A&amp;B', '客户A&amp;B'));
    let text = '';
    // 5-byte pieces: tags, entities and the 3-byte characters of 客户 are all cut somewhere.
    for (let i = 0; i < bytes.length; i += 5) text += reader.push(bytes.subarray(i, i + 5), i + 5 >= bytes.length);
    expect(text).toBe('138\t客户A&B 1\t\n138\n');
  });
});

describe('data: URLs', () => {
  it.each([
    ['data:text/csv;charset=utf-8,%E5%AE%A2%E6%88%B7%2C13812345678', 'text/csv', '客户,13812345678'],
    [`data:text/plain;base64,${Buffer.from('电话 13812345678').toString('base64')}`, 'text/plain', '电话 13812345678'],
    ['data:,plain%20text', '', 'plain text'],
  ])('%s', (url, mime, text) => {
    const parsed = parseDataUrl(url)!;
    expect(parsed.mime).toBe(mime);
    expect(new TextDecoder().decode(parsed.bytes)).toBe(text);
  });

  it('not a data: URL, or a broken base64 body: null', () => {
    expect(parseDataUrl('blob:https://x/1')).toBeNull();
    expect(parseDataUrl('data:text/plain;base64,%%%')).toBeNull();
  });
});
