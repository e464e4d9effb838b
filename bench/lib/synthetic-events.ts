/**
 * Synthetic stored events for scale tests and `bench:scale`: rows as intake stores them
 * (masked samples, a keyed-hash-shaped hex), spread over devices, users, levels, channels
 * and actions, one every `stepMs` from `start` on. Deterministic for a given index.
 */
import type { EventRow } from '../../server/db/repositories/events';
import { uuidv7 } from '../../utils/events/uuid-v7';

const LEVELS = ['秘密', '机密', '绝密', null] as const;
const CHANNELS = ['copy', 'cut', 'paste', 'drag', 'submit', 'print', 'download', 'request'] as const;
const ACTIONS = ['block', 'block-with-override', 'warn', 'audit'] as const;
const DEPARTMENTS = ['市场部', '销售部', '客服部', '财务部', '研发部'] as const;

export interface SyntheticOptions {
  start: Date;
  stepMs: number;
  devices?: number;
}

export function syntheticEventRow(index: number, options: SyntheticOptions): EventRow {
  const devices = options.devices ?? 10_000;
  const at = options.start.getTime() + index * options.stepMs;
  const device = index % devices;
  const level = LEVELS[index % LEVELS.length]!;
  return {
    id: uuidv7(at),
    device_id: `dev-${device.toString().padStart(5, '0')}`,
    user_id: `user.${device}`,
    department: DEPARTMENTS[device % DEPARTMENTS.length]!,
    kind: 'violation',
    time: new Date(at).toISOString(),
    received_at: new Date(at + 1000).toISOString(),
    origin: `https://crm${index % 7}.example.com`,
    destination: index % 3 === 0 ? null : `https://mail${index % 11}.example.org`,
    channel: CHANNELS[index % CHANNELS.length]!,
    action: ACTIONS[(index >> 2) % ACTIONS.length]!,
    rule_id: `rule-${index % 13}`,
    level,
    policy_version: 1,
    grant_id: null,
    finding_count: 1,
    findings: JSON.stringify([{ type: 'mobile', level: level ?? '秘密', masked: '138****5678', hash: 'a'.repeat(64) }]),
    detail: null,
    extension_version: '0.1.0',
    customer_level: null,
    customer_hash: null,
  };
}

/** Rows [from, to) in slices of `slice`, for inserts that never hold a million objects at once. */
export function* syntheticEventSlices(from: number, to: number, slice: number, options: SyntheticOptions): Generator<EventRow[]> {
  for (let i = from; i < to; i += slice) {
    const rows: EventRow[] = [];
    for (let j = i; j < Math.min(to, i + slice); j++) rows.push(syntheticEventRow(j, options));
    yield rows;
  }
}
