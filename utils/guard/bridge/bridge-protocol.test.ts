import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTORS } from '../../detect/defaults';
import { isDetectorSettings, isDocumentEarly, isPortMessage, randomSecret } from './bridge-protocol';
import { precheck } from '../outgoing/outgoing-text';

const doc = (readyState: string, firstChild: unknown, root = true) =>
  ({ readyState, documentElement: root ? { firstChild } : null }) as unknown as Document;

describe('isDocumentEarly: the handshake window closes when the parser has produced anything', () => {
  it.each([
    [doc('loading', null), true],
    [doc('loading', null, false), true],
    [doc('loading', {}), false],
    [doc('interactive', null), false],
    [doc('complete', null), false],
  ])('%o → %s', (d, early) => {
    expect(isDocumentEarly(d)).toBe(early);
  });
});

describe('isPortMessage', () => {
  it.each([
    [{ type: 'baomi-guard:port', secret: 'x' }, true],
    [{ type: 'baomi-guard:port' }, false],
    [{ type: 'other', secret: 'x' }, false],
    [null, false],
    ['baomi-guard:port', false],
  ])('%o → %s', (data, ok) => {
    expect(isPortMessage(data)).toBe(ok);
  });
});

describe('isDetectorSettings (what the MAIN world accepts over the port)', () => {
  it('accepts the built-in settings and a policy with extra terms', () => {
    expect(isDetectorSettings(DEFAULT_DETECTORS)).toBe(true);
    const extra = { ...DEFAULT_DETECTORS, marker: { ...DEFAULT_DETECTORS.marker, extraTerms: [{ term: 'CONFIDENTIAL', level: '机密' }] } };
    expect(isDetectorSettings(extra)).toBe(true);
  });
  it.each([
    ['null', null],
    ['missing detector', { ...DEFAULT_DETECTORS, email: undefined }],
    ['bad level', { ...DEFAULT_DETECTORS, mobile: { enabled: true, level: 'secret' } }],
    ['bad term', { ...DEFAULT_DETECTORS, marker: { ...DEFAULT_DETECTORS.marker, extraTerms: [{ term: 'x', level: '机密' }] } }],
  ])('rejects %s', (_name, value) => {
    expect(isDetectorSettings(value)).toBe(false);
  });
  it('the pushed settings change what the synchronous pre-check sees', () => {
    const withTerm = {
      ...DEFAULT_DETECTORS,
      marker: { ...DEFAULT_DETECTORS.marker, extraTerms: [{ term: 'PROJECT-X', level: '机密' as const }] },
    };
    expect(precheck('[PROJECT-X] report')).toBe(false);
    expect(precheck('[PROJECT-X] report', withTerm)).toBe(true);
  });
});

describe('randomSecret: works where crypto.randomUUID does not (plain-http pages)', () => {
  it('is 32 hex characters from getRandomValues alone, and differs each time', () => {
    // Only getRandomValues, as in an insecure context (no randomUUID, no subtle).
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const secrets = new Set(Array.from({ length: 100 }, () => randomSecret(insecure)));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) expect(secret).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uses every byte (a fixed source gives its hex)', () => {
    const fixed = {
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => (
        new Uint8Array(array!.buffer).forEach((_, i, a) => (a[i] = i * 17)),
        array
      ),
    };
    expect(randomSecret(fixed)).toBe('00112233445566778899aabbccddeeff');
  });
});
