import { Hono } from 'hono';
import { z } from 'zod';
import { actionSchema, channelSchema, levelSchema } from '../../../utils/policy';
import type { AppDeps, AppEnv } from '../../context';
import { eventPagesNewestFirst, eventTimeline, listEvents } from '../../db/repositories/events';
import { grantApprovers } from '../../db/repositories/overrides';
import { can } from '../../lib/admin-auth';
import { isoTime, pageSchema, pageSizeSchema, shortText } from '../../lib/query';
import { validate } from '../../lib/validate';
import { eventsCsvStream } from '../../lib/events-csv';
import { currentPolicy } from '../../db/repositories/policies';
import { recordAudit } from '../../db/repositories/audit';

const eventQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  userId: shortText.optional(),
  deviceId: shortText.optional(),
  origin: shortText.optional(),
  channel: channelSchema.optional(),
  level: levelSchema.optional(),
  action: actionSchema.optional(),
  page: pageSchema,
  pageSize: pageSizeSchema,
  /** `1`: count every matching event (a full count; the list otherwise stops counting at 10,000). */
  exact: z.enum(['0', '1']).optional(),
});

/** The events page's filters, without paging. */
const exportQuery = eventQuery.omit({ page: true, pageSize: true, exact: true });
/** Rows read per keyset page of the export: memory holds one page. */
const EXPORT_PAGE_ROWS = 1000;

const timelineQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  bucket: z.enum(['day', 'hour']).default('day'),
});

export function adminEventsRoutes(deps: AppDeps) {
  return (
    new Hono<AppEnv>()
      .get('/events', can('events:read'), validate('query', eventQuery), async (c) => {
        const { page, pageSize, exact, ...filters } = c.req.valid('query');
        const { items, total, totalExact } = await listEvents(deps.readDb, filters, page, pageSize, { exactCount: exact === '1' });
        // An action a grant let through names the grant's approver (only for the device it was issued to).
        const grants = await grantApprovers(deps.db, items);
        const withGrants = items.map((item) => ({
          ...item,
          grant: (item.grantId && grants.get(`${item.grantId}|${item.deviceId}`)) || null,
        }));
        return c.json({ ok: true as const, items: withGrants, total, totalExact, page, pageSize });
      })
      // Every event of the filter, streamed (no limit). Audited when it starts (filters) and
      // when it ends (rows written, complete or not: a reader that went away is recorded too).
      .get('/events.csv', can('reports:export'), validate('query', exportQuery), async (c) => {
        const filters = c.req.valid('query');
        const actor = c.get('admin').user.username;
        const rules = new Map<string, string>(
          ((await currentPolicy(deps.db))?.policy.rules ?? []).map((rule) => [rule.id, rule.description ?? rule.id]),
        );
        await recordAudit(deps.db, { actor, action: 'events-export', target: 'events', detail: filters, now: deps.clock() });
        const body = eventsCsvStream(eventPagesNewestFirst(deps.readDb, filters, EXPORT_PAGE_ROWS), rules, ({ rows, complete }) =>
          recordAudit(deps.db, {
            actor,
            action: complete ? 'events-export-complete' : 'events-export-incomplete',
            target: `${rows} events`,
            detail: { ...filters, rows, complete },
            now: deps.clock(),
          }).catch((error: unknown) => console.error('events export: audit entry failed', error)),
        );
        return c.body(body, 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': 'attachment; filename="baomi-events.csv"',
        });
      })
      .get('/events/timeline', can('events:read'), validate('query', timelineQuery), async (c) => {
        const { bucket, ...range } = c.req.valid('query');
        const utcOffsetMinutes = deps.config.reportUtcOffsetMinutes;
        return c.json({ ok: true as const, utcOffsetMinutes, buckets: await eventTimeline(deps.readDb, range, bucket, utcOffsetMinutes) });
      })
  );
}
