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
import { codeIdentityByHash } from '../../db/repositories/enrollment-codes';
import { redeemEnrollTicket } from '../../db/repositories/oidc-logins';
import { ApiFailure } from '../../lib/errors';
import {
  decideEnrollmentIdentity,
  requestClaim,
  type CodeIdentity,
  type DirectoryPerson,
  type EnrolledIdentity,
  type IdentityClaim,
} from '../../lib/identity';
import { readIdentitySettings } from '../../lib/identity-settings';
import { base64urlSha256 } from '../oidc';
import type { EnrollRequest } from '../../../utils/api/device-api';

/**
 * The identity this enrollment binds (server/lib/identity.ts decides): an OIDC ticket is
 * redeemed once, with the secret whose hash started its login. Refusals are codes the options
 * page words: 403 `self-declared-disabled`, `managed-code-required`, `identity-required`,
 * 401 `oidc-ticket-invalid`.
 */
async function enrollmentIdentity(deps: AppDeps, body: EnrollRequest, code: CodeIdentity, now: Date): Promise<EnrolledIdentity> {
  let claim: IdentityClaim;
  if (body.identity === 'oidc' || body.oidcTicket) {
    const redeemed = body.oidcTicket ? await redeemEnrollTicket(deps.db, sha256Hex(body.oidcTicket), now) : null;
    if (!redeemed?.claims || !body.oidcVerifier || base64urlSha256(body.oidcVerifier) !== redeemed.device_challenge) {
      throw new ApiFailure(401, 'oidc-ticket-invalid', "the login ticket is unknown, used, expired or not this device's");
    }
    claim = { kind: 'oidc', person: { ...(JSON.parse(redeemed.claims) as Omit<DirectoryPerson, 'groups'>), groups: [] } };
  } else {
    claim = requestClaim(body, code.kind);
  }
  const decision = decideEnrollmentIdentity(code, claim, (await readIdentitySettings(deps.db)).selfDeclared);
  if (!decision.ok) throw new ApiFailure(403, decision.refusal, IDENTITY_REFUSAL_MESSAGES[decision.refusal]);
  return decision.identity;
}

const IDENTITY_REFUSAL_MESSAGES = {
  'self-declared-disabled': 'a typed user name is not accepted: sign in with the company account, or use a personal enrollment code',
  'managed-code-required': 'a user from the managed configuration needs a managed-deployment enrollment code',
  'identity-required': 'no identity: sign in with the company account or name the user',
} as const;

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
      // The code is checked before the identity and used only once the identity holds: a
      // refused name does not use up a code.
      const codeStatus = await codeStatusByHash(deps.db, codeHash, now);
      const code = codeStatus === 'active' ? await codeIdentityByHash(deps.db, codeHash) : null;
      if (!code) throw enrollmentCodeRefusal(codeStatus);
      const identity = await enrollmentIdentity(deps, body, code, now);
      const codeId = await consumeEnrollmentCode(deps.db, codeHash, now);
      if (!codeId) throw enrollmentCodeRefusal(await codeStatusByHash(deps.db, codeHash, now));
      const deviceId = uuidv7(now.getTime());
      const deviceToken = randomToken(32);
      await createDevice(deps.db, {
        id: deviceId,
        tokenHash: sha256Hex(deviceToken),
        identity,
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
          identity: {
            userId: identity.userId,
            department: identity.department,
            displayName: identity.displayName,
            source: identity.source,
            verified: identity.verified,
          },
        },
        201,
      );
    },
  );
}
