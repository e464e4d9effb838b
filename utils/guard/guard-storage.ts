/**
 * Fills the GuardEnv from extension storage and keeps it current: the active policy
 * (null → DEFAULT_POLICY; watched, so open tabs apply a new policy without reload),
 * grants (each signature verified against the enrolled server key before it is
 * honoured; decide() then checks its scope), and who the user is.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { OverrideGrant, Policy } from '../policy';
import { storedPolicy, verifiedGrants as verifiedGrantsFor } from '../policy/stored';
import { contentFingerprinter, deriveContentKey } from '../policy/content-fingerprint';
import type { Enrollment, LocalIdentity } from '../storage';
import { LOCAL_KEYS } from '../storage-keys';
import type { GuardEnv } from './guard-env';
import { setNoticeTexts } from './i18n';

export interface GuardStorageHooks {
  /** The policy changed; `detectorsChanged` means page findings must be recomputed. */
  onPolicy(detectorsChanged: boolean): void;
}

/** The stored grants this frame may honour: signatures verified against the pinned key (policy/stored.ts). */
export function verifiedGrants(raw: unknown, enrollment: Enrollment | null, env: GuardEnv): Promise<OverrideGrant[]> {
  return verifiedGrantsFor(raw, enrollment ? { publicKey: enrollment.publicKey, deviceId: env.deviceId, userId: env.userId } : null);
}

type StorageChanges = Record<string, { newValue?: unknown }>;

/** A stored enrollment or identity as the guard needs it (anything else: none). */
function withDeviceId<T extends { deviceId: string; userId: string }>(value: unknown): T | null {
  const record = value as Partial<T> | null | undefined;
  return record && typeof record.deviceId === 'string' && typeof record.userId === 'string' ? (record as T) : null;
}

/**
 * Reads the four items in one storage call and follows their changes. Not through the
 * WXT items of storage.ts: each of those reads storage on its own as soon as it is
 * defined, which in every frame of every page added a dozen storage round trips.
 */
export async function connectGuardStorage(env: GuardEnv, ctx: ContentScriptContext, hooks: GuardStorageHooks): Promise<void> {
  let enrollment: Enrollment | null = null;
  let local: LocalIdentity | null = null;
  let rawGrants: unknown = [];
  let fingerprintFor: string | null = null;

  /** True when this frame is the enrolled server itself (its console). */
  function applyOwnServer(): boolean {
    let own: boolean;
    try {
      own = !!enrollment && new URL(enrollment.serverUrl).origin === env.origin;
    } catch {
      own = false;
    }
    const changed = own !== (env.ownServer ?? false);
    env.ownServer = own;
    return changed;
  }
  function applyIdentity(): void {
    env.deviceId = enrollment?.deviceId ?? local?.deviceId ?? 'unknown';
    env.userId = enrollment?.userId ?? local?.userId ?? 'unknown';
    const name = (enrollment as { displayName?: unknown } | null)?.displayName;
    env.displayName = typeof name === 'string' && name ? name : undefined;
  }
  async function refreshGrants(): Promise<void> {
    env.grants = await verifiedGrants(rawGrants, enrollment, env);
    // Grants bound to content need the fingerprint key (derived from the enrollment's hashing key).
    const hashKey = enrollment?.hashKey;
    if (hashKey && env.grants.some((grant) => grant.scope === 'content')) {
      if (fingerprintFor !== hashKey) env.fingerprint = contentFingerprinter(await deriveContentKey(hashKey));
      fingerprintFor = hashKey;
    }
  }
  function applyUses(stored: unknown): void {
    const counts = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
    const next: Record<string, number> = {};
    // The larger of the stored count and this frame's own: a use this frame made is counted at once.
    for (const [id, count] of Object.entries(counts)) if (typeof count === 'number') next[id] = count;
    for (const [id, count] of Object.entries(env.grantUses)) next[id] = Math.max(next[id] ?? 0, count);
    env.grantUses = next;
  }
  function applyPolicy(next: Policy, rescan = false): void {
    const detectorsChanged = rescan || JSON.stringify(next.detectors) !== JSON.stringify(env.policy.detectors);
    env.policy = next;
    hooks.onPolicy(detectorsChanged);
  }
  /** Grants are verified before a new policy applies (the first print decision uses both). */
  async function apply(values: StorageChanges | Record<string, unknown>, fromChanges: boolean): Promise<void> {
    const read = (key: string) => (fromChanges ? (values as StorageChanges)[key]?.newValue : (values as Record<string, unknown>)[key]);
    const has = (key: string) => key in values;
    const identityChanged = has(LOCAL_KEYS.enrollment) || has(LOCAL_KEYS.identity);
    if (has(LOCAL_KEYS.enrollment)) enrollment = withDeviceId<Enrollment>(read(LOCAL_KEYS.enrollment));
    if (has(LOCAL_KEYS.identity)) local = withDeviceId<LocalIdentity>(read(LOCAL_KEYS.identity));
    if (identityChanged) applyIdentity();
    const ownServerChanged = has(LOCAL_KEYS.enrollment) && applyOwnServer();
    if (has(LOCAL_KEYS.noticeTexts))
      setNoticeTexts((read(LOCAL_KEYS.noticeTexts) as { language?: unknown; messages?: unknown } | null) ?? null);
    if (has(LOCAL_KEYS.grants)) rawGrants = read(LOCAL_KEYS.grants) ?? [];
    if (has(LOCAL_KEYS.grantUses)) applyUses(read(LOCAL_KEYS.grantUses));
    if (identityChanged || has(LOCAL_KEYS.grants)) await refreshGrants().catch(() => undefined);
    if (has(LOCAL_KEYS.activePolicy) || !fromChanges) applyPolicy(storedPolicy(read(LOCAL_KEYS.activePolicy) ?? null), ownServerChanged);
    else if (ownServerChanged) hooks.onPolicy(true); // scan again: with findings, or with none
  }

  // Listen first: a change written before the read below is also in what the read returns.
  const onChanged = (changes: StorageChanges, area: string) => {
    if (area === 'local' && !ctx.isInvalid) void apply(changes, true);
  };
  try {
    browser.storage.onChanged.addListener(onChanged);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onChanged));
    const values = await browser.storage.local.get(Object.values(LOCAL_KEYS));
    if (ctx.isInvalid) return;
    await apply(values, false);
  } catch {
    // context invalidated while loading: keep the built-in policy, quietly
  }
}
