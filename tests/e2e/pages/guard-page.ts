/**
 * Page object for the guard e2e tests: selecting text the ways a user does, copying
 * with the real keyboard, reading the real clipboard back, and reading the notice
 * host (its shadow root is closed; the host's data attributes are the test surface).
 */
import type { Browser, CDPSession, Frame, Page } from 'puppeteer-core';
import { IS_FIREFOX } from '../support/browser';

/** A node of DOM.getDocument (CDP), as far as these helpers read it. */
interface DomNode {
  nodeId: number;
  localName?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

export const CLIPBOARD_PERMISSIONS = ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write'] as const;

export class GuardPage {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(browser: Browser, url: string): Promise<GuardPage> {
    const origin = new URL(url).origin;
    // Firefox: the clipboard is open to tests by a pref (support/browser.ts).
    if (!IS_FIREFOX) await browser.defaultBrowserContext().overridePermissions(origin, [...CLIPBOARD_PERMISSIONS]);
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.bringToFront();
    return new GuardPage(browser, page);
  }

  /** Frame whose URL contains `part` (e.g. a cross-origin iframe). */
  async frame(part: string): Promise<Frame> {
    for (let i = 0; i < 50; i++) {
      const frame = this.page.frames().find((candidate) => candidate.url().includes(part));
      if (frame) return frame;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no frame ${part}`);
  }

  async selectContents(selector: string, frame: Frame = this.page.mainFrame()): Promise<void> {
    await frame.evaluate((sel) => {
      const element = document.querySelector(sel);
      if (!element) throw new Error(`no ${sel}`);
      const range = document.createRange();
      range.selectNodeContents(element);
      const selection = getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    }, selector);
  }

  /** Selects the text of `inner` inside the open shadow root of `host`. */
  async selectInShadow(host: string, inner: string): Promise<void> {
    await this.page.evaluate(
      (hostSel, innerSel) => {
        const root = document.querySelector(hostSel)!.shadowRoot!;
        const element = root.querySelector(innerSel)!;
        const first = element.firstChild!;
        const last = element.lastChild!.lastChild ?? element.lastChild!;
        getSelection()!.setBaseAndExtent(first, 0, last, (last.textContent ?? '').length);
      },
      host,
      inner,
    );
  }

  async selectInField(selector: string, start: number, end: number): Promise<void> {
    await this.page.evaluate(
      (sel, from, to) => {
        const field = document.querySelector(sel) as HTMLTextAreaElement;
        field.focus();
        field.setSelectionRange(from, to);
      },
      selector,
      start,
      end,
    );
  }

  /** Ctrl+C through the real keyboard pipeline (CDP Input.dispatchKeyEvent). */
  async pressShortcut(key: 'KeyC' | 'KeyX' | 'KeyV' | 'KeyP'): Promise<void> {
    const command = { KeyC: 'copy', KeyX: 'cut', KeyV: 'paste', KeyP: '' }[key];
    await this.page.keyboard.down('Control');
    // Chromium headless runs no editing command for a synthetic shortcut unless told
    // (CDP `commands`); Firefox's BiDi key events run the real shortcut.
    await this.page.keyboard.press(key, command && !IS_FIREFOX ? { commands: [command] } : {});
    await this.page.keyboard.up('Control');
  }

  async readClipboard(): Promise<string> {
    await this.page.bringToFront();
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /**
   * Puts text on the clipboard from the extension's own page: content scripts (and so
   * the guards) do not run there, so a number can be placed for paste tests.
   */
  async writeClipboard(text: string, extensionId: string): Promise<void> {
    if (IS_FIREFOX) {
      // No moz-extension:// page over BiDi, and about:blank has no navigator.clipboard (not
      // a secure context): write from the page itself, which the page hooks allow only for
      // text without findings. Paste tests that need a number there skip in Firefox.
      await this.page.bringToFront();
      await this.page.evaluate((value) => navigator.clipboard.writeText(value), text);
      return;
    }
    const origin = `chrome-extension://${extensionId}`;
    await this.browser.defaultBrowserContext().overridePermissions(origin, [...CLIPBOARD_PERMISSIONS]);
    const helper = await this.browser.newPage();
    await helper.goto(`${origin}/popup.html`);
    await helper.bringToFront();
    await helper.evaluate((value) => navigator.clipboard.writeText(value), text);
    await helper.close();
    await this.page.bringToFront();
  }

  /** The clipboard's text/html flavour ('' when it has none). */
  async readClipboardHtml(): Promise<string> {
    await this.page.bringToFront();
    return this.page.evaluate(async () => {
      for (const item of await navigator.clipboard.read()) {
        if (item.types.includes('text/html')) return (await item.getType('text/html')).text();
      }
      return '';
    });
  }

  /** Puts an HTML flavour (and its plain text) on the clipboard from the extension's page (Chromium only, see writeClipboard). */
  async writeClipboardHtml(html: string, plain: string, extensionId: string): Promise<void> {
    const origin = `chrome-extension://${extensionId}`;
    await this.browser.defaultBrowserContext().overridePermissions(origin, [...CLIPBOARD_PERMISSIONS]);
    const helper = await this.browser.newPage();
    await helper.goto(`${origin}/popup.html`);
    await helper.bringToFront();
    await helper.evaluate(
      (h, p) =>
        navigator.clipboard.write([
          new ClipboardItem({ 'text/html': new Blob([h], { type: 'text/html' }), 'text/plain': new Blob([p], { type: 'text/plain' }) }),
        ]),
      html,
      plain,
    );
    await helper.close();
    await this.page.bringToFront();
  }

  /** data-baomi-notice of the in-page notice, or null. */
  notice(frame: Frame = this.page.mainFrame()): Promise<string | null> {
    return frame.evaluate(() => document.querySelector('baomi-notice')?.getAttribute('data-baomi-notice') ?? null);
  }

  async waitForNotice(channel: string, frame: Frame = this.page.mainFrame()): Promise<void> {
    await frame.waitForSelector(`baomi-notice[data-baomi-notice="${channel}"]`, { timeout: 5000 });
  }

  /**
   * Reads inside the closed shadow root of our `tag` host (notice, print overlay). A page
   * script cannot; DevTools can (DOM.getDocument with pierce).
   */
  private async inClosedShadow<T>(
    tag: string,
    read: (cdp: CDPSession, shadow: DomNode, find: (from: DomNode, match: (n: DomNode) => boolean) => DomNode | null) => Promise<T>,
  ): Promise<T> {
    const cdp = await this.page.createCDPSession();
    try {
      const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: DomNode };
      const find = (node: DomNode, match: (n: DomNode) => boolean): DomNode | null => {
        if (match(node)) return node;
        for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
          const found = find(child, match);
          if (found) return found;
        }
        return null;
      };
      const shadow = find(root, (n) => n.localName === tag)?.shadowRoots?.[0];
      if (!shadow) throw new Error(`no <${tag}> with a shadow root`);
      return await read(cdp, shadow, find);
    } finally {
      await cdp.detach();
    }
  }

