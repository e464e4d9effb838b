/**
 * Download decision benchmark: `npm run bench:download`
 *
 * 1. In a Chromium page (the engine the content script runs in; Node's TextDecoder is
 *    several times slower than Chromium's, so a Node figure misleads), the same run,
 *    alternating: the file decision (readFileText + windowed scan, utils/files/scan-file.ts)
 *    on a 10 MB CSV and a ~5 MB XLSX, against `scanText` on the very text that file holds
 *    (the reference; bench/lib/download-in-page.ts, bundled with esbuild). Prints medians
 *    and the ratio (goal ≤ 1.5×). Two CSVs: one full of customer numbers (what is blocked;
 *    reading cannot stop early below 绝密) and one without (allowed: every byte is read).
 * 2. In Chromium with the built extension: a page saves the 10 MB CSV and the XLSX through
 *    FileSaver; prints the longest main-thread task from the click to the verdict (goal
 *    ≤ 50 ms): the longest gap of a 1 ms timer, and the 'longtask' entries over 50 ms.
 * The LAST line is one JSON object. Env: BENCH_RUNS (default 7).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as XLSX from 'xlsx';
import { launchBrowser, type LaunchedBrowser } from '../tests/e2e/support/browser';
import { startFixtureServer } from '../tests/e2e/support/fixture-server';
import { Prng } from './lib/prng';

const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 7));
const MB = 1024 * 1024;

function customerRows(count: number, withNumbers: boolean): string[][] {
  const prng = new Prng(0x5eed);
  const prefixes = ['138', '139', '150', '186', '177', '133', '199'];
  const surnames = '张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗';
  const rows: string[][] = [['序号', '客户', '联系电话', '地址', '成交金额', '日期']];
  for (let i = 0; i < count; i++) {
    rows.push([
      String(i + 1),
      `${surnames[i % surnames.length]}客户${i}`,
      withNumbers ? prng.pick(prefixes) + String(prng.int(1e8)).padStart(8, '0') : `工单${100000 + i}`,
      `北京市朝阳区建国路${i % 300}号${i % 20}层`,
      (prng.next() * 100000).toFixed(2),
      `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    ]);
  }
  return rows;
}

function csvOf(rows: string[][], bytes: number): Uint8Array {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i = (i + 1) % rows.length) {
    const line = rows[i]!.join(',');
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return new TextEncoder().encode(lines.join('\n'));
}

function xlsxOf(rows: string[][]): Uint8Array {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '客户');
  return new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer);
}

interface Row {
  file: string;
  mb: number;
  textMchars: number;
  findings: number;
  decisionMs: number;
  scanMs: number;
  ratio: number;
}

interface InPage {
  textChars: number;
  findings: number;
  decisionMs: number;
  scanMs: number;
}

/** Decision vs bare scan in a page without the extension (only our bundled code runs there). */
async function measureInPage(launched: LaunchedBrowser, pageUrl: string, files: [string, Uint8Array][]): Promise<Row[]> {
  const bundle = await build({
    entryPoints: ['bench/lib/download-in-page.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    minify: true,
  });
  const page = await launched.browser.newPage();
  await page.goto(pageUrl);
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  const rows: Row[] = [];
  for (const [file, bytes] of files) {
    const r = await page.evaluate(
      (b64: string, n: number) =>
        (globalThis as unknown as { runDownloadBench(b: string, n: number): Promise<InPage> }).runDownloadBench(b64, n),
      Buffer.from(bytes).toString('base64'),
      runs,
    );
    rows.push({
      file,
      mb: bytes.length / MB,
      textMchars: r.textChars / 1e6,
      findings: r.findings,
      decisionMs: r.decisionMs,
      scanMs: r.scanMs,
      ratio: r.decisionMs / r.scanMs,
    });
  }
  await page.close();
  return rows;
}

interface PageTasks {
  file: string;
  longestTaskMs: number;
  longTasks: number;
  verdictMs: number;
}

/** With the extension: the page saves each file through FileSaver; the main thread's longest task until the notice. */
async function extensionPart(launched: LaunchedBrowser, pageUrl: string, files: [string, Uint8Array, string][]): Promise<PageTasks[]> {
  const results: PageTasks[] = [];
  for (const [file, bytes, type] of files) {
    const page = await launched.browser.newPage();
    // tsx compiles this file with esbuild's keepNames: functions inside evaluate() call __name.
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f');
    await page.goto(pageUrl);
    const result = await page.evaluate(
      async (b64: string, name: string, mime: string) => {
        const raw = atob(b64);
        const data = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
        const blob = new Blob([data], { type: mime });
        await new Promise((r) => setTimeout(r, 300)); // the page's own work above is over
        const tasks: number[] = [];
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration)));
        observer.observe({ type: 'longtask' });
        // The longest gap between two ticks of a 1 ms timer: a task that held the thread.
        let last = performance.now();
        let longestGap = 0;
        let ticking = true;
        const tick = () => {
          const now = performance.now();
          longestGap = Math.max(longestGap, now - last);
          last = now;
          if (ticking) setTimeout(tick, 1);
        };
        setTimeout(tick, 1);
        const started = performance.now();
        (window as unknown as { saveAs(b: Blob, n: string): void }).saveAs(blob, name);
        while (!document.querySelector('baomi-notice') && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5));
        const verdictMs = performance.now() - started;
        await new Promise((r) => setTimeout(r, 100));
        ticking = false;
        observer.disconnect();
        return { longestTaskMs: Math.max(longestGap, ...tasks), longTasks: tasks.length, verdictMs };
      },
      Buffer.from(bytes).toString('base64'),
      file,
      type,
    );
    results.push({ file, ...result });
    await page.close();
  }
  return results;
}

