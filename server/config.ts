/**
 * Server configuration from the environment, parsed once with zod. Invalid values
 * are reported together with the variable name (main.ts prints them and exits 1).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { passwordMessage, passwordProblem } from './lib/password-policy';
import type { ClaimNames } from './lib/identity';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const envSchema = z.object({
  BAOMI_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8787)),
  BAOMI_HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
  BAOMI_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default('data')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected postgres://user:password@host:port/database')
      .optional(),
  ),
  BAOMI_ADMIN_PASSWORD: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(10, 'must be at least 10 characters')
      .superRefine((password, ctx) => {
        const problem = passwordProblem(password, ['admin']);
        if (problem) ctx.addIssue({ code: 'custom', message: passwordMessage(problem) });
      })
      .optional(),
  ),
  BAOMI_ENROLLMENT_CODE: z.preprocess(emptyAsUndefined, z.string().trim().min(8, 'must be at least 8 characters').max(128).optional()),
  /**
   * Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated
   * IP addresses (e.g. 127.0.0.1,::1). Unset: no header is believed, the client is the peer.
   */
  BAOMI_TRUSTED_PROXIES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      )
      .refine((list) => list.every((ip) => isIP(ip) !== 0), 'expected comma-separated IP addresses, e.g. 127.0.0.1,::1')
      .optional(),
  ),
  /** Public URL of the console (https://… behind TLS): session cookies are then Secure. */
  BAOMI_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.string().url('expected a URL such as https://baomi.corp.example.com').optional()),
  /** Offset of the company's clock, for calendar months in reports (China: +08:00, no DST). */
  BAOMI_REPORT_UTC_OFFSET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'expected an offset like +08:00')
      .default('+08:00'),
  ),
  /**
   * The company's OpenID Connect provider (Entra ID, Keycloak, ADFS…): enrollment through a
   * login and the console's SSO. Unset: neither is offered (server/lib/oidc-config.ts).
   */
  BAOMI_OIDC_ISSUER: z.preprocess(
    emptyAsUndefined,
    z.string().url('expected the issuer URL, e.g. https://login.corp.example.com/realms/staff').optional(),
  ),
  BAOMI_OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().trim().min(1).max(300).optional()),
  BAOMI_OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().min(1).max(2000).optional()),
  BAOMI_OIDC_SCOPES: z.preprocess(emptyAsUndefined, z.string().trim().min(1).default('openid profile email')),
  BAOMI_OIDC_USER_CLAIM: z.preprocess(emptyAsUndefined, z.string().trim().min(1).default('preferred_username')),
  BAOMI_OIDC_NAME_CLAIM: z.preprocess(emptyAsUndefined, z.string().trim().min(1).default('name')),
  BAOMI_OIDC_DEPARTMENT_CLAIM: z.preprocess(emptyAsUndefined, z.string().trim().min(1).default('department')),
  BAOMI_OIDC_GROUPS_CLAIM: z.preprocess(emptyAsUndefined, z.string().trim().min(1).default('groups')),
  /** The callback registered at the provider; default `<BAOMI_PUBLIC_URL>/oidc/callback`. */
  BAOMI_OIDC_REDIRECT_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
});

/** "+08:00" → 480 minutes. */
export function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number) as [number, number];
  return sign * (hours * 60 + minutes);
}

/** A token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface BucketSettings {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Failed logins, counted in the database (shared by every process; server/lib/login-throttle.ts).
 * Per account and source (a browser that logged in as that user before, else the client IP):
 * after `freeFailures`, each further failure waits `baseDelaySeconds` × 2^n, at most
 * `maxDelaySeconds`. Per IP (all accounts): `ipFailures` within `ipWindowSeconds`. Per
 * account from every unknown source together: `accountFailures` within `accountWindowSeconds`.
 */
export interface LoginThrottleSettings {
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  ipFailures: number;
  ipWindowSeconds: number;
  /** Failures per account from all sources that are not a known browser, within `accountWindowSeconds`. */
  accountFailures: number;
  accountWindowSeconds: number;
  /** An account's failures are forgotten this long after the last one. */
  forgetAfterSeconds: number;
}

