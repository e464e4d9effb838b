/**
 * Outgoing-data guards: everything between the page and the content script's decider.
 *
 *   - page hooks (MAIN world, entrypoints/page-hooks.content.ts): clipboard writeText/write,
 *     fetch, XHR, sendBeacon, form.submit() — ask over the private bridge;
 *   - the bridge's isolated end (./bridge-isolated.ts), answering with `decider`;
 *   - the submit-event guard (./outgoing-submit.ts): submit buttons, Enter, requestSubmit().
 *
 * Usage, in the isolated content script (runAt document_start, allFrames, matchAboutBlank,
 * matchOriginAsFallback — the same frames as the page hooks), SYNCHRONOUSLY at the top of
 * main(), before any await: the bridge handshake only happens while no page script has run.
 *
 *   export default defineContentScript({
 *     matches: ['<all_urls>'], runAt: 'document_start', allFrames: true,
 *     matchAboutBlank: true, matchOriginAsFallback: true,
 *     main(ctx) {
 *       installOutgoingGuards(ctx, async (text, channel, destinationOrigin) => {
 *         const findings = scanText(text, { detectors: policy.detectors });
 *         const verdict = decide(findings, { channel, source: location.origin, destination: destinationOrigin, … }, policy, grants);
 *         // record the event (never the raw text), show the notice
 *         return { blocked: verdict.action === 'block' || verdict.action === 'block-with-override' };
 *       });
 *       // optional 3rd argument: { detectors: () => policy.detectors } (OutgoingGuardOptions)
 *       // … everything else, awaits allowed from here on
 *     },
 *   });
 *
 * The decider gets the text as the page would send it (decoded URL path/query + body,
 * capped at 5 MB), the channel, and the destination origin (null for the clipboard).
 * It should answer promptly: requests wait for it (fail-closed fallback after 30 s).
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { DetectorSettings } from '../detect/types';
import { startIsolatedBridge, type FileDecider, type OutgoingDecider } from './bridge-isolated';
import { installSubmitGuard } from './outgoing-submit';

export type { OutgoingDecider } from './bridge-isolated';

export interface OutgoingGuardOptions {
  /**
   * The active policy's detector settings. The page hooks use them for the synchronous
   * pre-check of APIs that cannot wait for the decider (sendBeacon, sync XHR, window.open,
   * WebSocket.send); without them those use the built-in detectors.
   */
  detectors?: () => DetectorSettings | undefined;
  /** Decides files the page saves (download links to blob:/data:, save pickers): ./download-guard.ts. */
  decideFile?: FileDecider;
}
export type { OutgoingChannel } from './bridge-protocol';

/**
 * `ctx` is deliberately not used to tear anything down: WXT invalidates a context when it
 * sees a "content script started" DOM event, which a page can forge. Like the other
 * guards (utils/guard/start.ts), these stay on; the decider keeps working on the last policy.
 */
export function installOutgoingGuards(
  _ctx: ContentScriptContext,
  decider: OutgoingDecider,
  options: OutgoingGuardOptions = {},
): void {
  startIsolatedBridge(window, decider, options.detectors, options.decideFile);
  installSubmitGuard(decider, window);
}
