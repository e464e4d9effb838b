import { Hono } from 'hono';
import { z } from 'zod';
import { type OVERRIDE_STATES, overrideRequestSchema } from '../../../utils/api/device-api';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { Channel, SignedGrant } from '../../../utils/policy';
import type { SignedRevocation } from '../../../utils/policy/grant';
import type { AppDeps, AppEnv } from '../../context';
import { createOverride, effectiveState, findOverride, type OverrideRow } from '../../db/repositories/overrides';
import { currentPolicy } from '../../db/repositories/policies';
import { badRequest, forbidden, notFound } from '../../lib/errors';
import { looksLikeRawNumber } from '../../lib/raw-number';
import { validate } from '../../lib/validate';
import { DEFAULT_MIN_REASON_LENGTH, minReasonLength, reasonLength } from '../../../utils/policy/override-reason';

function statusOf(row: OverrideRow, now: Date) {
  const state = effectiveState(row, now);
  return {
    ok: true as const,
    id: row.id,
    state: state as (typeof OVERRIDE_STATES)[number],
    origin: row.origin,
    channel: row.channel as Channel,
    reason: row.reason,
    requestedAt: row.requested_at,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    grant: state === 'approved' && row.grant_json ? (JSON.parse(row.grant_json) as SignedGrant) : null,
    revocation: state === 'revoked' && row.revocation_json ? (JSON.parse(row.revocation_json) as SignedRevocation) : null,
  };
}

/** POST /overrides (ask for a time-limited exception), GET /overrides/:id (only the asking device). */
export function deviceOverrideRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/overrides', validate('json', overrideRequestSchema), async (c) => {
      const body = c.req.valid('json');
      const policy = (await currentPolicy(deps.db))?.policy;
      if (policy && !policy.overrides.allowed) throw forbidden('the current policy does not allow override requests', 'overrides-disabled');
      const minReason = policy ? minReasonLength(policy) : DEFAULT_MIN_REASON_LENGTH;
      if (reasonLength(body.reason) < minReason) {
        throw badRequest('invalid body', [
          { path: 'reason', message: `at least ${minReason} characters`, code: 'reason-too-short', limit: minReason },
        ]);
      }
      const max = policy?.overrides.maxDurationMinutes ?? 0;
      if (body.durationMinutes > max) {
        throw badRequest('invalid body', [
          { path: 'durationMinutes', message: `at most ${max} minutes under the current policy`, code: 'too_big', limit: max },
        ]);
      }
      for (const field of ['reason', 'origin', 'userId'] as const) {
        if (looksLikeRawNumber(body[field])) {
          throw badRequest('invalid body', [
            { path: field, message: 'must not contain a raw phone number or long digit run', code: 'raw-number' },
          ]);
        }
      }
      for (const [path, text] of [
        ['detail.fileName', body.detail?.fileName],
        ['detail.destination', body.detail?.destination],
      ] as const) {
        if (text && looksLikeRawNumber(text)) {
          throw badRequest('invalid body', [
            { path, message: 'must not contain a raw phone number or long digit run', code: 'raw-number' },
          ]);
        }
      }
      (body.masked ?? []).forEach((sample, index) => {
        if (looksLikeRawNumber(sample)) {
          throw badRequest('invalid body', [
            { path: `masked.${index}`, message: 'must not contain a raw phone number or long digit run', code: 'raw-number' },
          ]);
        }
      });
      const now = deps.clock();
      if (body.requestId) {
        // Sent again (queued offline, or the first answer was lost): answer with what we have.
        const known = await findOverride(deps.db, body.requestId);
        if (known && known.device_id === c.get('device').id) return c.json(statusOf(known, now), 200);
        if (known) throw badRequest('invalid body', [{ path: 'requestId', message: 'already used' }]);
      }
      const row: OverrideRow = {
        id: body.requestId ?? uuidv7(now.getTime()),
        device_id: c.get('device').id,
        // The enrolled identity, not the body's `userId` (kept in the wire schema for older extensions).
        user_id: c.get('device').userId,
        user_verified: c.get('device').verified ? 1 : 0,
        origin: body.origin,
        channel: body.channel,
        reason: body.reason,
        duration_minutes: body.durationMinutes,
        state: 'pending',
        requested_at: now.toISOString(),
        decided_at: null,
        decided_by: null,
        decision_note: null,
        approved_minutes: null,
        expires_at: null,
        grant_json: null,
        level: body.level ?? null,
        rule_id: body.ruleId ?? null,
        masked: body.masked?.length ? JSON.stringify(body.masked) : null,
        detail: body.detail ? JSON.stringify(body.detail) : null,
        fingerprints: body.fingerprints?.length ? JSON.stringify([...new Set(body.fingerprints)]) : null,
      };
      await createOverride(deps.db, row);
      await deps.alerts.overrideRequested(row);
      return c.json(statusOf(row, now), 201);
    })
    .get('/overrides/:id', validate('param', z.object({ id: z.string().max(64) })), async (c) => {
      const row = await findOverride(deps.db, c.req.valid('param').id);
      // Another device's request is answered exactly like a missing one.
      if (!row || row.device_id !== c.get('device').id) throw notFound('no such override request');
      return c.json(statusOf(row, deps.clock()));
    });
}
