/**
 * From candidate texts to a verdict, synchronously. Pure apart from the env it reads.
 */
import { scanText } from '../detect';
import { levelRank, maxLevel, type Finding, type Level } from '../detect/types';
import { applyRegister, distinctCustomers, type CustomerTouch } from '../register/match';
import { NUMBER_TYPES } from '../register/normalize';
import { decide, type Verdict } from '../policy/decide';
import type { Channel } from '../policy/vocabulary';
import { NOTHING_SCANNED, type PageTextScan } from '../dom/page-summary';
import type { GuardEnv } from './guard-env';

export interface DataDecision {
  verdict: Verdict;
  findings: Finding[];
  channel: Channel;
  destinationOrigin: string | null;
  /** Register customers the data touches (issue 15), highest level first. */
  customers?: CustomerTouch[];
  /** Downloads: the file's name (the approver sees it). */
  fileName?: string;
}

export interface DataContext {
  channel: Channel;
  sourceOrigin: string | null;
  destinationOrigin: string | null;
  sourceLevel: Level | null;
  /** Why the source page has its level (a marker, or a register customer named there). */
  sourceReason?: 'marker' | 'register';
}

/**
 * The page scanner's detector call (page level, counts, provenance): the policy's
 * detectors, then the register — a customer's number takes its customer's level, and a
 * long name standing alone (a company, a full name: the names that decide a copy alone)
 * gives the page its customer's level, as a marker does (page-summary.ts). Short names
 * are not looked up here: they never decide alone, and skipping them skips most of the
 * names' cost (bench:register prints it).
 */
export function scanPageText(text: string, env: GuardEnv): PageTextScan {
  if (env.ownServer) return NOTHING_SCANNED;
  const found = scanText(text, { detectors: env.policy.detectors });
  if (env.register === undefined && found.some((finding) => NUMBER_TYPES.has(finding.type))) env.needRegister?.();
  if (!env.register) return { findings: found, namedLevel: null };
  const applied = applyRegister(env.register, text, found, { names: 'long' });
  return { findings: applied.findings, namedLevel: applied.nameLevel };
}

/**
 * Findings of several renderings of the same data (rendered text, DOM text, …) merged
 * so the same number seen in two renderings counts once: per (type, value) the
 * largest count seen in any one rendering.
 */
export function scanCandidates(texts: readonly string[], env: GuardEnv): Finding[] {
  return scanWithRegister(texts, env).findings;
}

/**
 * scanCandidates with the customer register applied to each rendering: known numbers
 * take their customer's level; names standing alone raise `nameLevel`.
 */
export function scanWithRegister(
  texts: readonly string[],
  env: GuardEnv,
): { findings: Finding[]; nameLevel: Level | null; customers: CustomerTouch[] } {
  // The first decision over some text in a frame that has not read the register yet asks
  // for it (the next decision has it; this one cannot wait: a copy handler is synchronous).
  // Not one without text (the print guard's, made in every frame whenever the policy
  // arrives): that would make every ad frame pay the register's read.
  if (env.register === undefined && texts.some(Boolean)) env.needRegister?.();
  const maxFindings = Math.max(50, env.policy.bulk.threshold);
  const options = { detectors: env.policy.detectors, maxFindings };
  let nameLevel: Level | null = null;
  const customers: CustomerTouch[] = [];
  const results = texts.filter(Boolean).map((text) => {
    const found = scanText(text, options);
    if (!env.register) return found;
    const applied = applyRegister(env.register, text, found);
    nameLevel = maxLevel(nameLevel, applied.nameLevel);
    for (const customer of applied.customers) customers.push(customer);
    return applied.findings;
  });
  return { findings: mergeRenderings(results, maxFindings), nameLevel, customers: distinctCustomers(customers) };
}

function mergeRenderings(results: Finding[][], maxFindings: number): Finding[] {
  if (results.length <= 1) return results[0] ?? [];
  const best = new Map<string, Finding[]>();
  for (const findings of results) {
    const groups = new Map<string, Finding[]>();
    for (const finding of findings) {
      const key = `${finding.type}\u0000${finding.normalized}`;
      const group = groups.get(key);
      if (group) group.push(finding);
      else groups.set(key, [finding]);
    }
    for (const [key, group] of groups) {
      if ((best.get(key)?.length ?? 0) < group.length) best.set(key, group);
    }
  }
  return [...best.values()].flat().slice(0, maxFindings);
}

export function decideData(env: GuardEnv, texts: readonly string[], context: DataContext): DataDecision {
  const { findings, nameLevel, customers } = scanWithRegister(texts, env);
  const verdict = decide(
    findings,
    {
      channel: context.channel,
      pageOrigin: env.origin,
      sourceOrigin: context.sourceOrigin,
      destinationOrigin: context.destinationOrigin,
      // A register customer named on its own is provenance, like a marker on the page.
      sourceLevel: maxLevel(context.sourceLevel, nameLevel),
      sourceReason: levelRank(nameLevel) > levelRank(context.sourceLevel) ? 'register' : (context.sourceReason ?? 'marker'),
      deviceId: env.deviceId,
      userId: env.userId,
      now: Date.now(),
      fingerprint: env.fingerprint,
      grantUses: env.grantUses,
    },
    env.policy,
    env.grants,
  );
  return { verdict, findings, channel: context.channel, destinationOrigin: context.destinationOrigin, customers };
}
