/**
 * decide(findings, context, policy, grants) → verdict. Pure: guards gather the
 * context and act on the verdict; nothing here touches the DOM or the extension.
 */
import { levelRank, maxLevel, type Finding, type FindingType, type Level } from '../detect/types';
import type { OverrideGrant } from './grant';
import type { ContentFingerprint } from './content-fingerprint';
import { grantCovers } from './grant-check';
import { isInternalOrigin } from './origins';
import type { Policy, Rule } from './schema';
import { ACTIONS, type Action, type Channel, type Zone } from './vocabulary';

export interface DecisionContext {
  channel: Channel;
  /** Origin of the frame where the user acts (grants are scoped to it). */
  pageOrigin: string;
  /** Where the data comes from (the page it was selected on); null when unknown (pasted from outside). */
  sourceOrigin: string | null;
  /** Where the data goes; null when it stays on the device (clipboard, printer). */
  destinationOrigin: string | null;
  /** Provenance: level of the page the data was taken from (highest marker found there). */
  sourceLevel: Level | null;
  /** Why the source has its level: a marker on the page (default), or a register customer named there. */
  sourceReason?: 'marker' | 'register';
  deviceId: string;
  userId: string;
  now: number;
  /** Keyed fingerprints of findings, for grants bound to content (content-fingerprint.ts). */
  fingerprint?: ContentFingerprint;
  /** How often each grant was used on this device (content grants allow a number of uses). */
  grantUses?: Readonly<Record<string, number>>;
}

/**
 * Why the data has its level, shown beside the level wherever it is shown (issue 26 item 6):
 * a marker on the page or in the data, a register customer in the data or named on the page,
 * a number at its type's level, or the bulk rule (with the count).
 */
export interface LevelReason {
  kind: 'page-marker' | 'page-register' | 'marker' | 'register' | 'data' | 'bulk';
  level: Level;
  /** bulk: how many findings. */
  count?: number;
}

export interface Verdict {
  action: Action;
  /** Level of the data after provenance and bulk escalation; null = nothing restricted. */
  level: Level | null;
  rule: Pick<Rule, 'id' | 'description'> | null;
  /** The user may ask for an override (the rule allows it and the policy allows overrides). */
  overridable: boolean;
  /** Set when a verified grant turned a block-with-override into an audit. */
  grantId: string | null;
  findingCount: number;
  countsByType: Partial<Record<FindingType, number>>;
  /** True when the finding count reached the policy's bulk threshold. */
  bulk: boolean;
  /** The reasons that reach `level` (the highest), strongest first; empty when level is null. */
  reasons: LevelReason[];
}

function zoneMatches(zone: Zone, origin: string | null, internalOrigins: readonly string[]): boolean {
  if (zone === 'any') return true;
  if (origin === null) return false; // unknown source/destination matches only "any"
  return (zone === 'internal') === isInternalOrigin(origin, internalOrigins);
}

function strength(action: Action): number {
  return ACTIONS.indexOf(action);
}

export function decide(
  findings: readonly Finding[],
  context: DecisionContext,
  policy: Policy,
  grants: readonly OverrideGrant[] = [],
): Verdict {
  const countsByType: Partial<Record<FindingType, number>> = {};
  const candidates: LevelReason[] = [];
  let level: Level | null = null;
  for (const finding of findings) {
    countsByType[finding.type] = (countsByType[finding.type] ?? 0) + 1;
    level = maxLevel(level, finding.level);
    const kind = finding.type === 'marker' ? 'marker' : (finding as { customer?: unknown }).customer ? 'register' : 'data';
    candidates.push({ kind, level: finding.level });
  }
  if (context.sourceLevel) {
    candidates.push({ kind: context.sourceReason === 'register' ? 'page-register' : 'page-marker', level: context.sourceLevel });
  }
  level = maxLevel(level, context.sourceLevel);
  const levelWithoutBulk = level;
  const bulk = findings.length >= policy.bulk.threshold;
  if (bulk) {
    level = maxLevel(level, policy.bulk.level);
    candidates.push({ kind: 'bulk', level: policy.bulk.level, count: findings.length });
  }
  const reasons = reasonsFor(candidates, level);

  const base = { level, findingCount: findings.length, countsByType, bulk, grantId: null, reasons };
  if (level === null) return { ...base, action: 'allow', rule: null, overridable: false };

  let chosen: Rule | null = null;
  for (const rule of policy.rules) {
    if (!rule.channels.includes(context.channel)) continue;
    if (levelRank(level) < levelRank(rule.minLevel)) continue;
    if (!zoneMatches(rule.source, context.sourceOrigin, policy.internalOrigins)) continue;
    if (!zoneMatches(rule.destination, context.destinationOrigin, policy.internalOrigins)) continue;
    if (!chosen || strength(rule.action) > strength(chosen.action)) chosen = rule;
  }
  if (!chosen) return { ...base, action: 'allow', rule: null, overridable: false };

  const rule = { id: chosen.id, description: chosen.description };
  const overridable = chosen.action === 'block-with-override' && policy.overrides.allowed;
  if (overridable) {
    const grant = grants.find((candidate) =>
      grantCovers(candidate, {
        deviceId: context.deviceId,
        userId: context.userId,
        origin: context.pageOrigin,
        channel: context.channel,
        now: context.now,
        level,
        levelWithoutBulk,
        destinationOrigin: context.destinationOrigin,
        findings,
        bulk,
        fingerprint: context.fingerprint,
        uses: context.grantUses,
      }),
    );
    if (grant) return { ...base, action: 'audit', rule, overridable, grantId: grant.grantId };
  }
  return { ...base, action: chosen.action, rule, overridable };
}

const REASON_ORDER: readonly LevelReason['kind'][] = ['page-marker', 'marker', 'register', 'page-register', 'bulk', 'data'];

/** The distinct reasons at the final level, in a stable order (one per kind). */
function reasonsFor(candidates: readonly LevelReason[], level: Level | null): LevelReason[] {
  if (level === null) return [];
  const byKind = new Map<LevelReason['kind'], LevelReason>();
  for (const reason of candidates) if (reason.level === level && !byKind.has(reason.kind)) byKind.set(reason.kind, reason);
  return REASON_ORDER.flatMap((kind) => byKind.get(kind) ?? []);
}

/** Whether the guard must stop the action. `warn` lets it through with a notice (print: watermark). */
export function isBlocking(action: Action): boolean {
  return action === 'block' || action === 'block-with-override';
}
