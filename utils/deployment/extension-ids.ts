/**
 * Names the browsers know the extension by outside Chromium's key-derived id: Firefox's
 * add-on id (manifest browser_specific_settings.gecko.id, wxt.config.ts), which its
 * policies.json and updates.json name, and the served package paths.
 */
export const GECKO_ID = 'baomi-guard@baomi.example';

/** Where the server serves the packages (server/routes/extension.ts); no login: browsers fetch them. */
export const EXTENSION_PATHS = {
  chromeUpdateManifest: '/extension/chrome/updates.xml',
  chromeLatest: '/extension/chrome/baomi-guard.crx',
  firefoxUpdateManifest: '/extension/firefox/updates.json',
  firefoxLatest: '/extension/firefox/baomi-guard.xpi',
  uninstalled: '/extension/uninstalled',
} as const;

export const chromePackageName = (version: string) => `baomi-guard-${version}.crx`;
export const firefoxPackageName = (version: string) => `baomi-guard-${version}.xpi`;
