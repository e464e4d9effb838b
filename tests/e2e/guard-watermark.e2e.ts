/**
 * The screen watermark (issue 30) in real Chromium with the built extension: a 机密 page
 * shows a tiled mark over blank parts of the viewport; a plain page shows none; a page
 * script that removes or hides it finds it back at once; the page's clicks still reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { GuardPage } from './pages/guard-page';
import { shotPath } from './support/screenshots';
import { pixelShare } from './support/pixels';

/** Share of marked (non-white) pixels in the lower half of the viewport, where the fixture pages are blank. */
const markedShare = (guard: GuardPage) => pixelShare(guard.page, 'marked', 0.5);

describe('screen watermark (real Chromium, built extension)', () => {
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

  it('a 机密 page carries a visible mark naming who looks at it; a plain page none', async () => {
    const classified = await GuardPage.open(launched.browser, server.url('/classified.html'));
    await classified.page.waitForSelector('baomi-watermark', { timeout: 10_000 });
    await classified.page.bringToFront();
    expect(await markedShare(classified)).toBeGreaterThan(0.002);
    await classified.page.screenshot({ path: shotPath('screen-watermark') as `${string}.png` });
    const plain = await GuardPage.open(launched.browser, server.url('/plain.html'));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the scan has run (a mark would be up by now)
    expect(await plain.page.$('baomi-watermark')).toBeNull();
    expect(await markedShare(plain)).toBe(0); // control
    await plain.close();
    await classified.close();
  });

  it('is restored at once when a page script removes or hides it, and never takes the page’s clicks', async () => {
    const guard = await GuardPage.open(launched.browser, server.url('/classified.html'));
    await guard.page.waitForSelector('baomi-watermark', { timeout: 10_000 });
    const restored = await guard.page.evaluate(async () => {
      document.querySelector('baomi-watermark')!.remove();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const back = document.querySelector('baomi-watermark');
      back?.setAttribute('style', 'display:none');
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return { back: back !== null, visible: back ? getComputedStyle(back).display !== 'none' : false };
    });
    expect(restored).toEqual({ back: true, visible: true });
    await guard.page.evaluate(() => {
      (window as unknown as { clicks: number }).clicks = 0;
      document.getElementById('plain')!.addEventListener('click', () => (window as unknown as { clicks: number }).clicks++);
    });
    await guard.page.click('#plain');
    expect(await guard.page.evaluate(() => (window as unknown as { clicks: number }).clicks)).toBe(1);
    await guard.close();
  });
});
