/**
 * Every route × every kind of caller → expected status. Allowed callers get the route's
 * own answer (200/201, or 404 for an id that does not exist): what matters here is
 * that authentication (401), CSRF (403) and role (403) are decided before anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../server/db/repositories/users';
import { DEFAULT_POLICY } from '../../../utils/policy';
import {
  createTestServer,
  enroll,
  login,
  loginAs,
  makeEvent,
  ADMIN_PASSWORD,
  type AdminLogin,
  type EnrolledDevice,
  type TestServer,
} from './helpers';

const ROLES: Role[] = ['it-admin', 'info-officer', 'approver', 'auditor'];
const ALL: Role[] = ROLES;
const READERS: Role[] = ['it-admin', 'info-officer', 'auditor'];
const WRITERS: Role[] = ['it-admin', 'info-officer'];
const DECIDERS: Role[] = ['it-admin', 'info-officer', 'approver'];
const EXPORTERS: Role[] = ['it-admin', 'auditor'];
const ADMINS: Role[] = ['it-admin'];

const MISSING = '00000000-0000-7000-8000-000000000000';
let userCounter = 0;

interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: () => unknown;
  roles: Role[];
  /** Status for an allowed role. */
  ok: number;
}

const adminRoutes: AdminRoute[] = [
  { method: 'GET', path: '/api/admin/me', roles: ALL, ok: 200 },
  { method: 'GET', path: '/api/admin/policy', roles: READERS, ok: 200 },
  { method: 'GET', path: '/api/admin/policy/history', roles: READERS, ok: 200 },
  { method: 'GET', path: '/api/admin/policy/versions/1', roles: READERS, ok: 200 },
  { method: 'POST', path: '/api/admin/policy/validate', body: () => ({ policy: DEFAULT_POLICY }), roles: READERS, ok: 200 },
  { method: 'POST', path: '/api/admin/policy/publish', body: () => ({ policy: DEFAULT_POLICY, note: 'matrix' }), roles: WRITERS, ok: 200 },
  { method: 'POST', path: '/api/admin/policy/rollback', body: () => ({ version: 1 }), roles: WRITERS, ok: 200 },
  { method: 'GET', path: '/api/admin/events?page=1&pageSize=10', roles: READERS, ok: 200 },
  { method: 'GET', path: '/api/admin/events/timeline?bucket=hour', roles: READERS, ok: 200 },
  { method: 'GET', path: '/api/admin/overrides?state=pending', roles: DECIDERS, ok: 200 },
  { method: 'POST', path: `/api/admin/overrides/${MISSING}/approve`, body: () => ({ durationMinutes: 10 }), roles: DECIDERS, ok: 404 },
  { method: 'POST', path: `/api/admin/overrides/${MISSING}/deny`, body: () => ({ reason: 'no' }), roles: DECIDERS, ok: 404 },
  { method: 'POST', path: `/api/admin/overrides/${MISSING}/revoke`, body: () => ({}), roles: DECIDERS, ok: 404 },
  { method: 'GET', path: '/api/admin/devices', roles: READERS, ok: 200 },
  { method: 'POST', path: `/api/admin/devices/${MISSING}/revoke`, roles: WRITERS, ok: 404 },
  { method: 'GET', path: '/api/admin/enrollment-codes', roles: WRITERS, ok: 200 },
  { method: 'POST', path: '/api/admin/enrollment-codes', body: () => ({ label: 'matrix', maxUses: 1 }), roles: WRITERS, ok: 201 },
  { method: 'DELETE', path: `/api/admin/enrollment-codes/${MISSING}`, roles: WRITERS, ok: 404 },
  { method: 'GET', path: '/api/admin/reports/monthly?month=2026-03', roles: READERS, ok: 200 },
  { method: 'GET', path: '/api/admin/reports/monthly.csv?month=2026-03', roles: EXPORTERS, ok: 200 },
  { method: 'GET', path: '/api/admin/events.csv?level=%E6%9C%BA%E5%AF%86', roles: EXPORTERS, ok: 200 },
  { method: 'GET', path: '/api/admin/audit-log?page=1', roles: READERS, ok: 200 },
  { method: 'GET', path: '/api/admin/users', roles: ADMINS, ok: 200 },
  {
    method: 'POST',
    path: '/api/admin/users',
    body: () => ({ username: `matrix-${++userCounter}`, password: 'long-enough-pw', role: 'auditor', displayName: 'M' }),
    roles: ADMINS,
    ok: 201,
  },
  { method: 'GET', path: '/api/admin/alert-channels', roles: ADMINS, ok: 200 },
  {
    method: 'POST',
    path: '/api/admin/alert-channels',
    body: () => ({ kind: 'webhook', name: 'matrix', enabled: false, url: 'http://127.0.0.1:9/hook' }),
    roles: ADMINS,
    ok: 201,
  },
  {
    method: 'PUT',
    path: `/api/admin/alert-channels/${MISSING}`,
    body: () => ({ kind: 'webhook', name: 'matrix', enabled: false }),
    roles: ADMINS,
    ok: 404,
  },
  { method: 'DELETE', path: `/api/admin/alert-channels/${MISSING}`, roles: ADMINS, ok: 404 },
  { method: 'POST', path: `/api/admin/alert-channels/${MISSING}/test`, roles: ADMINS, ok: 404 },
];