export interface RateLimitSettings {
  /** Per device token (or per IP when there is no token) on /api/v1. */
  device: BucketSettings;
  /** Per IP on POST /api/v1/enroll. */
  enroll: BucketSettings;
  /** POST /api/admin/login. */
  login: LoginThrottleSettings;
}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  adminPassword?: string;
  enrollmentCode?: string;
  /** `false` switches rate limiting off (benchmarks). */
  rateLimits: RateLimitSettings | false;
  /** Peers whose X-Forwarded-For / -Proto are believed (exact addresses). */
  trustedProxies: string[];
  /** BAOMI_PUBLIC_URL, when set. */
  publicUrl?: string;
  /** Session lifetime of the admin console. */
  sessionHours: number;
  /** Minutes east of UTC of the company's calendar (reports' month boundaries). */
  reportUtcOffsetMinutes: number;
  /** The identity provider; undefined when none is configured. */
  oidc?: OidcConfig;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE alone). */
  clientSecret?: string;
  scopes: string;
  claims: ClaimNames;
  /** Absent: `<BAOMI_PUBLIC_URL>/oidc/callback`, else the origin the login was started from. */
  redirectUrl?: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  device: { capacity: 120, refillPerSecond: 10 },
  enroll: { capacity: 10, refillPerSecond: 10 / 60 },
  login: {
    freeFailures: 5,
    baseDelaySeconds: 2,
    maxDelaySeconds: 15 * 60,
    ipFailures: 50,
    ipWindowSeconds: 15 * 60,
    accountFailures: 100,
    accountWindowSeconds: 3600,
    forgetAfterSeconds: 24 * 3600,
  },
};

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })));
  }
  const e = parsed.data;
  if (Boolean(e.BAOMI_OIDC_ISSUER) !== Boolean(e.BAOMI_OIDC_CLIENT_ID)) {
    const missing = e.BAOMI_OIDC_ISSUER ? 'BAOMI_OIDC_CLIENT_ID' : 'BAOMI_OIDC_ISSUER';
    throw new ConfigError([{ variable: missing, message: 'set BAOMI_OIDC_ISSUER and BAOMI_OIDC_CLIENT_ID together (or neither)' }]);
  }
  return {
    port: e.BAOMI_PORT,
    host: e.BAOMI_HOST,
    dataDir: e.BAOMI_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.BAOMI_ADMIN_PASSWORD,
    enrollmentCode: e.BAOMI_ENROLLMENT_CODE,
    rateLimits: DEFAULT_RATE_LIMITS,
    trustedProxies: e.BAOMI_TRUSTED_PROXIES ?? [],
    publicUrl: e.BAOMI_PUBLIC_URL,
    sessionHours: 12,
    reportUtcOffsetMinutes: offsetMinutes(e.BAOMI_REPORT_UTC_OFFSET),
    oidc:
      e.BAOMI_OIDC_ISSUER && e.BAOMI_OIDC_CLIENT_ID
        ? {
            issuer: e.BAOMI_OIDC_ISSUER,
            clientId: e.BAOMI_OIDC_CLIENT_ID,
            clientSecret: e.BAOMI_OIDC_CLIENT_SECRET,
            scopes: e.BAOMI_OIDC_SCOPES,
            claims: {
              user: e.BAOMI_OIDC_USER_CLAIM,
              name: e.BAOMI_OIDC_NAME_CLAIM,
              department: e.BAOMI_OIDC_DEPARTMENT_CLAIM,
              groups: e.BAOMI_OIDC_GROUPS_CLAIM,
            },
            redirectUrl: e.BAOMI_OIDC_REDIRECT_URL ?? (e.BAOMI_PUBLIC_URL ? new URL('/oidc/callback', e.BAOMI_PUBLIC_URL).href : undefined),
          }
        : undefined,
  };
}
