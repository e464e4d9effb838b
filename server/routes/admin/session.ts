import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps, AppEnv, Limiters } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { createSession, deleteSession, findUserForLogin, type User } from '../../db/repositories/users';
import { SESSION_COOKIE } from '../../lib/admin-auth';
import { clientIp } from '../../lib/client-ip';
import { ApiFailure } from '../../lib/errors';
import { dummyPasswordHash, randomToken, sha256Hex, verifyPassword } from '../../lib/secrets';
import { validate } from '../../lib/validate';

const loginSchema = z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(1000) }).strict();

const publicUser = (user: User) => ({ username: user.username, role: user.role, displayName: user.displayName });

/** POST /login: the only admin route without a session. */
export function loginRoutes(deps: AppDeps, limiters: Limiters) {
  return new Hono<AppEnv>().post('/login', validate('json', loginSchema), async (c) => {
    const { username, password } = c.req.valid('json');
    const limitKey = `${clientIp(c)}|${username.toLowerCase()}`;
    limiters.login.check(limitKey);
    const found = await findUserForLogin(deps.db, username);
    // Verify against a dummy hash when the user is unknown: same time either way.
    const valid = await verifyPassword(password, found?.passwordHash ?? (await dummyPasswordHash()));
    const now = deps.clock();
    if (!found || !valid) {
      await recordAudit(deps.db, { actor: username.slice(0, 100), action: 'login-failed', now });
      throw new ApiFailure(401, 'bad-credentials', 'wrong username or password');
    }
    limiters.login.reset(limitKey);
    const sessionId = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = new Date(now.getTime() + deps.config.sessionHours * 3_600_000);
    await createSession(deps.db, { idHash: sha256Hex(sessionId), userId: found.user.id, csrfToken, now, expiresAt });
    await recordAudit(deps.db, { actor: found.user.username, action: 'login', now });
    setCookie(c, SESSION_COOKIE, sessionId, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: deps.config.sessionHours * 3600,
      // Secure only when served over HTTPS (a loopback http:// install must still work).
      secure: new URL(c.req.url).protocol === 'https:',
    });
    return c.json({ ok: true as const, user: publicUser(found.user), csrfToken });
  });
}

/** POST /logout, GET /me (session required). */
export function sessionRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/logout', async (c) => {
      const admin = c.get('admin');
      await deleteSession(deps.db, admin.sessionHash);
      await recordAudit(deps.db, { actor: admin.user.username, action: 'logout', now: deps.clock() });
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true as const });
    })
    .get('/me', (c) => {
      const admin = c.get('admin');
      return c.json({ ok: true as const, user: publicUser(admin.user), csrfToken: admin.csrfToken });
    });
}
