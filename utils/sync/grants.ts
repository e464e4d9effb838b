/**
 * The background's check of a grant or revocation the server sent: zod shape, then the
 * signature against the pinned key. Readers of stored grants use policy/stored.ts.
 */
import { verifyPayload } from '../crypto/signing';
import { signedGrantSchema, signedRevocationSchema, type SignedGrant, type SignedRevocation } from '../policy/grant';

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
