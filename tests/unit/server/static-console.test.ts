import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../../server/static-console';

describe('console at /admin', () => {
  const dist = mkdtempSync(join(tmpdir(), 'baomi-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'baomi-outside.txt'), 'secret');
  const app = consoleRoutes(dist);
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves index.html, assets with types, and index.html for SPA routes', async () => {
    expect((await app.request('/admin')).status).toBe(302);
    const index = await app.request('/admin/');
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('<title>console</title>');
    const js = await app.request('/admin/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await (await app.request('/admin/events/123')).text()).toContain('<title>console</title>');
    expect((await app.request('/admin/assets/missing.js')).status).toBe(404);
  });

  it('never serves files outside dist', async () => {
    for (const path of ['/admin/../baomi-outside.txt', '/admin/..%2fbaomi-outside.txt', '/admin/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await app.request(path);
      expect(await res.text()).not.toContain('secret');
    }
  });
});
