/**
 * Override grants: what an approver allowed, signed by the server, checked by the guard.
 * The content script checks stored grants with the zod-free twin in grant-check.ts.
 */
import { z } from 'zod';
import { channelSchema, levelSchema } from './schema';

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
    /**
     * The highest level the grant opens: the level of the block it was asked for (bounded
     * by the policy's overrides.maxLevel). A grant for a 机密 copy does not open a 绝密
     * page. Grants issued before this field existed have none (their scope was origin and
     * channel only, and they expire within the policy's maximum duration).
     */
    maxLevel: levelSchema.optional(),
  })
  .strict();
export type OverrideGrant = z.infer<typeof overrideGrantSchema>;

/** An approver or admin took a grant back before it expired; signed like grants. */
export const grantRevocationSchema = z
  .object({
    grantId: z.string().min(1).max(64),
    requestId: z.string().min(1).max(64),
    deviceId: z.string().min(1).max(64),
    revokedAt: z.string().datetime(),
  })
  .strict();
export type GrantRevocation = z.infer<typeof grantRevocationSchema>;

export const signedRevocationSchema = z
  .object({ payload: grantRevocationSchema, signature: z.string().min(1).max(200), keyId: z.string().max(64) })
  .strict();
export type SignedRevocation = z.infer<typeof signedRevocationSchema>;

export const signedGrantSchema = z
  .object({ payload: overrideGrantSchema, signature: z.string().min(1).max(200), keyId: z.string().max(64) })
  .strict();
export type SignedGrant = z.infer<typeof signedGrantSchema>;

export { grantCovers, type GrantScope } from './grant-check';
