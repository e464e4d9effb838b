/**
 * The background's link to the server, orchestrated: one sync = policy → events →
 * queued override requests → override polls → heartbeat, with backoff on failure.
 * The parts live in enroll.ts, policy-sync.ts, upload.ts and overrides.ts; the store and
 * runtime they use are passed in (sync-deps.ts). One instance per service-worker life;
 * all state that must survive the worker lives in storage or IndexedDB.
 */
import type { ViolationEvent } from '../events/schema';
import { activePolicy, type Enrollment } from '../storage';
import { ApiRequestError } from './api-client';
import { backoffDelay } from './backoff';
import { enroll, type EnrollInput } from './enroll';
import type { EventQueue } from './event-queue';
import { createIncidentReporter } from './incident-reports';
import { createOverrides } from './overrides';
import { syncPolicy } from './policy-sync';
import { browserSyncRuntime, browserSyncStore, deviceClient, type SyncDeps, type SyncRuntime, type SyncStore } from './sync-deps';
import { systemEvent } from './system-event';
import { recordEvent, uploadEvents } from './upload';

import { EnrollmentError } from './enroll';
export { EnrollmentError };
export { UPLOAD_BATCH } from './upload';

export interface SyncServiceOptions {
  now?: () => number;
  /** Asks for a sync at this time (the background sets an alarm). */
  onSchedule?: (at: number) => void;
  store?: SyncStore;
  runtime?: SyncRuntime;
  /** Jitter source of the backoff (tests pin it). */
  random?: () => number;
}

export function createSyncService(queue: EventQueue, options: SyncServiceOptions = {}) {
  const runtime = options.runtime ?? browserSyncRuntime(options.now);
  const deps: SyncDeps = { store: options.store ?? browserSyncStore, runtime };
  const { store } = deps;
  let running: Promise<void> | null = null;
  let failures = 0;
  const backoff = (attempt: number) => backoffDelay(attempt, options.random);

  const overrides = createOverrides(deps, {
    retryAt: () => runtime.now() + backoff(Math.max(1, failures)),
    onSchedule: options.onSchedule,
  });

  const incidents = createIncidentReporter({ now: runtime.now, client: async (enrollment) => deviceClient(deps, enrollment) });

  const record = (event: ViolationEvent) => recordEvent(deps, queue, event);

  async function recordPolicyRejection(reason: string, policyVersion: number): Promise<void> {
    const who = await runtime.identity();
    await record(
      systemEvent({
        kind: 'policy-rejected',
        now: runtime.now(),
        who,
        policyVersion,
        action: 'block',
        detail: { reason: reason.slice(0, 480) },
      }),
    );
  }

  async function heartbeat(enrollment: Enrollment): Promise<void> {
    const policy = await activePolicy(store.activePolicy);
    await deviceClient(deps, enrollment).heartbeat({
      extensionVersion: runtime.extensionVersion(),
      policyVersion: policy.version,
      queueDepth: await queue.count(),
      userId: enrollment.userId,
      browser: runtime.browserDescription(),
    });
  }

  /** The register never fails the sync: without it the policy's default levels apply. */
  async function syncCustomerRegister(enrollment: Enrollment): Promise<void> {
    if (!runtime.register) return;
    const result = await runtime.register.sync(enrollment).catch(() => 'unchanged' as const);
    if (typeof result === 'object') await recordPolicyRejection(result.rejected, (await activePolicy(store.activePolicy)).version);
  }

  async function runSync(): Promise<void> {
    const enrollment = await store.enrollment.getValue();
    if (!enrollment) {
      await store.syncStatus.setValue({ ...(await store.syncStatus.getValue()), queued: await queue.count() });
      return;
    }
    try {
      await syncPolicy(deps, enrollment, recordPolicyRejection);
      await syncCustomerRegister(enrollment);
      await uploadEvents(deps, queue, enrollment);
      await overrides.sendQueuedRequests(enrollment);
      await incidents.sendQueued(enrollment);
      await overrides.pollOverrides(enrollment);
      await heartbeat(enrollment);
      failures = 0;
      await store.syncStatus.setValue({
        lastSyncAt: new Date(runtime.now()).toISOString(),
        lastSyncOk: true,
        lastError: (await store.syncStatus.getValue()).lastError,
        queued: await queue.count(),
        nextAttemptAt: null,
      });
    } catch (error) {
      failures += 1;
      const retryAt = runtime.now() + backoff(failures);
      const retryable = !(error instanceof ApiRequestError) || error.retryable;
      await store.syncStatus.setValue({
        ...(await store.syncStatus.getValue()),
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
        const { nextAttemptAt } = await store.syncStatus.getValue();
        if (nextAttemptAt && Date.parse(nextAttemptAt) > runtime.now()) return;
      }
      running ??= runSync().finally(() => {
        running = null;
      });
      return running;
    },

    enroll: (input: EnrollInput) => enroll(deps, input),
    requestOverride: overrides.requestOverride,

    /**
     * Reports a suspected leak. Stored first, then sent: `delivered` only when the server
     * stored it; otherwise it is queued and every sync sends it again.
     */
    async reportIncident(input: { description: string; origin: string | null }) {
      const enrollment = await store.enrollment.getValue();
      if (!enrollment) throw new EnrollmentError('not enrolled: a report needs a server');
      const result = await incidents.report(enrollment, input);
      if (result.state === 'queued') options.onSchedule?.(runtime.now() + backoff(Math.max(1, failures)));
      return result;
    },

    pollOverrides: async () => {
      const enrollment = await store.enrollment.getValue();
      if (enrollment) await overrides.pollOverrides(enrollment);
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
