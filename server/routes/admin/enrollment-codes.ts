import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { createEnrollmentCode, findCodeById, listEnrollmentCodes, revokeEnrollmentCode } from '../../db/repositories/enrollment-codes';
import { can } from '../../lib/admin-auth';
import { codeHint, codeTarget, DEFAULT_CODE_DAYS, DEFAULT_CODE_MAX_USES, normalizeCode } from '../../lib/enrollment';
import { formatEnrollmentCode } from '../../../utils/api/enrollment-code';
import { badRequest, notFound } from '../../lib/errors';
import { CODE_KINDS } from '../../lib/identity';
import { looksLikePhoneNumber } from '../../lib/raw-number';
import { randomEnrollmentCode, sha256Hex } from '../../lib/secrets';
import { validate } from '../../lib/validate';

const createSchema = z
  .object({
    label: z.string().trim().max(200).optional(),
    /** Omitted: DEFAULT_CODE_MAX_USES; null: no limit (the admin says so). */
    maxUses: z.number().int().min(1).max(100_000).nullable().optional(),
    /** Omitted: DEFAULT_CODE_DAYS; null: never expires. */
    expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
    /** Omitted: 'general' (identity from the company login); see server/lib/identity.ts. */
    kind: z.enum(CODE_KINDS).optional(),
    /** A personal code: the person it is issued to (required then, refused otherwise). */
    issuedTo: z
      .object({ userId: z.string().trim().min(1).max(200), department: z.string().trim().max(200).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((body) => (body.kind === 'personal') === Boolean(body.issuedTo), {
    path: ['issuedTo'],
    message: 'a personal code names the person it is issued to; other codes name nobody',
  });

/**
 * Codes are stored hashed: the plain code is in the POST answer only (show it once,
 * like a password). A lost code is revoked and replaced, never re-read.
 */
export function enrollmentCodeRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/enrollment-codes', can('codes:read'), async (c) =>
      c.json({ ok: true as const, items: await listEnrollmentCodes(deps.db, deps.clock()) }),
    )
    .post('/enrollment-codes', can('codes:write'), validate('json', createSchema), async (c) => {
      const body = c.req.valid('json');
      const now = deps.clock();
      const code = randomEnrollmentCode();
      const days = body.expiresInDays === undefined ? DEFAULT_CODE_DAYS : body.expiresInDays;
      const maxUses = body.maxUses === undefined ? DEFAULT_CODE_MAX_USES : body.maxUses;
      const expiresAt = days === null ? null : new Date(now.getTime() + days * 86_400_000);
      const hint = codeHint(code);
      const actor = c.get('admin').user.username;
      for (const [path, value] of [
        ['issuedTo.userId', body.issuedTo?.userId],
        ['issuedTo.department', body.issuedTo?.department],
      ] as const) {
        if (value && looksLikePhoneNumber(value))
          throw badRequest('invalid body', [{ path, message: 'must not contain a phone number', code: 'raw-number' }]);
      }
      const issuedTo = body.issuedTo ? { userId: body.issuedTo.userId, department: body.issuedTo.department || null } : null;
      const id = await createEnrollmentCode(deps.db, {
        kind: body.kind ?? 'general',
        issuedTo,
        codeHash: sha256Hex(normalizeCode(code)),
        hint,
        label: body.label ?? null,
        maxUses,
        expiresAt,
        createdBy: actor,
        now,
      });
      await recordAudit(deps.db, {
        actor,
        action: 'enrollment-code-create',
        target: codeTarget(hint, body.label ?? null),
        detail: { maxUses, expiresAt, kind: body.kind ?? 'general', issuedTo: issuedTo?.userId ?? null },
        now,
      });
      return c.json(
        // Handed out with the server key's fingerprint, which pins the key in the extension.
        {
          ok: true as const,
          id,
          code: formatEnrollmentCode(code, deps.keys.keyId),
          label: body.label ?? null,
          maxUses,
          expiresAt: expiresAt?.toISOString() ?? null,
          kind: body.kind ?? 'general',
          issuedTo,
        },
        201,
      );
    })
    .delete('/enrollment-codes/:id', can('codes:write'), validate('param', z.object({ id: z.string().max(64) })), async (c) => {
      const { id } = c.req.valid('param');
      const now = deps.clock();
      const found = await findCodeById(deps.db, id);
      if (!found || !(await revokeEnrollmentCode(deps.db, id, now))) throw notFound('no such active enrollment code');
      await recordAudit(deps.db, {
        actor: c.get('admin').user.username,
        action: 'enrollment-code-revoke',
        target: codeTarget(found.code_hint, found.label),
        now,
      });
      return c.json({ ok: true as const });
    });
}
