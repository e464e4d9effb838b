/**
 * The server hosts the company's extension: a stable id from the data dir's key, a signed
 * CRX3 and its update manifest, an XPI and updates.json, each publish a higher version.
 * The CRX is checked by a reader written from the format (crx3-reader.ts), not by the packer.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishExtension } from '../../../server/extension/publish';
import { readReleaseIndex } from '../../../server/extension/release-store';
import { EXTENSION_KEY_FILE } from '../../../server/keys';
import { prepareServer } from '../../../server/start';
import { readCrx3 } from './crx3-reader';
import { createTestServer, type TestServer } from './helpers';

const PUBLIC_URL = 'https://baomi.corp.example.com';

/** A stand-in build: the packer must carry every file, nested ones too, and rewrite the version. */
function fakeBuild(dir: string, browser: 'chrome' | 'firefox'): string {
  const root = join(dir, `build-${browser}`);
  mkdirSync(join(root, 'chunks'), { recursive: true });
  const manifest = {
    manifest_version: 3,
    name: 'Baomi Guard',
    version: '0.1.0',
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'baomi-guard@baomi.example', strict_min_version: '128.0' } } }
      : {}),
  };
  writeFileSync(join(root, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(root, 'background.js'), 'console.log("bg")');
  writeFileSync(join(root, 'chunks', 'guard.js'), 'export const guard = 1;');
  return root;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('extension hosting', () => {
  let server: TestServer;
  let chromeDir: string;
  let firefoxDir: string;
  const publish = (version?: string) =>
    publishExtension({
      dataDir: server.dir,
      chromeDir,
      firefoxDir,
      baseVersion: '0.1.0',
      version,
      publicUrl: PUBLIC_URL,
      now: server.now(),
    });

  beforeAll(async () => {
    server = await createTestServer({ env: { BAOMI_PUBLIC_URL: PUBLIC_URL } });
    chromeDir = fakeBuild(server.dir, 'chrome');
    firefoxDir = fakeBuild(server.dir, 'firefox');
  });
  afterAll(() => server.cleanup());

  it('the extension key is made at first start, private, and gives the same id at the next start', async () => {
    expect(server.keys.extension.id).toMatch(/^[a-p]{32}$/);
    expect((statSync(join(server.dir, EXTENSION_KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
    const again = await prepareServer({ dataDir: server.dir, databaseUrl: '', env: {}, consoleDir: join(server.dir, 'none') });
    expect(again.keys.extension.id).toBe(server.keys.extension.id);
    await again.destroy();
  });

  it('before any publish: the update manifest answers "noupdate" for this id, the package is 404', async () => {
    const xml = await (await server.request('/extension/chrome/updates.xml')).text();
    expect(xml).toContain(`appid="${server.keys.extension.id}"`);
    expect(xml).toContain('status="noupdate"');
    expect((await server.request('/extension/chrome/baomi-guard.crx')).status).toBe(404);
    expect(await (await server.request('/extension/firefox/updates.json')).json()).toEqual({
      addons: { 'baomi-guard@baomi.example': { updates: [] } },
    });
  });

  it('a publish serves a CRX3 signed by the data dir key, its version rewritten, every file inside', async () => {
    const result = await publish();
    expect(result.release.version).toBe('0.1.0.1');
    expect(result.extensionId).toBe(server.keys.extension.id);

    const xml = await (await server.request('/extension/chrome/updates.xml')).text();
    const codebase = /codebase="([^"]+)"/.exec(xml)![1]!;
    expect(codebase).toBe(`${PUBLIC_URL}/extension/chrome/baomi-guard-0.1.0.1.crx`);
    expect(xml).toContain('version="0.1.0.1"');

    const res = await server.request(new URL(codebase).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-chrome-extension');
    const crx = await bytesOf(res);
    expect(xml).toContain(`hash_sha256="${sha256(crx)}"`);

    const parsed = readCrx3(crx);
    expect(parsed.signaturesValid).toBe(true);
    expect(parsed.crxId).toBe(server.keys.extension.id);
    expect(parsed.keyIds).toEqual([server.keys.extension.id]);
    const files = unzipSync(parsed.zip);
    expect(Object.keys(files).sort()).toEqual(['background.js', 'chunks/guard.js', 'manifest.json']);
    expect(JSON.parse(strFromU8(files['manifest.json']!)).version).toBe('0.1.0.1');
    // The build itself is left as it was.
    expect(JSON.parse(readFileSync(join(chromeDir, 'manifest.json'), 'utf8')).version).toBe('0.1.0');
  });

  it('the XPI names the server as its update URL; updates.json carries its hash', async () => {
    const updates = (await (await server.request('/extension/firefox/updates.json')).json()) as {
      addons: Record<string, { updates: { version: string; update_link: string; update_hash: string }[] }>;
    };
    const [entry] = updates.addons['baomi-guard@baomi.example']!.updates;
    expect(entry!.version).toBe('0.1.0.1');
    const xpi = await bytesOf(await server.request(new URL(entry!.update_link).pathname));
    expect(entry!.update_hash).toBe(`sha256:${sha256(xpi)}`);
    const manifest = JSON.parse(strFromU8(unzipSync(xpi)['manifest.json']!));
    expect(manifest.version).toBe('0.1.0.1');
    expect(manifest.browser_specific_settings.gecko).toEqual({
      id: 'baomi-guard@baomi.example',
      strict_min_version: '128.0',
      update_url: `${PUBLIC_URL}/extension/firefox/updates.json`,
    });
    // The stable name (policies.json's install_url) is the latest XPI.
    expect(sha256(await bytesOf(await server.request('/extension/firefox/baomi-guard.xpi')))).toBe(sha256(xpi));
  });

  it('the next publish rises; the update manifest moves to it and the older package stays served', async () => {
    const old = await bytesOf(await server.request('/extension/chrome/baomi-guard-0.1.0.1.crx'));
    expect((await publish()).release.version).toBe('0.1.0.2');
    expect(await (await server.request('/extension/chrome/updates.xml')).text()).toContain('version="0.1.0.2"');
    const latest = readCrx3(await bytesOf(await server.request('/extension/chrome/baomi-guard.crx')));
    expect(JSON.parse(strFromU8(unzipSync(latest.zip)['manifest.json']!)).version).toBe('0.1.0.2');
    expect(latest.crxId).toBe(server.keys.extension.id);
    expect(await bytesOf(await server.request('/extension/chrome/baomi-guard-0.1.0.1.crx'))).toEqual(old);
  });

  it('a version that does not rise is refused and changes nothing; an explicit higher one is taken', async () => {
    const before = readReleaseIndex(server.dir);
    await expect(publish('0.1.0.2')).rejects.toThrow(/not above the published 0\.1\.0\.2/);
    await expect(publish('0.0.9')).rejects.toThrow(/not above/);
    expect(readReleaseIndex(server.dir)).toEqual(before);
    expect((await publish('0.2.0')).release.version).toBe('0.2.0');
    expect(readReleaseIndex(server.dir)!.releases.map((r) => r.version)).toEqual(['0.1.0.1', '0.1.0.2', '0.2.0']);
  });

  it('unknown or traversing package names are 404', async () => {
    for (const path of [
      '/extension/chrome/baomi-guard-9.9.crx',
      '/extension/chrome/..%2Freleases.json',
      '/extension/chrome/releases.json',
    ]) {
      expect((await server.request(path)).status).toBe(404);
    }
  });

  it('without BAOMI_PUBLIC_URL the codebase is the host the browser asked', async () => {
    const plain = await createTestServer();
    try {
      await publishExtension({ dataDir: plain.dir, chromeDir, baseVersion: '0.1.0', publicUrl: 'http://baomi.lan:8787' });
      const xml = await (await plain.app.request('http://baomi.lan:8787/extension/chrome/updates.xml')).text();
      expect(xml).toContain('codebase="http://baomi.lan:8787/extension/chrome/baomi-guard-0.1.0.1.crx"');
    } finally {
      await plain.cleanup();
    }
  });
});
