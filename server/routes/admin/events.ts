import { Hono } from 'hono';
import { z } from 'zod';
import { actionSchema, channelSchema, levelSchema } from '../../../utils/policy';
import type { AppDeps, AppEnv } from '../../context';
import { eventTimeline, listEvents } from '../../db/repositories/events';
import { can } from '../../lib/admin-auth';
import { isoTime, pageSchema, pageSizeSchema, shortText } from '../../lib/query';
import { validate } from '../../lib/validate';

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
});

const timelineQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  bucket: z.enum(['day', 'hour']).default('day'),
});

export function adminEventsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/events', can('events:read'), validate('query', eventQuery), async (c) => {
      const { page, pageSize, ...filters } = c.req.valid('query');
      const { items, total } = await listEvents(deps.db, filters, page, pageSize);
      return c.json({ ok: true as const, items, total, page, pageSize });
    })
    .get('/events/timeline', can('events:read'), validate('query', timelineQuery), async (c) => {
      const { bucket, ...range } = c.req.valid('query');
      const utcOffsetMinutes = deps.config.reportUtcOffsetMinutes;
      return c.json({ ok: true as const, utcOffsetMinutes, buckets: await eventTimeline(deps.db, range, bucket, utcOffsetMinutes) });
    });
}
