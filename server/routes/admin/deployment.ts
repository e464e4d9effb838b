/**
 * The console's 部署 / Deployment page: what staff browsers install (the extension id, the
 * published versions, the URLs) and the policy files that install it, filled with an
 * enrollment code the admin chose. Codes are stored hashed, so the admin gives the code (one
 * created just now, or one they hold); it must be active, or the files would enroll nobody.
 * The policy files carry the code: they are made on request (POST, never logged in a URL).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { codeStatusByHash, listEnrollmentCodes } from '../../db/repositories/enrollment-codes';
import { createReleaseReader } from '../../extension/release-store';
import { deploymentUrls } from '../../extension/update-manifest';
import { can } from '../../lib/admin-auth';
import { DEFAULT_LOCKDOWN, policyFiles, RECOMMENDED_SETTINGS } from '../../lib/deployment/policy-files';
import { enrollmentCodeRefusal, normalizeCode } from '../../lib/enrollment';
import { ApiFailure } from '../../lib/errors';
import { publicBaseUrl } from '../../lib/public-url';
import { sha256Hex } from '../../lib/secrets';
import { validate } from '../../lib/validate';
import { formatEnrollmentCode, parseEnrollmentCode } from '../../../utils/api/enrollment-code';

const filesSchema = z
  .object({
    enrollmentCode: z.string().trim().min(8).max(200),
    lockdown: z
      .object({
        incognitoOff: z.boolean(),
        guestOff: z.boolean(),
        developerTools: z.enum(['except-extensions', 'blocked', 'allowed']),
      })
      .strict()
      .default(DEFAULT_LOCKDOWN),
  })
  .strict();

export function adminDeploymentRoutes(deps: AppDeps) {
  const releases = createReleaseReader(deps.config.dataDir);
  return new Hono<AppEnv>()
    .get('/deployment', can('deployment:manage'), async (c) => {
      const baseUrl = publicBaseUrl(c, deps.config);
      const index = releases();
      const codes = (await listEnrollmentCodes(deps.db, deps.clock())).filter((code) => code.status === 'active');
      return c.json({
        ok: true as const,
        extensionId: deps.keys.extension.id,
        serverUrl: baseUrl,
        /** False: the URLs below are the address this console was opened at (BAOMI_PUBLIC_URL unset). */
        publicUrlConfigured: Boolean(deps.config.publicUrl),
        urls: deploymentUrls(baseUrl),
        releases: (index?.releases ?? []).map((release) => ({
          version: release.version,
          publishedAt: release.publishedAt,
          chromeBytes: release.chrome.size,
          firefoxBytes: release.firefox?.size ?? null,
        })),
        activeCodes: codes.map(({ id, hint, label, expiresAt, uses, maxUses }) => ({ id, hint, label, expiresAt, uses, maxUses })),
        defaultLockdown: DEFAULT_LOCKDOWN,
        settings: RECOMMENDED_SETTINGS,
      });
    })
    .post('/deployment/policy-files', can('deployment:manage'), validate('json', filesSchema), async (c) => {
      const body = c.req.valid('json');
      const parsed = parseEnrollmentCode(body.enrollmentCode);
      if (parsed.keyId && parsed.keyId !== deps.keys.keyId) {
        throw new ApiFailure(400, 'enrollment-code-other-server', 'the code carries another server key fingerprint');
      }
      const status = await codeStatusByHash(deps.db, sha256Hex(normalizeCode(body.enrollmentCode)), deps.clock());
      if (status !== 'active') throw enrollmentCodeRefusal(status);
      const baseUrl = publicBaseUrl(c, deps.config);
      const urls = deploymentUrls(baseUrl);
      const files = policyFiles({
        serverUrl: baseUrl,
        extensionId: deps.keys.extension.id,
        chromeUpdateUrl: urls.chromeUpdateUrl,
        firefoxInstallUrl: urls.firefoxInstallUrl,
        // Always with the fingerprint: it pins the server key on every machine.
        enrollmentCode: formatEnrollmentCode(normalizeCode(body.enrollmentCode), deps.keys.keyId),
        lockdown: body.lockdown,
      });
      return c.json({ ok: true as const, files });
    });
}
