import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import { GECKO_ID } from './utils/deployment/extension-ids';

/** Build steps that get webextension-polyfill as `wxt/browser` (utils/platform/extension-browser.ts). */
const POLYFILLED = new Set(['background', 'popup', 'options']);

// See https://wxt.dev/api/config.html
export default defineConfig({
  srcDir: '.',
  outDir: '.output',
  // Both browsers get Manifest V3: Firefox ≥ 128 supports MAIN-world content scripts,
  // which the page hooks need (entrypoints/page-hooks.content.ts).
  manifestVersion: 3,
  // No auto-imports: every module imports what it uses. Auto-imports matched a
  // destructured parameter named `z` in utils/crypto/ed25519-verify.ts to a `z` the
  // scanner listed for utils/messaging.ts, which pulled zod and every message schema
  // into the content script (218 KB, built in every frame at document_start; 120 KB without).
  imports: false,
  // Server code and its console are built separately (server/), never bundled into the extension.
  // Tests and benchmarks live outside entrypoints/ so WXT never picks them up.
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    // downloads: the browser-level download guard; notifications: its notice where no page can show one.
    // Request layer (utils/background/request-guard.ts): blocking webRequest in Firefox and
    // in Chrome when force-installed by enterprise policy (Chrome MV3 grants
    // webRequestBlocking only then; otherwise it is withheld with an install warning);
    // else a declarativeNetRequest rule, its matches reported through
    // declarativeNetRequestFeedback where Chrome allows (unpacked).
    permissions: [
      'storage',
      'alarms',
      'unlimitedStorage',
      'downloads',
      'notifications',
      'webRequest',
      'webRequestBlocking',
      ...(browser === 'firefox' ? [] : ['declarativeNetRequest', 'declarativeNetRequestFeedback']),
    ],
    host_permissions: ['<all_urls>'],
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? {
          // Firefox reads managed settings from policies.json ("3rdparty" → extension id).
          browser_specific_settings: {
            gecko: {
              // The server's policies.json and updates.json name the same id.
              id: GECKO_ID,
              strict_min_version: '128.0',
              // Events leave the browser only to the company's own server, without customer values.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {
          // Zero-touch deployment through Chrome enterprise policy (README "Deploying to staff").
          storage: { managed_schema: 'managed_schema.json' },
        }),
  }),
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    // Readable profiles (function names) when measuring: BAOMI_NO_MINIFY=1 npm run build.
    ...(process.env.BAOMI_NO_MINIFY ? { build: { minify: false } } : {}),
  }),
  hooks: {
    // WXT builds each content script in a step of its own, so the alias can skip the
    // MAIN-world page hooks (the polyfill throws there) and the isolated content script
    // (see docs/ARCHITECTURE.md "webextension-polyfill"). @wxt-dev/webextension-polyfill
    // aliases every step, which is why it is not used.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entrypoint) => POLYFILLED.has(entrypoint.name))) return;
      const replacement = fileURLToPath(new URL('./utils/platform/extension-browser.ts', import.meta.url));
      const aliases = config.resolve?.alias;
      // A new resolve object: the one WXT passes in is shared by every build step.
      config.resolve = {
        ...config.resolve,
        alias: Array.isArray(aliases) ? [...aliases, { find: 'wxt/browser', replacement }] : { ...aliases, 'wxt/browser': replacement },
      };
    },
  },
});
