/**
 * Reading what the background stored, in frames and in the background's own guards.
 *
 * Trust boundary: the background is the only place that validates. It zod-parses every
 * server answer and stores a policy only after its signature verified and its schema
 * checked, stamped with ACTIVE_POLICY_FORMAT; readers check the stamp, not the shape
 * (a stamp from another build, or none, means the built-in policy). Grants loosen a
 * block and storage.local is writable by any content script, so every reader verifies
 * each grant's signature against the pinned key: the server signs only grants its own
 * schema built, so a verified payload needs no second shape check.
 */
import { verifyPayload } from '../crypto/signing';
import { DEFAULT_POLICY } from './default-policy';
import type { OverrideGrant } from './grant';
import type { Policy } from './schema';

/** The stamp on a stored policy validated by this build's schema (bump when the schema changes). */
export const ACTIVE_POLICY_FORMAT = 2 as const;

/** The stored active-policy record's policy, or DEFAULT_POLICY when unstamped or from another format. */
export function storedPolicy(value: unknown): Policy {
  const record = value as { format?: unknown; policy?: unknown } | null | undefined;
  if (record?.format !== ACTIVE_POLICY_FORMAT || typeof record.policy !== 'object' || record.policy === null) return DEFAULT_POLICY;
  return record.policy as Policy;
}

export interface GrantHolder {
  /** The server key pinned at enrollment; no key, no grants. */
  publicKey?: string | null;
  deviceId: string;
  userId: string;
}

/**
 * The stored grants this device and user may honour: each signature verified against the
 * pinned key (purpose 'grant'). Scope and time are decide()'s (grantCovers).
 */
export async function verifiedGrants(raw: unknown, holder: GrantHolder | null): Promise<OverrideGrant[]> {
  const publicKey = holder?.publicKey;
  if (!holder || !publicKey || !Array.isArray(raw)) return [];
  const checks = raw.map(async (candidate: unknown) => {
    const { payload, signature } = (candidate ?? {}) as { payload?: unknown; signature?: unknown };
    if (typeof payload !== 'object' || payload === null || typeof signature !== 'string') return null;
    const grant = payload as OverrideGrant;
    if (grant.deviceId !== holder.deviceId || grant.userId !== holder.userId) return null;
    return (await verifyPayload('grant', payload, signature, publicKey)) ? grant : null;
  });
  return (await Promise.all(checks)).filter((grant): grant is OverrideGrant => grant !== null);
}
