/**
 * The background's link to the server: enrollment, policy sync, lossless event
 * upload, heartbeat and override requests. One instance per service-worker life;
 * all state that must survive the worker lives in storage or IndexedDB.
 */
import { keyIdOf } from '../crypto/signing';
import type { ViolationEvent } from '../events/schema';
import { systemEvent } from './system-event';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { Channel, Policy } from '../policy/schema';
import {
  activePolicyItem,
  enrollmentItem,
  grantsItem,
  overrideRequestsItem,
  syncStatusItem,
  type Enrollment,
  type OverrideRequestRecord,
} from '../storage';
import { ApiRequestError, createApiClient } from './api-client';
import { backoffDelay } from './backoff';
import { parseEnrollmentCode } from '../api/enrollment-code';
import type { EventQueue } from './event-queue';
import { verifyGrant, verifyRevocation } from './grants';
import { currentIdentity, localIdentity } from './identity';
import { createIncidentReporter } from './incident-reports';
import { currentBrowserDescription } from '../device/browser-label';
import { checkSignedPolicy, isNewer } from './policy-sync';
import { clearRegister, syncRegister } from './register-sync';
import { uuidv7 } from '../events/uuid-v7';
import type { Level } from '../detect/types';

export const UPLOAD_BATCH = 200;
/** Upper bound of batches per sync run, so one run never monopolises the worker. */
const MAX_BATCHES_PER_RUN = 50;

/** Its message is a code (`invalid-server-url`, the server's `enrollment-code-expired` …), worded by the options page. */
export class EnrollmentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnrollmentError';
  }
}

export async function activePolicy(): Promise<Policy> {
  return (await activePolicyItem.getValue())?.policy ?? DEFAULT_POLICY;
}

