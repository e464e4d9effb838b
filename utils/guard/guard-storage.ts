/**
 * Fills the GuardEnv from extension storage and keeps it current: the active policy
 * (null → DEFAULT_POLICY; watched, so open tabs apply a new policy without reload),
 * grants (each signature verified against the enrolled server key before it is
 * honoured; decide() then checks its scope), and who the user is.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { verifyPayload } from '../crypto/signing';
import type { OverrideGrant, Policy } from '../policy';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { checkSignedGrant } from '../policy/grant-check';
import { checkPolicy } from '../policy/policy-check';
import { activePolicyItem, enrollmentItem, grantsItem, localIdentityItem, type Enrollment } from '../storage';
import type { GuardEnv } from './guard-env';

export interface GuardStorageHooks {
  /** The policy changed; `detectorsChanged` means page findings must be recomputed. */
  onPolicy(detectorsChanged: boolean): void;
}

export async function verifiedGrants(raw: unknown, enrollment: Enrollment | null, env: GuardEnv): Promise<OverrideGrant[]> {
  if (!enrollment || !Array.isArray(raw)) return [];
  const checks = raw.map(async (candidate) => {
    const checked = checkSignedGrant(candidate);
    if (!checked) return null;
    const { payload, signature } = checked;
    if (payload.deviceId !== env.deviceId || payload.userId !== env.userId) return null;
    return (await verifyPayload('grant', payload, signature, enrollment.publicKey)) ? payload : null;
  });
  return (await Promise.all(checks)).filter((grant): grant is OverrideGrant => grant !== null);
}

function policyOf(value: unknown): Policy {
  const policy = (value as { policy?: unknown } | null)?.policy;
  if (!policy) return DEFAULT_POLICY;
  return checkPolicy(policy) ?? DEFAULT_POLICY; // malformed: fail closed to the built-in policy
}

export async function connectGuardStorage(env: GuardEnv, ctx: ContentScriptContext, hooks: GuardStorageHooks): Promise<void> {
  let enrollment: Enrollment | null = null;
  let rawGrants: unknown = [];

  async function refreshIdentity(): Promise<void> {
    enrollment = await enrollmentItem.getValue();
    const local = enrollment ? null : await localIdentityItem.getValue();
    env.deviceId = enrollment?.deviceId ?? local?.deviceId ?? 'unknown';
    env.userId = enrollment?.userId ?? local?.userId ?? 'unknown';
  }
  async function refreshGrants(): Promise<void> {
    env.grants = await verifiedGrants(rawGrants, enrollment, env);
  }
  function applyPolicy(next: Policy): void {
    const detectorsChanged = JSON.stringify(next.detectors) !== JSON.stringify(env.policy.detectors);
    env.policy = next;
    hooks.onPolicy(detectorsChanged);
  }

  try {
    await refreshIdentity();
    rawGrants = await grantsItem.getValue();
    await refreshGrants();
    applyPolicy(policyOf(await activePolicyItem.getValue()));
  } catch {
    return; // context invalidated while loading: keep the built-in policy, quietly
  }
  if (ctx.isInvalid) return;
  const unwatch = [
    activePolicyItem.watch((value) => applyPolicy(policyOf(value))),
    grantsItem.watch((value) => {
      rawGrants = value;
      void refreshGrants().catch(() => undefined);
    }),
    enrollmentItem.watch(() => void refreshIdentity().then(refreshGrants).catch(() => undefined)),
    localIdentityItem.watch(() => void refreshIdentity().catch(() => undefined)),
  ];
  ctx.onInvalidated(() => unwatch.forEach((stop) => stop()));
}
