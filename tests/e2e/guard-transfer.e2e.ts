import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extensionWorker, IS_FIREFOX, launchBrowser, type LaunchedBrowser } from './support/browser';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { GuardPage } from './pages/guard-page';

describe('paste and drag guards (real browser, built extension)', () => {
  let launched: LaunchedBrowser;
  let server: FixtureServer;
  let extensionId: string;
  let guard: GuardPage;

  beforeAll(async () => {
    server = await startFixtureServer();
    launched = await launchBrowser();
    // Firefox: no extension context over WebDriver BiDi; the clipboard is written from the page.
    extensionId = IS_FIREFOX ? '' : (await extensionWorker(launched.browser)).extensionId;
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });
  beforeEach(async () => {
    await guard?.close().catch(() => undefined);
    guard = await GuardPage.open(launched.browser, server.url('/customers.html'));
  });

  const value = (selector: string) => guard.page.$eval(selector, (el) => (el as HTMLInputElement).value);

  it('control: plain text pastes (native Ctrl+V into a field)', async () => {
    await guard.writeClipboard('会议改到周五', extensionId);
    await guard.page.focus('#notes');
    await guard.page.$eval('#notes', (el) => {
      (el as HTMLTextAreaElement).value = '';
    });
    await guard.pressShortcut('KeyV');
    expect(await value('#notes')).toBe('会议改到周五');
    expect(await guard.notice()).toBeNull();
  });

  // Skipped in Firefox (both number pastes): the test can put text on Firefox's clipboard
  // only from the page itself (FIREFOX_NO_EXTENSION_CONTEXT: no moz-extension:// page over
  // BiDi, GuardPage.writeClipboard), and the guard refuses a page's write of a number.
  it.skipIf(IS_FIREFOX)('a number pasted into a non-internal page is blocked (native Ctrl+V): field unchanged', async () => {
    await guard.writeClipboard('客户电话 13812345678', extensionId);
    await guard.page.focus('#notes');
    await guard.page.$eval('#notes', (el) => {
      (el as HTMLTextAreaElement).value = 'before';
    });
    await guard.pressShortcut('KeyV');
    expect(await value('#notes')).toBe('before');
    await guard.waitForNotice('paste');
  });

  it.skipIf(IS_FIREFOX)("the page's own paste handler never receives blocked data", async () => {
    await guard.writeClipboard('13812345678', extensionId);
    await guard.page.focus('#target');
    await guard.pressShortcut('KeyV');
    expect(await value('#target')).toBe('');
    expect(await guard.page.evaluate(() => (window as unknown as { __pagePastes: number }).__pagePastes)).toBe(0);
    await guard.waitForNotice('paste');
  });

  it('dragging a selected number out is cancelled (dragstart defaultPrevented)', async () => {
    await guard.selectContents('#split');
    const prevented = await guard.page.evaluate(() => {
      const event = new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: new DataTransfer() });
      document.querySelector('#split b')!.firstChild!.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(prevented).toBe(true);
    await guard.waitForNotice('drag');
  });

  it('control: dragging plain text is not touched', async () => {
    await guard.selectContents('#plain');
    const prevented = await guard.page.evaluate(() => {
      const event = new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: new DataTransfer() });
      document.querySelector('#plain')!.firstChild!.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(prevented).toBe(false);
    expect(await guard.notice()).toBeNull();
  });

  it('a real mouse drag of a selected number is cancelled', async () => {
    await guard.selectContents('#number');
    await guard.page.evaluate(() => {
      (window as unknown as { __drag: string }).__drag = 'none';
      window.addEventListener('dragstart', (event) => {
        (window as unknown as { __drag: string }).__drag = event.defaultPrevented ? 'prevented' : 'started';
      });
    });
    const box = (await guard.page.$('#number'))!;
    const rect = (await box.boundingBox())!;
    const y = rect.y + rect.height / 2;
    await guard.page.mouse.move(rect.x + 60, y);
    await guard.page.mouse.down();
    await guard.page.mouse.move(rect.x + 80, y + 40, { steps: 5 });
    await guard.page.mouse.move(rect.x + 200, y + 120, { steps: 5 });
    await guard.page.mouse.up();
    const drag = await guard.page.evaluate(() => (window as unknown as { __drag: string }).__drag);
    // Our capture listener cancels it and stops propagation: the page listener never sees it.
    expect(drag).not.toBe('started');
    if (drag === 'none') await guard.waitForNotice('drag');
  });
});
