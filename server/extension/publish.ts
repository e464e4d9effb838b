/**
 * Publishes a build as a new version the server hosts: the Chromium build
 * (`.output/chrome-mv3`) as a CRX3 signed with the data dir's extension key, the Firefox
 * build (`.output/firefox-mv3`) as an XPI whose manifest names the server's updates.json,
 * both with the new version written into their manifest. Files first, index last
 * (release-store.ts), so installed browsers find the new version at their next update check.
 *
 * CRX3 packing is the `crx3` package (1.x: Node ≥ 12, offline, protobuf header via pbf,
 * signed with node:crypto; checked by Chromium installing it in managed-deployment e2e).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import crx3 from 'crx3';
import { zipSync } from 'fflate';
import { EXTENSION_KEY_FILE, loadOrCreateExtensionKey } from '../keys';
import { chromePackageName, EXTENSION_PATHS, firefoxPackageName, GECKO_ID } from '../../utils/deployment/extension-ids';
import { readReleaseIndex, releasesDir, writeReleaseIndex } from './release-store';
import type { PublishedPackage, Release } from './update-manifest';
import { checkNewVersion, nextVersion } from './versions';

export interface PublishOptions {
  dataDir: string;
  chromeDir: string;
  /** Omitted or missing on disk: no Firefox package. */
  firefoxDir?: string;
  /** Explicit version; default: nextVersion(package version, published). */
  version?: string;
  /** The x.y.z the default version is built on (package.json's). */
  baseVersion: string;
  /**
   * Public base URL (BAOMI_PUBLIC_URL) staff browsers reach the server at. Both packages carry
   * their update URL in their manifest: that, not the policy's, is where an installed
   * extension looks for updates.
   */
  publicUrl: string;
  now?: Date;
}

export interface PublishResult {
  extensionId: string;
  release: Release;
  /** Why there is no Firefox package, when there is none. */
  firefoxSkipped?: string;
}

export class PublishError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishError';
  }
}

type Manifest = Record<string, unknown> & { version?: string; browser_specific_settings?: { gecko?: Record<string, unknown> } };

async function stage(buildDir: string, edit: (manifest: Manifest) => void): Promise<string> {
  if (!existsSync(join(buildDir, 'manifest.json')))
    throw new PublishError(`no build in ${buildDir} (manifest.json missing): run npm run build first`);
  const dir = await mkdtemp(join(tmpdir(), 'baomi-publish-'));
  await cp(buildDir, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  edit(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

async function filesUnder(dir: string): Promise<Record<string, Uint8Array>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, Uint8Array> = {};
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path).split('\\').join('/')] = readFileSync(path);
  }
  return files;
}

function packageInfo(path: string): PublishedPackage {
  const bytes = readFileSync(path);
  return { file: path.split('/').at(-1)!, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/** Writes `bytes` (or lets `write` make the file) under a temporary name, then renames. */
async function placeFile(path: string, write: (temp: string) => Promise<void>): Promise<PublishedPackage> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await write(temp);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
  return packageInfo(path);
}

export async function publishExtension(options: PublishOptions): Promise<PublishResult> {
  const key = await loadOrCreateExtensionKey(options.dataDir);
  const index = readReleaseIndex(options.dataDir);
  if (index && index.extensionId !== key.id) {
    throw new PublishError(
      `the published releases belong to extension id ${index.extensionId}, but ${EXTENSION_KEY_FILE} in ${options.dataDir} gives ${key.id}: restore the original key (from the backup) — a new key means a new extension on every machine`,
    );
  }
  const published = index?.releases.map((release) => release.version) ?? [];
  const version = options.version ?? nextVersion(options.baseVersion, published);
  checkNewVersion(version, published);

  if (!/^https?:\/\/[^/]+/.test(options.publicUrl ?? '')) {
    throw new PublishError(
      `a public URL is needed (BAOMI_PUBLIC_URL or --public-url, e.g. https://baomi.corp.example.com): the packages name their update URL inside`,
    );
  }
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const out = releasesDir(options.dataDir);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const staged: string[] = [];
  try {
    const chromeStage = await stage(options.chromeDir, (manifest) => {
      manifest.version = version;
      manifest.update_url = `${publicUrl}${EXTENSION_PATHS.chromeUpdateManifest}`;
    });
    staged.push(chromeStage);
    const chrome = await placeFile(join(out, chromePackageName(version)), async (temp) => {
      const packed = await crx3([join(chromeStage, 'manifest.json')], {
        keyPath: join(options.dataDir, EXTENSION_KEY_FILE),
        crxPath: temp,
      });
      if (packed.appId !== key.id) throw new PublishError(`crx3 signed as ${packed.appId}, expected ${key.id}`);
    });

    let firefox: PublishedPackage | undefined;
    let firefoxSkipped: string | undefined;
    if (!options.firefoxDir || !existsSync(join(options.firefoxDir, 'manifest.json'))) {
      firefoxSkipped = `no Firefox build in ${options.firefoxDir ?? '(none given)'} (npm run build:firefox)`;
    } else {
      const firefoxStage = await stage(options.firefoxDir, (manifest) => {
        manifest.version = version;
        const settings = (manifest.browser_specific_settings ??= {});
        settings.gecko = { ...settings.gecko, id: GECKO_ID, update_url: `${publicUrl}${EXTENSION_PATHS.firefoxUpdateManifest}` };
      });
      staged.push(firefoxStage);
      const zipped = zipSync(await filesUnder(firefoxStage), { level: 9 });
      firefox = await placeFile(join(out, firefoxPackageName(version)), async (temp) => writeFileSync(temp, zipped));
    }

    const release: Release = { version, publishedAt: (options.now ?? new Date()).toISOString(), chrome, ...(firefox ? { firefox } : {}) };
    writeReleaseIndex(options.dataDir, { extensionId: key.id, releases: [...(index?.releases ?? []), release] });
    return { extensionId: key.id, release, ...(firefoxSkipped ? { firefoxSkipped } : {}) };
  } finally {
    for (const dir of staged) await rm(dir, { recursive: true, force: true });
  }
}
