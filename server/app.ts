/**
 * Builds the Hono app from its dependencies: one route file per resource, mounted
 * under /api/v1 (devices) and /api/admin (console), and the console itself at /admin.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { join } from 'node:path';
import { KB, type AppDeps, type AppEnv, type Limiters } from './context';
import { errorJson, handleError } from './lib/errors';
import { makeLimiter } from './lib/rate-limit';
import { deviceAuth } from './lib/device-auth';
import { requireSession } from './lib/admin-auth';
import { createSignedPolicyCache } from './lib/signed-policy';
import { keysRoutes } from './routes/device/keys';
import { enrollRoutes } from './routes/device/enroll';
import { policyRoutes } from './routes/device/policy';
import { eventsRoutes } from './routes/device/events';
import { deviceOverrideRoutes } from './routes/device/overrides';
import { heartbeatRoutes } from './routes/device/heartbeat';
import { loginRoutes, sessionRoutes } from './routes/admin/session';
import { adminPolicyRoutes } from './routes/admin/policy';
import { adminEventsRoutes } from './routes/admin/events';
import { adminOverrideRoutes } from './routes/admin/overrides';
import { adminDeviceRoutes } from './routes/admin/devices';
import { enrollmentCodeRoutes } from './routes/admin/enrollment-codes';
import { reportRoutes } from './routes/admin/reports';
import { auditLogRoutes } from './routes/admin/audit-log';
import { userRoutes } from './routes/admin/users';
import { accountRoutes } from './routes/admin/account';
import { consoleRoutes } from './static-console';
import { identitySettingsRoutes, ssoStatusRoutes } from './routes/admin/identity';
import { oidcRoutes } from './routes/oidc';
import { createOidcClient } from './lib/oidc-client';
import { deviceIncidentRoutes } from './routes/device/incidents';
import { adminIncidentRoutes } from './routes/admin/incidents';
import { adminOverviewRoutes } from './routes/admin/overview';
import { adminSettingsRoutes } from './routes/admin/settings';
import { customerRegisterRoutes } from './routes/admin/customer-register';
import { deviceRegisterRoutes } from './routes/device/customer-register';
import { adminAlertRoutes } from './routes/admin/alerts';
import { extensionRoutes } from './routes/extension';
import { adminDeploymentRoutes } from './routes/admin/deployment';

export const DEFAULT_CONSOLE_DIR = join(import.meta.dirname, 'console', 'dist');

export function createLimiters(deps: AppDeps): Limiters {
  const limits = deps.config.rateLimits;
  const now = () => deps.clock().getTime();
  return {
    device: makeLimiter(limits ? limits.device : undefined, now),
    enroll: makeLimiter(limits ? limits.enroll : undefined, now),
  };
}

export function createDeviceApi(deps: AppDeps, limiters: Limiters) {
  const signedPolicies = createSignedPolicyCache(deps.db, deps.keys);
  const auth = deviceAuth(deps, limiters);
  const api = new Hono<AppEnv>();
  // /events has its own 1 MB limit; everything else 64 KB.
  api.use('*', async (c, next) => (c.req.path.endsWith('/events') ? next() : bodyLimit({ maxSize: 64 * KB })(c, next)));
  api.route('/', keysRoutes(deps));
  api.route('/', enrollRoutes(deps, limiters));
  api.use('/policy', auth);
  api.use('/events', auth);
  api.use('/overrides', auth);
  api.use('/overrides/*', auth);
  api.use('/heartbeat', auth);
  api.use('/customer-register', auth);
  api.route('/', policyRoutes(deps, signedPolicies));
  api.route('/', eventsRoutes(deps));
  api.route('/', deviceOverrideRoutes(deps));
  api.route('/', heartbeatRoutes(deps));
  api.route('/', deviceIncidentRoutes(deps, limiters));
  api.route('/', deviceRegisterRoutes(deps));
  return api;
}

/**
 * The console's API, built as one chain so its type (`AdminApi`) carries every route's
 * input and answer: the console's client (`hc<AdminApi>`) is typed from it.
 */
export function createAdminApi(deps: AppDeps, limiters: Limiters) {
  return (
    new Hono<AppEnv>()
      // The register import carries a file: its route sets its own limit.
      .use('*', async (c, next) => (c.req.path.includes('/customer-register') ? next() : bodyLimit({ maxSize: 64 * KB })(c, next)))
      .route('/', loginRoutes(deps, limiters))
      .route('/', ssoStatusRoutes(deps))
      // Everything registered after this line needs a session (and CSRF for non-GET).
      .use('*', requireSession(deps))
      .route('/', sessionRoutes(deps))
      .route('/', adminPolicyRoutes(deps))
      .route('/', adminEventsRoutes(deps))
      .route('/', adminOverrideRoutes(deps))
      .route('/', adminDeviceRoutes(deps))
      .route('/', enrollmentCodeRoutes(deps))
      .route('/', reportRoutes(deps))
      .route('/', auditLogRoutes(deps))
      .route('/', userRoutes(deps))
      .route('/', accountRoutes(deps))
      .route('/', adminIncidentRoutes(deps))
      .route('/', adminOverviewRoutes(deps))
      .route('/', adminSettingsRoutes(deps))
      .route('/', customerRegisterRoutes(deps))
      .route('/', adminDeploymentRoutes(deps))
      .route('/', adminAlertRoutes(deps))
      .route('/', identitySettingsRoutes(deps))
  );
}
export type AdminApi = ReturnType<typeof createAdminApi>;

/**
 * Content-Security-Policy of every answer. The console is one script and one stylesheet
 * from /admin/assets (Vite build, no inline script or style), talking to /api on the same
 * origin: nothing else may load, run, frame it or be framed. A stored-XSS payload that
 * slipped past escaping could then neither run inline nor reach another origin.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
};

export function createApp(deps: AppDeps) {
  const limiters = createLimiters(deps);
  const app = new Hono<AppEnv>();
  app.use('*', secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY }));
  app.route('/api/v1', createDeviceApi(deps, limiters));
  app.route('/api/admin', createAdminApi(deps, limiters));
  // The packages browsers install and update from (no login: a browser has no session).
  app.route('/', extensionRoutes(deps));
  app.route('/oidc', oidcRoutes(deps, deps.config.oidc ? createOidcClient(deps.config.oidc) : null));
  app.route('/', consoleRoutes(deps.consoleDir ?? DEFAULT_CONSOLE_DIR));
  app.get('/', (c) => c.redirect('/admin/'));
  app.get('/healthz', (c) => c.json({ ok: true as const }));
  app.notFound((c) => errorJson(c, 404, 'not-found', `no route ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}
export type App = ReturnType<typeof createApp>;
