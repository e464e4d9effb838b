/**
 * Events the extension makes about itself (no guard decision behind them): a refused
 * policy, a folded queue. Same shape as violation events so they travel the same way.
 */
import type { ViolationEvent } from '../events/schema';
import { uuidv7 } from '../events/uuid-v7';

export interface SystemEventInput {
  kind: Exclude<ViolationEvent['kind'], 'violation'>;
  now: number;
  who: Pick<ViolationEvent, 'deviceId' | 'userId' | 'department' | 'extensionVersion'>;
  policyVersion: number;
  action: ViolationEvent['action'];
  level?: ViolationEvent['level'];
  findingCount?: number;
  detail: NonNullable<ViolationEvent['detail']>;
}

export function systemEvent(input: SystemEventInput): ViolationEvent {
  return {
    id: uuidv7(input.now),
    kind: input.kind,
    time: new Date(input.now).toISOString(),
    deviceId: input.who.deviceId,
    userId: input.who.userId,
    department: input.who.department,
    origin: '',
    destination: null,
    channel: null,
    action: input.action,
    ruleId: null,
    level: input.level ?? null,
    policyVersion: input.policyVersion,
    grantId: null,
    findings: [],
    findingCount: input.findingCount ?? 0,
    detail: input.detail,
    extensionVersion: input.who.extensionVersion,
  };
}
