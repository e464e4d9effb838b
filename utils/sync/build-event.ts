/**
 * Turns a guard's decision into a violation event: masked samples and keyed hashes,
 * never the raw value (DESIGN.md "Events never carry the secret").
 */
import type { ViolationEvent } from '../events/schema';
import { keyedHash } from '../events/keyed-hash';
import { uuidv7 } from '../events/uuid-v7';
import type { RecordDecisionMessage } from '../messaging';

export interface EventIdentity {
  deviceId: string;
  userId: string;
  department?: string;
  hashKey: string;
  extensionVersion: string;
}

export async function buildViolationEvent(
  message: Omit<RecordDecisionMessage, 'type'>,
  identity: EventIdentity,
  policyVersion: number,
  now: number,
): Promise<ViolationEvent> {
  const findings = await Promise.all(
    message.findings.map(async (finding) => ({
      type: finding.type,
      level: finding.level,
      masked: finding.masked,
      hash: await keyedHash(identity.hashKey, finding.normalized),
    })),
  );
  return {
    id: uuidv7(now),
    kind: 'violation',
    time: new Date(now).toISOString(),
    deviceId: identity.deviceId,
    userId: identity.userId,
    department: identity.department,
    origin: originOnly(message.origin),
    destination: message.destination === null ? null : originOnly(message.destination),
    channel: message.channel,
    action: message.action,
    ruleId: message.ruleId,
    level: message.level,
    policyVersion,
    grantId: message.grantId,
    findings,
    findingCount: Math.max(message.findingCount, findings.length),
    extensionVersion: identity.extensionVersion,
    ...(message.customerLevel && message.customerHash ? { customerLevel: message.customerLevel, customerHash: message.customerHash } : {}),
  };
}

/** Paths and queries can hold customer ids: keep the origin only. */
export function originOnly(value: string): string {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? `${url.protocol}` : url.origin;
  } catch {
    return value.slice(0, 300);
  }
}
