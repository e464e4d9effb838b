import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';
import { listDevices } from '../../db/repositories/devices';
import { currentPolicy } from '../../db/repositories/policies';
import { can } from '../../lib/admin-auth';

export function adminDeviceRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/devices', can('devices:read'), async (c) => {
    const staleAfterHours = (await currentPolicy(deps.db))?.policy.sync.staleAfterHours ?? 72;
    return c.json({ ok: true as const, items: await listDevices(deps.db, deps.clock(), staleAfterHours), staleAfterHours });
  });
}
