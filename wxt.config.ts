import { defineConfig } from 'wxt';

// See https://wxt.dev/api/config.html
export default defineConfig({
  srcDir: '.',
  outDir: '.output',
  // Server code and its console are built separately (server/), never bundled into the extension.
  // Tests and benchmarks live outside entrypoints/ so WXT never picks them up.
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    permissions: ['storage', 'alarms', 'unlimitedStorage'],
    host_permissions: ['<all_urls>'],
    action: { default_title: '__MSG_extName__' },
    // Zero-touch deployment through Chrome enterprise policy (README "Deploying to staff").
    storage: { managed_schema: 'managed_schema.json' },
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  }),
});
