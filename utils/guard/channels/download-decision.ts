/**
 * The download channel's decision, shared by the page (files it makes, read and scanned)
 * and the background (files a server sends, which the browser does not let it read).
 * Pure: the callers gather the facts.
 *
 * A file whose content was read in full is judged on what it holds, like a request body:
 * a plain export leaves, a list of numbers does not; a register customer's number holds
 * its customer's level (the caller's scan applied the register). A file that could not be read
 * (too large, a zip bomb, a legacy .xls, a glyph-only PDF, a server's export) is judged
 * by provenance: the level of the page it came from, raised when that page showed
 * customer numbers, and — for the file types the policy lists — when it came from an
 * internal system at all.
 */
import { LEVELS, maxLevel, type Finding, type FindingType, type Level } from '../../detect/types';
import { decide, type Verdict } from '../../policy/decide';
import type { ContentFingerprint } from '../../policy/content-fingerprint';
import type { OverrideGrant } from '../../policy/grant';
import { isInternalOrigin } from '../../policy/origins';
import type { Policy } from '../../policy/schema';

/** What the page where the download started had shown. */
export interface DownloadProvenance {
  /** Highest classification marker level on the page. */
  level: Level | null;
  countsByType: Partial<Record<FindingType, number>>;
}

export interface DownloadFacts {
  findings: readonly Finding[];
  /** All findings in the file (findings may hold only the first ones). */
  findingCount: number;
  /** True when the content was not read in full: provenance decides (too). */
  unreadable: boolean;
  /** Extension of the file name, lower case ('' when unknown). */
  fileType: string;
  /** Origin of the page the download started from (null when unknown). */
  sourceOrigin: string | null;
  provenance: DownloadProvenance;
  /**
   * Highest level of register customers named on their own in the content (a company's
   * name, like a marker: match.ts); null or absent when none or no register.
   */
  namedLevel?: Level | null;
}

export interface DecisionIdentity {
  pageOrigin: string;
  deviceId: string;
  userId: string;
  now: number;
  /** For grants bound to content (the file's findings must be the ones approved). */
  fingerprint?: ContentFingerprint;
  grantUses?: Readonly<Record<string, number>>;
}

const LOWEST_LEVEL = LEVELS[0];

/** Level a file inherits from where it came from (null: nothing restricted there). */
export function provenanceLevel(facts: Pick<DownloadFacts, 'provenance' | 'fileType' | 'sourceOrigin'>, policy: Policy): Level | null {
  let level = facts.provenance.level;
  let numbers = 0;
  for (const [type, count] of Object.entries(facts.provenance.countsByType)) {
    if (type !== 'marker') numbers += count ?? 0;
  }
  if (numbers > 0) level = maxLevel(level, numbers >= policy.bulk.threshold ? policy.bulk.level : LOWEST_LEVEL);
  const held = facts.fileType !== '' && policy.downloads.heldTypes.includes(facts.fileType);
  if (held && facts.sourceOrigin !== null && isInternalOrigin(facts.sourceOrigin, policy.internalOrigins)) {
    level = maxLevel(level, LOWEST_LEVEL);
  }
  return level;
}

export function decideDownload(facts: DownloadFacts, policy: Policy, grants: readonly OverrideGrant[], who: DecisionIdentity): Verdict {
  const verdict = decide(
    facts.findings,
    {
      channel: 'download',
      pageOrigin: who.pageOrigin,
      sourceOrigin: facts.sourceOrigin,
      destinationOrigin: null,
      sourceLevel: maxLevel(facts.unreadable ? provenanceLevel(facts, policy) : null, facts.namedLevel ?? null),
      deviceId: who.deviceId,
      userId: who.userId,
      now: who.now,
      // A file is bound to a content grant only when every finding in it was kept and checked.
      fingerprint: facts.findingCount <= facts.findings.length && !facts.unreadable ? who.fingerprint : undefined,
      grantUses: who.grantUses,
    },
    policy,
    grants,
  );
  return { ...verdict, findingCount: Math.max(verdict.findingCount, facts.findingCount) };
}

const MIME_TYPES: Record<string, string> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'text/plain': 'txt',
  'application/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/vnd.ms-excel': 'xls',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'text/vcard': 'vcf',
};

/** The file's type for the policy's list: its name's extension, else from its MIME type. */
export function fileTypeOf(name: string, mime: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  if (dot > 0 && dot < base.length - 1) {
    const ext = base.slice(dot + 1).toLowerCase();
    if (/^[a-z0-9]{1,10}$/.test(ext)) return ext;
  }
  return MIME_TYPES[mime.split(';')[0]!.trim().toLowerCase()] ?? '';
}
