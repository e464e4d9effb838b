/**
 * Extension versions as both browsers accept them: 1–4 dot-separated integers without
 * leading zeros, each ≤ 65535 (Chromium's bound; Firefox allows more). A browser only
 * updates to a higher version, so publishing refuses one that is not.
 */
const PART = /^(0|[1-9]\d{0,4})$/;

export function isExtensionVersion(text: string): boolean {
  const parts = text.split('.');
  return parts.length >= 1 && parts.length <= 4 && parts.every((part) => PART.test(part) && Number(part) <= 65535);
}

/** < 0, 0, > 0 as a is lower, equal, higher than b; missing parts count as 0 (1.2 = 1.2.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * The version a publish gets when none is asked for: package.json's x.y.z with a fourth
 * part one above the highest already published under x.y.z (so editing package.json is
 * only needed for a release worth naming; every publish still rises).
 */
export function nextVersion(base: string, published: readonly string[]): string {
  const core = base.split('.').slice(0, 3).join('.');
  const prefix = `${core}.`;
  const builds = published
    .filter((version) => version.startsWith(prefix) && version.split('.').length === 4)
    .map((v) => Number(v.split('.')[3]));
  const candidate = `${core}.${builds.length ? Math.max(...builds) + 1 : 1}`;
  const highest = highestVersion(published);
  if (highest && compareVersions(candidate, highest) <= 0) {
    throw new VersionError(
      `package.json's version ${base} is below the published ${highest}: raise it, or pass --version above ${highest}`,
    );
  }
  return candidate;
}

export function highestVersion(versions: readonly string[]): string | null {
  return versions.reduce<string | null>((top, version) => (top === null || compareVersions(version, top) > 0 ? version : top), null);
}

/** A version that is malformed, or not above every published one. */
export class VersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionError';
  }
}

export function checkNewVersion(version: string, published: readonly string[]): void {
  if (!isExtensionVersion(version))
    throw new VersionError(`"${version}" is not an extension version (1 to 4 integers 0–65535, e.g. 1.2.0.3)`);
  const highest = highestVersion(published);
  if (highest && compareVersions(version, highest) <= 0) {
    throw new VersionError(`version ${version} is not above the published ${highest}: browsers only update to a higher version`);
  }
}
