/**
 * The one message map between extension contexts. Every payload that comes from a
 * content script is zod-parsed in the background (a compromised page cannot reach
 * runtime messaging, but a content script runs beside hostile code: trust nothing).
 */
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { FINDING_TYPES } from './detect/types';
import { actionSchema, channelSchema, levelSchema } from './policy/schema';
import { blockDetailSchema } from './api/device-api';

const findingForEventSchema = z
  .object({
    type: z.enum(FINDING_TYPES),
    level: levelSchema,
    masked: z.string().min(1).max(64),
    /** Raw canonical value: hashed in the background, never stored or sent as is. */
    normalized: z.string().min(1).max(200),
  })
  .strict();

export const recordDecisionSchema = z
  .object({
    type: z.literal('record-decision'),
    channel: channelSchema,
    action: actionSchema,
    level: levelSchema.nullable(),
    ruleId: z.string().max(64).nullable(),
    grantId: z.string().max(64).nullable(),
    /** Origin of the frame where it happened. */
    origin: z.string().max(300),
    destination: z.string().max(300).nullable(),
    findings: z.array(findingForEventSchema).max(50),
    findingCount: z.number().int().min(0),
    /** Customer register (issue 15): the highest-level register customer touched, by keyed hash. */
    customerLevel: levelSchema.nullable().optional(),
    customerHash: z
      .string()
      .regex(/^[0-9a-f]{12}$/)
      .nullable()
      .optional(),
  })
  .strict();
export type RecordDecisionMessage = z.infer<typeof recordDecisionSchema>;

export const pageStatusSchema = z
  .object({
    type: z.literal('page-status'),
    origin: z.string().max(300),
    /** The frame's level: its markers' and its register customers' (numbers and names). */
    level: levelSchema.nullable(),
    /** Highest level of register customers named alone in the frame (page-summary.ts); never the name. */
    namedLevel: levelSchema.nullable().optional(),
    /** Only the types found (zod 4's `z.record` over an enum would demand every key). */
    countsByType: z.partialRecord(z.enum(FINDING_TYPES), z.number().int().min(0)),
    isTopFrame: z.boolean(),
  })
  .strict();
export type PageStatusMessage = z.infer<typeof pageStatusSchema>;

export const requestOverrideSchema = z
  .object({ type: z.literal('open-override-request'), origin: z.string().max(300), channel: channelSchema })
  .strict();
export type RequestOverrideMessage = z.infer<typeof requestOverrideSchema>;

/** A page-made file (blob: URL) the page guard read and allowed: the browser-level guard lets it pass. */
export const downloadVettedSchema = z.object({ type: z.literal('download-vetted'), url: z.string().startsWith('blob:').max(500) }).strict();
/** The notice's one-step request: reason typed in the notice, scope taken from the block. */
export const sendOverrideRequestSchema = z
  .object({
    type: z.literal('send-override-request'),
    origin: z.string().max(300),
    channel: channelSchema,
    level: levelSchema.nullable(),
    ruleId: z.string().max(64).nullable(),
    reason: z.string().trim().min(2).max(1000),
    /** Masked samples of the block (never raw values), for the approver. */
    masked: z.array(z.string().min(1).max(64)).max(5),
    detail: blockDetailSchema.optional(),
    /** The blocked findings, for the background to fingerprint (they never leave the browser). */
    findings: z
      .array(z.object({ type: z.string().max(20), normalized: z.string().max(200) }).strict())
      .max(500)
      .optional(),
  })
  .strict();
export type SendOverrideRequestMessage = z.infer<typeof sendOverrideRequestSchema>;

/** "This block was wrong": the decision as record-decision carries it, filed as its own kind of event. */
export const reportFalsePositiveSchema = recordDecisionSchema.extend({ type: z.literal('report-false-positive') }).strict();
export type ReportFalsePositiveMessage = z.infer<typeof reportFalsePositiveSchema>;

/**
 * The background's answer to send-override-request: 'sent' only once the server stored
 * it; 'queued' when the server could not be reached (sent at a later sync).
 */
export type OverrideDelivery =
  { ok: true; state: 'sent' | 'queued'; id: string } | { ok: false; error: 'not-enrolled' | 'overrides-disabled' | 'rejected' | 'invalid' };

export const contentMessageSchema = z.discriminatedUnion('type', [
  recordDecisionSchema,
  pageStatusSchema,
  requestOverrideSchema,
  downloadVettedSchema,
  sendOverrideRequestSchema,
  reportFalsePositiveSchema,
]);
export type ContentMessage = z.infer<typeof contentMessageSchema>;

// The content script's side (sendToBackground) lives in utils/content-messaging.ts,
// without zod: these schemas are built in the background and extension pages only.

/* ── popup / options → background ─────────────────────────────────────────── */

export const uiMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('get-popup-state'), tabId: z.number().int().nullable() }).strict(),
  z
    .object({
      type: z.literal('enroll'),
      serverUrl: z.string().trim().min(1).max(500),
      code: z.string().trim().min(1).max(200),
      /** Typed on the options page (a personal code needs none), or the OIDC login's ticket. */
      userId: z.string().trim().max(200).optional(),
      department: z.string().trim().max(200).optional(),
      oidcTicket: z.string().max(200).optional(),
      oidcVerifier: z.string().max(200).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('request-override'),
      reason: z.string().trim().min(2).max(1000),
      origin: z.string().trim().min(1).max(300),
      channel: channelSchema,
      durationMinutes: z.number().int().min(1),
      /** The level of the tab's latest block on this channel, when the popup knows it. */
      level: levelSchema.nullable().optional(),
    })
    .strict(),
  z.object({ type: z.literal('sync-now') }).strict(),
  z
    .object({
      type: z.literal('report-incident'),
      /** What happened, in the user's words (checked for raw numbers before it is stored). */
      description: z.string().max(4000),
      /** The tab's URL when the user attached the page; only its origin is kept. */
      pageUrl: z.string().max(4000).nullable(),
    })
    .strict(),
]);
export type UiMessage = z.infer<typeof uiMessageSchema>;

export type UiResponse<T = unknown> = { ok: true; data: T } | { ok: false; error: string };

export async function sendUiMessage<T>(message: UiMessage): Promise<UiResponse<T>> {
  return (await browser.runtime.sendMessage(message)) as UiResponse<T>;
}
