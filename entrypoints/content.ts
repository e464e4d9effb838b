import { createFileDecider, listenForBrowserBlocks } from '@/utils/guard/download-guard';
import { installOutgoingGuards } from '@/utils/guard/outgoing';
import { startGuard } from '@/utils/guard/start';

// Every frame (cross-origin iframes, about:blank/srcdoc and blob/data frames through
// matchOriginAsFallback), before any page script: guards listen in the capture phase on
// window before the page can register anything.
export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  runAt: 'document_start',
  // WXT would also announce "content script started" to the page by window.postMessage:
  // the page would see our extension id, and it lengthens every page's first task
  // (docs/PERFORMANCE.md). WXT's DOM event is enough to stop an older copy of this script.
  noScriptStartedPostMessage: true,
  main(ctx) {
    // Both synchronous, before any await: the MAIN-world bridge handshake only works
    // while no page script has run.
    const guard = startGuard(ctx, window);
    // The MAIN world's instant checks (beacons, sync XHR) use the active policy's detectors too.
    installOutgoingGuards(ctx, guard.decider, {
      detectors: () => guard.env.policy.detectors,
      decideFile: createFileDecider(guard.env),
    });
    listenForBrowserBlocks(guard.env);
  },
});
