/**
 * Fetches the signed policy, verifies its signature against the key pinned at
 * enrollment, validates it, and only then applies it. A policy that fails either
 * check is refused: the last good one stays, and the refusal is reported.
 */
import { signedPolicySchema, type SignedPolicy } from '../api/device-api';
import { verifyPayload } from '../crypto/signing';
import { validatePolicy, type Policy } from '../policy/schema';
import type { ActivePolicyState } from '../storage';

export type PolicyCheck =
  | { ok: true; policy: Policy; signed: SignedPolicy }
  | { ok: false; reason: string };

/** Pure check of an untrusted envelope. */
export async function checkSignedPolicy(untrusted: unknown, pinnedPublicKey: string, pinnedKeyId: string): Promise<PolicyCheck> {
  const envelope = signedPolicySchema.safeParse(untrusted);
  if (!envelope.success) {
    // Still tell apart "bad signature shape" and "invalid policy" for the report.
    const validation = validatePolicy((untrusted as { payload?: unknown } | null)?.payload);
    const detail = validation.ok ? 'malformed envelope' : validation.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return { ok: false, reason: `invalid policy: ${detail}`.slice(0, 480) };
  }
  if (envelope.data.keyId !== pinnedKeyId) return { ok: false, reason: `signed by unknown key ${envelope.data.keyId}` };
  const valid = await verifyPayload('policy', envelope.data.payload, envelope.data.signature, pinnedPublicKey);
  if (!valid) return { ok: false, reason: 'signature does not verify' };
  return { ok: true, policy: envelope.data.payload, signed: envelope.data };
}

/** Never go back to an older version (a replayed old policy could loosen the rules). */
export function isNewer(candidate: Policy, current: ActivePolicyState | null): boolean {
  return !current?.signed || candidate.version > current.policy.version;
}
