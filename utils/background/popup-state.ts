/** What the popup shows: assembled in the background from storage and the queue. */
import {
  activePolicyItem,
  policyInForce,
  enrollmentItem,
  grantsItem,
  grantUsesItem,
  overrideRequestsItem,
  incidentReportsItem,
  type IncidentReportRecord,
  syncStatusItem,
  tabStatusItem,
  type OverrideRequestRecord,
  type SyncStatus,
  type TabStatus,
} from '../storage';
import { policyLanguage, type Language } from '../policy/vocabulary';
import { readManagedConfig } from './managed-config';
import { minReasonLength } from '../policy/override-reason';
import type { GrantScopeFields } from '../policy/grant-words';

export interface PopupState {
  tab: TabStatus | null;
  sync: SyncStatus;
  enrolled: {
    serverUrl: string;
    userId: string;
    department?: string;
    /** The directory's name (OIDC) and how the identity was proven; absent for enrollments from before issue 27. */
    displayName?: string;
    identitySource?: 'oidc' | 'managed' | 'personal-code' | 'self-declared' | 'unassigned';
    verified?: boolean;
    deviceId: string;
    keyId: string;
  } | null;
  policy: {
    version: number;
    name: string;
    builtIn: boolean;
    receivedAt: string | null;
    maxOverrideMinutes: number;
    minReasonLength: number;
    overridesAllowed: boolean;
    /** The popup speaks it (zh-CN unless the policy says en). */
    language: Language;
  };
  overrideRequests: OverrideRequestRecord[];
  /** Grants in force, with their scope and how often a content grant was used here. */
  activeGrants: (GrantScopeFields & { expiresAt: string; used: number })[];
  /** The IT admin configured enrollment through enterprise policy (chrome.storage.managed). */
  managed: boolean;
  /** The user's leak reports (newest first), with whether the server has them. */
  incidentReports: IncidentReportRecord[];
}

export async function popupState(tabId: number | null, queued: number, now: number): Promise<PopupState> {
  const [enrollment, active, sync, requests, grants, incidentReports, uses] = await Promise.all([
    enrollmentItem.getValue(),
    activePolicyItem.getValue(),
    syncStatusItem.getValue(),
    overrideRequestsItem.getValue(),
    grantsItem.getValue(),
    incidentReportsItem.getValue(),
    grantUsesItem.getValue(),
  ]);
  const policy = policyInForce(active);
  const managed = await readManagedConfig();
  return {
    managed: Boolean(managed?.serverUrl && managed.enrollmentCode),
    tab: tabId === null ? null : await tabStatusItem(tabId).getValue(),
    sync: { ...sync, queued },
    enrolled: enrollment
      ? {
          serverUrl: enrollment.serverUrl,
          userId: enrollment.userId,
          department: enrollment.department,
          displayName: enrollment.displayName,
          identitySource: enrollment.identitySource,
          verified: enrollment.verified,
          deviceId: enrollment.deviceId,
          keyId: enrollment.keyId,
        }
      : null,
    policy: {
      version: policy.version,
      name: policy.name,
      builtIn: !active?.signed,
      receivedAt: active?.receivedAt ?? null,
      maxOverrideMinutes: policy.overrides.maxDurationMinutes,
      minReasonLength: minReasonLength(policy),
      overridesAllowed: policy.overrides.allowed,
      language: policyLanguage(policy),
    },
    overrideRequests: requests,
    incidentReports,
    activeGrants: grants
      .map((grant) => grant.payload)
      .filter((grant) => Date.parse(grant.expiresAt) > now)
      .map((grant) => ({
        origin: grant.origin,
        channel: grant.channel,
        expiresAt: grant.expiresAt,
        scope: grant.scope,
        uses: grant.uses,
        maxLevel: grant.maxLevel,
        maxFindings: grant.maxFindings,
        liftBulk: grant.liftBulk,
        destination: grant.destination,
        used: uses[grant.grantId] ?? 0,
      }))
      // A content grant used up allows nothing more: it is no longer "in force".
      .filter((grant) => grant.scope !== 'content' || grant.used < (grant.uses ?? 1)),
  };
}
