import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { listAudit } from '../../db/repositories/audit';
import { can } from '../../lib/admin-auth';
import { pageSchema, pageSizeSchema } from '../../lib/query';
import { validate } from '../../lib/validate';

export function auditLogRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get(
    '/audit-log',
    can('audit:read'),
    validate('query', z.object({ page: pageSchema, pageSize: pageSizeSchema })),
    async (c) => {
      const { page, pageSize } = c.req.valid('query');
      const { items, total } = await listAudit(deps.db, page, pageSize);
      return c.json({ ok: true as const, items, total, page, pageSize });
    },
  );
}
