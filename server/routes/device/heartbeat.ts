import { Hono } from 'hono';
import { heartbeatRequestSchema } from '../../../utils/api/device-api';
import type { AppDeps, AppEnv } from '../../context';
import { recordHeartbeat } from '../../db/repositories/devices';
import { latestPolicyVersion } from '../../db/repositories/policies';
import { validate } from '../../lib/validate';
import { badRequest } from '../../lib/errors';
import { looksLikePhoneNumber, containsDetectedNumber } from '../../lib/raw-number';

/** POST /heartbeat: what the device runs and how much it still has to upload. */
export function heartbeatRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/heartbeat', validate('json', heartbeatRequestSchema), async (c) => {
    const body = c.req.valid('json');
    for (const field of ['extensionVersion', 'browser'] as const) {
      const value = body[field];
      if (value && containsDetectedNumber(value))
        throw badRequest('invalid body', [{ path: field, message: 'must not contain a phone number' }]);
    }
    if (body.userId && looksLikePhoneNumber(body.userId)) {
      throw badRequest('invalid body', [{ path: 'userId', message: 'must not be or contain a phone number' }]);
    }
    const now = deps.clock();
    await recordHeartbeat(deps.db, c.get('device').id, { ...body, now });
    return c.json({ ok: true as const, serverTime: now.toISOString(), policyVersion: (await latestPolicyVersion(deps.db)) ?? 0 });
  });
}
