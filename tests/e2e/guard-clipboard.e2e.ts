import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extensionWorker, IS_FIREFOX, launchBrowser, type LaunchedBrowser } from './support/browser';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { DEFAULT_POLICY } from '../../utils/policy/default-policy';
import { GuardPage } from './pages/guard-page';

const SENTINEL = 'SENTINEL-previous-clipboard';

describe(`copy / cut guard (real ${IS_FIREFOX ? 'Firefox' : 'Chromium'}, built extension)`, () => {
  let launched: LaunchedBrowser;
  let server: FixtureServer;
  let extensionId = '';
  let guard: GuardPage;

  beforeAll(async () => {
    server = await startFixtureServer();
    launched = await launchBrowser();
    if (!IS_FIREFOX) ({ extensionId } = await extensionWorker(launched.browser));
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });
  beforeEach(async () => {
    await guard?.close().catch(() => undefined);
    guard = await GuardPage.open(launched.browser, server.url('/customers.html?silence'));
    await guard.writeClipboard(SENTINEL, extensionId);
  });

  async function copyAndRead(): Promise<string> {
    await guard.pressShortcut('KeyC');
    return guard.readClipboard();
  }

  describe('controls: allowed copies behave as before', () => {
    it('plain text copies, and the page copy handler still runs', async () => {
      await guard.selectContents('#plain');
      expect(await copyAndRead()).toBe('今天下午三点在三楼会议室开会。');
      expect(await guard.page.evaluate(() => (window as unknown as { __pageCopies: number }).__pageCopies)).toBe(1);
      expect(await guard.notice()).toBeNull();
    });

    it('a masked number copies', async () => {
      await guard.selectContents('#masked');
      expect(await copyAndRead()).toBe('客户电话 138****5678，已脱敏。');
      expect(await guard.notice()).toBeNull();
    });
  });

  describe('blocked: the clipboard holds neither the secret nor the previous content', () => {
    it.each([
      ['a plain number', '#number'],
      ['a number split over spans', '#split'],
      ['zero-width characters between digits', '#zero-width'],
      ['full-width digits', '#full-width'],
      ['a display:none digit slipped in', '#hidden-trick'],
      ['colons between the groups', '#colon-marks'],
      ['circled digits', '#circled'],
      ['Chinese numerals read aloud (幺 for 1)', '#chinese-numerals'],
      ['text in a contenteditable editor', '#editor'],
    ])('%s (Ctrl+C)', async (_name, selector) => {
      await guard.selectContents(selector);
      const clipboard = await copyAndRead();
      expect(clipboard).not.toMatch(/1\D*3\D*8\D*1\D*2\D*3\D*4|１３８/);
      expect(clipboard).not.toContain(await guard.page.$eval(selector, (el) => el.textContent!.slice(0, 6)));
      expect(clipboard).not.toBe(SENTINEL);
      expect(clipboard).toMatch(/保密卫士|Baomi Guard/);
      await guard.waitForNotice('copy');
      // The page's own handler never saw the blocked copy.
      expect(await guard.page.evaluate(() => (window as unknown as { __pageCopies: number }).__pageCopies)).toBe(0);
    });

    it('text in an open shadow root', async () => {
      await guard.selectInShadow('#shadow-host', '#in-shadow');
      const clipboard = await copyAndRead();
      expect(clipboard).not.toContain('13812345678');
      expect(clipboard).not.toBe(SENTINEL);
      await guard.waitForNotice('copy');
    });

    it('text in a closed shadow root the page attaches long after load', async () => {
      // By now the first full scan found no closed root and the guard stopped asking the
      // browser about each element (dom-options.ts); attaching one must switch that back.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await guard.page.evaluate(() => {
        const wrap = document.createElement('div');
        wrap.id = 'late-wrap';
        wrap.append('客户电话：');
        const host = document.createElement('span');
        host.attachShadow({ mode: 'closed' }).innerHTML = '<b>13812345678</b>';
        wrap.append(host, '，请回电。');
        document.body.append(wrap);
      });
      await guard.selectContents('#late-wrap');
      const clipboard = await copyAndRead();
      expect(clipboard).not.toContain('13812345678');
      expect(clipboard).not.toBe(SENTINEL);
      await guard.waitForNotice('copy');
    });

    it('a selection inside a textarea', async () => {
      await guard.selectInField('#notes', 8, 19);
      const clipboard = await copyAndRead();
      expect(clipboard).not.toContain('13812345678');
      expect(clipboard).not.toBe(SENTINEL);
      await guard.waitForNotice('copy');
    });

    it('cut from a textarea leaves the text in place', async () => {
      await guard.selectInField('#notes', 8, 19);
      await guard.pressShortcut('KeyX');
      expect(await guard.readClipboard()).not.toContain('13812345678');
      expect(await guard.page.$eval('#notes', (el) => (el as HTMLTextAreaElement).value)).toContain('13812345678');
      await guard.waitForNotice('cut');
    });

    it('document.execCommand("copy") from page script', async () => {
      await guard.selectContents('#number');
      const done = await guard.page.evaluate(() => document.execCommand('copy'));
      expect(done).toBe(true);
      expect(await guard.readClipboard()).not.toContain('13812345678');
      await guard.waitForNotice('copy');
    });

    it('data a page copy handler sets itself', async () => {
      await guard.close();
      guard = await GuardPage.open(launched.browser, server.url('/customers.html'));
      await guard.selectContents('#plain');
      await guard.page.evaluate(() => {
        document.addEventListener('copy', (event) => {
          event.clipboardData!.setData('text/plain', '客户 13812345678');
          event.preventDefault();
        });
      });
      expect(await copyAndRead()).not.toContain('13812345678');
      await guard.waitForNotice('copy');
    });

    it.each([
      ['cross-origin', () => server.otherUrl('/frame-child.html')],
      ['same-origin', () => server.url('/frame-child.html')],
    ])('text in a %s iframe', async (_kind, childUrl) => {
      await guard.close();
      guard = await GuardPage.open(launched.browser, server.url(`/frame-parent.html?child=${encodeURIComponent(childUrl())}`));
      const frame = await guard.frame('/frame-child.html');
      await frame.waitForSelector('#number');
      await guard.page.click('#child'); // focus into the frame, as a user would
      await guard.selectContents('#number', frame);
      await guard.pressShortcut('KeyC');
      const clipboard = await guard.readClipboard();
      expect(clipboard).not.toContain('1234');
      expect(clipboard).not.toBe(SENTINEL);
      await guard.waitForNotice('copy', frame);
    });
  });

  describe('the notice', () => {
    // Skipped in Firefox: the notice's shadow root is closed; only CDP (DOM.getDocument
    // with pierce) reads it, and WebDriver BiDi has no equivalent. Its presence is checked
    // in Firefox by every waitForNotice above.
    it.skipIf(IS_FIREFOX)(
      'shows the masked number and the rule that fired, never the number; its own form asks for an override (not enrolled: it says so, never "sent")',
      async () => {
        await guard.selectContents('#number');
        expect(await copyAndRead()).not.toContain('13812345678');
        await guard.waitForNotice('copy');
        const { html } = await guard.noticeContent();
        expect(html).toContain('138****5678');
        expect(html).not.toMatch(/1\D{0,3}3\D{0,3}8\D{0,3}1\D{0,3}2\D{0,3}3\D{0,3}4/);
        const rule = DEFAULT_POLICY.rules.find((candidate) => candidate.id === 'no-copy-out')!;
        // The rule in the notice's language only (the built-in policy's is zh-CN): its Chinese half.
        expect(html).toContain(rule.description!.split(' / ')[0]!);
        expect(html).not.toContain(rule.description!.split(' / ')[1]!);
        expect(html).toContain('<textarea');

        await guard.sendOverrideFromNotice('给客户回电');
        await guard.waitForOverrideState('failed');
        const text = await guard.noticeText();
        expect(text).toContain('本机尚未注册到服务器');
        expect(text).not.toContain('已送达');
      },
    );
  });

  describe('provenance', () => {
    it('plain text from a 机密 page is 机密', async () => {
      await guard.close();
      guard = await GuardPage.open(launched.browser, server.url('/classified.html'));
      await guard.waitForPrintMode('watermark'); // the page scanner classified the page
      await guard.selectContents('#plain');
      expect(await copyAndRead()).not.toContain('客户维护');
      await guard.waitForNotice('copy');
    });

    it('a marker added after load raises the page level', async () => {
      await guard.close();
      guard = await GuardPage.open(launched.browser, server.url('/late.html'));
      await guard.selectContents('#plain');
      expect(await copyAndRead()).toBe('这段文字可以复制。');
      await guard.page.evaluate(() => (window as unknown as { addMarker(): void }).addMarker());
      await guard.waitForPrintMode('blocked'); // 绝密 → print blocked
      await guard.selectContents('#plain');
      expect(await copyAndRead()).not.toContain('这段文字可以复制'); // the notice's own words (zh-CN) may say 复制
      await guard.waitForNotice('copy');
    });
  });
});
