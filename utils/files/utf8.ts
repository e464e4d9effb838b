/**
 * UTF-8 decoding in pieces without TextDecoder's `stream` mode: a piece is cut before an
 * incomplete character and the cut bytes lead the next piece. (Node's streaming decode
 * goes through a slower converter; browsers are fast either way. One path for both.)
 */
const decoder = new TextDecoder('utf-8');

/** Length of `bytes` up to the last complete UTF-8 character. */
export function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  // A character is at most 4 bytes: look back at most 3 for its lead byte.
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

export interface Utf8PieceDecoder {
  decode(bytes: Uint8Array, final: boolean): string;
}

export function createUtf8PieceDecoder(): Utf8PieceDecoder {
  let tail: Uint8Array | null = null;
  return {
    decode(piece, final) {
      let bytes = piece;
      if (tail) {
        bytes = new Uint8Array(tail.length + piece.length);
        bytes.set(tail);
        bytes.set(piece, tail.length);
        tail = null;
      }
      const cut = final ? bytes.length : completeUtf8Length(bytes);
      if (cut < bytes.length) tail = bytes.slice(cut);
      return decoder.decode(cut === bytes.length ? bytes : bytes.subarray(0, cut));
    },
  };
}
