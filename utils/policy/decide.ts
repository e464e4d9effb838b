/**
 * decide(findings, context, policy, grants) → verdict. Pure: guards gather the
 * context and act on the verdict; nothing here touches the DOM or the extension.
 */
import { levelRank, maxLevel, type Finding, type FindingType, type Level } from '../detect/types';
import type { OverrideGrant } from './grant';
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
  deviceId: string;
  userId: string;
  now: number;
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
  let level: Level | null = null;
  for (const finding of findings) {
    countsByType[finding.type] = (countsByType[finding.type] ?? 0) + 1;
    level = maxLevel(level, finding.level);
  }
  level = maxLevel(level, context.sourceLevel);
  const bulk = findings.length >= policy.bulk.threshold;
  if (bulk) level = maxLevel(level, policy.bulk.level);

  const base = { level, findingCount: findings.length, countsByType, bulk, grantId: null };
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
      }),
    );
    if (grant) return { ...base, action: 'audit', rule, overridable, grantId: grant.grantId };
  }
  return { ...base, action: chosen.action, rule, overridable };
}

/** Whether the guard must stop the action. `warn` lets it through with a notice (print: watermark). */
export function isBlocking(action: Action): boolean {
  return action === 'block' || action === 'block-with-override';
}
