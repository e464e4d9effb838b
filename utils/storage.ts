/**
 * Every browser.storage item, declared once (WXT storage.defineItem). A change of
 * shape adds a version with a migration; a published version is never edited.
 */
import { storage } from '#imports';
import { LOCAL_KEYS } from './storage-keys';
import { DEFAULT_POLICY } from './policy/default-policy';
import { policySchema, type Policy } from './policy/schema';
import { ACTIVE_POLICY_FORMAT, storedPolicy } from './policy/stored';
import type { OverrideGrant, SignedGrant } from './policy/grant';
import type { BlockDetail, SignedPolicy } from './api/device-api';

export interface Enrollment {
  serverUrl: string;
  deviceId: string;
  deviceToken: string;
  /** Server public key pinned at enrollment; policies and grants must verify against it. */
  publicKey: string;
  keyId: string;
  /** Organisation key for hashing finding values. */
  hashKey: string;
  userId: string;
  department?: string;
  /** The directory's name for the user (OIDC), and how the server says the identity was proven (issue 27). */
  displayName?: string;
  identitySource?: 'oidc' | 'managed' | 'personal-code' | 'self-declared' | 'unassigned';
  verified?: boolean;
  enrolledAt: string;
}

export interface ActivePolicyState {
  /** Stamped by the background after verifying and validating (utils/policy/stored.ts); readers check it. */
  format: typeof ACTIVE_POLICY_FORMAT;
  /** The policy guards apply (the built-in default until a signed one arrives). */
  policy: Policy;
  /** The verified envelope it came from; null for the built-in default. */
  signed: SignedPolicy | null;
  etag: string | null;
  receivedAt: string | null;
}

export interface SyncStatus {
  lastSyncAt: string | null;
  lastSyncOk: boolean;
  lastError: string | null;
  queued: number;
  nextAttemptAt: string | null;
}

/** Server enrollment (null when not enrolled). */
export const enrollmentItem = storage.defineItem<Enrollment | null>(`local:${LOCAL_KEYS.enrollment}`, {
  fallback: null,
  version: 1,
});

/**
 * The active policy; content scripts watch it so open tabs apply a new policy without reload.
 * v2 adds the format stamp: a v1 record (validated when stored) is validated again and stamped.
 */
export const activePolicyItem = storage.defineItem<ActivePolicyState | null>(`local:${LOCAL_KEYS.activePolicy}`, {
  fallback: null,
  version: 2,
  migrations: {
    2: (old: Omit<ActivePolicyState, 'format'> | null): ActivePolicyState | null => {
      const parsed = policySchema.safeParse(old?.policy);
      if (old && parsed.success) return { ...old, policy: parsed.data, format: ACTIVE_POLICY_FORMAT };
      // Invalid: the built-in policy, without the ETag so the next sync fetches in full (null would keep the old value).
      return { format: ACTIVE_POLICY_FORMAT, policy: DEFAULT_POLICY, signed: null, etag: null, receivedAt: null };
    },
  },
});

/** The policy in force: the stored signed one, else the built-in default. */
export function policyInForce(state: ActivePolicyState | null): Policy {
  return storedPolicy(state); // the same stamp check as every other reader
}

export async function activePolicy(item: Pick<typeof activePolicyItem, 'getValue'> = activePolicyItem): Promise<Policy> {
  return policyInForce(await item.getValue());
}

/** Signed override grants. Guards verify each signature themselves before honouring it. */
export const grantsItem = storage.defineItem<SignedGrant[]>(`local:${LOCAL_KEYS.grants}`, { fallback: [], version: 1 });

/** How often each grant let an action through here (grant id → uses); content grants allow `uses`. */
export const grantUsesItem = storage.defineItem<Record<string, number>>(`local:${LOCAL_KEYS.grantUses}`, { fallback: {}, version: 1 });

/** Identity used on events when not enrolled (a stable random device id, user "unknown"). */
export interface LocalIdentity {
  deviceId: string;
  userId: string;
  hashKey: string;
}
export const localIdentityItem = storage.defineItem<LocalIdentity | null>(`local:${LOCAL_KEYS.identity}`, { fallback: null, version: 1 });

export const syncStatusItem = storage.defineItem<SyncStatus>('local:syncStatus', {
  fallback: { lastSyncAt: null, lastSyncOk: false, lastError: null, queued: 0, nextAttemptAt: null },
  version: 1,
});

export interface OverrideRequestRecord {
  id: string;
  origin: string;
  channel: string;
  reason: string;
  durationMinutes: number;
  /** 'queued': not yet stored by the server (sent at the next sync); 'failed': the server refused it. */
  state: 'queued' | 'failed' | 'pending' | 'approved' | 'denied' | 'expired' | 'revoked';
  requestedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  /** Set when approved and the grant verified. */
  expiresAt: string | null;
  /** The block behind the request (sent with it, for the approver). */
  level?: string | null;
  ruleId?: string | null;
  masked?: string[];
  /** What was blocked (reasons, counts, file, destination) and its fingerprints, as sent. */
  detail?: BlockDetail;
  fingerprints?: string[];
  /** The tab and frame that asked (told the outcome in the page), when asked from a notice. */
  tabId?: number;
  frameId?: number;
  /** The approved grant's scope, once verified (the popup and the toast say what it allows). */
  grant?: OverrideGrant;
}

/** The user's override requests, newest first (bounded). */
export const overrideRequestsItem = storage.defineItem<OverrideRequestRecord[]>('local:overrideRequests', {
  fallback: [],
  version: 1,
});

export interface TabStatus {
  /** Per frame: what its content script last reported. */
  frames: Record<
    string,
    { origin: string; level: string | null; namedLevel?: string | null; countsByType: Record<string, number>; top: boolean }
  >;
  recentBlocks: { time: string; channel: string; action: string; level: string | null; masked: string[]; ruleId: string | null }[];
}

/** Per-tab page status for the popup; session storage: gone when the browser closes. */
export function tabStatusItem(tabId: number) {
  return storage.defineItem<TabStatus>(`session:tab-${tabId}`, { fallback: { frames: {}, recentBlocks: [] } });
}

/** A suspected leak the user reported from the popup (domain policy article 13). */
export interface IncidentReportRecord {
  /** Made here (UUIDv7): a report sent again after a lost answer is stored once. */
  id: string;
  description: string;
  /** The page's origin, when the user attached it; never its path or text. */
  origin: string | null;
  occurredAt: string;
  /** 'queued': not yet stored by the server (sent at every sync until it is); 'failed': refused. */
  state: 'queued' | 'sent' | 'failed';
  /** The server's handling status once sent (new / investigating / closed). */
  status: string | null;
  /** The server's error code when refused. */
  error: string | null;
}

/** The user's leak reports, newest first (bounded). */
export const incidentReportsItem = storage.defineItem<IncidentReportRecord[]>('local:incidentReports', {
  fallback: [],
  version: 1,
});
