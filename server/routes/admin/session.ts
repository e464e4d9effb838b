import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps, AppEnv, Limiters } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { createSession, deleteSession, findUserForLogin, type User } from '../../db/repositories/users';
import { SESSION_COOKIE } from '../../lib/admin-auth';
import { clientIp, viaHttps } from '../../lib/client-ip';
import { ApiFailure } from '../../lib/errors';
import { findKnownLogin, rememberLogin } from '../../db/repositories/known-logins';
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure, throttleKeys } from '../../lib/login-throttle';
import { dummyPasswordHash, randomToken, sha256Hex, verifyPassword } from '../../lib/secrets';
import { validate } from '../../lib/validate';

const loginSchema = z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(1000) }).strict();

/** A browser that logged in before carries this cookie; it keeps its own login throttle (lib/login-throttle.ts). */
export const KNOWN_LOGIN_COOKIE = 'baomi_known';
const KNOWN_LOGIN_DAYS = 90;

const publicUser = (user: User) => ({
  username: user.username,
  role: user.role,
  displayName: user.displayName,
  mustChangePassword: user.mustChangePassword,
});

/**
 * Cookies are Secure when the console is reached over HTTPS: BAOMI_PUBLIC_URL says https,
 * the server itself got https, or a trusted proxy says so (X-Forwarded-Proto). A loopback
 * http:// install must still work, so it is not Secure by default.
 */
export function secureCookies(c: Context<AppEnv>, deps: AppDeps): boolean {
  if (deps.config.publicUrl?.startsWith('https:')) return true;
  return viaHttps(c, deps.config.trustedProxies);
}

/** POST /login: the only admin route without a session. */
export function loginRoutes(deps: AppDeps, _limiters: Limiters) {
  return new Hono<AppEnv>().post('/login', validate('json', loginSchema), async (c) => {
    const { username, password } = c.req.valid('json');
    const now = deps.clock();
    const settings = deps.config.rateLimits ? deps.config.rateLimits.login : null;
    const knownCookie = getCookie(c, KNOWN_LOGIN_COOKIE);
    const known = knownCookie && knownCookie.length <= 200 ? await findKnownLogin(deps.db, sha256Hex(knownCookie), username, now) : null;
    const keys = throttleKeys(username, clientIp(c, deps.config.trustedProxies), known);
    if (settings) await checkLoginAllowed(deps.db, keys, settings, now);
    const found = await findUserForLogin(deps.db, username);
    // Verify against a dummy hash when the user is unknown: same time either way.
    const valid = await verifyPassword(password, found?.passwordHash ?? (await dummyPasswordHash()));
    if (!found || !valid) {
      if (settings) await recordLoginFailure(deps.db, keys, settings, now);
      await recordAudit(deps.db, { actor: username.slice(0, 100), action: 'login-failed', now });
      throw new ApiFailure(401, 'bad-credentials', 'wrong username or password');
    }
    if (settings) await clearLoginFailures(deps.db, keys);
    // Said only to whoever knows the password: a disabled account is no secret from its owner.
    if (found.user.disabledAt) {
      await recordAudit(deps.db, { actor: found.user.username, action: 'login-disabled', now });
      throw new ApiFailure(403, 'account-disabled', 'this account is disabled');
    }
    const sessionId = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = new Date(now.getTime() + deps.config.sessionHours * 3_600_000);
    await createSession(deps.db, { idHash: sha256Hex(sessionId), userId: found.user.id, csrfToken, now, expiresAt });
    await recordAudit(deps.db, { actor: found.user.username, action: 'login', now });
    const secure = secureCookies(c, deps);
    setCookie(c, SESSION_COOKIE, sessionId, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: deps.config.sessionHours * 3600,
      secure,
    });
    // This browser is now known for this user: strangers' failed guesses never slow it down.
    const knownToken = randomToken(32);
    await rememberLogin(deps.db, {
      tokenHash: sha256Hex(knownToken),
      userId: found.user.id,
      now,
      expiresAt: new Date(now.getTime() + KNOWN_LOGIN_DAYS * 86_400_000),
    });
    setCookie(c, KNOWN_LOGIN_COOKIE, knownToken, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/admin/login',
      maxAge: KNOWN_LOGIN_DAYS * 86_400,
      secure,
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
