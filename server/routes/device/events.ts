import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { eventBatchSchema } from '../../../utils/events/schema';
import { MB, type AppDeps, type AppEnv } from '../../context';
import { createEventWriter } from '../../db/event-writer';
import { prepareBatch } from '../../lib/event-intake';
import { validate } from '../../lib/validate';

/**
 * POST /events: idempotent by event id. Valid events are stored in one transaction,
 * invalid ones are listed in `rejected`; ids already stored come back as `duplicates`
 * (the device may delete them: they are safe on the server). Bodies are never logged.
 * Concurrent uploads share a transaction (group commit, db/event-writer.ts); each batch
 * is still stored whole or not at all.
 */
export function eventsRoutes(deps: AppDeps) {
  const writer = createEventWriter(deps.db, 2000, deps.sqlite);
  return new Hono<AppEnv>().post('/events', bodyLimit({ maxSize: 1 * MB }), validate('json', eventBatchSchema, { nulCheck: false }), async (c) => {
    const { events } = c.req.valid('json');
    const batch = prepareBatch(events, c.get('device').id, deps.clock());
    const inserted = await writer.write(batch.rows);
    const accepted: string[] = [];
    const duplicates: string[] = [];
    for (const row of batch.rows) (inserted.has(row.id) ? accepted : duplicates).push(row.id);
    duplicates.push(...batch.repeated);
    return c.json({ ok: true as const, accepted, duplicates, rejected: batch.rejected });
  });
}
