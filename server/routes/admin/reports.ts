import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { currentPolicy } from '../../db/repositories/policies';
import { monthlyReport } from '../../db/repositories/reports';
import { can } from '../../lib/admin-auth';
import { reportToCsv } from '../../lib/report-csv';
import { validate } from '../../lib/validate';

const monthQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM'),
});

export function reportRoutes(deps: AppDeps) {
  const build = async (month: string, usersLimit?: number | null) => {
    const staleAfterHours = (await currentPolicy(deps.db))?.policy.sync.staleAfterHours ?? 72;
    return monthlyReport(deps.readDb, month, deps.clock(), staleAfterHours, deps.config.reportUtcOffsetMinutes, usersLimit);
  };
  return new Hono<AppEnv>()
    .get('/reports/monthly', can('reports:read'), validate('query', monthQuery), async (c) => {
      const report = await build(c.req.valid('query').month);
      const rules = new Map(((await currentPolicy(deps.db))?.policy.rules ?? []).map((rule) => [rule.id, rule.description ?? null]));
      const topRules = report.topRules.map((rule) => ({ ...rule, description: rules.get(rule.ruleId) ?? null }));
      return c.json({ ok: true as const, ...report, topRules });
    })
    .get('/reports/monthly.csv', can('reports:export'), validate('query', monthQuery), async (c) => {
      const { month } = c.req.valid('query');
      const rules = new Map(((await currentPolicy(deps.db))?.policy.rules ?? []).map((rule) => [rule.id, rule.description ?? rule.id]));
      // Every user of the month (the page shows the top REPORT_PAGE_USERS): the CSV is complete.
      const csv = reportToCsv(await build(month, null), rules);
      await recordAudit(deps.db, {
        actor: c.get('admin').user.username,
        action: 'report-export',
        target: `report ${month}`,
        now: deps.clock(),
      });
      return c.body(csv, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="baomi-risk-report-${month}.csv"`,
      });
    });
}
