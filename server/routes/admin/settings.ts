import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { getSetting, putSetting } from '../../db/repositories/settings';
import { can } from '../../lib/admin-auth';
import { badRequest } from '../../lib/errors';
import { looksLikePhoneNumber } from '../../lib/raw-number';
import { validate } from '../../lib/validate';

const companyBody = z.object({ name: z.string().trim().max(100) }).strict();

/**
 * GET /settings/company (any signed-in role: the report title shows it) and
 * PUT /settings/company (IT administrator; empty clears it; audited).
 */
export function adminSettingsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/settings/company', async (c) => {
      const setting = await getSetting(deps.db, 'company-name');
      return c.json({
        ok: true as const,
        name: setting?.value ?? '',
        updatedAt: setting?.updatedAt ?? null,
        updatedBy: setting?.updatedBy ?? null,
      });
    })
    .put('/settings/company', can('settings:write'), validate('json', companyBody), async (c) => {
      const { name } = c.req.valid('json');
      if (looksLikePhoneNumber(name))
        throw badRequest('invalid body', [{ path: 'name', message: 'must not contain a phone number', code: 'raw-number' }]);
      const actor = c.get('admin').user.username;
      const now = deps.clock();
      const before = (await getSetting(deps.db, 'company-name'))?.value ?? '';
      await putSetting(deps.db, 'company-name', name, actor, now);
      await recordAudit(deps.db, {
        actor,
        action: 'company-name',
        target: 'settings company-name',
        detail: { from: before, to: name },
        now,
      });
      return c.json({ ok: true as const, name, updatedAt: name ? now.toISOString() : null, updatedBy: name ? actor : null });
    });
}
