import { Hono } from 'hono';
import { z } from 'zod';
import { incidentReportSchema, type IncidentStatus } from '../../../utils/api/incident-api';
import type { AppDeps, AppEnv, Limiters } from '../../context';
import { createIncident, findIncident, type IncidentRow } from '../../db/repositories/incidents';
import { deviceAuth } from '../../lib/device-auth';
import { badRequest, notFound } from '../../lib/errors';
import { looksLikePhoneNumber, looksLikeRawNumber } from '../../lib/raw-number';
import { validate } from '../../lib/validate';

const ORIGIN = /^https?:\/\/[^/?#\s]+$/;

function receipt(row: IncidentRow) {
  return { ok: true as const, id: row.id, status: row.status as IncidentStatus, reportedAt: row.reported_at };
}

/**
 * POST /incidents (a staff member reports a suspected leak, domain policy article 13) and
 * GET /incidents/:id (only the reporting device). The description is the person's own words:
 * refused when it holds a raw number, like every free-text field; only the page's origin travels.
 */
export function deviceIncidentRoutes(deps: AppDeps, limiters: Limiters) {
  return new Hono<AppEnv>()
    .use('/incidents', deviceAuth(deps, limiters))
    .use('/incidents/*', deviceAuth(deps, limiters))
    .post('/incidents', validate('json', incidentReportSchema), async (c) => {
      const body = c.req.valid('json');
      if (looksLikeRawNumber(body.description)) {
        throw badRequest('invalid body', [
          { path: 'description', message: 'must not contain a raw phone number or long digit run', code: 'raw-number' },
        ]);
      }
      if (body.origin !== null && (!ORIGIN.test(body.origin) || looksLikeRawNumber(body.origin))) {
        throw badRequest('invalid body', [
          { path: 'origin', message: 'must be an origin (scheme://host[:port]) without a number', code: 'origin-pattern' },
        ]);
      }
      for (const field of ['userId', 'department'] as const) {
        const value = body[field];
        if (value && looksLikePhoneNumber(value)) {
          throw badRequest('invalid body', [{ path: field, message: 'must not be or contain a phone number', code: 'raw-number' }]);
        }
      }
      const device = c.get('device');
      const known = await findIncident(deps.db, body.incidentId);
      // Sent again after a lost answer: the stored report. Another device's id is refused.
      if (known && known.device_id === device.id) return c.json(receipt(known), 200);
      if (known) throw badRequest('invalid body', [{ path: 'incidentId', message: 'already used' }]);
      const now = deps.clock();
      const row: IncidentRow = {
        id: body.incidentId,
        device_id: device.id,
        // The enrolled identity, not the body's (kept in the wire schema for older extensions).
        user_id: device.userId,
        department: device.department,
        user_verified: device.verified ? 1 : 0,
        origin: body.origin,
        description: body.description,
        occurred_at: body.occurredAt,
        reported_at: now.toISOString(),
        status: 'new',
        status_note: null,
        status_by: null,
        status_at: null,
      };
      await createIncident(deps.db, row);
      return c.json(receipt((await findIncident(deps.db, row.id)) ?? row), 201);
    })
    .get('/incidents/:id', validate('param', z.object({ id: z.string().max(64) })), async (c) => {
      const row = await findIncident(deps.db, c.req.valid('param').id);
      if (!row || row.device_id !== c.get('device').id) throw notFound('no such incident');
      return c.json(receipt(row));
    });
}
