/**
 * The policy: one zod schema shared by the extension (validates what the server sends),
 * the server (validates what an admin saves) and the console (validates live).
 * The content script checks the stored policy with the zod-free twin in policy-check.ts
 * (kept equal to this schema by policy-check.test.ts).
 */
import { z } from 'zod';
import { LEVELS } from '../detect/types';
import {
  ACTIONS,
  CHANNELS,
  DEFAULT_DOWNLOAD_SETTINGS,
  DOWNLOAD_TYPE_PATTERN,
  LANGUAGES,
  ORIGIN_PATTERN,
  ORIGIN_PATTERN_MESSAGE,
  ZONES,
} from './vocabulary';

export { ACTIONS, CHANNELS, LANGUAGES, ZONES, policyLanguage, type Action, type Channel, type Language, type Zone } from './vocabulary';

export const levelSchema = z.enum(LEVELS);
export const channelSchema = z.enum(CHANNELS);
export const actionSchema = z.enum(ACTIONS);
export const zoneSchema = z.enum(ZONES);

const detectorSettingSchema = z.object({ enabled: z.boolean(), level: levelSchema }).strict();

export const detectorSettingsSchema = z
  .object({
    mobile: detectorSettingSchema,
    landline: detectorSettingSchema,
    service: detectorSettingSchema,
    marker: z
      .object({
        enabled: z.boolean(),
        controlledLevel: levelSchema,
        extraTerms: z.array(z.object({ term: z.string().trim().min(2).max(64), level: levelSchema }).strict()).max(100),
      })
      .strict(),
    residentId: detectorSettingSchema,
    bankCard: detectorSettingSchema,
    email: detectorSettingSchema,
  })
  .strict();

/**
 * An origin pattern: `https://crm.example.com`, `https://*.corp.example.com`
 * (any subdomain), `http://127.0.0.1:*` (any port). Scheme is required.
 */
export const originPatternSchema = z.string().trim().max(253).regex(ORIGIN_PATTERN, ORIGIN_PATTERN_MESSAGE);

export const ruleSchema = z
  .object({
    id: z.string().trim().min(1).max(64),
    /** Channels this rule covers. */
    channels: z.array(channelSchema).min(1),
    /** Applies when the data's level is at least this. */
    minLevel: levelSchema,
    source: zoneSchema.default('any'),
    destination: zoneSchema.default('any'),
    action: actionSchema,
    description: z.string().max(500).optional(),
  })
  .strict();
export type Rule = z.infer<typeof ruleSchema>;

export const policySchema = z
  .object({
    schemaVersion: z.literal(1),
    /** Monotonic, assigned by the server at publish; 0 = built-in default. */
    version: z.number().int().min(0),
    name: z.string().trim().min(1).max(200),
    publishedAt: z.string().datetime().optional(),
    /**
     * The language of the notice and popup, whatever the browser's UI language (Chrome
     * installed in English is common in Chinese offices). Absent: zh-CN (policyLanguage).
     */
    language: z.enum(LANGUAGES).optional(),
    internalOrigins: z.array(originPatternSchema).max(500),
    detectors: detectorSettingsSchema,
    /** First matching rule wins when several match with the same strength; the strongest action wins overall. */
    rules: z.array(ruleSchema).max(200),
    /** A selection with this many findings or more counts as a bulk export and is raised to `level`. */
    bulk: z.object({ threshold: z.number().int().min(2).max(100_000), level: levelSchema }).strict(),
    watermark: z
      .object({
        enabled: z.boolean(),
        /** {user} {date} {period} {level} are replaced. */
        text: z.string().min(1).max(200),
        periodDays: z.number().int().min(1).max(3650),
      })
      .strict(),
    /**
     * The on-screen watermark (issue 30): a tiled, low-contrast mark naming who looks at a page
     * at or above `minLevel`. Optional: policies saved before it get the defaults (screen-watermark.ts).
     */
    screenWatermark: z
      .object({
        enabled: z.boolean(),
        minLevel: levelSchema,
        /** {name} {user} {device} {time} {level} are replaced. */
        text: z.string().min(1).max(120),
        opacity: z.number().min(0.03).max(0.3),
        density: z.enum(['low', 'medium', 'high']),
      })
      .strict()
      .optional(),
    overrides: z
      .object({
        allowed: z.boolean(),
        maxDurationMinutes: z
          .number()
          .int()
          .min(1)
          .max(60 * 24 * 30),
        /** No grant opens anything above this level, whatever level it was asked for. */
        maxLevel: levelSchema.optional(),
        /** A reason shorter than this is refused (default 5 characters: override-reason.ts). */
        minReasonLength: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    /** Files leaving as downloads or exports (channel `download`). Optional: policies saved before it get the defaults. */
    downloads: z
      .object({
        /** Largest file whose content is read and scanned; a larger one is decided by provenance. */
        maxScanBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .max(512 * 1024 * 1024),
        /** Most bytes a zipped file (XLSX, DOCX, ZIP) may expand to while it is read; past it, provenance (zip bombs). */
        maxExpandedBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .max(2 * 1024 * 1024 * 1024),
        /** File types (extension, lower case, no dot) held by provenance when the guard cannot read their content. */
        heldTypes: z.array(z.string().regex(DOWNLOAD_TYPE_PATTERN)).max(100),
      })
      .strict()
      .default(DEFAULT_DOWNLOAD_SETTINGS),
    sync: z
      .object({
        /** How often the extension fetches policy and uploads events. chrome.alarms allows ≥ 0.5. */
        intervalMinutes: z
          .number()
          .min(0.5)
          .max(24 * 60),
        /** Heartbeats older than this mark a device stale in the console. */
        staleAfterHours: z
          .number()
          .min(1)
          .max(24 * 90),
      })
      .strict(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id "${rule.id}"` });
      }
      seen.add(rule.id);
    });
  });

export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

/** Result of validating untrusted policy data: the policy, or readable errors. */
export type PolicyValidation =
  { ok: true; policy: Policy } | { ok: false; errors: { path: string; message: string; code?: string; limit?: number | string }[] };

/** Our own custom issues get codes of their own, so the console can word them. */
function issueCode(code: string, message: string): string {
  if (code !== 'custom' && code !== 'invalid_format') return code;
  if (message.startsWith('duplicate rule id')) return 'duplicate-rule-id';
  if (message === ORIGIN_PATTERN_MESSAGE) return 'origin-pattern';
  return code;
}

export function validatePolicy(data: unknown): PolicyValidation {
  const parsed = policySchema.safeParse(data);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const error: { path: string; message: string; code?: string; limit?: number | string } = {
        path: issue.path.join('.'),
        message: issue.message,
        code: issueCode(issue.code, issue.message),
      };
      const limit = (issue as { minimum?: unknown; maximum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum;
      if (typeof limit === 'number' || typeof limit === 'string') error.limit = limit;
      else if (typeof limit === 'bigint') error.limit = Number(limit);
      return error;
    }),
  };
}
