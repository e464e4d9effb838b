import { defineContentScript } from 'wxt/utils/define-content-script';
import { installPageHooks } from '@/utils/guard/main-world/install';

/**
 * Page hooks in the page's own JavaScript world: the clipboard API, fetch, XHR,
 * sendBeacon and form.submit() cannot be seen from the isolated world. Decisions come
 * from the isolated content script over a private MessagePort (utils/guard/bridge/).
 */
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  // No global variable for pages to find or clobber.
  globalName: false,
  main() {
    installPageHooks(window);
  },
});
