/**
 * `wxt/browser` for the extension's own pages and its isolated content script: the
 * promise-based `browser` of webextension-polyfill (the product brief names it), typed
 * as WXT's (outside utils/'s top level, which WXT auto-imports). wxt.config.ts aliases `wxt/browser` here for every build step except the
 * MAIN-world page hooks, where the polyfill throws at load (no extension context).
 */
import type { browser as wxtBrowser } from 'wxt/browser';
import polyfill from 'webextension-polyfill';

export const browser = polyfill as typeof wxtBrowser;
