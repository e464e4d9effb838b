import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { listDevices, revokeDevice } from '../../db/repositories/devices';
import { currentPolicy } from '../../db/repositories/policies';
import { can } from '../../lib/admin-auth';
import { notFound } from '../../lib/errors';
import { validate } from '../../lib/validate';

export function adminDeviceRoutes(deps: AppDeps) {
  return (
    new Hono<AppEnv>()
      .get('/devices', can('devices:read'), async (c) => {
        const staleAfterHours = (await currentPolicy(deps.db))?.policy.sync.staleAfterHours ?? 72;
        return c.json({ ok: true as const, items: await listDevices(deps.db, deps.clock(), staleAfterHours), staleAfterHours });
      })
      // A lost or reassigned laptop: its token stops working at once; its events stay for the audit.
      .post('/devices/:id/revoke', can('devices:revoke'), validate('param', z.object({ id: z.string().max(64) })), async (c) => {
        const { id } = c.req.valid('param');
        const actor = c.get('admin').user.username;
        const now = deps.clock();
        if (!(await revokeDevice(deps.db, id, actor, now))) throw notFound('no such active device');
        await recordAudit(deps.db, { actor, action: 'device-revoke', target: `device ${id}`, now });
        return c.json({ ok: true as const, id, revokedAt: now.toISOString() });
      })
  );
}
