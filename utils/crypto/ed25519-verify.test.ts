import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE, D, SQRT_M1, sha512, verifyEd25519 } from './ed25519-verify';

const ED25519 = { name: 'Ed25519' } as const;

async function keyPair() {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  return { pair, publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)) };
}

describe('the curve constants written as literals', () => {
  const P = 2n ** 255n - 19n;
  const mod = (a: bigint) => ((a % P) + P) % P;
  const pow = (base: bigint, exponent: bigint): bigint => {
    let result = 1n;
    for (let b = mod(base), e = exponent; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) result = (result * b) % P;
    return result;
  };
  const inv = (a: bigint) => pow(a, P - 2n);

  it('d, sqrt(-1) and the base point are what RFC 8032 derives', () => {
    expect(D).toBe(mod(-121665n * inv(121666n)));
    expect(SQRT_M1).toBe(pow(2n, (P - 1n) / 4n));
    expect(mod(SQRT_M1 * SQRT_M1)).toBe(P - 1n);
    const [x, y, z, t] = BASE;
    expect(y).toBe(mod(4n * inv(5n)));
    expect(z).toBe(1n);
    expect(t).toBe(mod(x * y));
    expect(x % 2n).toBe(0n); // the even root
    expect(mod(-x * x + y * y)).toBe(mod(1n + D * x * x * y * y)); // on the curve
  });
});

describe('sha512 (plain TypeScript) equals node:crypto', () => {
  it.each([0, 1, 111, 112, 127, 128, 129, 255, 256, 1000])('%i bytes', (length) => {
    const data = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
    expect(Buffer.from(sha512(data)).toString('hex')).toBe(createHash('sha512').update(data).digest('hex'));
  });
});

describe('verifyEd25519 agrees with WebCrypto', () => {
  it('accepts what WebCrypto signed, rejects a changed message, signature or key', async () => {
    const { pair, publicKey } = await keyPair();
    const other = await keyPair();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.nat(), async (message, flip) => {
        const signature = new Uint8Array(await crypto.subtle.sign(ED25519, pair.privateKey, message));
        expect(verifyEd25519(publicKey, signature, message)).toBe(true);
        const badSignature = signature.slice();
        badSignature[flip % 64]! ^= 1 << (flip % 8);
        expect(verifyEd25519(publicKey, badSignature, message)).toBe(
          await crypto.subtle.verify(ED25519, pair.publicKey, badSignature, message),
        );
        const badMessage = Uint8Array.from([...message, 1]);
        expect(verifyEd25519(publicKey, signature, badMessage)).toBe(false);
        expect(verifyEd25519(other.publicKey, signature, message)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('rejects malformed input without throwing', () => {
    expect(verifyEd25519(new Uint8Array(32), new Uint8Array(64), new Uint8Array())).toBe(false);
    expect(verifyEd25519(new Uint8Array(31), new Uint8Array(64), new Uint8Array())).toBe(false);
    expect(verifyEd25519(new Uint8Array(32).fill(0xff), new Uint8Array(63), new Uint8Array())).toBe(false);
  });

  it('RFC 8032 test 2 (one-byte message)', () => {
    const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
    const publicKey = hex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
    const signature = hex(
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    );
    expect(verifyEd25519(publicKey, signature, hex('72'))).toBe(true);
    expect(verifyEd25519(publicKey, signature, hex('73'))).toBe(false);
  });
});
