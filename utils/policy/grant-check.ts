/**
 * The scope and time check decide() applies to a grant. Its shape and signature were
 * checked before it got here (utils/policy/stored.ts verifiedGrants).
 */
import { levelRank, type Level } from '../detect/types';
import type { ContentFingerprint } from './content-fingerprint';
import type { OverrideGrant } from './grant';

export interface GrantScope {
  deviceId: string;
  userId: string;
  origin: string;
  channel: string;
  now: number;
  /** The level of what the user is about to move; a grant opens nothing above its maxLevel. */
  level?: Level | null;
  /** The level without the bulk rule's escalation (a grant that lifts the bulk rule compares this one). */
  levelWithoutBulk?: Level | null;
  /** Where the data goes (sends); null when it stays on the device. */
  destinationOrigin?: string | null;
  /** The action's findings: a content grant covers them only when each is one it was given for. */
  findings?: readonly { type: string; normalized: string }[];
  /** The action reached the policy's bulk threshold. */
  bulk?: boolean;
  /** Keyed fingerprints of findings (content grants); without it a content grant covers nothing. */
  fingerprint?: ContentFingerprint;
  /** How many times each grant was used on this device (content grants allow `uses`). */
  uses?: Readonly<Record<string, number>>;
}

function withinTime(grant: OverrideGrant, now: number): boolean {
  // Tolerate clock skew between server and device at the start.
  return Date.parse(grant.issuedAt) <= now + 5 * 60_000 && now < Date.parse(grant.expiresAt);
}

function contentCovered(grant: OverrideGrant, scope: GrantScope): boolean {
  const allowed = grant.fingerprints;
  const findings = scope.findings ?? [];
  if (!allowed || !scope.fingerprint || findings.length === 0) return false;
  if ((scope.uses?.[grant.grantId] ?? 0) >= (grant.uses ?? 1)) return false;
  const set = new Set(allowed);
  return findings.every((finding) => set.has(scope.fingerprint!(finding)));
}

function windowCovered(grant: OverrideGrant, scope: GrantScope): boolean {
  if (scope.bulk && grant.scope === 'window' && !grant.liftBulk) return false;
  if (grant.maxFindings !== undefined && (scope.findings?.length ?? 0) > grant.maxFindings) return false;
  return true;
}

/** Scope and time check; signature verification is separate (utils/crypto/signing.ts). */
export function grantCovers(grant: OverrideGrant, scope: GrantScope): boolean {
  if (
    grant.deviceId !== scope.deviceId ||
    grant.userId !== scope.userId ||
    grant.origin !== scope.origin ||
    grant.channel !== scope.channel ||
    !withinTime(grant, scope.now)
  )
    return false;
  if (grant.destination !== undefined && grant.destination !== (scope.destinationOrigin ?? null)) return false;
  // A grant that lifts the bulk rule still holds the level of the content itself.
  const level = grant.liftBulk ? (scope.levelWithoutBulk ?? scope.level) : scope.level;
  if (grant.maxLevel !== undefined && levelRank(level ?? null) > levelRank(grant.maxLevel)) return false;
  return grant.scope === 'content' ? contentCovered(grant, scope) : windowCovered(grant, scope);
}
