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
    /**
     * What the approver chose (issue 26). 'content': only the blocked content — every finding
     * of a later action must be one of `fingerprints` (keyed, see content-fingerprint.ts), at
     * most `uses` actions. 'window': any data of this origin and channel until expiry, never
     * more than `maxFindings` per action, never a bulk action unless `liftBulk`. Grants issued
     * before this field existed have none and are window grants without those limits.
     */
    scope: z.enum(['content', 'window']).optional(),
    fingerprints: z
      .array(z.string().regex(/^[0-9a-f]{16}$/))
      .max(500)
      .optional(),
    uses: z.number().int().min(1).max(100).optional(),
    maxFindings: z.number().int().min(1).max(100_000).optional(),
    liftBulk: z.boolean().optional(),
    /** Sends (form, request, paste): only to this destination origin. */
    destination: z.string().min(1).max(300).optional(),
    /** Who approved: events let through by the grant name them. */
    approver: z.string().min(1).max(200).optional(),
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
