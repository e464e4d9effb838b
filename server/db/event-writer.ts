/**
 * Group commit for event batches. A write starts on the next turn of the event loop;
 * batches queued meanwhile (uploads read in the same turn) or while a write is running
 * go into one transaction, so N concurrent uploads cost one COMMIT instead of N (SQLite
 * has one writer anyway; on PostgreSQL it saves fsyncs).
 *
 * Each batch stays all-or-nothing: if a group transaction fails, it is rolled back and
 * every batch of the group is retried alone in its own transaction, so one bad batch
 * cannot sink (or half-store) the others.
 */
import type SQLite from 'better-sqlite3';
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

/**
 * SQLite fast path: one prepared single-row INSERT per event inside one synchronous
 * transaction per group — the same work as a bulk load, without Kysely building and
 * binding a 1,900-parameter statement per request. better-sqlite3 is synchronous, so
 * nothing else runs on the connection meanwhile; when a Kysely transaction is open
 * (an admin action awaiting between statements), the Kysely path is used instead.
 */
function createSqliteInserter(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  function statementFor(row: EventRow): SQLite.Statement {
    const columns = Object.keys(row);
    const key = columns.join(',');
    let statement = statements.get(key);
    if (!statement) {
      statement = sqlite.prepare(
        `INSERT INTO events (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ON CONFLICT (id) DO NOTHING`,
      );
      statements.set(key, statement);
    }
    return statement;
  }
  const insertGroup = sqlite.transaction((groups: EventRow[][]) =>
    groups.map((rows) => {
      const inserted = new Set<string>();
      for (const row of rows) if (statementFor(row).run(row).changes === 1) inserted.add(row.id);
      return inserted;
    }),
  );
  return {
    /** null when the fast path cannot run now (a transaction is open on the connection). */
    tryInsert(groups: EventRow[][]): Set<string>[] | null {
      if (sqlite.inTransaction) return null;
      return insertGroup(groups);
    },
  };
}

export function createEventWriter(db: Kysely<Database>, maxRowsPerGroup = 2000, sqlite?: SQLite.Database): EventWriter {
  const queue: Pending[] = [];
  let running = false;
  let scheduled = false;
  const fast = sqlite ? createSqliteInserter(sqlite) : null;

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
        if (fast) {
          let results: Set<string>[] | null = null;
          try {
            results = fast.tryInsert(group.map((item) => item.rows));
          } catch {
            results = null; // rolled back whole; the per-batch path below sorts it out
          }
          if (results) {
            group.forEach((item, i) => item.resolve(results[i]!));
            continue;
          }
          if (group.length > 1) {
            for (const item of group) await insertEvents(db, item.rows).then(item.resolve, item.reject);
            continue;
          }
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
        if (!running && !scheduled) {
          // Start on the next turn of the event loop, not now: uploads whose bodies were
          // read in this turn are parsed and queued meanwhile and join this commit.
          // (better-sqlite3 is synchronous: starting at once commits every batch alone.)
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            void drain();
          });
        }
      });
    },
  };
}
