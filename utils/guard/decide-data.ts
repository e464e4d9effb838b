/**
 * From candidate texts to a verdict, synchronously. Pure apart from the env it reads.
 */
import { scanText } from '../detect';
import type { Finding, Level } from '../detect/types';
import { decide, type Verdict } from '../policy/decide';
import type { Channel } from '../policy/vocabulary';
import type { GuardEnv } from './guard-env';

export interface DataDecision {
  verdict: Verdict;
  findings: Finding[];
  channel: Channel;
  destinationOrigin: string | null;
}

export interface DataContext {
  channel: Channel;
  sourceOrigin: string | null;
  destinationOrigin: string | null;
  sourceLevel: Level | null;
}

/**
 * Findings of several renderings of the same data (rendered text, DOM text, …) merged
 * so the same number seen in two renderings counts once: per (type, value) the
 * largest count seen in any one rendering.
 */
export function scanCandidates(texts: readonly string[], env: GuardEnv): Finding[] {
  const maxFindings = Math.max(50, env.policy.bulk.threshold);
  const options = { detectors: env.policy.detectors, maxFindings };
  const results = texts.filter(Boolean).map((text) => scanText(text, options));
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
  const findings = scanCandidates(texts, env);
  const verdict = decide(
    findings,
    {
      channel: context.channel,
      pageOrigin: env.origin,
      sourceOrigin: context.sourceOrigin,
      destinationOrigin: context.destinationOrigin,
      sourceLevel: context.sourceLevel,
      deviceId: env.deviceId,
      userId: env.userId,
      now: Date.now(),
    },
    env.policy,
    env.grants,
  );
  return { verdict, findings, channel: context.channel, destinationOrigin: context.destinationOrigin };
}
