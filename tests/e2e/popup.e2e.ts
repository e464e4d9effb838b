import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebWorker } from 'puppeteer-core';
import { extensionWorker, launchBrowser, type LaunchedBrowser } from './support/browser';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { PopupPage } from './pages/popup-page';
import { shotPath } from './support/screenshots';

describe('popup (real Chromium, built extension, opened as the toolbar popup)', () => {
  let launched: LaunchedBrowser;
  let server: FixtureServer;
  let worker: WebWorker;

  beforeAll(async () => {
    server = await startFixtureServer();
    launched = await launchBrowser();
    ({ worker } = await extensionWorker(launched.browser));
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  it('当前页面 shows the level and the counts the content script found on the tab', async () => {
    const tab = await launched.browser.newPage();
    await tab.goto(server.url('/customer-record.html'), { waitUntil: 'load' });
    const popup = await PopupPage.openFor(launched.browser, worker, tab);
    await popup.waitForLevel('机密');
    expect(await popup.counts()).toEqual({ mobile: 2, landline: 1, marker: 1 });
    await popup.screenshot(shotPath('popup-page-status', 'en'));
    await popup.close();
    await tab.close();
  });

  it('control: a page without customer data shows no level and nothing found', async () => {
    const tab = await launched.browser.newPage();
    await tab.goto(server.otherUrl('/plain.html'), { waitUntil: 'load' });
    const popup = await PopupPage.openFor(launched.browser, worker, tab);
    await popup.page.waitForSelector('[data-testid="page-level"]');
    expect(await popup.level()).not.toMatch(/秘密|机密|绝密/);
    expect(await popup.page.$('[data-testid="page-counts"]')).toBeNull();
    await popup.close();
    await tab.close();
  });
});
