/**
 * Violation events: what the browser records and the server stores. They carry a
 * masked sample and a keyed hash per finding — never the raw value (DESIGN.md).
 */
import { z } from 'zod';
import { FINDING_TYPES } from '../detect/types';
import { actionSchema, channelSchema, levelSchema } from '../policy/schema';

/**
 * Largest integer any stored number may hold: PostgreSQL's `integer` column (int4). A
 * larger one is valid JSON, but the INSERT would fail and sink the whole upload; the
 * schema refuses it so the server rejects that one event (same on SQLite).
 */
export const INT32_MAX = 2_147_483_647;
const count = () => z.number().int().min(0).max(INT32_MAX);

/** UUID, any version (the browser makes v7). */
export const eventIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lowercase UUID');

export const eventFindingSchema = z
  .object({
    type: z.enum(FINDING_TYPES),
    level: levelSchema,
    /** e.g. 138****5678 or 机密 */
    masked: z.string().min(1).max(64),
    /** HMAC-SHA-256 (hex) of the normalized value under the organisation's hashing key. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type EventFinding = z.infer<typeof eventFindingSchema>;

export const EVENT_KINDS = [
  'violation', // a guard decision (block, warn, audit)
  'policy-rejected', // a policy failed validation or signature and was refused
  'queue-overflow', // the local queue folded old events into a counted summary
  'false-positive', // the user says a block was wrong (from the notice): the block's findings, masked
] as const;

export const violationEventSchema = z
  .object({
    id: eventIdSchema,
    kind: z.enum(EVENT_KINDS).default('violation'),
    time: z.string().datetime(),
    deviceId: z.string().min(1).max(64),
    userId: z.string().min(1).max(200),
    department: z.string().max(200).optional(),
    /** Origin of the page where it happened (never a full URL: paths may hold customer ids). */
    origin: z.string().max(300),
    destination: z.string().max(300).nullable().default(null),
    channel: channelSchema.nullable().default(null),
    action: actionSchema,
    ruleId: z.string().max(64).nullable().default(null),
    level: levelSchema.nullable().default(null),
    policyVersion: count(),
    grantId: z.string().max(64).nullable().default(null),
    /** At most 50 findings are listed; findingCount says how many there were. */
    findings: z.array(eventFindingSchema).max(50),
    findingCount: count(),
    /** For 'queue-overflow': how many events were folded, and their time span. 'policy-rejected': why. */
    detail: z
      .object({
        folded: z.number().int().min(1).max(INT32_MAX).optional(),
        firstTime: z.string().datetime().optional(),
        lastTime: z.string().datetime().optional(),
        reason: z.string().max(500).optional(),
      })
      .strict()
      .optional(),
    extensionVersion: z.string().max(40).optional(),
    /** Customer register (issue 15): level of the register customer touched, and its keyed hash (12 hex, never the name). */
    customerLevel: levelSchema.nullable().optional(),
    customerHash: z
      .string()
      .regex(/^[0-9a-f]{12}$/)
      .nullable()
      .optional(),
  })
  .strict();
export type ViolationEvent = z.infer<typeof violationEventSchema>;
export type ViolationEventInput = z.input<typeof violationEventSchema>;

export const MAX_EVENTS_PER_BATCH = 500;
export const eventBatchSchema = z.object({ events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH) }).strict();
