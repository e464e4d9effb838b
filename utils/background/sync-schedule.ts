/**
 * When the background syncs: a periodic alarm at the policy's interval, plus a one-off
 * retry alarm the sync service sets when it backs off.
 */
import type { Policy } from '../policy/schema';

export const SYNC_ALARM = 'baomi-sync';
export const RETRY_ALARM = 'baomi-retry';

/** The part of browser.alarms used here (fakeBrowser's in tests). */
export interface Alarms {
  get(name: string): Promise<{ periodInMinutes?: number } | undefined>;
  create(name: string, info: { when?: number; periodInMinutes?: number; delayInMinutes?: number }): Promise<void> | void;
}

/** Keeps the periodic alarm at the policy's interval (left alone when it already is). */
export async function scheduleSync(alarms: Alarms, policy: Policy): Promise<void> {
  const existing = await alarms.get(SYNC_ALARM);
  if (existing?.periodInMinutes === policy.sync.intervalMinutes) return;
  await alarms.create(SYNC_ALARM, {
    periodInMinutes: policy.sync.intervalMinutes,
    delayInMinutes: policy.sync.intervalMinutes,
  });
}

export function scheduleRetry(alarms: Pick<Alarms, 'create'>, at: number): void {
  void alarms.create(RETRY_ALARM, { when: at });
}

export function isSyncAlarm(name: string): boolean {
  return name === SYNC_ALARM || name === RETRY_ALARM;
}
