/**
 * Server configuration from the environment, parsed once with zod. Invalid values
 * are reported together with the variable name (main.ts prints them and exits 1).
 */
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const envSchema = z.object({
  BAOMI_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8787)),
  BAOMI_HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
  BAOMI_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default('data')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^postgres(ql)?:\/\//, 'expected postgres://user:password@host:port/database').optional(),
  ),
  BAOMI_ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(10, 'must be at least 10 characters').optional()),
  BAOMI_ENROLLMENT_CODE: z.preprocess(
    emptyAsUndefined,
    z.string().trim().min(8, 'must be at least 8 characters').max(128).optional(),
  ),
  /** Offset of the company's clock, for calendar months in reports (China: +08:00, no DST). */
  BAOMI_REPORT_UTC_OFFSET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'expected an offset like +08:00')
      .default('+08:00'),
  ),
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

export interface RateLimitSettings {
  /** Per device token (or per IP when there is no token) on /api/v1. */
  device: BucketSettings;
  /** Per IP on POST /api/v1/enroll. */
  enroll: BucketSettings;
  /** Per IP + username on POST /api/admin/login. */
  login: BucketSettings;
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
  /** Session lifetime of the admin console. */
  sessionHours: number;
  /** Minutes east of UTC of the company's calendar (reports' month boundaries). */
  reportUtcOffsetMinutes: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  device: { capacity: 120, refillPerSecond: 10 },
  enroll: { capacity: 10, refillPerSecond: 10 / 60 },
  login: { capacity: 5, refillPerSecond: 1 / 60 },
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
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })),
    );
  }
  const e = parsed.data;
  return {
    port: e.BAOMI_PORT,
    host: e.BAOMI_HOST,
    dataDir: e.BAOMI_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.BAOMI_ADMIN_PASSWORD,
    enrollmentCode: e.BAOMI_ENROLLMENT_CODE,
    rateLimits: DEFAULT_RATE_LIMITS,
    sessionHours: 12,
    reportUtcOffsetMinutes: offsetMinutes(e.BAOMI_REPORT_UTC_OFFSET),
  };
}
