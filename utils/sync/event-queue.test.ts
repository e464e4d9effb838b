import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ViolationEvent } from '../events/schema';
import { violationEventSchema } from '../events/schema';
import { uuidv7 } from '../events/uuid-v7';
import { openEventDatabase, type EventDatabase } from './event-db';
import { createEventQueue, eventJsonBytes, UPLOAD_BATCH_MAX_BYTES } from './event-queue';
import { backoffDelay } from './backoff';

let db: EventDatabase;
let counter = 0;

function event(time: number, level: ViolationEvent['level'] = '秘密'): ViolationEvent {
  return violationEventSchema.parse({
    id: uuidv7(time),
    time: new Date(time).toISOString(),
    deviceId: 'dev-1',
    userId: 'alice',
    origin: 'https://crm.example.com',
    channel: 'copy',
    action: 'block-with-override',
    level,
    policyVersion: 3,
    findings: [{ type: 'mobile', level: '秘密', masked: '138****5678', hash: 'a'.repeat(64) }],
    findingCount: 1,
  });
}

function freshQueue(maxEvents = 100, foldBatch = 10) {
  db = openEventDatabase(`test-${counter++}`);
  let clock = 1_700_000_000_000;
  return createEventQueue(db, { maxEvents, foldBatch, now: () => clock++ });
}

afterEach(async () => {
  db?.close();
});

describe('event queue', () => {
  it('keeps events until acknowledged, oldest first', async () => {
    const queue = freshQueue();
    const events = [1, 2, 3].map((n) => event(1_700_000_000_000 + n));
    for (const item of events) await queue.enqueue(item);
    const batch = await queue.peekBatch(2);
    expect(batch.map((item) => item.id)).toEqual([events[0]!.id, events[1]!.id]);
    await queue.acknowledge([events[0]!.id]);
    expect(await queue.count()).toBe(2);
  });

  it('queues the same event once (a retried enqueue is not a duplicate)', async () => {
    const queue = freshQueue();
    const item = event(1_700_000_000_000);
    await queue.enqueue(item);
    await queue.enqueue(item);
    expect(await queue.count()).toBe(1);
  });

  it('survives reopening the database (a restarted worker finds its queue)', async () => {
    const queue = freshQueue();
    await queue.enqueue(event(1_700_000_000_001));
    const name = db.name;
    db.close();
    db = openEventDatabase(name);
    expect(await createEventQueue(db).count()).toBe(1);
  });

  it('past its bound, folds the oldest into one counted summary: nothing silently dropped', async () => {
    const queue = freshQueue(20, 10);
    for (let i = 0; i < 21; i++) await queue.enqueue(event(1_700_000_000_000 + i, i === 3 ? '绝密' : '秘密'));
    expect(await queue.count()).toBe(12); // 21 − 10 folded + 1 summary
    const [first] = await queue.peekBatch(1);
    expect(first!.event.kind).toBe('queue-overflow');
    expect(first!.event.detail?.folded).toBe(10);
    expect(first!.event.level).toBe('绝密');
    expect(violationEventSchema.safeParse(first!.event).success).toBe(true);
    // Folding a summary again keeps the total.
    for (let i = 0; i < 9; i++) await queue.enqueue(event(1_700_000_001_000 + i));
    const [second] = await queue.peekBatch(1);
    expect(second!.event.detail?.folded).toBe(19);
  });
});

describe('upload batches are bounded by bytes', () => {
  /** An event with 50 findings and long texts: ~16 KB of JSON. */
  function bigEvent(time: number): ViolationEvent {
    const base = event(time);
    const findings = Array.from({ length: 50 }, () => ({
      type: 'mobile' as const,
      level: '秘密' as const,
      masked: '客'.repeat(56) + '138****5678'.slice(0, 8),
      hash: 'b'.repeat(64),
    }));
    return { ...base, userId: '张'.repeat(200), origin: 'https://' + 'a'.repeat(280) + '.cn', findings, findingCount: 50 };
  }

  it('a batch of big events stops under the byte bound; the oldest always comes; the rest follow in order', async () => {
    const queue = freshQueue(1000, 10);
    const events = Array.from({ length: 200 }, (_, i) => bigEvent(1_700_000_000_000 + i));
    for (const item of events) await queue.enqueue(item);
    expect(events.reduce((sum, e) => sum + eventJsonBytes(e), 0)).toBeGreaterThan(2 * UPLOAD_BATCH_MAX_BYTES);
    const first = await queue.peekBatch(200);
    expect(first.length).toBeGreaterThan(1);
    expect(first.length).toBeLessThan(200);
    const body = JSON.stringify({ events: first.map((item) => ({ ...item.event, deviceId: 'd'.repeat(64) })) });
    expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(UPLOAD_BATCH_MAX_BYTES);
    expect(first.map((item) => item.id)).toEqual(events.slice(0, first.length).map((e) => e.id));
    // A bound smaller than one event still yields that event (the head never stalls).
    expect((await queue.peekBatch(200, 10)).map((item) => item.id)).toEqual([events[0]!.id]);
    // Control: small events are not cut.
    const small = freshQueue();
    for (let i = 0; i < 50; i++) await small.enqueue(event(1_700_000_000_000 + i));
    expect(await small.peekBatch(200)).toHaveLength(50);
  });
});

describe('backoff', () => {
  it.each([0, 1, 5, 20])('attempt %i stays within [ceiling/2, ceiling] and under the cap', (attempt) => {
    const ceiling = Math.min(5 * 60_000, 2_000 * 2 ** attempt);
    expect(backoffDelay(attempt, () => 0)).toBe(ceiling / 2);
    expect(backoffDelay(attempt, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
  });
});
