/**
 * Wire schemas of a staff member's leak report (domain policy article 13: report at once),
 * `POST /api/v1/incidents` and `GET /api/v1/incidents/:id`. Shared by the server (validates
 * requests) and the background (validates answers). Only the page's origin travels, never
 * its text or path; the description is checked for raw numbers on both sides.
 */
import { z } from 'zod';

export const INCIDENT_STATUSES = ['new', 'investigating', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Free text a person types: 4 characters at least (two Chinese words), 2000 at most. */
export const INCIDENT_DESCRIPTION_MIN = 4;
export const INCIDENT_DESCRIPTION_MAX = 2000;

export const incidentReportSchema = z
  .object({
    /** Made by the device (UUIDv7): a report queued offline and sent again is stored once. */
    incidentId: z.string().regex(/^[0-9a-f-]{36}$/),
    description: z.string().trim().min(INCIDENT_DESCRIPTION_MIN).max(INCIDENT_DESCRIPTION_MAX),
    /** `https://host[:port]` of the page it was reported from, or null (reported from elsewhere). */
    origin: z.string().trim().max(300).nullable(),
    /** When the user pressed "report" (the queue may send it later). */
    occurredAt: z.iso.datetime(),
    userId: z.string().trim().min(1).max(200),
    department: z.string().trim().max(200).optional(),
  })
  .strict();
export type IncidentReport = z.infer<typeof incidentReportSchema>;

export const incidentReceiptSchema = z.object({
  ok: z.literal(true),
  id: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  reportedAt: z.string(),
});
export type IncidentReceipt = z.infer<typeof incidentReceiptSchema>;
