/** Bearer device token → device (by SHA-256 of the token), with per-device rate limiting. */
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv, Limiters } from '../context';
import { findDeviceByTokenHash } from '../db/repositories/devices';
import { unauthorized } from './errors';
import { clientIp } from './client-ip';
import { sha256Hex } from './secrets';

export function deviceAuth(deps: AppDeps, limiters: Limiters) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/.exec(header);
    const device = match ? await findDeviceByTokenHash(deps.db, sha256Hex(match[1]!)) : null;
    if (!device) {
      // Failed attempts count against the caller's IP: guessing tokens is rate limited too.
      limiters.device.check(`ip:${clientIp(c, deps.config.trustedProxies)}`);
      throw unauthorized(match ? 'unknown device token' : 'missing bearer device token');
    }
    limiters.device.check(`device:${device.id}`);
    c.set('device', device);
    await next();
  });
}
