/**
 * Wire schemas of the device API (`/api/v1`), shared by the server (validates
 * requests) and the extension's background (validates responses).
 */
import { z } from 'zod';
import { policySchema, channelSchema, levelSchema } from '../policy/schema';
import { signedGrantSchema, signedRevocationSchema } from '../policy/grant';
import { INT32_MAX } from '../events/schema';

export const API_PREFIX = '/api/v1';

/** Every error response: `{ ok: false, error: { code, message, issues? } }`. */
export const apiErrorSchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** GET /keys */
export const keysResponseSchema = z.object({
  ok: z.literal(true),
  keys: z.array(z.object({ keyId: z.string(), publicKey: z.string(), algorithm: z.literal('Ed25519') })).min(1),
});

/** POST /enroll */
export const enrollRequestSchema = z
  .object({
    code: z.string().trim().min(4).max(128),
    /**
     * The managed configuration's user or a typed name; none with an OIDC login or a personal
     * code. The server decides which identity binds (server/lib/identity.ts).
     */
    userId: z.string().trim().min(1).max(200).optional(),
    department: z.string().trim().max(200).optional(),
    /** Where `userId` came from; absent in requests of extensions from before issue 27. */
    identity: z.enum(['managed', 'typed', 'oidc']).optional(),
    /** The ticket an OIDC login ended with (`/oidc/done#ticket=…`) and the secret whose hash started it. */
    oidcTicket: z
      .string()
      .regex(/^[A-Za-z0-9_-]{20,100}$/)
      .optional(),
    oidcVerifier: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43,128}$/)
      .optional(),
    deviceName: z.string().trim().max(200).optional(),
    extensionVersion: z.string().trim().max(40).optional(),
    browser: z.string().trim().max(100).optional(),
    /** The browser profile's own random id, the same when it enrols again (one row per device). */
    installationId: z
      .string()
      .regex(/^[0-9a-f-]{36}$/)
      .optional(),
  })
  .strict();
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export const enrollResponseSchema = z.object({
  ok: z.literal(true),
  deviceId: z.string(),
  /** Bearer token for every later device call; the server keeps only its hash. */
  deviceToken: z.string(),
  publicKey: z.string(),
  keyId: z.string(),
  /** Organisation's key for hashing finding values (utils/events/keyed-hash.ts). */
  hashKey: z.string(),
  /** The identity the device is bound to (servers from before issue 27 send none). */
  identity: z
    .object({
      userId: z.string(),
      department: z.string().nullable(),
      displayName: z.string().nullable(),
      source: z.enum(['oidc', 'managed', 'personal-code', 'self-declared', 'unassigned']),
      verified: z.boolean(),
    })
    .optional(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** GET /policy → signed envelope; 304 when If-None-Match matches the ETag. */
export const signedPolicySchema = z
  .object({ payload: policySchema, signature: z.string().min(1).max(200), keyId: z.string().max(64) })
  .strict();
export type SignedPolicy = z.infer<typeof signedPolicySchema>;
export const policyResponseSchema = z.object({ ok: z.literal(true), signed: z.unknown() });

/** POST /events → per-batch outcome. `rejected` lists invalid events with why (the rest are stored). */
export const eventsResponseSchema = z.object({
  ok: z.literal(true),
  accepted: z.array(z.string()),
  duplicates: z.array(z.string()),
  rejected: z.array(z.object({ index: z.number(), id: z.string().nullable(), reason: z.string() })),
});
export type EventsResponse = z.infer<typeof eventsResponseSchema>;

/** Why the blocked data had its level (utils/policy/decide.ts LevelReason). */
export const levelReasonSchema = z
  .object({
    kind: z.enum(['page-marker', 'page-register', 'marker', 'register', 'data', 'bulk']),
    level: levelSchema,
    count: z.number().int().min(0).max(INT32_MAX).optional(),
  })
  .strict();
export type LevelReasonWire = z.infer<typeof levelReasonSchema>;

/**
 * What was blocked, for the approver (issue 26): never the data, only its shape — why it had
 * its level, how many numbers and customers, the file's name, where it was going.
 */
export const blockDetailSchema = z
  .object({
    reasons: z.array(levelReasonSchema).max(6),
    findingCount: z.number().int().min(0).max(INT32_MAX),
    numberCount: z.number().int().min(0).max(INT32_MAX),
    customerCount: z.number().int().min(0).max(INT32_MAX),
    bulk: z.boolean(),
    fileName: z.string().trim().min(1).max(255).optional(),
    destination: z.string().trim().min(1).max(300).optional(),
  })
  .strict();
export type BlockDetail = z.infer<typeof blockDetailSchema>;

/** POST /overrides */
export const overrideRequestSchema = z
  .object({
    reason: z.string().trim().min(2).max(1000),
    origin: z.string().trim().min(1).max(300),
    channel: channelSchema,
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30),
    userId: z.string().trim().min(1).max(200),
    /**
     * Made by the device (UUIDv7), so a request queued offline and sent again after a lost
     * answer is stored once: the server answers a known id with that request's status.
     */
    requestId: z
      .string()
      .regex(/^[0-9a-f-]{36}$/)
      .optional(),
    /** The block behind the request, for the approver: its level, rule and masked samples. */
    level: levelSchema.nullable().optional(),
    ruleId: z.string().max(64).nullable().optional(),
    masked: z.array(z.string().min(1).max(64)).max(5).optional(),
    detail: blockDetailSchema.optional(),
    /** Keyed fingerprints of the blocked findings (content-fingerprint.ts): what a content grant opens. */
    fingerprints: z
      .array(z.string().regex(/^[0-9a-f]{16}$/))
      .max(500)
      .optional(),
  })
  .strict();
export type OverrideRequest = z.infer<typeof overrideRequestSchema>;

export const OVERRIDE_STATES = ['pending', 'approved', 'denied', 'expired', 'revoked'] as const;
export type OverrideState = (typeof OVERRIDE_STATES)[number];
/** POST /overrides and GET /overrides/:id */
export const overrideStatusSchema = z.object({
  ok: z.literal(true),
  id: z.string(),
  state: z.enum(OVERRIDE_STATES),
  origin: z.string(),
  channel: channelSchema,
  reason: z.string(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** Present when approved. */
  grant: signedGrantSchema.nullable(),
  /** Present when revoked: the device drops the grant once this verifies. */
  revocation: signedRevocationSchema.nullable().optional(),
});
export type OverrideStatus = z.infer<typeof overrideStatusSchema>;

/** POST /heartbeat */
export const heartbeatRequestSchema = z
  .object({
    extensionVersion: z.string().max(40),
    policyVersion: z.number().int().min(0).max(INT32_MAX),
    queueDepth: z.number().int().min(0).max(INT32_MAX),
    userId: z.string().max(200).optional(),
    /** Readable browser name ("Chrome 156 · Windows"): browsers update themselves between enrolments. */
    browser: z.string().trim().max(100).optional(),
  })
  .strict();
export const heartbeatResponseSchema = z.object({ ok: z.literal(true), serverTime: z.string(), policyVersion: z.number() });