  /** The notice's shadow HTML and the viewport centre of its "request override" button, if any. */
  noticeContent(): Promise<{ html: string; overrideAt: { x: number; y: number } | null }> {
    return this.inClosedShadow('baomi-notice', async (cdp, shadow, find) => {
      const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: shadow.nodeId });
      const button = find(shadow, (n) => n.localName === 'button' && (n.attributes ?? []).includes('override'));
      if (!button) return { html: outerHTML, overrideAt: null };
      const { model } = await cdp.send('DOM.getBoxModel', { nodeId: button.nodeId });
      const [x1, y1, , , x3, y3] = model.content;
      return { html: outerHTML, overrideAt: { x: (x1! + x3!) / 2, y: (y1! + y3!) / 2 } };
    });
  }

  /** Viewport centre of the first element in the notice's closed shadow root that `match`es. */
  private noticeElementAt(match: (node: DomNode) => boolean): Promise<{ x: number; y: number }> {
    return this.inClosedShadow('baomi-notice', async (cdp, shadow, find) => {
      const node = find(shadow, match);
      if (!node) throw new Error('no such element in the notice');
      const { model } = await cdp.send('DOM.getBoxModel', { nodeId: node.nodeId });
      const [x1, y1, , , x3, y3] = model.content;
      return { x: (x1! + x3!) / 2, y: (y1! + y3!) / 2 };
    });
  }

  /** Types a reason into the notice's own field and presses its send button, as a user does. */
  async sendOverrideFromNotice(reason: string): Promise<void> {
    const field = await this.noticeElementAt((n) => n.localName === 'textarea');
    await this.page.mouse.click(field.x, field.y);
    await this.page.keyboard.type(reason);
    const send = await this.noticeElementAt((n) => n.localName === 'button' && classOf(n) === 'send');
    await this.page.mouse.click(send.x, send.y);
  }

  /** Presses the notice's "report a false positive". */
  async reportFalsePositive(): Promise<void> {
    const button = await this.noticeElementAt((n) => n.localName === 'button' && classOf(n) === 'fp');
    await this.page.mouse.click(button.x, button.y);
  }

  /** Waits for the notice host's data-baomi-override to read `state` ('sent', 'queued', 'failed'). */
  async waitForOverrideState(state: string, timeout = 15_000): Promise<void> {
    await this.page.waitForSelector(`baomi-notice[data-baomi-override="${state}"]`, { timeout });
  }

  /** The notice's visible text (from its closed shadow root). */
  async noticeText(): Promise<string> {
    const { html } = await this.noticeContent();
    return html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, '\n').replace(/\n+/g, '\n').trim();
  }

  /** The print overlay's shadow HTML (the watermark text is in it). */
  printOverlayHtml(): Promise<string> {
    return this.inClosedShadow('baomi-print', async (cdp, shadow) => (await cdp.send('DOM.getOuterHTML', { nodeId: shadow.nodeId })).outerHTML);
  }

  async dismissNotice(): Promise<void> {
    await this.page.evaluate(() => document.querySelectorAll('baomi-notice').forEach((host) => host.remove()));
  }

  /** Waits until the page scanner has classified the page (the print overlay reflects it). */
  async waitForPrintMode(mode: 'watermark' | 'blocked'): Promise<void> {
    await this.page.waitForSelector(`baomi-print[data-baomi-print="${mode}"]`, { timeout: 10_000 });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

function classOf(node: DomNode): string | null {
  const attributes = node.attributes ?? [];
  const index = attributes.indexOf('class');
  return index >= 0 && index % 2 === 0 ? (attributes[index + 1] ?? null) : null;
}
