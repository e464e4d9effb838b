/**
 * Reading the register's packed byte arrays where they lie: in the base64 strings the
 * background stored (storage.local holds JSON, so bytes travel as base64). A frame never
 * decodes them: a lookup reads the few characters that hold the bytes or the bit it
 * needs (two characters per byte, one per bit). Decoding the 100,000-customer structure
 * in every frame cost 38–76 ms per frame (a page with 20 iframes paid it 20×); reading in
 * place costs nothing at start and a few table reads per lookup.
 *
 * Standard alphabet (`btoa`), padded. Callers check lengths with {@link base64ByteLength}.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → its 6 bits (0 for anything else: '=' padding, which holds no data bits). */
const SIXTETS = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) SIXTETS[ALPHABET.charCodeAt(i)] = i;

/**
 * x / 6 rounded down, by a multiplication (a division is several times slower): exact for
 * every integer 0 ≤ x < 2^31 (all bit positions here), as (x + 0.5) / 6 is never within
 * 1/12 of an integer and the product's rounding error stays far below that.
 */
const ONE_SIXTH = 1 / 6;
const sixth = (x: number) => ((x + 0.5) * ONE_SIXTH) | 0;

/** Bytes encoded by a padded base64 string; -1 when its length is not a multiple of 4. */
export function base64ByteLength(text: string): number {
  if (text.length % 4 !== 0) return -1;
  if (text.length === 0) return 0;
  const pad = text.charCodeAt(text.length - 1) === 0x3d ? (text.charCodeAt(text.length - 2) === 0x3d ? 2 : 1) : 0;
  return (text.length / 4) * 3 - pad;
}

/** Byte `k` of the bytes `text` encodes. */
export function byteAt(text: string, k: number): number {
  const group = (k / 3) | 0;
  const c = group * 4;
  switch (k - group * 3) {
    case 0:
      return (SIXTETS[text.charCodeAt(c) & 0x7f]! << 2) | (SIXTETS[text.charCodeAt(c + 1) & 0x7f]! >> 4);
    case 1:
      return ((SIXTETS[text.charCodeAt(c + 1) & 0x7f]! & 15) << 4) | (SIXTETS[text.charCodeAt(c + 2) & 0x7f]! >> 2);
    default:
      return ((SIXTETS[text.charCodeAt(c + 2) & 0x7f]! & 3) << 6) | SIXTETS[text.charCodeAt(c + 3) & 0x7f]!;
  }
}

/**
 * Bytes 3g to 3g + 2 of the encoded bytes as one big-endian 24-bit number: exactly the
 * four characters of group `g`, the cheapest read there is.
 */
export function uint24At(text: string, g: number): number {
  const c = g * 4;
  return (
    (SIXTETS[text.charCodeAt(c) & 0x7f]! << 18) |
    (SIXTETS[text.charCodeAt(c + 1) & 0x7f]! << 12) |
    (SIXTETS[text.charCodeAt(c + 2) & 0x7f]! << 6) |
    SIXTETS[text.charCodeAt(c + 3) & 0x7f]!
  );
}

/**
 * Bit `bit` of the encoded bytes, bits numbered as `bytes[bit >> 3] & (1 << (bit & 7))`
 * (the builder's bitmaps): one character read.
 */
export function bitAt(text: string, bit: number): boolean {
  // Position in the base64 bit stream (each byte most significant bit first).
  const p = (bit & ~7) + 7 - (bit & 7);
  const c = sixth(p);
  return ((SIXTETS[text.charCodeAt(c) & 0x7f]! >> (5 - (p - c * 6))) & 1) === 1;
}

/**
 * The 40 bits starting at bit `bit` of the encoded bytes (big-endian), read from the 8
 * characters that hold them; `bit` is a multiple of 8 (an entry's start). Integer
 * arithmetic on two 24-bit halves (a double only for the final < 2^40 sum).
 */
export function bits40At(text: string, bit: number): number {
  const c = sixth(bit);
  const skip = bit - c * 6; // 0, 2 or 4 for a byte boundary
  const high =
    (SIXTETS[text.charCodeAt(c) & 0x7f]! << 18) |
    (SIXTETS[text.charCodeAt(c + 1) & 0x7f]! << 12) |
    (SIXTETS[text.charCodeAt(c + 2) & 0x7f]! << 6) |
    SIXTETS[text.charCodeAt(c + 3) & 0x7f]!;
  const low =
    (SIXTETS[text.charCodeAt(c + 4) & 0x7f]! << 18) |
    (SIXTETS[text.charCodeAt(c + 5) & 0x7f]! << 12) |
    (SIXTETS[text.charCodeAt(c + 6) & 0x7f]! << 6) |
    SIXTETS[text.charCodeAt(c + 7) & 0x7f]!;
  // 48 bits = high·2^24 + low; the entry's 40 follow the first `skip`, the last 8 - skip are dropped.
  const drop = 8 - skip;
  return (high & ((1 << (24 - skip)) - 1)) * (1 << (24 - drop)) + (low >>> drop);
}
