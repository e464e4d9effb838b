/**
 * What browsers read to install and update the extension (pure: the routes hand in the
 * latest release and the server's public base URL).
 *  - Chromium/Edge: the gupdate XML "update manifest" behind the update URL of
 *    ExtensionInstallForcelist / ExtensionSettings: the newest version and where its CRX is.
 *  - Firefox: updates.json behind the manifest's gecko.update_url: every version, each with
 *    its XPI's SHA-256 (Firefox refuses an update link over plain http without the hash).
 */
import { EXTENSION_PATHS, GECKO_ID, chromePackageName, firefoxPackageName } from '../../utils/deployment/extension-ids';

export interface PublishedPackage {
  file: string;
  /** Lower-case hex. */
  sha256: string;
  size: number;
}

export interface Release {
  version: string;
  publishedAt: string;
  chrome: PublishedPackage;
  /** Absent when it was published without a public URL (Firefox needs its update_url inside the package). */
  firefox?: PublishedPackage;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** The update manifest for `extensionId`; with no release, a valid "noupdate" answer. */
export function chromeUpdateXml(extensionId: string, latest: Release | null, baseUrl: string): string {
  const check = latest
    ? `<updatecheck codebase="${escapeXml(`${baseUrl}/extension/chrome/${chromePackageName(latest.version)}`)}" hash_sha256="${latest.chrome.sha256}" version="${escapeXml(latest.version)}" />`
    : `<updatecheck status="noupdate" />`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0">\n` +
    `  <app appid="${escapeXml(extensionId)}" status="ok">\n    ${check}\n  </app>\n</gupdate>\n`
  );
}

/** Firefox's updates.json: every release that has an XPI, oldest first. */
export function firefoxUpdatesJson(releases: readonly Release[], baseUrl: string) {
  return {
    addons: {
      [GECKO_ID]: {
        updates: releases
          .filter((release) => release.firefox)
          .map((release) => ({
            version: release.version,
            update_link: `${baseUrl}/extension/firefox/${firefoxPackageName(release.version)}`,
            update_hash: `sha256:${release.firefox!.sha256}`,
          })),
      },
    },
  };
}

/** The URLs an admin's policy names, from the server's public base. */
export function deploymentUrls(baseUrl: string) {
  return {
    chromeUpdateUrl: `${baseUrl}${EXTENSION_PATHS.chromeUpdateManifest}`,
    chromeLatestCrx: `${baseUrl}${EXTENSION_PATHS.chromeLatest}`,
    firefoxUpdateUrl: `${baseUrl}${EXTENSION_PATHS.firefoxUpdateManifest}`,
    firefoxInstallUrl: `${baseUrl}${EXTENSION_PATHS.firefoxLatest}`,
  };
}
