/**
 * The text of a zipped file: XLSX, DOCX, PPTX, ODF documents and plain ZIP archives of
 * text files. fflate reads the archive as a stream (a well-kept, dependency-free inflate
 * that can stop any entry at once), so expansion is counted as it happens: an entry that
 * lies about its size cannot make us inflate past `maxExpandedBytes` (zip bombs).
 */
import { Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from 'fflate';
import { sniffTextEncoding } from './text-decode';
import type { FileFormat, Pause, ReadLimits, ReadResult, TextSink, UnreadableReason } from './types';
import { createXmlTextReader } from './xml-text';

type EntryKind = 'xml' | 'text';

/** Which entries hold what a reader sees; everything else (images, styles, themes) is skipped unread. */
export function entryKind(name: string): EntryKind | null {
  const lower = name.toLowerCase();
  if (/^xl\/(sharedstrings|worksheets\/[^/]+|comments\d*)\.xml$/.test(lower)) return 'xml';
  if (/^word\/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/.test(lower)) return 'xml';
  if (/^ppt\/(slides|notesslides)\/[^/]+\.xml$/.test(lower)) return 'xml';
  if (lower === 'content.xml' || lower === 'docprops/core.xml') return 'xml';
  if (/\.(csv|tsv|txt|json|xml|html?|vcf|sql|md|log)$/.test(lower)) return /\.(xml|html?)$/.test(lower) ? 'xml' : 'text';
  return null;
}

function formatOf(names: readonly string[]): FileFormat {
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('ppt/'))) return 'pptx';
  if (names.includes('content.xml') && names.includes('mimetype')) return 'odf';
  return 'zip';
}

/** Compressed bytes pushed into the inflater between two chances for the page to run. */
const PUSH_BYTES = 256 * 1024;

export async function readZipText(bytes: Uint8Array, limits: ReadLimits, emit: TextSink, pause: Pause): Promise<ReadResult> {
  const names: string[] = [];
  let expanded = 0;
  let unreadable: UnreadableReason | null = null;
  let stopped = false;
  const open = new Set<UnzipFile>();

  const stopAll = () => {
    stopped = true;
    for (const file of open) file.terminate();
    open.clear();
  };

  const unzip = new Unzip((file) => {
    names.push(file.name);
    const kind = entryKind(file.name);
    if (!kind || stopped) return; // not started: fflate skips it without inflating
    // XML parts are UTF-8 (OOXML and ODF say so) and read as bytes; a text entry's encoding is sniffed from its first bytes.
    const xml = kind === 'xml' ? createXmlTextReader() : null;
    let first = true;
    let textDecoder = new TextDecoder('utf-8');
    open.add(file);
    file.ondata = (error, chunk, final) => {
      if (stopped) return;
      if (error) {
        unreadable = 'corrupt';
        open.delete(file);
        return;
      }
      expanded += chunk.length;
      if (expanded > limits.maxExpandedBytes) {
        unreadable = 'expanded-too-far';
        stopAll();
        return;
      }
      if (first && kind === 'text') {
        first = false;
        const sniffed = sniffTextEncoding(chunk);
        if (sniffed === null) {
          // Not text after all (a binary with a text-like name): nothing to read.
          open.delete(file);
          file.terminate();
          return;
        }
        textDecoder = new TextDecoder(sniffed);
      }
      let text = xml ? xml.push(chunk, final) : textDecoder.decode(chunk, { stream: !final });
      if (final) {
        text += '\n';
        open.delete(file);
      }
      if (text && emit(text)) stopAll();
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);

  try {
    for (let at = 0; at < bytes.length && !stopped; at += PUSH_BYTES) {
      const end = Math.min(bytes.length, at + PUSH_BYTES);
      unzip.push(bytes.subarray(at, end), end === bytes.length);
      if (!stopped) await pause();
    }
  } catch {
    // fflate throws on malformed data (bad local header, invalid deflate stream).
    unreadable ??= 'corrupt';
  }
  // An entry that never reached its end: the archive was cut short.
  if (!stopped && open.size > 0) unreadable ??= 'corrupt';
  if (names.length === 0) unreadable ??= 'corrupt';
  return { format: formatOf(names), unreadable };
}
