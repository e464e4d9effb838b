import { Hono } from 'hono';
import { z } from 'zod';
import { validatePolicy } from '../../../utils/policy';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { currentPolicy, policyAtVersion, policyHistory, publishPolicy, PublishConflictError } from '../../db/repositories/policies';
import { can } from '../../lib/admin-auth';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { validate } from '../../lib/validate';
import { INT32_MAX } from '../../../utils/events/schema';

const versionParam = z.object({ version: z.coerce.number().int().min(1).max(INT32_MAX) });

const toCurrent = (r: NonNullable<Awaited<ReturnType<typeof currentPolicy>>>) => ({
  version: r.version,
  policy: r.policy,
  publishedAt: r.publishedAt,
  publishedBy: r.publishedBy,
  note: r.note,
});

export function adminPolicyRoutes(deps: AppDeps) {
  const publish = async (policyInput: unknown, by: string, note: string | null, action: 'publish' | 'rollback', from?: number) => {
    // The server assigns version/publishedAt: validate what was sent with placeholders for them.
    const candidate =
      typeof policyInput === 'object' && policyInput !== null ? { ...policyInput, version: 0, publishedAt: undefined } : policyInput;
    const validation = validatePolicy(candidate);
    if (!validation.ok) throw badRequest('policy is invalid', validation.errors);
    const now = deps.clock();
    try {
      const record = await publishPolicy(deps.db, { policy: validation.policy, publishedBy: by, note, now });
      await recordAudit(deps.db, { actor: by, action, target: `policy v${record.version}`, detail: { note, from }, now });
      return record;
    } catch (error) {
      if (error instanceof PublishConflictError) throw conflict(error.message, 'publish-conflict');
      throw error;
    }
  };

  return new Hono<AppEnv>()
    .get('/policy', can('policy:read'), async (c) => {
      const record = await currentPolicy(deps.db);
      if (!record) throw notFound('no policy published');
      return c.json({ ok: true as const, current: toCurrent(record) });
    })
    .get('/policy/history', can('policy:read'), async (c) => c.json({ ok: true as const, items: await policyHistory(deps.db) }))
    .get('/policy/versions/:version', can('policy:read'), validate('param', versionParam), async (c) => {
      const record = await policyAtVersion(deps.db, c.req.valid('param').version);
      if (!record) throw notFound('no such policy version');
      return c.json({ ok: true as const, ...toCurrent(record) });
    })
    .post('/policy/validate', can('policy:read'), validate('json', z.object({ policy: z.unknown() }).strict()), (c) => {
      const { policy } = c.req.valid('json');
      const candidate = typeof policy === 'object' && policy !== null ? { ...policy, version: 0, publishedAt: undefined } : policy;
      const result = validatePolicy(candidate);
      return c.json({ ok: true as const, valid: result.ok, errors: result.ok ? [] : result.errors });
    })
    .post(
      '/policy/publish',
      can('policy:write'),
      validate('json', z.object({ policy: z.unknown(), note: z.string().trim().max(1000).optional() }).strict()),
      async (c) => {
        const { policy, note } = c.req.valid('json');
        const record = await publish(policy, c.get('admin').user.username, note ?? null, 'publish');
        return c.json({ ok: true as const, version: record.version });
      },
    )
    .post(
      '/policy/rollback',
      can('policy:write'),
      validate(
        'json',
        z.object({ version: z.number().int().min(1).max(INT32_MAX), note: z.string().trim().max(1000).optional() }).strict(),
      ),
      async (c) => {
        const { version, note } = c.req.valid('json');
        const old = await policyAtVersion(deps.db, version);
        if (!old) throw notFound('no such policy version');
        const record = await publish(old.policy, c.get('admin').user.username, note ?? `rollback to v${version}`, 'rollback', version);
        return c.json({ ok: true as const, version: record.version });
      },
    );
}
