import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';
import { overview } from '../../db/repositories/overview';
import { currentPolicy } from '../../db/repositories/policies';
import { can } from '../../lib/admin-auth';

/** GET /overview: the console's landing figures, on the company clock (BAOMI_REPORT_UTC_OFFSET). */
export function adminOverviewRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/overview', can('overview:read'), async (c) => {
    const staleAfterHours = (await currentPolicy(deps.db))?.policy.sync.staleAfterHours ?? 72;
    const figures = await overview(deps.readDb, deps.clock(), staleAfterHours, deps.config.reportUtcOffsetMinutes);
    return c.json({ ok: true as const, ...figures });
  });
}
