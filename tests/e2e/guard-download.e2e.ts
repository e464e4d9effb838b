/**
 * Exports and downloads (issue 11), in real Chromium with the built extension: files made
 * by real export libraries from npm, download links to blob: and data: URLs, window.open
 * of a blob, and a server's own export endpoint. Each blocked case checks that no file
 * (not even a partial one) landed, that the notice is shown and that an event with masked
 * samples only was queued; each control checks the ordinary file still lands, whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { GuardPage } from './pages/guard-page';
import { IS_FIREFOX, launchBrowser, type LaunchedBrowser } from './support/browser';
import { downloadedFiles, queuedEvents, waitForDownload, waitForEvent } from './support/downloads';
import { phoneFor, startFixtureServer, type FixtureServer } from './support/fixture-server';

/** The export functions fixtures/exports.html defines on window (called inside the page). */
type ExportFixtures = Record<
  | 'exportCsvWithFileSaver'
  | 'exportDocx'
  | 'exportGrid'
  | 'exportPdf'
  | 'exportXlsx'
  | 'navigateToBlob'
  | 'openBlob'
  | 'prepareDataLink'
  | 'prepareUserLink',
  (...args: unknown[]) => unknown
>;
/** A download still being written: Chromium's .crdownload, Firefox's .part. */
const partial = (file: string) => file.endsWith('.crdownload') || file.endsWith('.part');

/**
 * The extension's event queue is read through its service worker; Firefox's WebDriver
 * BiDi has no extension context (see FIREFOX_NO_EXTENSION_CONTEXT), so in Firefox the
 * notice, the missing file and the landed control file are checked, not the event.
 */
const eventsReadable = !IS_FIREFOX;

/** Long enough for a download that was not stopped to land (they take milliseconds on loopback). */
const SETTLE_MS = 2_500;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

