/**
 * Override requests and their grants: a request is stored first (device-made UUIDv7, so a
 * resend is stored once), sent, and polled until decided; an approval's grant and a
 * revocation are stored only after their signature verifies against the pinned key and
 * they name this device.
 */
import type { BlockDetail } from '../api/device-api';
import type { Level } from '../detect/types';
import { uuidv7 } from '../events/uuid-v7';
import type { Channel } from '../policy/schema';
import type { Enrollment, OverrideRequestRecord } from '../storage';
import { ApiRequestError } from './api-client';
import { EnrollmentError } from './enroll';
import { verifyGrant, verifyRevocation } from './grants';
import { deviceClient, type SyncDeps } from './sync-deps';

/** Stored requests are bounded, newest first. */
const MAX_STORED_REQUESTS = 50;

export interface OverrideInput {
  reason: string;
  origin: string;
  channel: Channel;
  durationMinutes: number;
  level?: Level | null;
  ruleId?: string | null;
  masked?: string[];
  detail?: BlockDetail;
  fingerprints?: string[];
  /** The tab and frame that asked: told the outcome in the page. */
  tabId?: number;
  frameId?: number;
}

export interface OverrideOptions {
  /** A request left queued (server out of reach): when to try again. */
  retryAt(): number;
  onSchedule?(at: number): void;
}

export function createOverrides(deps: SyncDeps, options: OverrideOptions) {
  const { store, runtime } = deps;

  /** Read-modify-write of the stored requests, one at a time (a send and a sync may overlap). */
  let requestsLock: Promise<unknown> = Promise.resolve();
  function withRequests<T>(change: (requests: OverrideRequestRecord[]) => Promise<T>): Promise<T> {
    const run = requestsLock.then(async () => {
      // A copy: with nothing stored, WXT hands out its shared fallback array.
      const requests = [...(await store.overrideRequests.getValue())];
      const result = await change(requests);
      await store.overrideRequests.setValue(requests.slice(0, MAX_STORED_REQUESTS));
      return result;
    });
    requestsLock = run.catch(() => undefined);
    return run;
  }

  /**
   * Posts one request and copies the server's answer into the record. A server out of
   * reach leaves it 'queued'; a refusal (4xx) marks it 'failed' with the server's error code.
   */
  async function deliver(enrollment: Enrollment, record: OverrideRequestRecord): Promise<void> {
    try {
      const status = await deviceClient(deps, enrollment).requestOverride({
        requestId: record.id,
        reason: record.reason,
        origin: record.origin,
        channel: record.channel as Channel,
        durationMinutes: record.durationMinutes,
        userId: enrollment.userId,
        level: (record.level ?? null) as Level | null,
        ruleId: record.ruleId ?? null,
        masked: record.masked ?? [],
        ...(record.detail ? { detail: record.detail } : {}),
        ...(record.fingerprints?.length ? { fingerprints: record.fingerprints } : {}),
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
    const now = runtime.now();
    const requests = await store.overrideRequests.getValue();
    const open = requests.filter(
      (request) =>
        request.state === 'pending' || (request.state === 'approved' && !!request.expiresAt && Date.parse(request.expiresAt) > now),
    );
    if (open.length === 0) return;
    const api = deviceClient(deps, enrollment);
    let grants = await store.grants.getValue();
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
          grants = [...grants, verified]; // never push into WXT's shared fallback array
          request.expiresAt = verified.payload.expiresAt;
          request.grant = verified.payload;
        } else {
          request.state = 'denied';
          request.decisionNote = 'grant signature did not verify';
        }
      }
    }
    if (!changed) return;
    await store.grants.setValue(grants.filter((grant) => Date.parse(grant.payload.expiresAt) > runtime.now()));
    await withRequests(async (stored) => {
      for (const request of open) {
        const index = stored.findIndex((candidate) => candidate.id === request.id);
        if (index >= 0) stored[index] = request;
      }
    });
  }

  /**
   * Asks for an override. The record is stored first (with an id made here), then sent:
   * `delivered` is true only when the server stored it; otherwise it stays 'queued' and
   * every sync sends it again until the server answers.
   */
  async function requestOverride(input: OverrideInput): Promise<OverrideRequestRecord & { delivered: boolean }> {
    const enrollment = await store.enrollment.getValue();
    if (!enrollment) throw new EnrollmentError('not enrolled: an override needs a server');
    const now = runtime.now();
    const record: OverrideRequestRecord = {
      id: uuidv7(now),
      origin: input.origin,
      channel: input.channel,
      reason: input.reason,
      durationMinutes: input.durationMinutes,
      state: 'queued',
      requestedAt: new Date(now).toISOString(),
      decidedAt: null,
      decisionNote: null,
      expiresAt: null,
      level: input.level ?? null,
      ruleId: input.ruleId ?? null,
      masked: input.masked ?? [],
      ...(input.detail ? { detail: input.detail } : {}),
      ...(input.fingerprints?.length ? { fingerprints: input.fingerprints } : {}),
      ...(input.tabId !== undefined ? { tabId: input.tabId, frameId: input.frameId ?? 0 } : {}),
    };
    await withRequests(async (requests) => {
      requests.unshift(record);
    });
    await deliver(enrollment, record);
    await withRequests(async (requests) => {
      const index = requests.findIndex((request) => request.id === record.id);
      if (index >= 0 && requests[index]!.state === 'queued') requests[index] = record;
    });
    if (record.state === 'failed')
      throw new ApiRequestError(`override request refused: ${record.decisionNote}`, 400, record.decisionNote ?? 'rejected');
    // Out of reach: try again at a backed-off sync (the alarm still runs at its interval too).
    if (record.state === 'queued') options.onSchedule?.(options.retryAt());
    return { ...record, delivered: record.state !== 'queued' };
  }

  return { requestOverride, sendQueuedRequests, pollOverrides };
}
