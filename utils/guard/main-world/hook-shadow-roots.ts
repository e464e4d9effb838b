/**
 * Tells the isolated world, synchronously, whenever the page may have made a CLOSED
 * shadow root: attachShadow() that left `element.shadowRoot` null, and the HTML parsing
 * calls that can build declarative roots (setHTMLUnsafe, Document.parseHTMLUnsafe).
 * Open roots need no message: the isolated world sees them as `element.shadowRoot`.
 *
 * The isolated world (../dom-options.ts) skips the costly closed-root lookup per element
 * on pages that never made a closed root; this message switches the lookup back on,
 * before the page's next statement. A forged message only switches it on (slower, safe).
 */
import { BRIDGE_SHADOW_ATTACHED } from '../bridge/bridge-protocol';
import type { MainBridge } from '../bridge/bridge-main';
import type { Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

export function hookShadowRoots(win: Window & typeof globalThis, _bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const shadowRootOf = intr.getOwnPropertyDescriptor(win.Element.prototype, 'shadowRoot')?.get;
  const announce = () => {
    try {
      apply(intr.dispatchEvent, win, [new intr.CustomEvent(BRIDGE_SHADOW_ATTACHED)]);
    } catch {
      // never break the page's call
    }
  };

  replaceMethod<Element['attachShadow']>(
    win.Element.prototype,
    'attachShadow',
    (original) =>
      ({
        attachShadow(this: Element) {
          const root = apply(original, this, arguments) as ShadowRoot;
          // Read back with the captured getter: a page getter on `init.mode` could answer
          // differently to us than to the browser.
          if (!shadowRootOf || apply(shadowRootOf, this, []) === null) announce();
          return root;
        },
      }).attachShadow,
    intr,
  );

  const announcing = (owner: object | undefined, key: string) =>
    replaceMethod<(...args: unknown[]) => unknown>(
      owner,
      key,
      (original) =>
        ({
          [key](this: unknown) {
            try {
              return apply(original, this, arguments);
            } finally {
              announce();
            }
          },
        })[key]!,
      intr,
    );
  announcing(win.Element.prototype, 'setHTMLUnsafe');
  announcing(win.ShadowRoot?.prototype, 'setHTMLUnsafe');
  announcing(win.Document, 'parseHTMLUnsafe');
}
