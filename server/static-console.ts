/**
 * Serves the admin console (server/console/dist, built by the console's own build) at
 * /admin, with index.html for client-side routes. Without a build, /admin explains how to make one.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from './context';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const MISSING_BUILD = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Baomi Guard console</title>
<body>
<h1>保密卫士 管理控制台 / Baomi Guard console</h1>
<p>The console is not built yet. Build it (server/console → server/console/dist), then reload this page.</p>
<p>The API is running: <code>/api/v1/keys</code>, <code>/api/admin/me</code>.</p></body></html>`;

export function consoleRoutes(consoleDir: string) {
  const root = resolve(consoleDir);
  const app = new Hono<AppEnv>();
  const serve = (relative: string) => {
    const indexPath = join(root, 'index.html');
    if (!existsSync(indexPath)) return new Response(MISSING_BUILD, { status: 200, headers: { 'Content-Type': TYPES['.html']! } });
    const candidate = normalize(join(root, relative));
    // Path traversal guard: only files inside the dist folder.
    const inside = candidate === root || candidate.startsWith(root + sep);
    let file = indexPath;
    if (inside && relative && existsSync(candidate) && statSync(candidate).isFile()) file = candidate;
    else if (extname(relative)) return new Response('not found', { status: 404 }); // a missing asset, not a route
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const cache = file === indexPath ? 'no-cache' : 'public, max-age=3600';
    return new Response(readFileSync(file), { headers: { 'Content-Type': type, 'Cache-Control': cache } });
  };
  app.get('/admin', (c) => c.redirect('/admin/'));
  app.get('/admin/*', (c) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice('/admin/'.length));
    } catch {
      return c.text('bad path', 400);
    }
    return serve(relative);
  });
  return app;
}
