/**
 * Override grants: what an approver allowed, signed by the server, checked by the guard.
 * The content script checks stored grants with the zod-free twin in grant-check.ts.
 */
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

export { grantCovers, type GrantScope } from './grant-check';
