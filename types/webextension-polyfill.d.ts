// webextension-polyfill ships no types; its export is the promise-based `browser` namespace,
// typed in utils/extension-browser.ts as WXT's own `browser`.
declare module 'webextension-polyfill' {
  const browser: unknown;
  export default browser;
}
