/**
 * The extension packages and their update manifests, as browsers fetch them: no login
 * (a force-installing browser has no session), read-only, from the data dir's releases
 * (server/extension/release-store.ts). A publish is picked up at the next request.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context';
import { createReleaseReader, latestRelease, releasesDir } from '../extension/release-store';
import { chromeUpdateXml, firefoxUpdatesJson, type PublishedPackage } from '../extension/update-manifest';
import { recordUninstall } from '../db/repositories/devices';
import { notFound } from '../lib/errors';
import { publicBaseUrl } from '../lib/public-url';
import { chromePackageName, firefoxPackageName } from '../../utils/deployment/extension-ids';

const CRX_TYPE = 'application/x-chrome-extension';
const XPI_TYPE = 'application/x-xpinstall';

/**
 * What the browser shows when the extension is removed (runtime.setUninstallURL). The same
 * plain page whatever the token: it tells a forger nothing. No script, no style (the CSP
 * allows neither inline).
 */
const UNINSTALLED_PAGE = `<!doctype html>
<html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>保密卫士已移除 / Baomi Guard removed</title>
<body>
<h1>保密卫士已从此浏览器移除</h1>
<p>公司的客户信息保密制度要求在工作电脑的浏览器中运行保密卫士。此次移除已记录，IT 管理员会收到提醒。如果这不是您有意的操作，请联系 IT 管理员重新安装。</p>
<hr>
<h2 lang="en">Baomi Guard was removed from this browser</h2>
<p lang="en">The company's customer-information policy requires Baomi Guard in the browsers of work computers. This removal has been recorded and your IT administrator will see it. If you did not mean to remove it, ask IT to install it again.</p>
</body></html>`;

export function extensionRoutes(deps: AppDeps) {
  const releases = createReleaseReader(deps.config.dataDir);
  const dir = releasesDir(deps.config.dataDir);

  function sendPackage(pkg: PublishedPackage, type: string, cache: string): Response {
    const stream = Readable.toWeb(createReadStream(join(dir, pkg.file))) as ReadableStream<Uint8Array>;
    return new Response(stream, {
      headers: {
        'Content-Type': type,
        'Content-Length': String(pkg.size),
        'Content-Disposition': `attachment; filename="${pkg.file}"`,
        'Cache-Control': cache,
      },
    });
  }

  /** `baomi-guard.crx` is the latest (a manual download); a versioned name never changes. */
  function findPackage(file: string, browser: 'chrome' | 'firefox'): { pkg: PublishedPackage; latest: boolean } | null {
    const index = releases();
    const latest = latestRelease(index);
    const nameOf = browser === 'chrome' ? chromePackageName : firefoxPackageName;
    if (file === `baomi-guard.${browser === 'chrome' ? 'crx' : 'xpi'}`) {
      const pkg = browser === 'chrome' ? latest?.chrome : [...(index?.releases ?? [])].reverse().find((r) => r.firefox)?.firefox;
      return pkg ? { pkg, latest: true } : null;
    }
    const release = index?.releases.find((r) => nameOf(r.version) === file);
    const pkg = browser === 'chrome' ? release?.chrome : release?.firefox;
    return pkg ? { pkg, latest: false } : null;
  }

  return new Hono<AppEnv>()
    .get('/extension/uninstalled', async (c) => {
      const token = c.req.query('t') ?? '';
      // Bounded before any work: a token is 59 characters.
      if (token.length <= 100) await recordUninstall(deps.db, token, deps.clock());
      return c.html(UNINSTALLED_PAGE, 200, { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    })
    .get('/extension/chrome/updates.xml', (c) => {
      const index = releases();
      const xml = chromeUpdateXml(index?.extensionId ?? deps.keys.extension.id, latestRelease(index), publicBaseUrl(c, deps.config));
      return c.body(xml, 200, { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-cache' });
    })
    .get('/extension/firefox/updates.json', (c) => {
      const body = firefoxUpdatesJson(releases()?.releases ?? [], publicBaseUrl(c, deps.config));
      return c.json(body, 200, { 'Cache-Control': 'no-cache' });
    })
    .get('/extension/:browser{chrome|firefox}/:file', (c) => {
      const browser = c.req.param('browser') as 'chrome' | 'firefox';
      const found = findPackage(c.req.param('file'), browser);
      if (!found) throw notFound('no such extension package');
      return sendPackage(
        found.pkg,
        browser === 'chrome' ? CRX_TYPE : XPI_TYPE,
        found.latest ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    });
}
