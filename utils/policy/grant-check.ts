/**
 * Grants in the content script, without zod: the shape check of a stored signed grant
 * (same rules as signedGrantSchema in grant.ts, held equal by grant-check.test.ts) and the
 * scope and time check decide() applies. Signature verification is separate
 * (utils/crypto/signing.ts).
 */
import { LEVELS, levelRank, type Level } from '../detect/types';
import { datetime, isInvalid, oneOf, strictObject, string } from './check-helpers';
import type { OverrideGrant, SignedGrant } from './grant';
import { CHANNELS } from './vocabulary';

function overrideGrant(value: unknown): OverrideGrant {
  const o = strictObject(value, ['grantId', 'requestId', 'deviceId', 'userId', 'origin', 'channel', 'issuedAt', 'expiresAt', 'maxLevel']);
  const grant: OverrideGrant = {
    grantId: string(o.grantId, 1, 64),
    requestId: string(o.requestId, 1, 64),
    deviceId: string(o.deviceId, 1, 64),
    userId: string(o.userId, 1, 200),
    origin: string(o.origin, 1, 300),
    channel: oneOf(o.channel, CHANNELS),
    issuedAt: datetime(o.issuedAt),
    expiresAt: datetime(o.expiresAt),
  };
  // Optional: like zod, a key present with the value undefined stays in the output.
  if ('maxLevel' in o) grant.maxLevel = o.maxLevel === undefined ? undefined : oneOf(o.maxLevel, LEVELS);
  return grant;
}

/** The signed grant, checked like signedGrantSchema.parse, or null. */
export function checkSignedGrant(value: unknown): SignedGrant | null {
  try {
    const o = strictObject(value, ['payload', 'signature', 'keyId']);
    return { payload: overrideGrant(o.payload), signature: string(o.signature, 1, 200), keyId: string(o.keyId, 0, 64) };
  } catch (error) {
    if (isInvalid(error)) return null;
    throw error;
  }
}

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
