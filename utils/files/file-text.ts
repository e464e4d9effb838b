/**
 * readFileText: any file's text, in pieces, by what its bytes say it is (not by its
 * name: an export named .txt can be a zip, and a .csv can be GB18030).
 */
import { readPdfText } from './pdf-text';
import { decodeText, sniffTextEncoding } from './text-decode';
import type { FileFormat, FileMeta, Pause, ReadLimits, ReadResult, TextSink } from './types';
import { readZipText } from './zip-text';

export function sniffFormat(bytes: Uint8Array): FileFormat {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5 || b[2] === 7)) return 'zip';
  if (b.length >= 5 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) return 'pdf';
  // OLE2 compound file: legacy .xls/.doc/.ppt/.et/.wps (not read; decided by provenance).
  if (b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'legacy-office';
  return sniffTextEncoding(bytes) === null ? 'binary' : 'text';
}

/**
 * Reads `bytes` (the whole file, or its first `maxScanBytes` when `size` says it is
 * larger) and hands its text to `emit`. The result says whether all of it was read.
 */
export async function readFileText(
  bytes: Uint8Array,
  size: number,
  _meta: FileMeta,
  limits: ReadLimits,
  emit: TextSink,
  pause: Pause,
): Promise<ReadResult> {
  const format = sniffFormat(bytes);
  if (size > limits.maxScanBytes) return { format, unreadable: 'too-large' };
  switch (format) {
    case 'zip':
      return readZipText(bytes, limits, emit, pause);
    case 'pdf':
      return readPdfText(bytes, limits, emit, pause);
    case 'text': {
      const encoding = sniffTextEncoding(bytes)!;
      await decodeText(bytes, encoding, emit, pause);
      return { format, unreadable: null };
    }
    default:
      return { format, unreadable: 'unreadable-format' };
  }
}
