/**
 * Which text encoding a file is in, or null for binary. Exports of Chinese systems come
 * in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") and GB18030/GBK (the
 * CSV a Chinese Excel saves by default), so all four are read.
 */
import { createUtf8PieceDecoder } from './utf8';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

const SAMPLE_BYTES = 64 * 1024;

export function sniffTextEncoding(bytes: Uint8Array): TextEncoding | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let zeroEven = 0;
  let zeroOdd = 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) {
      if (i & 1) zeroOdd++;
      else zeroEven++;
    } else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  const half = sample.length / 2;
  // UTF-16 without BOM: ASCII-range text has a zero in every other byte.
  if (zeroOdd > half * 0.3 && zeroEven < half * 0.05) return 'utf-16le';
  if (zeroEven > half * 0.3 && zeroOdd < half * 0.05) return 'utf-16be';
  if (zeroOdd + zeroEven > 0 || control > sample.length * 0.05) return null;
  try {
    // `stream: true`: a sample cut inside a multi-byte character is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Decodes `bytes` piece by piece (a piece is at most `pieceBytes` of input: one piece, one short task). */
export async function decodeText(
  bytes: Uint8Array,
  encoding: TextEncoding,
  emit: (text: string) => boolean | void,
  pause: () => Promise<void> | void,
  pieceBytes = 256 * 1024,
): Promise<void> {
  const utf8 = encoding === 'utf-8' ? createUtf8PieceDecoder() : null;
  const decoder = new TextDecoder(encoding);
  for (let at = 0; at < bytes.length; at += pieceBytes) {
    const end = Math.min(bytes.length, at + pieceBytes);
    const piece = bytes.subarray(at, end);
    const final = end === bytes.length;
    const text = utf8 ? utf8.decode(piece, final) : decoder.decode(piece, { stream: !final });
    if (emit(text)) return;
    await pause();
  }
}
