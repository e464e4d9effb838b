/**
 * File reading for the download guard: bytes in, text out, no DOM and no extension API,
 * so the content script, the background and the benchmarks share it.
 */

/** What is known of a file besides its bytes. */
export interface FileMeta {
  /** File name as it would be saved ('' when unknown). */
  name: string;
  /** MIME type the page or server gave ('' when unknown). */
  mime: string;
}

export interface ReadLimits {
  /** Files larger than this are not read (decided by provenance). */
  maxScanBytes: number;
  /** Zipped formats stop being read once their entries expanded to this many bytes (zip bombs). */
  maxExpandedBytes: number;
}

export type FileFormat = 'text' | 'xlsx' | 'docx' | 'pptx' | 'odf' | 'zip' | 'pdf' | 'legacy-office' | 'binary';

/** Why a file's content could not be read (in full): its decision falls back to provenance. */
export type UnreadableReason = 'too-large' | 'expanded-too-far' | 'corrupt' | 'unreadable-format' | 'unmapped-text';

export interface ReadResult {
  format: FileFormat;
  /** Null when the whole content was read as text. */
  unreadable: UnreadableReason | null;
}

/**
 * Receives text in reading order. Returns true to stop reading (the verdict cannot get
 * any worse). Pieces are cut anywhere: the receiver keeps an overlap across pieces.
 */
export type TextSink = (text: string) => boolean | void;

/** Lets the page run: resolves after the reader gave the thread back (see scan-file.ts). */
export type Pause = () => Promise<void> | void;
