/**
 * What the page scanner has found so far, and how its text is scanned: pieces of text
 * (one per walked root) are appended to one pending string and scanned in chunks, so
 * a chat that appends many small messages costs one detector call per chunk.
 */
import { NodeMarks, NodeValues } from './node-marks';
import { levelRank, maxLevel, type Finding, type FindingType, type Level } from '../detect/types';
import type { RegisterFinding } from '../register/match';

export interface PageSummary {
  /**
   * Highest level of the page's classification markers and of the register customers
   * it showed: by their numbers, or by a long name standing alone (a 绝密 customer's
   * number or company name makes the page 绝密).
   */
  level: Level | null;
  /**
   * Highest level of the register customers the page names on their own (a company, a
   * full name): why a page can be 绝密 with no number on it (the popup says so). Only the
   * level: a name is no finding and is never counted or kept.
   */
  namedLevel: Level | null;
  /**
   * Highest level of the page's classification markers alone: a marker classifies the
   * document, so its copies carry it; a register customer's level belongs to the content
   * that names or reaches that customer (a copy of a 机密 row on a page that also lists a
   * 绝密 customer is 机密; printing or exporting the page is 绝密, by `level`).
   */
  markerLevel: Level | null;
  countsByType: Partial<Record<FindingType, number>>;
  /** First findings (for print decisions and records); at most `keepFindings`. */
  findings: Finding[];
  total: number;
}

/**
 * One detector call over page text: its findings, and the highest level of the register
 * customers it names on their own. A name is no finding: it is neither counted nor kept
 * (the summary goes to the popup and into records; a name must not).
 */
export interface PageTextScan {
  findings: Finding[];
  namedLevel: Level | null;
}

export const NOTHING_SCANNED: PageTextScan = Object.freeze({ findings: [], namedLevel: null }) as PageTextScan;

export function emptySummary(): PageSummary {
  return { level: null, namedLevel: null, markerLevel: null, countsByType: {}, findings: [], total: 0 };
}

/**
 * The summary with `findings` (and customers named alone, at `namedLevel`) added: a new
 * object when anything was found (a summary handed out before is never changed: start.ts
 * compares the new level with the old summary's), the same object otherwise.
 */
export function addFindings(
  summary: PageSummary,
  findings: readonly Finding[],
  keep: number,
  namedLevel: Level | null = null,
): PageSummary {
  const named = levelRank(namedLevel) > levelRank(summary.namedLevel);
  if (findings.length === 0 && !named) return summary;
  const next: PageSummary = {
    level: maxLevel(summary.level, namedLevel),
    namedLevel: named ? namedLevel : summary.namedLevel,
    markerLevel: summary.markerLevel,
    countsByType: { ...summary.countsByType },
    findings: summary.findings.length < keep ? summary.findings.slice() : summary.findings,
    total: summary.total + findings.length,
  };
  for (const finding of findings) {
    next.countsByType[finding.type] = (next.countsByType[finding.type] ?? 0) + 1;
    const classifies = finding.type === 'marker' || (finding as RegisterFinding).customer !== undefined;
    if (classifies && levelRank(finding.level) > levelRank(next.level)) next.level = finding.level;
    if (finding.type === 'marker' && levelRank(finding.level) > levelRank(next.markerLevel)) next.markerLevel = finding.level;
    if (next.findings.length < keep) next.findings.push(finding);
  }
  return next;
}

/** Context the detector may look at before a number (订单号 …) and the longest candidate after. */
const LOOK_BEHIND = 32;
const LOOK_AHEAD = 256;
/**
 * Between the texts of two roots: a number never runs from one root into the next (the
 * NUL is no separator), as when each root was scanned alone; a marker at a root's start
 * still starts a line (the line breaks).
 */
const ROOT_BREAK = '\n\u0000\n';

/** Text waiting to be scanned, in chunks of `chunkChars` that overlap by the look-behind/ahead. */
export class ChunkedText {
  private text = '';
  private pos = 0;

  constructor(
    private readonly scan: (text: string) => PageTextScan,
    readonly chunkChars: number,
  ) {}

  /** Characters not scanned yet. */
  get pending(): number {
    return this.text.length - this.pos;
  }

  /** Adds the whole text of one root (a number never continues into the next one). */
  append(text: string): void {
    if (!text) return;
    if (this.pos >= this.text.length) {
      this.text = text;
      this.pos = 0;
      return;
    }
    const keepFrom = Math.max(0, this.pos - LOOK_BEHIND); // what is not scanned yet, and its look-behind
    if (keepFrom > this.chunkChars) {
      this.text = this.text.slice(keepFrom);
      this.pos -= keepFrom;
    }
    this.text += ROOT_BREAK + text;
  }

  clear(): void {
    this.text = '';
    this.pos = 0;
  }

  /**
   * Scans the next chunk: the findings that start in it (offsets are the chunk's own), and
   * the level of customers named in it or its overlap (a level counts once however often).
   */
  scanNext(): PageTextScan {
    const from = this.pos;
    const to = Math.min(this.text.length, from + this.chunkChars);
    const sliceStart = Math.max(0, from - LOOK_BEHIND);
    const slice = this.text.slice(sliceStart, Math.min(this.text.length, to + LOOK_AHEAD));
    this.pos = to;
    if (this.pos >= this.text.length) this.clear();
    const scanned = this.scan(slice);
    const owned: Finding[] = [];
    for (const finding of scanned.findings) {
      const start = finding.start + sliceStart;
      if (start >= from && start < to) owned.push(finding); // else another chunk owns it
    }
    return { findings: owned, namedLevel: scanned.namedLevel };
  }
}

/**
 * What each text node held when it was last scanned on its own. Text that keeps
 * changing (a streamed answer, a field typed into) is scanned again on every change;
 * only the findings the node did not hold before count, so a number already counted is
 * not counted again while the rest of its text grows.
 */
export class TextNodeFindings {
  private held = new WeakMap<Node, string[]>();

  /** The findings of `node`'s new text that it did not hold at its last scan. */
  fresh(node: Node, findings: readonly Finding[]): Finding[] {
    const before = this.held.get(node) ?? [];
    const keys = findings.map((finding) => `${finding.type}\u0001${finding.normalized}`);
    this.held.set(node, keys);
    if (before.length === 0) return findings.slice();
    const left = new Map<string, number>();
    for (const key of before) left.set(key, (left.get(key) ?? 0) + 1);
    return findings.filter((_, i) => {
      const n = left.get(keys[i]!) ?? 0;
      if (n > 0) left.set(keys[i]!, n - 1);
      return n === 0;
    });
  }
}

/** What one scan remembers of the page; rescan() starts a new one. */
export function newScanMemory() {
  return {
    /** Nodes walked (text nodes, and elements entered): each is scanned once. */
    seen: new NodeMarks(),
    /** Form-field values already scanned (re-walks while loading must not count them twice). */
    seenValues: new WeakMap<Node, string>(),
    /** Elements read whole (TextMapOptions.leafText), with the queue's count at the time. */
    leafReadAt: new NodeValues<number>(),
    textNodes: new TextNodeFindings(),
  };
}