describe('download guard (real Chromium, built extension)', () => {
  let launched: LaunchedBrowser;
  let server: FixtureServer;
  let downloadDir: string;
  let guard: GuardPage;

  beforeAll(async () => {
    server = await startFixtureServer();
    downloadDir = await mkdtemp(join(tmpdir(), 'baomi-downloads-'));
    launched = await launchBrowser({ downloadDir });
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
    await rm(downloadDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await guard?.close().catch(() => undefined);
    guard = await GuardPage.open(launched.browser, server.url('/exports.html'));
  });

  /** Runs an export, expects it stopped: no file, a download notice, one blocked event with masked samples. */
  async function expectBlocked(run: () => Promise<unknown>, name: string) {
    const before = eventsReadable ? (await queuedEvents(launched.browser)).length : 0;
    await run();
    await guard.waitForNotice('download');
    if (!eventsReadable) {
      await settle();
      const files = await downloadedFiles(downloadDir);
      expect(files).not.toContain(name);
      expect(files.filter(partial)).toEqual([]);
      return null;
    }
    const event = await waitForEvent(launched.browser, 'download', before);
    expect(event.action).toBe('block-with-override');
    expect(event.level).not.toBeNull();
    await settle();
    expect(await downloadedFiles(downloadDir)).not.toContain(name);
    expect((await downloadedFiles(downloadDir)).filter(partial)).toEqual([]);
    // Masked samples only: the raw numbers never reach the event.
    const raw = JSON.stringify(event);
    for (let i = 0; i < 5; i++) expect(raw).not.toContain(phoneFor(i));
    return event;
  }

  it('SheetJS XLSX.writeFile of a customer list is blocked; a price list in XLSX downloads whole', async () => {
    const event = await expectBlocked(
      () => guard.page.evaluate(() => (window as unknown as ExportFixtures).exportXlsx('customers', '客户名单.xlsx')),
      '客户名单.xlsx',
    );
    if (event) {
      expect(event.findingCount).toBeGreaterThanOrEqual(20);
      expect(event.level).toBe('机密'); // 40 numbers: bulk raises 秘密 to 机密
      expect(event.findings[0]!.masked).toMatch(/^1\d\d\*{4}\d{4}$/);
    }

    await guard.page.evaluate(() => (window as unknown as ExportFixtures).exportXlsx('products', '产品.xlsx'));
    const file = await waitForDownload(downloadDir, '产品.xlsx');
    const sheet = XLSX.read(file).Sheets['客户']!;
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet);
    expect(rows).toHaveLength(40);
    expect(rows[39]).toMatchObject({ 序号: 40, 产品: '产品39', 单价: 139 });
  });

  it('FileSaver saveAs of a CSV with numbers is blocked; the masked list downloads', async () => {
    await expectBlocked(
      () => guard.page.evaluate(() => (window as unknown as ExportFixtures).exportCsvWithFileSaver('customers', 'saveas-customers.csv')),
      'saveas-customers.csv',
    );
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).exportCsvWithFileSaver('masked', 'masked.csv'));
    const file = (await waitForDownload(downloadDir, 'masked.csv')).toString('utf8');
    expect(file).toContain('138****');
    expect(file.trim().split('\n')).toHaveLength(41);
  });

  it('jsPDF doc.save with numbers is blocked; a PDF without them downloads', async () => {
    await expectBlocked(
      () => guard.page.evaluate(() => (window as unknown as ExportFixtures).exportPdf('customers', 'customers.pdf')),
      'customers.pdf',
    );
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).exportPdf('products', 'products.pdf'));
    const file = await waitForDownload(downloadDir, 'products.pdf');
    expect(file.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a DOCX from the docx library (via FileSaver) is blocked', async () => {
    await expectBlocked(
      () => guard.page.evaluate(() => (window as unknown as ExportFixtures).exportDocx('customers', 'customers.docx')),
      'customers.docx',
    );
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).exportDocx('products', 'products.docx'));
    const file = await waitForDownload(downloadDir, 'products.docx');
    expect(file.subarray(0, 2).toString()).toBe('PK');
  });

  it("a data grid's CSV export (Tabulator table.download) is blocked", async () => {
    await expectBlocked(
      () => guard.page.evaluate(() => (window as unknown as ExportFixtures).exportGrid('customers', 'grid.csv')),
      'grid.csv',
    );
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).exportGrid('products', 'grid-products.csv'));
    expect((await waitForDownload(downloadDir, 'grid-products.csv')).toString('utf8')).toContain('产品39');
  });

  it('a user clicking a download link to a blob: or data: URL is blocked; the same links with a plain list download', async () => {
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).prepareUserLink('customers'));
    await expectBlocked(() => guard.page.click('#user-link'), '客户.csv');
    await guard.dismissNotice();
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).prepareDataLink('customers'));
    await expectBlocked(() => guard.page.click('#data-link'), '客户-data.csv');

    await guard.page.evaluate(() => (window as unknown as ExportFixtures).prepareUserLink('products'));
    await guard.page.click('#user-link');
    expect((await waitForDownload(downloadDir, '客户.csv')).toString('utf8')).toContain('产品0');
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).prepareDataLink('products'));
    await guard.page.click('#data-link');
    expect((await waitForDownload(downloadDir, '客户-data.csv')).toString('utf8')).toContain('产品39');
  });

  it('window.open of a blob holding customer numbers is blocked (returns null, no file)', async () => {
    const before = (await downloadedFiles(downloadDir)).length;
    const result = await guard.page.evaluate(() => (window as unknown as ExportFixtures).openBlob('customers'));
    expect(result).toBe('null');
    await guard.waitForNotice('download');
    await settle();
    expect((await downloadedFiles(downloadDir)).length).toBe(before);
  });

  it('navigating to a blob: URL (no link, no window.open) is decided on its content by the page that made it', async () => {
    const before = (await downloadedFiles(downloadDir)).length;
    const events = eventsReadable ? (await queuedEvents(launched.browser)).length : 0;
    await guard.page.evaluate(() => (window as unknown as ExportFixtures).navigateToBlob('customers'));
    await guard.waitForNotice('download');
    if (eventsReadable) {
      const event = await waitForEvent(launched.browser, 'download', events);
      expect(event.findingCount).toBeGreaterThanOrEqual(20); // read, not guessed: the content was scanned
    }
    await settle();
    expect((await downloadedFiles(downloadDir)).length).toBe(before);

    // Control: the same navigation with a plain list downloads it. A fresh tab: Chromium
    // holds a tab's second download without a user gesture for a permission prompt.
    const fresh = await GuardPage.open(launched.browser, server.url('/exports.html'));
    await fresh.page.evaluate(() => (window as unknown as ExportFixtures).navigateToBlob('products'));
    await settle();
    const files = await downloadedFiles(downloadDir);
    await fresh.close();
    expect(files.length).toBe(before + 1);
    expect(files.some(partial)).toBe(false);
  });

  it("a server's export endpoint, started from a page that showed customer numbers, is held: no file, notice, event", async () => {
    const crm = await GuardPage.open(launched.browser, server.url('/crm-export.html'));
    // The page scanner has reported the page's numbers to the background.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = eventsReadable ? (await queuedEvents(launched.browser)).length : 0;
    await crm.page.click('#server-export');
    await crm.waitForNotice('download');
    if (eventsReadable) {
      const event = await waitForEvent(launched.browser, 'download', before);
      expect(event.action).toBe('block-with-override');
      expect(event.findings).toEqual([]); // the content was never read: provenance decided
    }
    await settle();
    const files = await downloadedFiles(downloadDir);
    expect(files).not.toContain('customers.csv');
    expect(files.filter(partial)).toEqual([]);
    await crm.close();

    // Control: a plain page's server download lands whole.
    const plain = await GuardPage.open(launched.browser, server.url('/price-list.html'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await plain.page.click('#server-export');
    expect((await waitForDownload(downloadDir, 'price-list.csv')).toString('utf8')).toContain('墨盒,180');
    await plain.close();
  });
});

