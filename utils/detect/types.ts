/**
 * The detection engine's public types. Pure data: no DOM, no extension API, so the
 * content script, the server, the command line and the benchmarks share them.
 */

/** Classification levels of the domain policy, lowest first. */
export const LEVELS = ['秘密', '机密', '绝密'] as const;
export type Level = (typeof LEVELS)[number];

/** Rank of a level, for comparisons: 秘密 1, 机密 2, 绝密 3 (0 = unclassified). */
export function levelRank(level: Level | null | undefined): number {
  return level ? LEVELS.indexOf(level) + 1 : 0;
}

/** The higher of two levels (null = unclassified). */
export function maxLevel(a: Level | null | undefined, b: Level | null | undefined): Level | null {
  return levelRank(a) >= levelRank(b) ? (a ?? null) : (b ?? null);
}

export const FINDING_TYPES = [
  'mobile', // Chinese mobile number
  'landline', // Chinese fixed-line number with area code
  'service', // 400 / 800 service number
  'marker', // classification marker used as a marker (密级：机密, 【绝密】, 受控文件 …)
  'resident-id', // 18-digit resident identity number
  'bank-card', // 16–19 digit card number passing Luhn
  'email',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export interface Finding {
  type: FindingType;
  level: Level;
  /** UTF-16 index into the ORIGINAL string (inclusive). */
  start: number;
  /** UTF-16 index into the ORIGINAL string (exclusive). */
  end: number;
  /** Safe to show and to send: e.g. `138****5678`, or the marker itself. */
  masked: string;
  /** 0..1 */
  confidence: number;
  /**
   * Canonical value (digits only for numbers, e.g. `13812345678`; the term for markers)
   * used for keyed hashing. NEVER leaves the browser.
   */
  normalized: string;
}

export interface DetectorSetting {
  enabled: boolean;
  level: Level;
}

export interface ExtraMarkerTerm {
  /** Term matched case-insensitively as a marker, e.g. `CONFIDENTIAL`. */
  term: string;
  level: Level;
}

/** Which detectors run and at which level; policy (utils/policy) carries one of these. */
export interface DetectorSettings {
  mobile: DetectorSetting;
  landline: DetectorSetting;
  service: DetectorSetting;
  /** Markers carry their own level (机密 → 机密); `enabled` switches them, 受控文件 gets `controlledLevel`. */
  marker: { enabled: boolean; controlledLevel: Level; extraTerms: ExtraMarkerTerm[] };
  residentId: DetectorSetting;
  bankCard: DetectorSetting;
  email: DetectorSetting;
}

export interface ScanOptions {
  detectors?: DetectorSettings;
  /** Stop after this many findings (the caller only needs to know "a lot"). Default: unlimited. */
  maxFindings?: number;
}