export function createSyncService(queue: EventQueue, options: { now?: () => number; onSchedule?: (at: number) => void } = {}) {
  const now = options.now ?? Date.now;
  let running: Promise<void> | null = null;
  let failures = 0;

  async function client(enrollment: Enrollment) {
    return createApiClient({ serverUrl: enrollment.serverUrl, deviceToken: enrollment.deviceToken });
  }

  const incidents = createIncidentReporter({ now, client });

  async function record(event: ViolationEvent): Promise<void> {
    await queue.enqueue(event);
    await syncStatusItem.setValue({ ...(await syncStatusItem.getValue()), queued: await queue.count() });
  }

  async function recordPolicyRejection(reason: string, policyVersion: number): Promise<void> {
    const identity = await currentIdentity();
    await record(
      systemEvent({ kind: 'policy-rejected', now: now(), who: identity, policyVersion, action: 'block', detail: { reason: reason.slice(0, 480) } }),
    );
  }

  async function syncPolicy(enrollment: Enrollment): Promise<void> {
    const current = await activePolicyItem.getValue();
    const api = await client(enrollment);
    const fetched = await api.fetchPolicy(current?.etag ?? null);
    if (!fetched) return; // 304: unchanged
    const check = await checkSignedPolicy(fetched.signed, enrollment.publicKey, enrollment.keyId);
    if (!check.ok) {
      await recordPolicyRejection(check.reason, current?.policy.version ?? 0);
      return;
    }
    if (!isNewer(check.policy, current) && current?.signed) {
      if (check.policy.version < current.policy.version) {
        await recordPolicyRejection(`older policy version ${check.policy.version} refused`, current.policy.version);
      }
      return;
    }
    await activePolicyItem.setValue({
      policy: check.policy,
      signed: check.signed,
      etag: fetched.etag,
      receivedAt: new Date(now()).toISOString(),
    });
  }

  async function uploadEvents(enrollment: Enrollment): Promise<void> {
    const api = await client(enrollment);
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const items = await queue.peekBatch(UPLOAD_BATCH);
      if (items.length === 0) return;
      // The server stores by the token's device; events queued before enrollment carry the local id.
      const events = items.map((item) => ({ ...item.event, deviceId: enrollment.deviceId }));
      await queue.markAttempt(items.map((item) => item.id));
      const result = await api.postEvents(events);
      // Rejected events can never be accepted as they are; they are dropped only
      // after the server said why, and the count is kept in the sync status.
      const rejectedIds = result.rejected.flatMap((entry) => (entry.id ? [entry.id] : []));
      await queue.acknowledge([...result.accepted, ...result.duplicates, ...rejectedIds]);
      if (result.rejected.length > 0) {
        const status = await syncStatusItem.getValue();
        await syncStatusItem.setValue({
          ...status,
          lastError: `${result.rejected.length} event(s) rejected by the server: ${result.rejected[0]?.reason ?? ''}`.slice(0, 300),
        });
      }
      // A batch cut short by its byte bound (event-queue.ts) leaves events behind: go on.
      if (items.length < UPLOAD_BATCH && (await queue.count()) === 0) return;
    }
  }

  /** Read-modify-write of the stored requests, one at a time (a send and a sync may overlap). */
  let requestsLock: Promise<unknown> = Promise.resolve();
  function withRequests<T>(change: (requests: OverrideRequestRecord[]) => Promise<T>): Promise<T> {
    const run = requestsLock.then(async () => {
      const requests = await overrideRequestsItem.getValue();
      const result = await change(requests);
      await overrideRequestsItem.setValue(requests.slice(0, 50));
      return result;
    });
    requestsLock = run.catch(() => undefined);
    return run;
  }

  /**
   * Posts one request (its id made here, so a resend is stored once) and copies the
   * server's answer into the record. A server out of reach leaves it 'queued'; a refusal
   * (4xx) marks it 'failed' with the server's error code.
   */
  async function deliver(enrollment: Enrollment, record: OverrideRequestRecord): Promise<void> {
    const api = await client(enrollment);
    try {
      const status = await api.requestOverride({
        requestId: record.id,
        reason: record.reason,
        origin: record.origin,
        channel: record.channel as Channel,
        durationMinutes: record.durationMinutes,
        userId: enrollment.userId,
        level: (record.level ?? null) as Level | null,
        ruleId: record.ruleId ?? null,
        masked: record.masked ?? [],
      });
      record.state = status.state;
      record.requestedAt = status.requestedAt;
      record.decidedAt = status.decidedAt;
      record.decisionNote = status.decisionNote;
    } catch (error) {
      if (error instanceof ApiRequestError && !error.retryable) {
        record.state = 'failed';
        record.decisionNote = error.code;
        return;
      }
      record.state = 'queued';
    }
  }

  /** Requests queued while the server was out of reach: sent at each sync until it answers. */
  async function sendQueuedRequests(enrollment: Enrollment): Promise<void> {
    await withRequests(async (requests) => {
      for (const record of requests.filter((request) => request.state === 'queued')) {
        await deliver(enrollment, record);
        if (record.state === 'queued') throw new ApiRequestError('server unreachable for queued override requests', 0, 'network');
      }
    });
  }

  /**
   * Asks the server about requests still open: pending ones (approved → the signed grant
   * is verified and stored) and approved ones whose grant has not expired (revoked → the
   * signed revocation is verified and the grant dropped: a revoked grant is not honoured
   * after the next sync).
   */
  async function pollOverrides(enrollment: Enrollment): Promise<void> {
    const requests = await overrideRequestsItem.getValue();
    const open = requests.filter(
      (request) => request.state === 'pending' || (request.state === 'approved' && !!request.expiresAt && Date.parse(request.expiresAt) > now()),
    );
    if (open.length === 0) return;
    const api = await client(enrollment);
    let grants = await grantsItem.getValue();
    let changed = false;
    for (const request of open) {
      const status = await api.getOverride(request.id);
      if (status.state === request.state) continue;
      if (request.state === 'approved') {
        if (status.state !== 'revoked' || !status.revocation) continue; // 'expired' by time: the guard checks expiry itself
        const revocation = await verifyRevocation(status.revocation, enrollment.publicKey);
        if (!revocation || revocation.payload.deviceId !== enrollment.deviceId) continue;
        grants = grants.filter((grant) => grant.payload.grantId !== revocation.payload.grantId);
        request.state = 'revoked';
        request.decidedAt = revocation.payload.revokedAt;
        changed = true;
        continue;
      }
      changed = true;
      request.state = status.state;
      request.decidedAt = status.decidedAt;
      request.decisionNote = status.decisionNote;
      if (status.state === 'approved' && status.grant) {
        const verified = await verifyGrant(status.grant, enrollment.publicKey);
        if (verified && verified.payload.deviceId === enrollment.deviceId) {
          grants.push(verified);
          request.expiresAt = verified.payload.expiresAt;
        } else {
          request.state = 'denied';
          request.decisionNote = 'grant signature did not verify';
        }
      }
    }
    if (!changed) return;
    const live = grants.filter((grant) => Date.parse(grant.payload.expiresAt) > now());
    await grantsItem.setValue(live);
    await withRequests(async (stored) => {
      for (const request of open) {
        const index = stored.findIndex((candidate) => candidate.id === request.id);
        if (index >= 0) stored[index] = request;
      }
    });
  }

  /** The register never fails the sync: without it the policy's default levels apply. */
  async function syncCustomerRegister(enrollment: Enrollment): Promise<void> {
    const result = await syncRegister(enrollment).catch(() => 'unchanged' as const);
    if (typeof result === 'object') await recordPolicyRejection(result.rejected, (await activePolicy()).version);
  }

  async function runSync(): Promise<void> {
    const enrollment = await enrollmentItem.getValue();
    const status = await syncStatusItem.getValue();
    if (!enrollment) {
      await syncStatusItem.setValue({ ...status, queued: await queue.count() });
      return;
    }
    try {
      await syncPolicy(enrollment);
      await syncCustomerRegister(enrollment);
      await uploadEvents(enrollment);
      await sendQueuedRequests(enrollment);
      await incidents.sendQueued(enrollment);
      await pollOverrides(enrollment);
      const policy = await activePolicy();
      const api = await client(enrollment);
      await api.heartbeat({
        extensionVersion: browser.runtime.getManifest().version,
        policyVersion: policy.version,
        queueDepth: await queue.count(),
        userId: enrollment.userId,
        browser: currentBrowserDescription(),
      });
      failures = 0;
      await syncStatusItem.setValue({
        lastSyncAt: new Date(now()).toISOString(),
        lastSyncOk: true,
        lastError: (await syncStatusItem.getValue()).lastError,
        queued: await queue.count(),
        nextAttemptAt: null,
      });
    } catch (error) {
      failures += 1;
      const retryAt = now() + backoffDelay(failures);
      const retryable = !(error instanceof ApiRequestError) || error.retryable;
      await syncStatusItem.setValue({
        ...(await syncStatusItem.getValue()),
        lastSyncOk: false,
        lastError: error instanceof Error ? error.message.slice(0, 300) : String(error),
        queued: await queue.count(),
        nextAttemptAt: retryable ? new Date(retryAt).toISOString() : null,
      });
      if (retryable) options.onSchedule?.(retryAt);
    }
  }

  return {
    record,
    recordPolicyRejection,

    /**
     * Runs one sync; concurrent callers share the run in progress. Syncs triggered
     * by new events wait out a backoff in progress (a burst of blocks while the
     * server is down must not hammer it); alarms and the user's "sync now" do not.
     */
    async syncNow(trigger: 'event' | 'alarm' | 'user' = 'alarm'): Promise<void> {
      if (trigger === 'event' && !running) {
        const { nextAttemptAt } = await syncStatusItem.getValue();
        if (nextAttemptAt && Date.parse(nextAttemptAt) > now()) return;
      }
      running ??= runSync().finally(() => {
        running = null;
      });
      return running;
    },

    async enroll(input: { serverUrl: string; code: string; userId: string; department?: string }): Promise<Enrollment> {
      let serverUrl: string;
      try {
        const url = new URL(input.serverUrl.trim());
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
        serverUrl = url.origin;
      } catch (cause) {
        throw new EnrollmentError('invalid-server-url', { cause });
      }
      const { code, keyId: pinnedKeyId } = parseEnrollmentCode(input.code);
      const identity = await currentIdentity();
      const api = createApiClient({ serverUrl });
      let result;
      try {
        result = await api.enroll({
          code,
          userId: input.userId.trim(),
          department: input.department?.trim() || undefined,
          extensionVersion: identity.extensionVersion,
          browser: currentBrowserDescription(),
          // The profile's own id (kept across enrolments): the console lists it as one device.
          installationId: (await localIdentity()).deviceId.replace(/^local-/, ''),
        });
      } catch (cause) {
        // The server's error code (enrollment-code-expired …): the options page words it.
        throw new EnrollmentError(cause instanceof ApiRequestError ? cause.code : 'enrollment-failed', { cause });
      }
      const actualKeyId = await keyIdOf(result.publicKey);
      if (actualKeyId !== result.keyId) throw new EnrollmentError('server-key-mismatch');
      if (pinnedKeyId && actualKeyId !== pinnedKeyId) {
        throw new EnrollmentError('fingerprint-mismatch');
      }
      const enrollment: Enrollment = {
        serverUrl,
        deviceId: result.deviceId,
        deviceToken: result.deviceToken,
        publicKey: result.publicKey,
        keyId: result.keyId,
        hashKey: result.hashKey,
        userId: input.userId.trim(),
        department: input.department?.trim() || undefined,
        enrolledAt: new Date(now()).toISOString(),
      };
      await enrollmentItem.setValue(enrollment);
      // A new server: its policy replaces the built-in one at the first sync.
      await activePolicyItem.setValue(null);
      await clearRegister();
      await grantsItem.setValue([]);
      return enrollment;
    },

    /**
     * Asks for an override. The record is stored first (with an id made here), then sent:
     * `delivered` is true only when the server stored it; otherwise it stays 'queued' and
     * every sync sends it again until the server answers.
     */
    async requestOverride(input: {
      reason: string;
      origin: string;
      channel: Channel;
      durationMinutes: number;
      level?: Level | null;
      ruleId?: string | null;
      masked?: string[];
    }): Promise<OverrideRequestRecord & { delivered: boolean }> {
      const enrollment = await enrollmentItem.getValue();
      if (!enrollment) throw new EnrollmentError('not enrolled: an override needs a server');
      const record: OverrideRequestRecord = {
        id: uuidv7(now()),
        origin: input.origin,
        channel: input.channel,
        reason: input.reason,
        durationMinutes: input.durationMinutes,
        state: 'queued',
        requestedAt: new Date(now()).toISOString(),
        decidedAt: null,
        decisionNote: null,
        expiresAt: null,
        level: input.level ?? null,
        ruleId: input.ruleId ?? null,
        masked: input.masked ?? [],
      };
      await withRequests(async (requests) => {
        requests.unshift(record);
      });
      await deliver(enrollment, record);
      await withRequests(async (requests) => {
        const index = requests.findIndex((request) => request.id === record.id);
        if (index >= 0 && requests[index]!.state === 'queued') requests[index] = record;
      });
      if (record.state === 'failed') throw new ApiRequestError(`override request refused: ${record.decisionNote}`, 400, record.decisionNote ?? 'rejected');
      // Out of reach: try again at a backed-off sync (the alarm still runs at its interval too).
      if (record.state === 'queued') options.onSchedule?.(now() + backoffDelay(Math.max(1, failures)));
      return { ...record, delivered: record.state !== 'queued' };
    },

    /**
     * Reports a suspected leak. Stored first, then sent: `delivered` only when the server
     * stored it; otherwise it is queued and every sync sends it again.
     */
    async reportIncident(input: { description: string; origin: string | null }) {
      const enrollment = await enrollmentItem.getValue();
      if (!enrollment) throw new EnrollmentError('not enrolled: a report needs a server');
      const result = await incidents.report(enrollment, input);
      if (result.state === 'queued') options.onSchedule?.(now() + backoffDelay(Math.max(1, failures)));
      return result;
    },

    pollOverrides: async () => {
      const enrollment = await enrollmentItem.getValue();
      if (enrollment) await pollOverrides(enrollment);
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
