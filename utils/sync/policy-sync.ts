/**
 * Fetches the signed policy, verifies its signature against the key pinned at
 * enrollment, validates it, and only then applies it. A policy that fails either
 * check is refused: the last good one stays, and the refusal is reported.
 */
import { signedPolicySchema, type SignedPolicy } from '../api/device-api';
import { verifyPayload } from '../crypto/signing';
import { validatePolicy, type Policy } from '../policy/schema';
import { ACTIVE_POLICY_FORMAT } from '../policy/stored';
import type { ActivePolicyState, Enrollment } from '../storage';
import { deviceClient, type SyncDeps } from './sync-deps';

export type PolicyCheck = { ok: true; policy: Policy; signed: SignedPolicy } | { ok: false; reason: string };

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

/** Why a fetched policy was refused, and the version kept instead (for the `policy-rejected` event). */
export type PolicyRejection = (reason: string, keptVersion: number) => Promise<void>;

/**
 * One policy fetch (ETag): a verified, valid and newer policy replaces the stored one;
 * anything else is refused and reported, and the last good policy stays.
 */
export async function syncPolicy(deps: SyncDeps, enrollment: Enrollment, reject: PolicyRejection): Promise<void> {
  const { activePolicy } = deps.store;
  const current = await activePolicy.getValue();
  const fetched = await deviceClient(deps, enrollment).fetchPolicy(current?.etag ?? null);
  if (!fetched) return; // 304: unchanged
  const check = await checkSignedPolicy(fetched.signed, enrollment.publicKey, enrollment.keyId);
  if (!check.ok) {
    await reject(check.reason, current?.policy.version ?? 0);
    return;
  }
  if (!isNewer(check.policy, current) && current?.signed) {
    if (check.policy.version < current.policy.version) {
      await reject(`older policy version ${check.policy.version} refused`, current.policy.version);
    }
    return;
  }
  await activePolicy.setValue({
    format: ACTIVE_POLICY_FORMAT,
    policy: check.policy,
    signed: check.signed,
    etag: fetched.etag,
    receivedAt: new Date(deps.runtime.now()).toISOString(),
  });
}