describe('authorization matrix', () => {
  let server: TestServer;
  let device: EnrolledDevice;
  const sessions = new Map<Role, AdminLogin>();
  beforeAll(async () => {
    server = await createTestServer();
    device = await enroll(server);
    for (const role of ROLES) sessions.set(role, await loginAs(server, role));
  });
  afterAll(async () => server.cleanup());

  const send = (route: { method: string; path: string; body?: () => unknown }, headers: Record<string, string>) =>
    server.request(route.path, {
      method: route.method,
      headers,
      json: route.body ? route.body() : route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
    });

  describe.each(adminRoutes)('$method $path', (route) => {
    it('no cookie → 401', async () => {
      expect((await send(route, {})).status).toBe(401);
    });
    it('bad cookie → 401', async () => {
      expect((await send(route, { Cookie: 'baomi_session=forged-session-value', 'X-CSRF-Token': 'x' })).status).toBe(401);
    });
    it('device token instead of a session → 401', async () => {
      expect((await send(route, device.auth)).status).toBe(401);
    });
    it.each(ROLES)('role %s', async (role) => {
      const session = sessions.get(role)!;
      const expected = route.roles.includes(role) ? route.ok : 403;
      if (route.method !== 'GET') {
        // Missing or wrong CSRF token → 403 whatever the role.
        expect((await send(route, session.get)).status).toBe(403);
        expect((await send(route, { ...session.get, 'X-CSRF-Token': 'wrong' })).status).toBe(403);
      }
      const res = await send(route, route.method === 'GET' ? session.get : session.write);
      expect(res.status, await res.clone().text()).toBe(expected);
    });
  });

  describe('POST /api/admin/logout', () => {
    it('401 without a session, 403 without CSRF, 200 with it; the session is then gone', async () => {
      expect((await server.request('/api/admin/logout', { method: 'POST' })).status).toBe(401);
      const s = await login(server, 'admin', ADMIN_PASSWORD);
      expect((await server.request('/api/admin/logout', { method: 'POST', headers: s.get })).status).toBe(403);
      expect((await server.request('/api/admin/logout', { method: 'POST', headers: s.write })).status).toBe(200);
      expect((await server.request('/api/admin/me', { headers: s.get })).status).toBe(401);
    });
  });

  const deviceRoutes = [
    { method: 'GET', path: '/api/v1/policy', ok: 200 },
    { method: 'POST', path: '/api/v1/events', body: () => ({ events: [makeEvent(device.deviceId)] }), ok: 200 },
    {
      method: 'POST',
      path: '/api/v1/overrides',
      body: () => ({ reason: 'need it', origin: 'https://crm.example.com', channel: 'copy', durationMinutes: 5, userId: 'u' }),
      ok: 201,
    },
    { method: 'GET', path: `/api/v1/overrides/${MISSING}`, ok: 404 },
    { method: 'POST', path: '/api/v1/heartbeat', body: () => ({ extensionVersion: '1', policyVersion: 1, queueDepth: 0 }), ok: 200 },
  ];

  describe.each(deviceRoutes)('device $method $path', (route) => {
    it('no token → 401', async () => expect((await send(route, {})).status).toBe(401));
    it('bad token → 401', async () =>
      expect((await send(route, { Authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(401));
    it('malformed Authorization → 401', async () => expect((await send(route, { Authorization: 'Basic abc' })).status).toBe(401));
    it('admin session instead of a token → 401', async () => expect((await send(route, sessions.get('it-admin')!.write)).status).toBe(401));
    it('valid token → allowed', async () => expect((await send(route, device.auth)).status).toBe(route.ok));
  });

  it('public routes: GET /keys 200, POST /enroll 400 on an empty body, POST /login 401 on bad credentials', async () => {
    expect((await server.request('/api/v1/keys')).status).toBe(200);
    expect((await server.request('/api/v1/enroll', { method: 'POST', json: {} })).status).toBe(400);
    expect((await server.request('/api/admin/login', { method: 'POST', json: { username: 'admin', password: 'nope' } })).status).toBe(401);
  });
});
