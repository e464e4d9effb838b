import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { GuardPage } from './pages/guard-page';
import { PopupPage } from './pages/popup-page';
import { extensionWorker } from './support/browser';
import { pixelShare } from './support/pixels';

const redShare = (guard: GuardPage) => pixelShare(guard.page, 'reddish');

describe('print guard (real Chromium, built extension)', () => {
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

  it('a 机密 page prints with a 受控文件 watermark the page CSS cannot hide', async () => {
    const guard = await GuardPage.open(launched.browser, server.url('/classified.html'));
    await guard.waitForPrintMode('watermark');
    // The text the domain policy stamps on paper copies: 受控文件, level, user, date, period of use.
    const day = (ms: number) => new Date(ms).toLocaleDateString('sv-SE'); // YYYY-MM-DD, local
    const now = Date.now();
    const overlay = await guard.printOverlayHtml();
    expect(overlay).toContain('受控文件 机密');
    expect(overlay).toContain(`${day(now)} · 使用期限 ${day(now)} ~ ${day(now + 30 * 86_400_000)}`);
    expect(overlay).toMatch(/受控文件 机密 · [^·<]+ · \d{4}-\d{2}-\d{2}/); // a user between level and date
    expect(await redShare(guard)).toBe(0); // invisible on screen
    await guard.page.emulateMediaType('print');
    const host = await guard.page.$eval('baomi-print', (el) => {
      const style = getComputedStyle(el);
      return { display: style.display, position: style.position, width: el.getBoundingClientRect().width };
    });
    expect(host).toMatchObject({ display: 'block', position: 'fixed' });
    expect(host.width).toBeGreaterThan(100);
    expect(await redShare(guard)).toBeGreaterThan(0.005); // the watermark is drawn
    // The page's own content is still printed.
    expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('block');
    const pdf = await guard.page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(1000);
    await guard.page.emulateMediaType('screen');
    await guard.close();
  });

  it('a 绝密 page prints blank: content hidden despite page CSS, Ctrl+P cancelled with a notice', async () => {
    const guard = await GuardPage.open(launched.browser, server.url('/top-secret.html'));
    await guard.waitForPrintMode('blocked');
    await guard.page.emulateMediaType('print');
    expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('none');
    await guard.page.emulateMediaType('screen');
    expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('block');

    const prevented = await guard.page.evaluate(() => {
      const event = new KeyboardEvent('keydown', { key: 'p', code: 'KeyP', ctrlKey: true, bubbles: true, cancelable: true });
      document.body.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(prevented).toBe(true);
    await guard.waitForNotice('print');
    await guard.close();
  });

  it('window.print() called by a page script on a 绝密 page: the guard sees it, says so, and the printout is blank', async () => {
    const guard = await GuardPage.open(launched.browser, server.url('/top-secret.html'));
    await guard.waitForPrintMode('blocked');
    // Headless Chromium returns from print() at once, after 'beforeprint' (no dialog).
    const pageSawPrint = await guard.page.evaluate(() => {
      let seen = 0;
      window.addEventListener('beforeprint', () => seen++);
      window.print();
      return seen;
    });
    expect(pageSawPrint).toBe(1);
    await guard.waitForNotice('print');
    await guard.page.emulateMediaType('print');
    expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('none');
    await guard.page.emulateMediaType('screen');
    await guard.close();
  });

  it('control: a page without a marker prints unchanged', async () => {
    const guard = await GuardPage.open(launched.browser, server.url('/customers.html'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await guard.page.emulateMediaType('print');
    expect(await guard.page.$('baomi-print')).toBeNull();
    expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('block');
    await guard.close();
  });

  describe('a 密级 form control is not a marker: only the chosen option counts', () => {
    it('a 密级 select listing 绝密 (nothing chosen) prints normally: no overlay, and the page has no level', async () => {
      const guard = await GuardPage.open(launched.browser, server.url('/select-level-blank.html'));
      // The popup lists what the scan found on the tab: the number proves the scan ran.
      const { worker } = await extensionWorker(launched.browser);
      const popup = await PopupPage.openFor(launched.browser, worker, guard.page);
      await popup.page.waitForSelector('[data-testid="page-counts"] li[data-type="mobile"]', { timeout: 10_000 });
      expect(await popup.counts()).toEqual({ mobile: 1 });
      expect(await popup.level()).not.toMatch(/秘密|机密|绝密/);
      await popup.close();
      await guard.page.emulateMediaType('print');
      expect(await guard.page.$('baomi-print[data-baomi-print="blocked"]')).toBeNull();
      expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('block');
      await guard.close();
    });

    it('the chosen option is the classification: 机密 chosen prints watermarked, not blank', async () => {
      const guard = await GuardPage.open(launched.browser, server.url('/select-level-chosen.html'));
      await guard.waitForPrintMode('watermark');
      await guard.page.emulateMediaType('print');
      expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('block');
      await guard.close();
    });

    it('control: the same form under a real 【绝密】 marker still prints blank', async () => {
      const guard = await GuardPage.open(launched.browser, server.url('/select-level-marked.html'));
      await guard.waitForPrintMode('blocked');
      await guard.page.emulateMediaType('print');
      expect(await guard.page.$eval('body', (el) => getComputedStyle(el).display)).toBe('none');
      await guard.close();
    });
  });
});
