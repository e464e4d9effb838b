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
import { notFound } from '../lib/errors';
import { publicBaseUrl } from '../lib/public-url';
import { chromePackageName, firefoxPackageName } from '../../utils/deployment/extension-ids';

const CRX_TYPE = 'application/x-chrome-extension';
const XPI_TYPE = 'application/x-xpinstall';

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
