/**
 * DataTransfer.prototype.setData and DataTransferItemList.prototype.add: after the page's
 * write, tell the isolated world synchronously (BRIDGE_CLIPBOARD_DATA_SET). A copy handler
 * that writes the whole record with `clipboardData.setData` and then stops propagation
 * never reaches a later listener; this signal reaches the copy guard inside the page's own
 * call, before the browser reads the data (../clipboard-guard.ts decides and replaces it).
 */
import { BRIDGE_CLIPBOARD_DATA_SET } from '../bridge/bridge-protocol';
import type { MainBridge } from '../bridge/bridge-main';
import type { Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

export function hookDataTransfer(win: Window & typeof globalThis, _bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const announce = () => {
    try {
      apply(intr.dispatchEvent, win, [new intr.CustomEvent(BRIDGE_CLIPBOARD_DATA_SET)]);
    } catch {
      // never break the page's call
    }
  };
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
  announcing(win.DataTransfer?.prototype, 'setData');
  announcing(win.DataTransferItemList?.prototype, 'add');
}
