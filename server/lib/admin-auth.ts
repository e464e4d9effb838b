/**
 * Admin console sessions and roles. Cookie `baomi_session` holds a random id; the DB
 * keeps its SHA-256. Every non-GET request also needs `X-CSRF-Token` = the session's token.
 */
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import type { AppDeps, AppEnv } from '../context';
import { findSession, type Role } from '../db/repositories/users';
import { forbidden, unauthorized } from './errors';
import { sha256Hex } from './secrets';
import { timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'baomi_session';

export const PERMISSIONS = {
  'policy:read': ['it-admin', 'info-officer', 'auditor'],
  'policy:write': ['it-admin', 'info-officer'],
  'events:read': ['it-admin', 'info-officer', 'auditor'],
  'overrides:read': ['it-admin', 'info-officer', 'approver'],
  'overrides:decide': ['it-admin', 'info-officer', 'approver'],
  'devices:read': ['it-admin', 'info-officer', 'auditor'],
  'codes:read': ['it-admin', 'info-officer'],
  'codes:write': ['it-admin', 'info-officer'],
  'devices:revoke': ['it-admin', 'info-officer'],
  'reports:read': ['it-admin', 'info-officer', 'auditor'],
  /** Export (CSV): the domain policy gives information officers all rights except import/export. */
  'reports:export': ['it-admin', 'auditor'],
  'audit:read': ['it-admin', 'info-officer', 'auditor'],
  'users:manage': ['it-admin'],
  /** Customer register (issue 15): import is the domain policy's import/export right. */
  'register:import': ['it-admin'],
  'register:read': ['it-admin', 'info-officer', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

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
