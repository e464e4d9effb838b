import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { getSetting, putSetting } from '../../db/repositories/settings';
import { can } from '../../lib/admin-auth';
import { badRequest } from '../../lib/errors';
import { looksLikePhoneNumber } from '../../lib/raw-number';
import { validate } from '../../lib/validate';
import { getRetention, putRetention } from '../../db/repositories/retention';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../lib/retention';

const companyBody = z.object({ name: z.string().trim().max(100) }).strict();
const days = z.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS);
const retentionBody = z.object({ eventsDays: days, auditDays: days }).strict();

/**
 * GET /settings/company (any signed-in role: the report title shows it) and
 * PUT /settings/company (IT administrator; empty clears it; audited).
 * GET /settings/retention (whoever reads the audit log) and PUT /settings/retention (IT
 * administrator, audited): days events and audit entries are kept, 180 … 3650.
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
    })
    .get('/settings/retention', can('audit:read'), async (c) => {
      return c.json({ ok: true as const, ...(await getRetention(deps.db)), minDays: MIN_RETENTION_DAYS, maxDays: MAX_RETENTION_DAYS });
    })
    .put('/settings/retention', can('settings:write'), validate('json', retentionBody), async (c) => {
      const retention = c.req.valid('json');
      const actor = c.get('admin').user.username;
      const now = deps.clock();
      const before = await getRetention(deps.db);
      await putRetention(deps.db, retention, actor, now);
      deps.retention.forget();
      await recordAudit(deps.db, {
        actor,
        action: 'retention-change',
        target: 'settings retention',
        detail: { from: { eventsDays: before.eventsDays, auditDays: before.auditDays }, to: retention },
        now,
      });
      return c.json({ ok: true as const, ...(await getRetention(deps.db)), minDays: MIN_RETENTION_DAYS, maxDays: MAX_RETENTION_DAYS });
    });
}
