/**
 * Admin console sessions and roles. Cookie `baomi_session` holds a random id; the DB
 * keeps its SHA-256. Every non-GET request also needs `X-CSRF-Token` = the session's token.
 */
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import type { AppDeps, AppEnv } from '../context';
import { findSession } from '../db/repositories/users';
import { hasPermission, type Permission } from '../../utils/api/permissions';
import { forbidden, unauthorized } from './errors';
import { sha256Hex } from './secrets';
import { timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'baomi_session';

/** What a user who must change their password may still call (under /api/admin). */
const PASSWORD_CHANGE_PATHS = new Set(['/me', '/logout', '/password']);

export { hasPermission, PERMISSIONS, type Permission } from '../../utils/api/permissions';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function requireSession(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie || cookie.length > 200) throw unauthorized('login required');
    const sessionHash = sha256Hex(cookie);
    const session = await findSession(deps.db, sessionHash, deps.clock());
    if (!session) throw unauthorized('session expired or unknown; log in again');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const token = c.req.header('X-CSRF-Token') ?? '';
      if (!sameToken(token, session.csrfToken)) throw forbidden('missing or wrong X-CSRF-Token header', 'csrf');
    }
    // A one-time password (admin reset, generated first password) opens only the way to change it.
    if (session.user.mustChangePassword && !PASSWORD_CHANGE_PATHS.has(c.req.path.replace(/^\/api\/admin/, ''))) {
      throw forbidden('change your password first', 'password-change-required');
    }
    c.set('admin', { ...session, sessionHash });
    await next();
  });
}

export function can(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!hasPermission(c.get('admin').user.role, permission)) throw forbidden();
    await next();
  });
}
