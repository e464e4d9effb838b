/**
 * The scope and time check decide() applies to a grant. Its shape and signature were
 * checked before it got here (utils/policy/stored.ts verifiedGrants).
 */
import { levelRank, type Level } from '../detect/types';
import type { OverrideGrant } from './grant';

export interface GrantScope {
  deviceId: string;
  userId: string;
  origin: string;
  channel: string;
  now: number;
  /** The level of what the user is about to move; a grant opens nothing above its maxLevel. */
  level?: Level | null;
}

/** Scope and time check; signature verification is separate (utils/crypto/signing.ts). */
export function grantCovers(grant: OverrideGrant, scope: GrantScope): boolean {
  return (
    grant.deviceId === scope.deviceId &&
    grant.userId === scope.userId &&
    grant.origin === scope.origin &&
    grant.channel === scope.channel &&
    Date.parse(grant.issuedAt) <= scope.now + 5 * 60_000 && // tolerate clock skew between server and device
    scope.now < Date.parse(grant.expiresAt) &&
    (grant.maxLevel === undefined || levelRank(scope.level ?? null) <= levelRank(grant.maxLevel))
  );
}
