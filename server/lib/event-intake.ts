/**
 * Checks one upload batch event by event (pure: no DB). Each event is validated on its
 * own, so one bad event does not sink the batch; bad ones are reported with index and reason.
 *
 * Device identity: events are stored under the device of the bearer token. An event
 * whose `deviceId` names another device is REJECTED (not rewritten): a device must not
 * be able to file events in another device's name, and a mismatch signals a bug worth seeing.
 * The user and department stored are the device's enrolled identity, whatever the event says.
 */
import { violationEventSchema, type ViolationEvent } from '../../utils/events/schema';
import type { EventRow } from '../db/repositories/events';
import type { AuthedDevice } from '../db/repositories/devices';
import { looksLikePhoneNumber, looksLikeRawNumber } from './raw-number';

export interface Rejection {
  index: number;
  id: string | null;
  reason: string;
}

export interface PreparedBatch {
  rows: EventRow[];
  rejected: Rejection[];
  /** Ids repeated inside the batch itself (the first copy is kept). */
  repeated: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reports an id back only when it is a well-formed UUID (never echo arbitrary input). */
function safeId(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' && UUID.test(id)) return id;
  }
  return null;
}

/**
 * Name of the first field that carries something like a raw phone number, or null.
 * `id` is a validated UUID and `deviceId` must equal the token's device id, so neither
 * can carry data; `hash` is validated hex. Identity fields (user id, department) are
 * checked for phone-number shapes only, so numeric staff ids (工号) are accepted.
 */
export function rawNumberField(event: ViolationEvent): string | null {
  if (looksLikePhoneNumber(event.userId)) return 'userId';
  if (event.department && looksLikePhoneNumber(event.department)) return 'department';
  const fields: [string, string | null | undefined][] = [
    ['origin', event.origin],
    ['destination', event.destination],
    ['ruleId', event.ruleId],
    // A UUID-shaped grant id is random hex (7+ digit runs happen by chance); anything else is checked.
    ['grantId', event.grantId && UUID.test(event.grantId) ? null : event.grantId],
    ['extensionVersion', event.extensionVersion],
    ['detail.reason', event.detail?.reason],
  ];
  for (const [name, value] of fields) if (value && looksLikeRawNumber(value)) return name;
  for (let i = 0; i < event.findings.length; i++) {
    const f = event.findings[i]!;
    if (looksLikeRawNumber(f.masked)) return `findings.${i}.masked`;
    // Everything but a marker (密级：机密) must show its mask.
    if (f.type !== 'marker' && !f.masked.includes('*')) return `findings.${i}.masked`;
  }
  return null;
}

/**
 * Name of the first free-text field holding U+0000 (PostgreSQL text cannot store it), or
 * null. Enums, the UUID id, datetimes and hex hashes are already pinned down by the schema.
 */
export function nulField(event: ViolationEvent): string | null {
  const fields: [string, string | null | undefined][] = [
    ['userId', event.userId],
    ['department', event.department],
    ['origin', event.origin],
    ['destination', event.destination],
    ['ruleId', event.ruleId],
    ['grantId', event.grantId],
    ['deviceId', event.deviceId],
    ['extensionVersion', event.extensionVersion],
    ['detail.reason', event.detail?.reason],
  ];
  for (const [name, value] of fields) if (value && value.includes('\u0000')) return name;
  for (let i = 0; i < event.findings.length; i++) if (event.findings[i]!.masked.includes('\u0000')) return `findings.${i}.masked`;
  return null;
}

function toRow(event: ViolationEvent, device: AuthedDevice, receivedAt: string): EventRow {
  return {
    id: event.id,
    device_id: device.id,
    // The person is the one the device enrolled as, never what the event says (issue 27).
    user_id: device.userId,
    department: device.department,
    user_verified: device.verified ? 1 : 0,
    kind: event.kind,
    time: new Date(event.time).toISOString(),
    received_at: receivedAt,
    origin: event.origin,
    destination: event.destination,
    channel: event.channel,
    action: event.action,
    rule_id: event.ruleId,
    level: event.level,
    policy_version: event.policyVersion,
    grant_id: event.grantId,
    finding_count: event.findingCount,
    findings: JSON.stringify(event.findings),
    detail: event.detail ? JSON.stringify(event.detail) : null,
    extension_version: event.extensionVersion ?? null,
    customer_level: event.customerLevel ?? null,
    customer_hash: event.customerHash ?? null,
  };
}

/** Events older than `cutoff` (ISO time) fall outside the retention period of `days` days. */
export interface IntakeRetention {
  cutoff: string;
  days: number;
}

export function prepareBatch(events: unknown[], device: AuthedDevice, now: Date, retention?: IntakeRetention): PreparedBatch {
  const deviceId = device.id;
  const receivedAt = now.toISOString();
  const rows: EventRow[] = [];
  const rejected: Rejection[] = [];
  const repeated: string[] = [];
  const seen = new Set<string>();
  events.forEach((raw, index) => {
    const parsed = violationEventSchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first?.path.length ? first.path.join('.') : 'event';
      rejected.push({ index, id: safeId(raw), reason: `invalid: ${where}: ${first?.message ?? 'invalid'}` });
      return;
    }
    const event = parsed.data;
    if (event.deviceId !== deviceId) {
      rejected.push({ index, id: event.id, reason: 'deviceId does not match the enrolled device of this token' });
      return;
    }
    const nul = nulField(event);
    if (nul) {
      rejected.push({ index, id: event.id, reason: `invalid: ${nul}: NUL characters (U+0000) are not allowed` });
      return;
    }
    const field = rawNumberField(event);
    if (field) {
      rejected.push({
        index,
        id: event.id,
        reason: `raw-number: ${field} looks like an unmasked number; events must carry masked samples only`,
      });
      return;
    }
    // Stored now, it would be purged at the next run: refused with its reason, so the
    // device drops it knowingly (utils/sync/upload.ts keeps the count and the reason).
    if (retention && new Date(event.time).toISOString() < retention.cutoff) {
      rejected.push({ index, id: event.id, reason: `retention: older than the retention period (${retention.days} days); not stored` });
      return;
    }
    if (seen.has(event.id)) {
      repeated.push(event.id);
      return;
    }
    seen.add(event.id);
    rows.push(toRow(event, device, receivedAt));
  });
  return { rows, rejected, repeated };
}
