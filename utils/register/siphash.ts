/**
 * SipHash-2-4 (Aumasson & Bernstein), a keyed PRF built for hash-table lookups: the
 * register's lookups run synchronously inside a copy handler, where WebCrypto's async
 * HMAC cannot be awaited, and per candidate they must cost well under a microsecond.
 * No well-kept npm package covers it (the `siphash` package is unmaintained since
 * 2017), so it is here, checked against the reference test vectors.
 *
 * 64-bit words are carried as two uint32 halves (no BigInt: it allocates per op).
 */

/** A 128-bit key as four little-endian uint32 words (k0 low, k0 high, k1 low, k1 high). */
export type SipKey = Uint32Array;

export function sipKeyFromBytes(bytes: Uint8Array): SipKey {
  if (bytes.length < 16) throw new Error('SipHash key needs 16 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return new Uint32Array([view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true)]);
}

/** Message words (lo, hi per 64-bit block, final block included), reused between calls. */
let words = new Int32Array(64);

function wordsFor(blocks: number): Int32Array {
  if (words.length < blocks * 2) words = new Int32Array(blocks * 4);
  return words;
}

/** Result halves of the last hash as uint32 (lo, hi), read right after the call. */
export const sipOut = new Uint32Array(2);

/**
 * The SipHash-2-4 core over `blocks` prepared 64-bit words, all state in locals (int32
 * arithmetic only; a uint32 above 2^31 would be boxed as a double).
 */
function sipCore(k: SipKey, m: Int32Array, blocks: number): void {
  let v0l = k[0]! ^ 0x70736575,
    v0h = k[1]! ^ 0x736f6d65;
  let v1l = k[2]! ^ 0x6e646f6d,
    v1h = k[3]! ^ 0x646f7261;
  let v2l = k[0]! ^ 0x6e657261,
    v2h = k[1]! ^ 0x6c796765;
  let v3l = k[2]! ^ 0x79746573,
    v3h = k[3]! ^ 0x74656462;
  let lo: number, tl: number, th: number, s: number;
  // Blocks, then 4 finalization rounds after v2 ^= 0xff (block index === blocks).
  for (let b = 0; b <= blocks; b++) {
    let roundCount = 2;
    let ml = 0,
      mh = 0;
    if (b < blocks) {
      ml = m[2 * b]!;
      mh = m[2 * b + 1]!;
      v3l ^= ml;
      v3h ^= mh;
    } else {
      v2l ^= 0xff;
      roundCount = 4;
    }
    for (let r = 0; r < roundCount; r++) {
      lo = (v0l + v1l) | 0;
      v0h = (v0h + v1h + (((v0l & v1l) | ((v0l | v1l) & ~lo)) >>> 31)) | 0;
      v0l = lo;
      tl = (v1l << 13) | (v1h >>> 19);
      th = (v1h << 13) | (v1l >>> 19);
      v1l = tl ^ v0l;
      v1h = th ^ v0h;
      s = v0l;
      v0l = v0h;
      v0h = s;
      lo = (v2l + v3l) | 0;
      v2h = (v2h + v3h + (((v2l & v3l) | ((v2l | v3l) & ~lo)) >>> 31)) | 0;
      v2l = lo;
      tl = (v3l << 16) | (v3h >>> 16);
      th = (v3h << 16) | (v3l >>> 16);
      v3l = tl ^ v2l;
      v3h = th ^ v2h;
      lo = (v0l + v3l) | 0;
      v0h = (v0h + v3h + (((v0l & v3l) | ((v0l | v3l) & ~lo)) >>> 31)) | 0;
      v0l = lo;
      tl = (v3l << 21) | (v3h >>> 11);
      th = (v3h << 21) | (v3l >>> 11);
      v3l = tl ^ v0l;
      v3h = th ^ v0h;
      lo = (v2l + v1l) | 0;
      v2h = (v2h + v1h + (((v2l & v1l) | ((v2l | v1l) & ~lo)) >>> 31)) | 0;
      v2l = lo;
      tl = (v1l << 17) | (v1h >>> 15);
      th = (v1h << 17) | (v1l >>> 15);
      v1l = tl ^ v2l;
      v1h = th ^ v2h;
      s = v2l;
      v2l = v2h;
      v2h = s;
    }
    if (b < blocks) {
      v0l ^= ml;
      v0h ^= mh;
    }
  }
  sipOut[0] = v0l ^ v1l ^ v2l ^ v3l;
  sipOut[1] = v0h ^ v1h ^ v2h ^ v3h;
}

/** SipHash-2-4 of bytes; result in {@link sipOut} (lo, hi). */
export function sipHashBytes(k: SipKey, bytes: Uint8Array): void {
  const n = bytes.length;
  const blocks = (n >>> 3) + 1;
  const m = wordsFor(blocks);
  const full = n - (n % 8);
  let w = 0;
  for (let i = 0; i < full; i += 8) {
    m[w++] = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    m[w++] = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
  }
  let lo = 0;
  let hi = (n & 0xff) << 24;
  for (let i = full; i < n; i++) {
    const shift = (i - full) * 8;
    if (shift < 32) lo |= bytes[i]! << shift;
    else hi |= bytes[i]! << (shift - 32);
  }
  m[w++] = lo;
  m[w] = hi;
  sipCore(k, m, blocks);
}

/**
 * SipHash-2-4 of UTF-16 code units `units[start..end)` read as UTF-16LE bytes (the same
 * value as {@link sipHashBytes} of those bytes).
 */
export function sipHashUnits(k: SipKey, units: Uint16Array, start: number, end: number): void {
  const count = end - start;
  const blocks = (count >>> 2) + 1;
  const m = wordsFor(blocks);
  const full = start + (count - (count % 4));
  let w = 0;
  for (let i = start; i < full; i += 4) {
    m[w++] = units[i]! | (units[i + 1]! << 16);
    m[w++] = units[i + 2]! | (units[i + 3]! << 16);
  }
  const rest = end - full;
  let lo = 0;
  let hi = ((count * 2) & 0xff) << 24;
  if (rest >= 1) lo |= units[full]!;
  if (rest >= 2) lo |= units[full + 1]! << 16;
  if (rest >= 3) hi |= units[full + 2]!;
  m[w++] = lo;
  m[w] = hi;
  sipCore(k, m, blocks);
}

/**
 * SipHash-2-4 of `text`'s UTF-16 code units `[start, end)` (the same value as
 * {@link sipHashUnits} of those units), read straight from the string: a number's
 * lookup allocates nothing.
 */
export function sipHashString(k: SipKey, text: string, start: number, end: number): void {
  const count = end - start;
  const blocks = (count >>> 2) + 1;
  const m = wordsFor(blocks);
  const full = start + (count - (count % 4));
  let w = 0;
  for (let i = start; i < full; i += 4) {
    m[w++] = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    m[w++] = text.charCodeAt(i + 2) | (text.charCodeAt(i + 3) << 16);
  }
  const rest = end - full;
  let lo = 0;
  let hi = ((count * 2) & 0xff) << 24;
  if (rest >= 1) lo |= text.charCodeAt(full);
  if (rest >= 2) lo |= text.charCodeAt(full + 1) << 16;
  if (rest >= 3) hi |= text.charCodeAt(full + 2);
  m[w++] = lo;
  m[w] = hi;
  sipCore(k, m, blocks);
}

/** The top 40 bits of the last result as an exact integer (< 2^40): the register's entry key. */
export function lastHash40(): number {
  return sipOut[1]! * 256 + (sipOut[0]! >>> 24);
}

/** The top 48 bits of the last result as 12 hex digits. */
export function lastHashHex48(): string {
  return sipOut[1]!.toString(16).padStart(8, '0') + (sipOut[0]! >>> 16).toString(16).padStart(4, '0');
}
