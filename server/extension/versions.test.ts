import { describe, expect, it } from 'vitest';
import { checkNewVersion, compareVersions, isExtensionVersion, nextVersion, VersionError } from './versions';

describe('extension versions', () => {
  it.each([
    ['1', true],
    ['0.1.0.7', true],
    ['65535.0', true],
    ['65536', false],
    ['1.2.3.4.5', false],
    ['01.2', false],
    ['1..2', false],
    ['1.2-beta', false],
    ['', false],
  ])('%s is a version both browsers take: %s', (text, ok) => expect(isExtensionVersion(text)).toBe(ok));

  it.each([
    ['0.1.0.2', '0.1.0.10', -1],
    ['1.2', '1.2.0', 0],
    ['2', '1.99.99.99', 1],
  ])('compare %s with %s', (a, b, sign) => expect(Math.sign(compareVersions(a, b))).toBe(sign));

  it.each([
    ['0.1.0', [], '0.1.0.1'],
    ['0.1.0', ['0.1.0.1', '0.1.0.2'], '0.1.0.3'],
    ['0.2.0', ['0.1.0.9'], '0.2.0.1'],
    // A fourth part already in package.json is replaced by the build counter.
    ['0.1.0.5', ['0.1.0.1'], '0.1.0.2'],
  ])('next after %s with %j is %s', (base, published, next) => expect(nextVersion(base, published)).toBe(next));

  it('package.json below a published version is refused with what to do', () => {
    expect(() => nextVersion('0.1.0', ['0.2.0.1'])).toThrow(/below the published 0\.2\.0\.1.*--version/);
  });

  it('an explicit version must be well-formed and above every published one; a higher one passes', () => {
    expect(() => checkNewVersion('0.1.0.2', ['0.1.0.1', '0.1.0.2'])).toThrow(VersionError);
    expect(() => checkNewVersion('0.1.0.1', ['0.1.0.2'])).toThrow(/not above the published 0\.1\.0\.2/);
    expect(() => checkNewVersion('1.x', [])).toThrow(/not an extension version/);
    expect(() => checkNewVersion('0.1.0.3', ['0.1.0.1', '0.1.0.2'])).not.toThrow();
  });
});
