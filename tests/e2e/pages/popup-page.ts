/**
 * The toolbar popup, opened for real: `chrome.action.openPopup()` from the service
 * worker opens it on the active tab of the focused window, as a click on the toolbar
 * icon does (so the popup reads the tab the user is on, not a tab id we hand it).
 */
import type { Browser, Page, WebWorker } from 'puppeteer-core';

export class PopupPage {
  private constructor(readonly page: Page) {}

  static async openFor(browser: Browser, worker: WebWorker, tab: Page): Promise<PopupPage> {
    await tab.bringToFront();
    await worker.evaluate('chrome.action.openPopup()');
    const target = await browser.waitForTarget((candidate) => candidate.url().includes('/popup.html'), { timeout: 10_000 });
    const page = await target.asPage();
    await page.waitForSelector('main', { timeout: 10_000 });
    return new PopupPage(page);
  }

  /** Waits until the popup's page level reads `level` (the popup refreshes every 2 s). */
  async waitForLevel(level: string): Promise<void> {
    await this.page.waitForFunction(
      (expected) => document.querySelector('[data-testid="page-level"]')?.textContent === expected,
      { timeout: 10_000 },
      level,
    );
  }

  level(): Promise<string | null> {
    return this.page.$eval('[data-testid="page-level"]', (el) => el.textContent);
  }

  /** Counts by finding type as listed under 当前页面. */
  counts(): Promise<Record<string, number>> {
    return this.page.$$eval('[data-testid="page-counts"] li', (items) =>
      Object.fromEntries(items.map((item) => [item.getAttribute('data-type'), Number(item.getAttribute('data-count'))])),
    );
  }

  text(selector = 'main'): Promise<string> {
    return this.page.$eval(selector, (el) => (el as HTMLElement).innerText);
  }

  async screenshot(path: string): Promise<void> {
    // A popup window is small: a full-page shot of it repeats the top; give it room first.
    const height = await this.page.evaluate(() => document.documentElement.scrollHeight);
    await this.page.setViewport({ width: 380, height: Math.min(2000, height + 16) });
    await this.page.screenshot({ path: path as `${string}.png` });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
