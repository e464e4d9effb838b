/**
 * The isolated-world submit guard learns whether the page cancelled a submit from
 * listeners it appends at the end of the event path (../outgoing-submit.ts). A page
 * listener that calls stopImmediatePropagation() without cancelling would starve those
 * and let the native submission through unchecked. This hook tells the isolated world,
 * synchronously, that it happened; the guard then checks the event right after the page
 * listener returns. The notice carries nothing and only makes the guard look again at
 * the submit event it is already watching, so a page forging it gains nothing.
 */
import { BRIDGE_SUBMIT_STOPPED } from '../bridge/bridge-protocol';
import type { MainBridge } from '../bridge/bridge-main';
import type { Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

export function hookSubmitStop(win: Window & typeof globalThis, _bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const typeGetter = intr.getOwnPropertyDescriptor(win.Event.prototype, 'type')?.get;
  if (!typeGetter) return;
  replaceMethod<Event['stopImmediatePropagation']>(
    win.Event.prototype,
    'stopImmediatePropagation',
    (original) =>
      ({
        stopImmediatePropagation(this: Event) {
          const result = apply(original, this, []);
          try {
            if (this.isTrusted && apply(typeGetter, this, []) === 'submit') {
              apply(intr.dispatchEvent, win, [new intr.CustomEvent(BRIDGE_SUBMIT_STOPPED)]);
            }
          } catch {
            // never break the page's call
          }
          return result;
        },
      }).stopImmediatePropagation,
    intr,
  );
}
