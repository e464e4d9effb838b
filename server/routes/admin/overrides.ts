import { Hono } from 'hono';
import { z } from 'zod';
import { signPayload } from '../../../utils/crypto/signing';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { OverrideGrant } from '../../../utils/policy';
import type { GrantRevocation } from '../../../utils/policy/grant';
import { OVERRIDE_STATES } from '../../../utils/api/device-api';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import {
  decideOverride,
  detailOf,
  effectiveState,
  findOverride,
  fingerprintsOf,
  listOverrides,
  revokeOverride,
} from '../../db/repositories/overrides';
import { chooseScope, scopeChoiceSchema } from '../../lib/grant-scope';
import { currentPolicy } from '../../db/repositories/policies';
import { can } from '../../lib/admin-auth';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { validate } from '../../lib/validate';

const idParam = z.object({ id: z.string().max(64) });
const approveSchema = z
  .object({
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30),
    note: z.string().trim().max(1000).optional(),
  })
  .extend(scopeChoiceSchema.shape)
  .strict();
const denySchema = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
const revokeSchema = z.object({ reason: z.string().trim().max(1000).optional() }).strict();

export { grantLevel } from '../../lib/grant-scope';

export function adminOverrideRoutes(deps: AppDeps) {
  return (
    new Hono<AppEnv>()
      .get('/overrides', can('overrides:read'), validate('query', z.object({ state: z.enum(OVERRIDE_STATES).optional() })), async (c) => {
        const items = await listOverrides(deps.db, deps.clock(), c.req.valid('query').state);
        // The rule behind each block, as the current policy describes it (approvers may not read the policy).
        const rules = new Map(((await currentPolicy(deps.db))?.policy.rules ?? []).map((rule) => [rule.id, rule.description ?? null]));
        return c.json({
          ok: true as const,
          items: items.map((item) => ({ ...item, ruleDescription: item.ruleId ? (rules.get(item.ruleId) ?? null) : null })),
        });
      })
      .post('/overrides/:id/approve', can('overrides:decide'), validate('param', idParam), validate('json', approveSchema), async (c) => {
        const { id } = c.req.valid('param');
        const { durationMinutes, note, ...choice } = c.req.valid('json');
        const row = await findOverride(deps.db, id);
        if (!row) throw notFound('no such override request');
        if (row.state !== 'pending') throw conflict(`request is already ${row.state}`, 'not-pending');
        const policy = (await currentPolicy(deps.db))?.policy;
        const max = policy?.overrides.maxDurationMinutes ?? 0;
        if (durationMinutes > max) {
          throw badRequest('invalid body', [
            { path: 'durationMinutes', message: `at most ${max} minutes under the current policy`, code: 'too_big', limit: max },
          ]);
        }
        const now = deps.clock();
        const approver = c.get('admin').user.username;
        const fingerprints = fingerprintsOf(row);
        const scope = chooseScope(choice, { level: row.level ?? null, fingerprints, detail: detailOf(row) }, policy);
        // The grant's clock starts at approval, not at the request.
        const expiresAt = new Date(now.getTime() + durationMinutes * 60_000).toISOString();
        const grant: OverrideGrant = {
          grantId: uuidv7(now.getTime()),
          requestId: row.id,
          deviceId: row.device_id,
          userId: row.user_id,
          origin: row.origin,
          channel: row.channel as OverrideGrant['channel'],
          issuedAt: now.toISOString(),
          expiresAt,
          ...scope,
          ...(scope.scope === 'content' ? { fingerprints } : {}),
          approver,
        };
        const signed = await signPayload('grant', grant, deps.keys.signing);
        const decided = await decideOverride(deps.db, id, {
          state: 'approved',
          decided_at: now.toISOString(),
          decided_by: approver,
          decision_note: note ?? null,
          approved_minutes: durationMinutes,
          expires_at: expiresAt,
          grant_json: JSON.stringify(signed),
          grant_id: grant.grantId,
          scope_json: JSON.stringify(scope),
        });
        if (!decided) throw conflict('request was decided meanwhile', 'not-pending');
        await recordAudit(deps.db, {
          actor: approver,
          action: 'override-approve',
          target: `override ${id}`,
          detail: { durationMinutes, note, userId: row.user_id, origin: row.origin, channel: row.channel, ...scope },
          now,
        });
        return c.json({ ok: true as const, id, state: 'approved' as const, expiresAt, grant: signed });
      })
      .post('/overrides/:id/deny', can('overrides:decide'), validate('param', idParam), validate('json', denySchema), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        const row = await findOverride(deps.db, id);
        if (!row) throw notFound('no such override request');
        const now = deps.clock();
        const approver = c.get('admin').user.username;
        const decided = await decideOverride(deps.db, id, {
          state: 'denied',
          decided_at: now.toISOString(),
          decided_by: approver,
          decision_note: reason,
          approved_minutes: null,
          expires_at: null,
          grant_json: null,
        });
        if (!decided) throw conflict(`request is already ${row.state}`, 'not-pending');
        await recordAudit(deps.db, { actor: approver, action: 'override-deny', target: `override ${id}`, detail: { reason }, now });
        return c.json({ ok: true as const, id, state: 'denied' as const });
      })
      /** Takes an approved grant back before it expires: devices drop it at their next sync. */
      .post('/overrides/:id/revoke', can('overrides:decide'), validate('param', idParam), validate('json', revokeSchema), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        const row = await findOverride(deps.db, id);
        if (!row) throw notFound('no such override request');
        const now = deps.clock();
        const state = effectiveState(row, now);
        if (state !== 'approved' || !row.grant_json) throw conflict(`request is ${state}, not an active grant`, 'not-active');
        const grant = JSON.parse(row.grant_json) as { payload: OverrideGrant };
        const actor = c.get('admin').user.username;
        const revocation: GrantRevocation = {
          grantId: grant.payload.grantId,
          requestId: row.id,
          deviceId: row.device_id,
          revokedAt: now.toISOString(),
        };
        const signed = await signPayload('revocation', revocation, deps.keys.signing);
        const revoked = await revokeOverride(deps.db, id, {
          revoked_at: revocation.revokedAt,
          revoked_by: actor,
          revocation_json: JSON.stringify(signed),
        });
        if (!revoked) throw conflict('request was revoked meanwhile', 'not-active');
        await recordAudit(deps.db, {
          actor,
          action: 'override-revoke',
          target: `override ${id}`,
          detail: { reason, userId: row.user_id, origin: row.origin, channel: row.channel },
          now,
        });
        return c.json({ ok: true as const, id, state: 'revoked' as const, revokedAt: revocation.revokedAt });
      })
  );
}
