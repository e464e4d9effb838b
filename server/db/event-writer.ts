/**
 * Group commit for event batches. Requests that arrive while a write is running are
 * written together in the next transaction, so N concurrent uploads cost one COMMIT
 * instead of N (SQLite has one writer anyway; on PostgreSQL it saves fsyncs).
 *
 * Each batch stays all-or-nothing: if a group transaction fails, it is rolled back and
 * every batch of the group is retried alone in its own transaction, so one bad batch
 * cannot sink (or half-store) the others.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { insertEventRows, insertEvents, type EventRow } from './repositories/events';

interface Pending {
  rows: EventRow[];
  resolve(inserted: Set<string>): void;
  reject(error: unknown): void;
}

export interface EventWriter {
  /** Resolves with the ids this batch inserted (ids already stored are not in it). */
  write(rows: EventRow[]): Promise<Set<string>>;
}

export function createEventWriter(db: Kysely<Database>, maxRowsPerGroup = 2000): EventWriter {
  const queue: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        const group: Pending[] = [];
        let rows = 0;
        while (queue.length > 0 && (group.length === 0 || rows + queue[0]!.rows.length <= maxRowsPerGroup)) {
          const next = queue.shift()!;
          rows += next.rows.length;
          group.push(next);
        }
        if (group.length === 1) {
          const only = group[0]!;
          await insertEvents(db, only.rows).then(only.resolve, only.reject);
          continue;
        }
        try {
          const results = await db.transaction().execute(async (trx) => {
            const out: Set<string>[] = [];
            for (const item of group) out.push(await insertEventRows(trx, item.rows));
            return out;
          });
          group.forEach((item, i) => item.resolve(results[i]!));
        } catch {
          for (const item of group) await insertEvents(db, item.rows).then(item.resolve, item.reject);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    write(rows) {
      if (rows.length === 0) return Promise.resolve(new Set());
      return new Promise<Set<string>>((resolve, reject) => {
        queue.push({ rows, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
