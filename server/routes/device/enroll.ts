import { Hono } from 'hono';
import { enrollRequestSchema } from '../../../utils/api/device-api';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { AppDeps, AppEnv, Limiters } from '../../context';
import { createDevice } from '../../db/repositories/devices';
import { codeStatusByHash, consumeEnrollmentCode } from '../../db/repositories/enrollment-codes';
import { clientIp } from '../../lib/client-ip';
import { badRequest } from '../../lib/errors';
import { looksLikePhoneNumber, containsDetectedNumber } from '../../lib/raw-number';
import { randomToken, sha256Hex } from '../../lib/secrets';
import { validate } from '../../lib/validate';
import { enrollmentCodeRefusal, normalizeCode } from '../../lib/enrollment';

/** POST /enroll: code + device info → device id and token (token shown once; only its hash is kept). */
export function enrollRoutes(deps: AppDeps, limiters: Limiters) {
  return new Hono<AppEnv>().post(
    '/enroll',
    async (c, next) => {
      limiters.enroll.check(`ip:${clientIp(c, deps.config.trustedProxies)}`);
      await next();
    },
    validate('json', enrollRequestSchema),
    async (c) => {
      const body = c.req.valid('json');
      // Events carrying this user id would all be refused later (lib/event-intake.ts): say so now.
      for (const field of ['userId', 'department', 'deviceName'] as const) {
        const value = body[field];
        if (value && looksLikePhoneNumber(value)) {
          throw badRequest('invalid body', [{ path: field, message: 'must not be or contain a phone number' }]);
        }
      }
      // Free text that is no identity: no number of any kind (a version or browser name has none).
      for (const field of ['browser', 'extensionVersion'] as const) {
        const value = body[field];
        if (value && containsDetectedNumber(value)) {
          throw badRequest('invalid body', [{ path: field, message: 'must not contain a phone number' }]);
        }
      }
      const now = deps.clock();
      const codeHash = sha256Hex(normalizeCode(body.code));
      const codeId = await consumeEnrollmentCode(deps.db, codeHash, now);
      if (!codeId) throw enrollmentCodeRefusal(await codeStatusByHash(deps.db, codeHash, now));
      const deviceId = uuidv7(now.getTime());
      const deviceToken = randomToken(32);
      await createDevice(deps.db, {
        id: deviceId,
        tokenHash: sha256Hex(deviceToken),
        userId: body.userId,
        department: body.department,
        deviceName: body.deviceName,
        browser: body.browser,
        extensionVersion: body.extensionVersion,
        enrollmentCodeId: codeId,
        installationId: body.installationId,
        now,
      });
      return c.json(
        {
          ok: true as const,
          deviceId,
          deviceToken,
          publicKey: deps.keys.signing.publicKey,
          keyId: deps.keys.keyId,
          hashKey: deps.keys.hashKey,
        },
        201,
      );
    },
  );
}