async function main() {
  const rows = customerRows(120_000, true);
  const csvNumbers = csvOf(rows, 10 * MB);
  const csvPlain = csvOf(customerRows(120_000, false), 10 * MB);
  const xlsx = xlsxOf(rows.slice(0, 45_000));
  const server = await startFixtureServer();
  const downloadDir = await mkdtemp(join(tmpdir(), 'baomi-bench-dl-'));
  const bare = await launchBrowser({ withExtension: false });
  const withExtension = await launchBrowser({ downloadDir });
  let table: Row[];
  let page: PageTasks[];
  try {
    table = await measureInPage(bare, server.url('/price-list.html'), [
      ['customers-10mb.csv (numbers)', csvNumbers],
      ['plain-10mb.csv (no numbers)', csvPlain],
      [`customers.xlsx (${(xlsx.length / MB).toFixed(1)} MB)`, xlsx],
    ]);
    page = await extensionPart(withExtension, server.url('/exports.html'), [
      ['customers-10mb.csv', csvNumbers, 'text/csv'],
      ['customers.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
  } finally {
    await bare.close();
    await withExtension.close();
    await server.close();
    await rm(downloadDir, { recursive: true, force: true });
  }
  console.log(`\nFile decision vs scanText on the same text, in Chromium (median of ${runs}, alternated)\n`);
  console.log('file                              | file MB | text Mchars | findings | decision ms | scanText ms | ratio (goal ≤ 1.5)');
  console.log('----------------------------------|---------|-------------|----------|-------------|-------------|-------------------');
  for (const r of table) {
    console.log(
      `${r.file.padEnd(34)}| ${r.mb.toFixed(1).padStart(7)} | ${r.textMchars.toFixed(1).padStart(11)} | ${String(r.findings).padStart(8)} | ${r.decisionMs.toFixed(1).padStart(11)} | ${r.scanMs.toFixed(1).padStart(11)} | ${r.ratio.toFixed(2)}`,
    );
  }
  console.log('\nIn the page with the extension (FileSaver saveAs): longest task from click to verdict (goal ≤ 50 ms)\n');
  for (const p of page) {
    console.log(
      `${p.file.padEnd(22)} longest task ${p.longestTaskMs.toFixed(1)} ms · long tasks (>50 ms) ${p.longTasks} · verdict after ${p.verdictMs.toFixed(0)} ms`,
    );
  }
  console.log(
    JSON.stringify({
      bench: 'download',
      runs,
      files: table.map((r) => ({
        file: r.file,
        mb: +r.mb.toFixed(2),
        textMchars: +r.textMchars.toFixed(2),
        findings: r.findings,
        decisionMs: +r.decisionMs.toFixed(1),
        scanTextMs: +r.scanMs.toFixed(1),
        ratio: +r.ratio.toFixed(3),
      })),
      page: page.map((p) => ({
        file: p.file,
        longestTaskMs: +p.longestTaskMs.toFixed(1),
        longTasks: p.longTasks,
        verdictMs: Math.round(p.verdictMs),
      })),
    }),
  );
}

void main();
