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
  main(ctx) {
    startGuard(ctx, window);
    // TODO [2025-11-27]: installOutgoingGuards(ctx, guard.decider) once utils/guard/outgoing.ts lands (MAIN-world engineer).
  },
});
