import { Hono } from 'hono';
import { z } from 'zod';
import { INCIDENT_STATUSES } from '../../../utils/api/incident-api';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { listIncidents, setIncidentStatus } from '../../db/repositories/incidents';
import { can } from '../../lib/admin-auth';
import { badRequest, notFound } from '../../lib/errors';
import { looksLikeRawNumber } from '../../lib/raw-number';
import { validate } from '../../lib/validate';

const listQuery = z.object({
  status: z.enum(INCIDENT_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const statusBody = z.object({ status: z.enum(INCIDENT_STATUSES), note: z.string().trim().max(1000).optional() }).strict();

/** GET /incidents (suspected leaks staff reported), POST /incidents/:id/status (handling, audited). */
export function adminIncidentRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/incidents', can('incidents:read'), validate('query', listQuery), async (c) => {
      const { status, page, pageSize } = c.req.valid('query');
      return c.json({ ok: true as const, ...(await listIncidents(deps.db, { status, page, pageSize })), page, pageSize });
    })
    .post(
      '/incidents/:id/status',
      can('incidents:handle'),
      validate('param', z.object({ id: z.string().max(64) })),
      validate('json', statusBody),
      async (c) => {
        const { id } = c.req.valid('param');
        const { status, note } = c.req.valid('json');
        // The note is read by auditors and exported with the audit log: no customer number in it.
        if (note && looksLikeRawNumber(note)) {
          throw badRequest('invalid body', [
            { path: 'note', message: 'must not contain a raw phone number or long digit run', code: 'raw-number' },
          ]);
        }
        const actor = c.get('admin').user.username;
        const now = deps.clock();
        const changed = await setIncidentStatus(deps.db, id, { status, note: note || null, by: actor, now });
        if (!changed) throw notFound('no such incident');
        await recordAudit(deps.db, {
          actor,
          action: 'incident-status',
          target: `incident ${id}`,
          detail: { from: changed.before, to: status, ...(note ? { note } : {}) },
          now,
        });
        return c.json({ ok: true as const, item: changed.after });
      },
    );
}
