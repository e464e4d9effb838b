import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventWriter } from '../../../server/db/event-writer';
import { countEvents, type EventRow } from '../../../server/db/repositories/events';
import { prepareBatch } from '../../../server/lib/event-intake';
import { asDevice, createTestServer, makeEvent, type TestServer } from './helpers';

const rowsOf = (n: number, device = 'dev-w') =>
  prepareBatch(
    Array.from({ length: n }, (_, i) => makeEvent(device, {}, Date.now() + i)),
    asDevice(device),
    new Date(),
  ).rows;

describe('event writer (group commit)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => server.cleanup());

  it('concurrent batches are all stored; an id in two batches is inserted once', async () => {
    const writer = createEventWriter(server.db);
    const shared = rowsOf(1)[0]!;
    const batches = [rowsOf(50), rowsOf(50), [...rowsOf(10), shared], [shared, ...rowsOf(10)]];
    const results = await Promise.all(batches.map((b) => writer.write(b)));
    expect(results.map((r) => r.size)).toEqual([50, 50, 11, 10]);
    expect(results[2]!.has(shared.id)).toBe(true);
    expect(results[3]!.has(shared.id)).toBe(false);
    expect(await countEvents(server.db)).toBe(121);
  });

  it('a failing batch fails alone: the others of its group are stored, it stores nothing', async () => {
    const writer = createEventWriter(server.db);
    const before = await countEvents(server.db);
    const broken = rowsOf(5);
    (broken[3] as unknown as { origin: null }).origin = null; // NOT NULL violation inside the batch
    const good1 = rowsOf(20);
    const good2 = rowsOf(20);
    const results = await Promise.allSettled([writer.write(good1), writer.write(broken), writer.write(good2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await countEvents(server.db)).toBe(before + 40);
    const stored = await server.db
      .selectFrom('events')
      .select('id')
      .where(
        'id',
        'in',
        broken.map((r: EventRow) => r.id),
      )
      .execute();
    expect(stored).toEqual([]);
  });

  it('SQLite fast path: batches queued in the same turn share one transaction; a failing one is retried alone', async () => {
    const sqlite = server.deps.sqlite!;
    let transactions = 0;
    // Counts the fast path's transactions; everything else goes to the real connection.
    const counting = {
      prepare: (sql: string) => sqlite.prepare(sql),
      get inTransaction() {
        return sqlite.inTransaction;
      },
      transaction: (fn: (...args: never[]) => unknown) => {
        const run = sqlite.transaction(fn);
        return (...args: never[]) => {
          transactions++;
          return run(...args);
        };
      },
    } as unknown as SQLite.Database;
    const writer = createEventWriter(server.db, 2000, counting);
    const before = await countEvents(server.db);
    const results = await Promise.all([writer.write(rowsOf(30)), writer.write(rowsOf(30)), writer.write(rowsOf(30))]);
    expect(results.map((r) => r.size)).toEqual([30, 30, 30]);
    expect(transactions).toBe(1);
    expect(await countEvents(server.db)).toBe(before + 90);

    const broken = rowsOf(5);
    (broken[2] as unknown as { origin: null }).origin = null;
    const settled = await Promise.allSettled([writer.write(rowsOf(10)), writer.write(broken), writer.write(rowsOf(10))]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await countEvents(server.db)).toBe(before + 110);
  });

  it('an empty batch resolves at once', async () => {
    expect((await createEventWriter(server.db).write([])).size).toBe(0);
  });
});
