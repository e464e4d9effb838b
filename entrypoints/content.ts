import { defineContentScript } from 'wxt/utils/define-content-script';
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
    // Every guard, the outgoing half too, under one lifecycle; synchronous, before any
    // await: the MAIN-world bridge handshake only works while no page script has run.
    startGuard(ctx, window);
  },
});
