/**
 * Forms inside shadow roots: their submit events are not composed, so they never reach
 * the isolated world's listener on window. Every shadow root the page attaches gets the
 * same submit guard (../outgoing-submit.ts), run here with the bridge as its decider and
 * the original HTMLFormElement.prototype.submit for the re-submission.
 * Declarative shadow roots (<template shadowrootmode>) are made by the parser, not by
 * attachShadow(): not covered (gap, see docs).
 */
import type { MainBridge } from '../bridge/bridge-main';
import { BRIDGE_SUBMIT_STOPPED } from '../bridge/bridge-protocol';
import { createSubmitGuard } from '../outgoing/outgoing-submit';
import { baseUrl, type Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

export function hookShadowSubmit(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const originalSubmit = intr.formSubmit;
  const guard = createSubmitGuard(async (text, channel, destination) => ({ blocked: await bridge.ask(channel, text, destination) }), {
    FormData: intr.FormData,
    File: intr.File,
    URL: intr.URL,
    HTMLFormElement: win.HTMLFormElement,
    baseURI: () => baseUrl(intr),
    nativeSubmit() {
      apply(originalSubmit, this, []);
    },
  });
  apply(intr.addEventListener, win, [BRIDGE_SUBMIT_STOPPED, guard.onStopped]);

  replaceMethod<Element['attachShadow']>(
    win.Element?.prototype,
    'attachShadow',
    (original) =>
      ({
        attachShadow(this: Element, init: ShadowRootInit) {
          const root = apply(original, this, arguments) as ShadowRoot;
          try {
            apply(intr.addEventListener, root, ['submit', guard.onSubmit, true]);
          } catch {
            // never break the page's call
          }
          return root;
        },
      }).attachShadow,
    intr,
  );
}
