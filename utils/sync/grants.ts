/** Verifies server-signed override grants before the guard may honour them. */
import { verifyPayload } from '../crypto/signing';
import {
  grantCovers,
  signedGrantSchema,
  signedRevocationSchema,
  type OverrideGrant,
  type SignedGrant,
  type SignedRevocation,
} from '../policy/grant';

export async function verifyGrant(untrusted: unknown, publicKey: string): Promise<SignedGrant | null> {
  const parsed = signedGrantSchema.safeParse(untrusted);
  if (!parsed.success) return null;
  const ok = await verifyPayload('grant', parsed.data.payload, parsed.data.signature, publicKey);
  return ok ? parsed.data : null;
}

/** A server-signed revocation, verified against the pinned key (purpose 'revocation'), or null. */
export async function verifyRevocation(untrusted: unknown, publicKey: string): Promise<SignedRevocation | null> {
  const parsed = signedRevocationSchema.safeParse(untrusted);
  if (!parsed.success) return null;
  const ok = await verifyPayload('revocation', parsed.data.payload, parsed.data.signature, publicKey);
  return ok ? parsed.data : null;
}

/**
 * The grants a guard may use right now: signature verified against the pinned key,
 * issued to this device and user, not expired.
 */
export async function usableGrants(
  signedGrants: readonly unknown[],
  publicKey: string | null,
  identity: { deviceId: string; userId: string },
  now: number,
): Promise<OverrideGrant[]> {
  if (!publicKey) return [];
  const result: OverrideGrant[] = [];
  for (const candidate of signedGrants) {
    const verified = await verifyGrant(candidate, publicKey);
    if (!verified) continue;
    const grant = verified.payload;
    if (grant.deviceId !== identity.deviceId || grant.userId !== identity.userId) continue;
    if (!grantCovers(grant, { ...identity, origin: grant.origin, channel: grant.channel, now })) continue;
    result.push(grant);
  }
  return result;
}
