import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { putSetting } from '../../db/repositories/settings';
import { can } from '../../lib/admin-auth';
import { groupRoleRulesSchema, readIdentitySettings } from '../../lib/identity-settings';
import { validate } from '../../lib/validate';

const identityBody = z.object({ selfDeclared: z.boolean(), groupRoles: groupRoleRulesSchema }).strict();

/** GET /sso (no session: the login page asks whether to offer "sign in with company account"). */
export function ssoStatusRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/sso', (c) => c.json({ ok: true as const, enabled: Boolean(deps.config.oidc) }));
}

/**
 * GET/PUT /settings/identity (IT administrator, audited): the self-declared mode and the
 * directory group → console role table. The provider itself (issuer, client, claims) comes
 * from the environment: its secret stays out of the database and its backups.
 */
export function identitySettingsRoutes(deps: AppDeps) {
  const oidcInfo = () => {
    const oidc = deps.config.oidc;
    return oidc
      ? {
          configured: true as const,
          issuer: oidc.issuer,
          clientId: oidc.clientId,
          redirectUrl: oidc.redirectUrl ?? null,
          claims: oidc.claims,
        }
      : { configured: false as const };
  };
  return new Hono<AppEnv>()
    .get('/settings/identity', can('settings:write'), async (c) =>
      c.json({ ok: true as const, ...(await readIdentitySettings(deps.db)), oidc: oidcInfo() }),
    )
    .put('/settings/identity', can('settings:write'), validate('json', identityBody), async (c) => {
      const body = c.req.valid('json');
      const actor = c.get('admin').user.username;
      const now = deps.clock();
      const before = await readIdentitySettings(deps.db);
      await putSetting(deps.db, 'identity-self-declared', body.selfDeclared ? 'on' : '', actor, now);
      await putSetting(deps.db, 'sso-group-roles', body.groupRoles.length ? JSON.stringify(body.groupRoles) : '', actor, now);
      await recordAudit(deps.db, {
        actor,
        action: 'identity-settings',
        target: 'settings identity',
        detail: { from: before, to: body },
        now,
      });
      return c.json({ ok: true as const, ...body, oidc: oidcInfo() });
    });
}
