/**
 * The admin console: a Preact SPA served by the server at /admin.
 * Build from the repository root: `npm run build:console`.
 * Dev: `npx vite --config server/console/vite.config.ts` with the server on :8787
 * (override with BAOMI_SERVER) — /api is proxied to it.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/admin/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': process.env.BAOMI_SERVER ?? 'http://127.0.0.1:8787' },
  },
});
