/**
 * Installs every page hook. Called once per frame by entrypoints/page-hooks.content.ts at
 * document_start, before any page script: originals are captured here, first.
 */
import { createMainBridge } from '../bridge-main';
import { hookBeacon } from './hook-beacon';
import { hookClipboard } from './hook-clipboard';
import { hookFetch } from './hook-fetch';
import { hookFormSubmit } from './hook-form';
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
  const bridge = createMainBridge(win, intr);
  for (const install of [hookFetch, hookXhr, hookBeacon, hookClipboard, hookFormSubmit, hookSubmitStop, hookWindowOpen, hookWebSocket]) {
    try {
      install(win, bridge, intr);
    } catch {
      // One API missing or odd in this context must not cost the others.
    }
  }
}
