/**
 * Installs every page hook. Called once per frame by entrypoints/page-hooks.content.ts at
 * document_start, before any page script: originals are captured here, first.
 */
import { createMainBridge } from '../bridge/bridge-main';
import { hookBeacon } from './hook-beacon';
import { hookClipboard } from './hook-clipboard';
import { hookDataTransfer } from './hook-data-transfer';
import { hookDownloads } from './hook-download';
import { hookUrlLoads } from './hook-url-loads';
import { hookFetch } from './hook-fetch';
import { hookFormSubmit } from './hook-form';
import { hookShadowRoots } from './hook-shadow-roots';
import { hookShadowSubmit } from './hook-shadow-submit';
import { hookSubmitStop } from './hook-submit-stop';
import { hookWebSocket } from './hook-websocket';
import { hookWindowOpen } from './hook-window-open';
import { hookXhr } from './hook-xhr';
import { captureIntrinsics } from './intrinsics';
import { maskToString } from './native';

export function installPageHooks(win: Window & typeof globalThis): void {
  // No "installed" marker on window: a page could read it, or plant it in a fresh frame to switch us off.
  const intr = captureIntrinsics(win);
  maskToString(win, intr);
  lockPromiseConstructor(win, intr);
  const bridge = createMainBridge(win, intr);
  for (const install of [
    hookFetch,
    hookXhr,
    hookBeacon,
    hookClipboard,
    hookFormSubmit,
    hookSubmitStop,
    hookShadowSubmit,
    hookShadowRoots,
    hookWindowOpen,
    hookWebSocket,
    hookDownloads,
  ]) {
    try {
      install(win, bridge, intr);
    } catch {
      // One API missing or odd in this context must not cost the others.
    }
  }
  // Page writes to a copy event's clipboardData, decided as they happen; URLs put in
  // img/iframe src and new WebSocket(url) (issue 12).
  for (const install of [hookDataTransfer, hookUrlLoads]) {
    try {
      install(win, bridge, intr);
    } catch {
      // as above
    }
  }
}

/**
 * The hooks run in the page's realm and `await` native promises. `await p` calls no
 * page-visible `then` as long as `p.constructor` is the intrinsic Promise; a page that
 * redefined Promise.prototype.constructor (plus `then`) could feed the hooks a false
 * "allowed". Pinning that one property closes it; `then` itself stays patchable
 * (zone.js and friends patch it), and the hooks never call `then`/`catch`/`Promise.all`.
 */
function lockPromiseConstructor(win: Window & typeof globalThis, intr: ReturnType<typeof captureIntrinsics>): void {
  try {
    intr.defineProperty(win.Promise.prototype, 'constructor', {
      value: intr.Promise,
      writable: false,
      enumerable: false,
      configurable: false,
    });
  } catch {
    // already non-configurable: nothing a page can change either
  }
}
