import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { eventBatchSchema } from '../../../utils/events/schema';
import { EVENTS_MAX_BODY_BYTES, type AppDeps, type AppEnv } from '../../context';
import type { Kysely } from 'kysely';
import { isRowDataError } from '../../db/data-error';
import { createEventWriter, type EventWriter } from '../../db/event-writer';
import { insertEvents, type EventRow } from '../../db/repositories/events';
import type { Database } from '../../db/schema';
import { prepareBatch, type Rejection } from '../../lib/event-intake';
import { validate } from '../../lib/validate';

/**
 * Stores the batch whole when it can. When the database refuses it for the data of a row
 * (the schema should have caught it: this is the net under it), each row is stored alone
 * and the rows the database refuses are rejected — one bad event must never make the
 * whole batch a 500 that the device retries forever. Any other error (database down) is
 * thrown: the device retries later and nothing was half-stored.
 */
export async function storeRows(
  writer: EventWriter,
  db: Kysely<Database>,
  rows: EventRow[],
  indexOf: (row: EventRow) => number,
): Promise<{ inserted: Set<string>; rejected: Rejection[] }> {
  try {
    return { inserted: await writer.write(rows), rejected: [] };
  } catch (error) {
    if (!isRowDataError(error)) throw error;
  }
  const inserted = new Set<string>();
  const rejected: Rejection[] = [];
  for (const row of rows) {
    try {
      for (const id of await insertEvents(db, [row])) inserted.add(id);
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      rejected.push({ index: indexOf(row), id: row.id, reason: 'invalid: a value does not fit its database column' });
    }
  }
  return { inserted, rejected };
}

/**
 * POST /events: idempotent by event id. Valid events are stored in one transaction,
 * invalid ones are listed in `rejected`; ids already stored come back as `duplicates`
 * (the device may delete them: they are safe on the server). Bodies are never logged.
 * Concurrent uploads share a transaction (group commit, db/event-writer.ts); each batch
 * is still stored whole or not at all.
 */
export function eventsRoutes(deps: AppDeps) {
  const writer = createEventWriter(deps.db, 2000, deps.sqlite);
  return new Hono<AppEnv>().post(
    '/events',
    bodyLimit({ maxSize: EVENTS_MAX_BODY_BYTES }),
    validate('json', eventBatchSchema, { nulCheck: false }),
    async (c) => {
      const { events } = c.req.valid('json');
      const now = deps.clock();
      const batch = prepareBatch(events, c.get('device'), now, await deps.retention.intake(now));
      const tooOld = batch.rejected.filter((r) => r.reason.startsWith('retention:')).length;
      // Counted in the server's log too: the device keeps only the last reason.
      if (tooOld > 0) console.warn(`events: ${tooOld} event(s) from device ${c.get('device').id} refused: older than the retention period`);
      const indexOf = (row: EventRow) => events.findIndex((raw) => (raw as { id?: unknown } | null)?.id === row.id);
      const { inserted, rejected } = await storeRows(writer, deps.db, batch.rows, indexOf);
      const refused = new Set(rejected.map((r) => r.id));
      const accepted: string[] = [];
      const duplicates: string[] = [];
      for (const row of batch.rows) if (!refused.has(row.id)) (inserted.has(row.id) ? accepted : duplicates).push(row.id);
      duplicates.push(...batch.repeated);
      return c.json({ ok: true as const, accepted, duplicates, rejected: [...batch.rejected, ...rejected] });
    },
  );
}
