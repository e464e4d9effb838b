/** Override grants: what an approver allowed, signed by the server, checked by the guard. */
import { z } from 'zod';
import { channelSchema } from './schema';

export const overrideGrantSchema = z
  .object({
    grantId: z.string().min(1).max(64),
    requestId: z.string().min(1).max(64),
    deviceId: z.string().min(1).max(64),
    userId: z.string().min(1).max(200),
    /** The page origin the grant applies to (where the user acts). */
    origin: z.string().min(1).max(300),
    channel: channelSchema,
    issuedAt: z.string().datetime(),
    expiresAt: z.string().datetime(),
  })
  .strict();
export type OverrideGrant = z.infer<typeof overrideGrantSchema>;

export const signedGrantSchema = z
  .object({ payload: overrideGrantSchema, signature: z.string().min(1).max(200), keyId: z.string().max(64) })
  .strict();
export type SignedGrant = z.infer<typeof signedGrantSchema>;

export interface GrantScope {
  deviceId: string;
  userId: string;
  origin: string;
  channel: string;
  now: number;
}

/** Scope and time check; signature verification is separate (utils/crypto/signing.ts). */
export function grantCovers(grant: OverrideGrant, scope: GrantScope): boolean {
  return (
    grant.deviceId === scope.deviceId &&
    grant.userId === scope.userId &&
    grant.origin === scope.origin &&
    grant.channel === scope.channel &&
    Date.parse(grant.issuedAt) <= scope.now + 5 * 60_000 && // tolerate clock skew between server and device
    scope.now < Date.parse(grant.expiresAt)
  );
}
