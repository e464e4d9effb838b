/**
 * Outgoing-data guards: everything between the page and the content script's decider.
 *
 *   - page hooks (MAIN world, entrypoints/page-hooks.content.ts): clipboard writeText/write,
 *     fetch, XHR, sendBeacon, form.submit() — ask over the private bridge;
 *   - the bridge's isolated end (./bridge-isolated.ts), answering with `decider`;
 *   - the submit-event guard (./outgoing-submit.ts): submit buttons, Enter, requestSubmit().
 *
 * Installed by startGuard (./start.ts) with the frame's other guards, SYNCHRONOUSLY at the
 * top of the isolated content script's main(), before any await: the bridge handshake
 * only happens while no page script has run.
 *
 * The decider gets the text as the page would send it (decoded URL path/query + body,
 * capped at 5 MB), the channel, and the destination origin (null for the clipboard).
 * It should answer promptly: requests wait for it (fail-closed fallback after 30 s).
 */
import { startIsolatedBridge, type IsolatedBridge, type IsolatedBridgeOptions, type OutgoingDecider } from '../bridge/bridge-isolated';
import { installSubmitGuard } from './outgoing-submit';

export type { OutgoingDecider } from '../bridge/bridge-isolated';
export type { OutgoingChannel } from '../bridge/bridge-protocol';

/**
 * `signal` is the guard's own lifecycle (./start.ts), never WXT's context: WXT invalidates
 * a context when it sees a "content script started" DOM event, which a page can forge.
 */
export function installOutgoingGuards(
  win: Window & typeof globalThis,
  decider: OutgoingDecider,
  options: Omit<IsolatedBridgeOptions, 'signal'>,
  signal: AbortSignal,
): IsolatedBridge {
  const bridge = startIsolatedBridge(win, decider, { ...options, signal });
  installSubmitGuard(decider, win, signal);
  return bridge;
}
