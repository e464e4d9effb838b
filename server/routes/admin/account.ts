/**
 * The signed-in user's own account: POST /password. Open even while the user must change
 * a one-time password (lib/admin-auth.ts lets /me, /logout and /password through).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { endSessionsOfUser, findUserById, setPassword } from '../../db/repositories/users';
import { ApiFailure, unauthorized } from '../../lib/errors';
import { assertStrongPassword } from '../../lib/password-policy';
import { hashPassword, verifyPassword } from '../../lib/secrets';
import { validate } from '../../lib/validate';
import { clientIp } from '../../lib/client-ip';
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure, throttleKeys } from '../../lib/login-throttle';

const changeSchema = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().min(1).max(1000) }).strict();

export function accountRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/password', validate('json', changeSchema), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const admin = c.get('admin');
    const now = deps.clock();
    const found = await findUserById(deps.db, admin.user.id);
    if (!found) throw unauthorized('session user no longer exists');
    // Guesses of the current password through a stolen session slow down like login guesses (own counter).
    const settings = deps.config.rateLimits ? deps.config.rateLimits.login : null;
    const keys = throttleKeys(`password-change:${admin.user.username}`, clientIp(c, deps.config.trustedProxies), null);
    if (settings) await checkLoginAllowed(deps.db, keys, settings, now);
    // The current password again: a session left open on a shared PC must not take the account over.
    if (!(await verifyPassword(currentPassword, found.passwordHash))) {
      if (settings) await recordLoginFailure(deps.db, keys, settings, now);
      await recordAudit(deps.db, {
        actor: admin.user.username,
        action: 'password-change-failed',
        target: `user ${admin.user.username}`,
        now,
      });
      throw new ApiFailure(403, 'wrong-current-password', 'the current password is wrong', [
        { path: 'currentPassword', message: 'wrong password' },
      ]);
    }
    if (await verifyPassword(newPassword, found.passwordHash)) {
      throw new ApiFailure(400, 'password-unchanged', 'the new password must differ from the current one', [
        { path: 'newPassword', message: 'same as the current password' },
      ]);
    }
    if (settings) await clearLoginFailures(deps.db, keys);
    assertStrongPassword(newPassword, [admin.user.username, admin.user.displayName], 'newPassword');
    await setPassword(deps.db, { userId: admin.user.id, passwordHash: await hashPassword(newPassword), mustChange: false, now });
    // Whoever else holds a session of this account (another PC, a thief) is out now.
    const ended = await endSessionsOfUser(deps.db, admin.user.id, admin.sessionHash);
    await recordAudit(deps.db, {
      actor: admin.user.username,
      action: 'password-change',
      target: `user ${admin.user.username}`,
      detail: { otherSessionsEnded: ended },
      now,
    });
    return c.json({ ok: true as const, otherSessionsEnded: ended });
  });
}
