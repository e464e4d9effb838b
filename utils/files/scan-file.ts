/**
 * scanFile: a file's findings, read piece by piece with the same detector as the page.
 * Pieces are scanned in windows with an overlap, so a number or marker cut between two
 * pieces is still found (and one inside the overlap is not counted twice). Reading stops
 * early once nothing more could change the verdict: the highest level and the bulk
 * threshold both reached. The kept findings always hold one of the highest level seen
 * (a 绝密 customer's number deep in a long export still decides).
 */
import { scanText } from '../detect';
import { LEVELS, levelRank, maxLevel, type DetectorSettings, type Finding, type Level } from '../detect/types';
import { readFileText } from './file-text';
import type { FileMeta, Pause, ReadLimits, ReadResult } from './types';

/** Text gathered before the detector runs over it (bigger windows: fewer overlap re-scans; smaller: shorter tasks). */
const WINDOW_CHARS = 128 * 1024;
/** Carried from one window into the next: longer than any number or marker with its context. */
const OVERLAP_CHARS = 128;

export interface FileScanOptions {
  detectors: DetectorSettings;
  limits: ReadLimits;
  /** Findings kept (the rest are only counted); also the count at which reading may stop. */
  keepFindings: number;
  /** Lets the page run between pieces (content script) or not at all (background, tests). */
  pause?: Pause;
  /**
   * Applied to each window's findings before they are counted (the customer register: a
   * customer's number takes the customer's level). Gets the window's text and findings.
   */
  classify?: (text: string, findings: Finding[]) => Finding[];
}

export interface FileScan extends ReadResult {
  /** The first `keepFindings` findings; offsets are into the file's text as read. */
  findings: Finding[];
  /** All findings seen (≥ findings.length). */
  findingCount: number;
  level: Level | null;
  /** Characters of text read. */
  textLength: number;
}

const TOP_LEVEL = LEVELS[LEVELS.length - 1]!;

export async function scanFile(bytes: Uint8Array, size: number, meta: FileMeta, options: FileScanOptions): Promise<FileScan> {
  const findings: Finding[] = [];
  let findingCount = 0;
  let level: Level | null = null;
  let textLength = 0;
  let carry = '';
  let pending: string[] = [];
  let pendingChars = 0;
  let base = 0; // offset in the whole text of `carry`'s first character

  const scanWindow = (): boolean => {
    // One join, not `carry + …`: the detector's charCodeAt loop reads a concatenated (cons)
    // string much slower than the flat one join makes (docs/PERFORMANCE.md).
    pending.unshift(carry);
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    const found = scanText(text, { detectors: options.detectors });
    for (const finding of options.classify ? options.classify(text, found) : found) {
      // Wholly inside the overlap: already counted in the previous window.
      if (finding.end <= carry.length && base > 0) continue;
      findingCount++;
      const higher = levelRank(finding.level) > levelRank(level);
      level = maxLevel(level, finding.level);
      if (findings.length < options.keepFindings) {
        findings.push({ ...finding, start: finding.start + base, end: finding.end + base });
      } else if (higher && findings.length > 0) {
        // The first finding of a new highest level takes the last kept place.
        findings[findings.length - 1] = { ...finding, start: finding.start + base, end: finding.end + base };
      }
    }
    const keep = Math.min(OVERLAP_CHARS, text.length);
    base += text.length - keep;
    carry = text.slice(text.length - keep);
    return levelRank(level) === levelRank(TOP_LEVEL) && findingCount >= options.keepFindings;
  };

  const result = await readFileText(
    bytes,
    size,
    meta,
    options.limits,
    (piece) => {
      textLength += piece.length;
      pending.push(piece);
      pendingChars += piece.length;
      return pendingChars >= WINDOW_CHARS ? scanWindow() : false;
    },
    options.pause ?? (() => undefined),
  );
  if (pendingChars > 0) scanWindow();
  return { ...result, findings, findingCount, level, textLength };
}
