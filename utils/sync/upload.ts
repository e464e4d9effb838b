/**
 * Lossless event upload: events are queued in IndexedDB first and deleted only once the
 * server listed them as accepted, duplicate or rejected (with its reason kept).
 */
import type { ViolationEvent } from '../events/schema';
import type { Enrollment } from '../storage';
import type { EventQueue } from './event-queue';
import { deviceClient, type SyncDeps } from './sync-deps';

export const UPLOAD_BATCH = 200;
/** Upper bound of batches per sync run, so one run never monopolises the worker. */
const MAX_BATCHES_PER_RUN = 50;

/** Queues one event and updates the popup's queue count. */
export async function recordEvent(deps: SyncDeps, queue: EventQueue, event: ViolationEvent): Promise<void> {
  const { syncStatus } = deps.store;
  await queue.enqueue(event);
  await syncStatus.setValue({ ...(await syncStatus.getValue()), queued: await queue.count() });
}

export async function uploadEvents(deps: SyncDeps, queue: EventQueue, enrollment: Enrollment): Promise<void> {
  const { syncStatus } = deps.store;
  const api = deviceClient(deps, enrollment);
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
      await syncStatus.setValue({
        ...(await syncStatus.getValue()),
        lastError: `${result.rejected.length} event(s) rejected by the server: ${result.rejected[0]?.reason ?? ''}`.slice(0, 300),
      });
    }
    // A batch cut short by its byte bound (event-queue.ts) leaves events behind: go on.
    if (items.length < UPLOAD_BATCH && (await queue.count()) === 0) return;
  }
}
