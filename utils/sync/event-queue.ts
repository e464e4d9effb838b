/**
 * Durable event queue. Events are written here before anything else happens and
 * deleted only after the server acknowledged them. The queue is bounded: past the
 * bound the oldest events are folded into one counted 'queue-overflow' summary
 * (never a silent drop).
 */
import type { ViolationEvent } from '../events/schema';
import { systemEvent } from './system-event';
import type { EventDatabase, QueuedEvent } from './event-db';

export interface EventQueueOptions {
  /** Most events kept; beyond, the oldest are folded. */
  maxEvents: number;
  /** How many of the oldest are folded at once when the bound is reached. */
  foldBatch: number;
  now?: () => number;
}

export const DEFAULT_QUEUE_OPTIONS: EventQueueOptions = { maxEvents: 20_000, foldBatch: 1_000 };

/**
 * Most bytes of one upload batch (its JSON body). 200 events with 50 findings each are
 * ~4 MB, far over the server's body limit (1 MB on POST /events, server/README.md): such a
 * batch would be refused on every retry and the queue behind it would never move. The
 * bound is half the server's limit, so the envelope and the deviceId the upload writes
 * into each event (at most 64 characters, counted per event below) always fit.
 */
export const UPLOAD_BATCH_MAX_BYTES = 512 * 1024;
/** Per-event allowance for the deviceId the upload substitutes and the separating comma. */
const PER_EVENT_SLACK = 64 + 1;
const encoder = new TextEncoder();

/** UTF-8 bytes of the event as JSON, as it travels in the upload. */
export function eventJsonBytes(event: ViolationEvent): number {
  return encoder.encode(JSON.stringify(event)).length;
}

export function createEventQueue(db: EventDatabase, options: EventQueueOptions = DEFAULT_QUEUE_OPTIONS) {
  const now = options.now ?? Date.now;

  async function foldOldest(): Promise<void> {
    const oldest = await db.events.orderBy('queuedAt').limit(options.foldBatch).toArray();
    if (oldest.length === 0) return;
    // Summaries already folded count with their own totals.
    let folded = 0;
    for (const item of oldest) folded += item.event.kind === 'queue-overflow' ? (item.event.detail?.folded ?? 1) : 1;
    const first = oldest[0]!.event;
    const last = oldest[oldest.length - 1]!.event;
    const summary = systemEvent({
      kind: 'queue-overflow',
      now: now(),
      who: last,
      policyVersion: last.policyVersion,
      action: 'audit',
      level: oldest.reduce<ViolationEvent['level']>((max, item) => maxLevelOf(max, item.event.level), null),
      findingCount: oldest.reduce((sum, item) => sum + item.event.findingCount, 0),
      detail: { folded, firstTime: first.time, lastTime: last.time, reason: 'local queue full: oldest events folded' },
    });
    await db.transaction('rw', db.events, async () => {
      await db.events.bulkDelete(oldest.map((item) => item.id));
      // Keep the summary at the front of the queue so it is uploaded first.
      await db.events.put({ id: summary.id, queuedAt: oldest[0]!.queuedAt, event: summary, attempts: 0 });
    });
  }

  return {
    /** Writes the event durably; resolves once IndexedDB committed it. */
    async enqueue(event: ViolationEvent): Promise<void> {
      await db.events.put({ id: event.id, queuedAt: now(), event, attempts: 0 });
      if ((await db.events.count()) > options.maxEvents) await foldOldest();
    },
    /**
     * Oldest first: at most `limit` events and at most `maxBytes` of JSON. The oldest
     * event always comes, whatever its size (one event is far below the bound: its
     * schema caps every field), so the queue can never stall on its head.
     */
    async peekBatch(limit: number, maxBytes = UPLOAD_BATCH_MAX_BYTES): Promise<QueuedEvent[]> {
      const items = await db.events.orderBy('queuedAt').limit(limit).toArray();
      let bytes = '{"events":[]}'.length;
      for (let i = 0; i < items.length; i++) {
        bytes += eventJsonBytes(items[i]!.event) + PER_EVENT_SLACK;
        if (bytes > maxBytes && i > 0) return items.slice(0, i);
      }
      return items;
    },
    /** Removes events the server acknowledged (stored or already known). */
    async acknowledge(ids: readonly string[]): Promise<void> {
      await db.events.bulkDelete([...ids]);
    },
    async markAttempt(ids: readonly string[]): Promise<void> {
      await db.events
        .where('id')
        .anyOf([...ids])
        .modify((item) => {
          item.attempts += 1;
        });
    },
    count(): Promise<number> {
      return db.events.count();
    },
  };
}

export type EventQueue = ReturnType<typeof createEventQueue>;

const RANK: Record<string, number> = { 秘密: 1, 机密: 2, 绝密: 3 };
function maxLevelOf(a: ViolationEvent['level'], b: ViolationEvent['level']): ViolationEvent['level'] {
  return (RANK[a ?? ''] ?? 0) >= (RANK[b ?? ''] ?? 0) ? a : b;
}
