import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from './canonical-json';
import { generateSigningKeyPair, keyIdOf, signPayload, verifyPayload } from './signing';
import { uuidv7, uuidv7Time } from '../events/uuid-v7';
import { keyedHash } from '../events/keyed-hash';

describe('canonicalJson', () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: 1, x: 2 } }, '{"z":{"x":2,"y":1}}'],
    [{ a: undefined, b: 'c' }, '{"b":"c"}'],
    ['机密', '"机密"'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('Ed25519 signing', async () => {
  const keys = await generateSigningKeyPair();
  const other = await generateSigningKeyPair();
  const payload = { version: 3, name: '策略', rules: [{ id: 'a' }] };

  it('verifies what it signed, whatever the key order', async () => {
    const signed = await signPayload('policy', payload, keys);
    expect(signed.keyId).toBe(await keyIdOf(keys.publicKey));
    const reordered = { rules: [{ id: 'a' }], name: '策略', version: 3 };
    expect(await verifyPayload('policy', reordered, signed.signature, keys.publicKey)).toBe(true);
  });

  it.each([
    ['a tampered payload', { ...payload, version: 4 }, 'policy', 'own'],
    ['another purpose (grant replayed as policy)', payload, 'grant', 'own'],
    ['another key', payload, 'policy', 'other'],
  ] as const)('rejects %s', async (_name, data, purpose, key) => {
    const signed = await signPayload('policy', payload, keys);
    const publicKey = key === 'own' ? keys.publicKey : other.publicKey;
    expect(await verifyPayload(purpose, data, signed.signature, publicKey)).toBe(false);
  });

  it('rejects garbage signatures and keys without throwing', async () => {
    expect(await verifyPayload('policy', payload, 'not base64!!', keys.publicKey)).toBe(false);
    expect(await verifyPayload('policy', payload, 'AAAA', 'AAAA')).toBe(false);
  });

  describe('without WebCrypto (a content script on a plain-http page has no crypto.subtle)', () => {
    afterEach(() => vi.unstubAllGlobals());

    it('verifies and rejects exactly as with it', async () => {
      const signed = await signPayload('grant', payload, keys);
      vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) });
      expect(globalThis.crypto.subtle).toBeUndefined();
      expect(await verifyPayload('grant', payload, signed.signature, keys.publicKey)).toBe(true);
      expect(await verifyPayload('grant', { ...payload, version: 4 }, signed.signature, keys.publicKey)).toBe(false);
      expect(await verifyPayload('policy', payload, signed.signature, keys.publicKey)).toBe(false);
      expect(await verifyPayload('grant', payload, signed.signature, other.publicKey)).toBe(false);
      expect(await verifyPayload('grant', payload, 'AAAA', 'AAAA')).toBe(false);
    });
  });
});

describe('uuidv7', () => {
  it('encodes the time, version and variant', () => {
    const id = uuidv7(Date.parse('2026-11-26T10:00:00Z'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(id)).toBe(Date.parse('2026-11-26T10:00:00Z'));
  });

  it('sorts by time', () => {
    const ids = [3, 1, 2].map((n) => uuidv7(1_700_000_000_000 + n));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });
});

describe('keyedHash', () => {
  it('is deterministic per key and differs across keys', async () => {
    const a = await keyedHash('key-a', '13812345678');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyedHash('key-a', '13812345678')).toBe(a);
    expect(await keyedHash('key-b', '13812345678')).not.toBe(a);
  });
});