describe('download guard: File System Access API (real Chromium, built extension)', () => {
  let launched: LaunchedBrowser;
  let server: FixtureServer;

  beforeAll(async () => {
    server = await startFixtureServer();
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  /**
   * The save picker is a native dialog a headless test cannot answer. A handle of a file
   * on disk is stood in for by one the page kept in IndexedDB, as apps keep the handles
   * users picked: a handle of unknown origin is guarded like a picked one (only handles
   * opened under navigator.storage.getDirectory() are known to stay in the browser).
   * Writable streams, write() and close() are the browser's own; what lands is read back.
   */
  async function pickerPage() {
    const page = await launched.browser.newPage();
    await page.goto(server.url('/price-list.html'));
    await page.evaluate(() => {
      (window as unknown as { pick: unknown }).pick = async (name: string) => {
        const created = await (await navigator.storage.getDirectory()).getFileHandle(name, { create: true });
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('picked-files', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('handles');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const roundTrip = (store: 'put' | 'get') =>
          new Promise<FileSystemFileHandle>((resolve, reject) => {
            const tx = db.transaction('handles', 'readwrite');
            const request = store === 'put' ? tx.objectStore('handles').put(created, name) : tx.objectStore('handles').get(name);
            request.onsuccess = () => resolve(request.result as FileSystemFileHandle);
            request.onerror = () => reject(request.error);
          });
        await roundTrip('put');
        return roundTrip('get');
      };
    });
    return page;
  }

  // Functions run in the page: their arguments are passed, not closed over.
  const save = async (name: string, text: string) => {
    const handle = await (window as unknown as { pick(n: string): Promise<FileSystemFileHandle> }).pick(name);
    const writable = await handle.createWritable();
    await writable.write(text);
    try {
      await writable.close();
      return 'saved';
    } catch (error) {
      return (error as DOMException).name;
    }
  };
  const landed = async (name: string) => {
    try {
      const file = await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
      return await file.text();
    } catch (error) {
      return (error as DOMException).name;
    }
  };

  it('a file written through a handle of a file on disk is held at close(): refused, nothing lands; a plain one is saved', async () => {
    const page = await pickerPage();
    expect(await page.evaluate(save, '客户.csv', '客户,电话\n张三,13812345678\n')).toBe('NotAllowedError');
    await page.waitForSelector('baomi-notice[data-baomi-notice="download"]', { timeout: 5000 });
    // Nothing written landed: the file the picker made is still empty.
    expect(await page.evaluate(landed, '客户.csv')).toBe('');

    expect(await page.evaluate(save, '价目表.csv', '产品,单价\n墨盒,180\n')).toBe('saved');
    expect(await page.evaluate(landed, '价目表.csv')).toBe('产品,单价\n墨盒,180\n');
    // Control: the origin-private file system stays the page's own cache, unguarded.
    const cached = await page.evaluate(async () => {
      const handle = await (await navigator.storage.getDirectory()).getFileHandle('cache.csv', { create: true });
      const writable = await handle.createWritable();
      await writable.write('张三,13812345678');
      await writable.close();
      return (await handle.getFile()).text();
    });
    expect(cached).toBe('张三,13812345678');
    // The writer route is held too.
    const viaWriter = await page.evaluate(async () => {
      const handle = await (window as unknown as { pick(n: string): Promise<FileSystemFileHandle> }).pick('writer.csv');
      const writer = (await handle.createWritable()).getWriter();
      await writer.write('李四,13987654321');
      try {
        await writer.close();
        return 'saved';
      } catch (error) {
        return (error as DOMException).name;
      }
    });
    expect(viaWriter).toBe('NotAllowedError');
    expect(await page.evaluate(landed, 'writer.csv')).toBe('');
    await page.close();
  });
});
