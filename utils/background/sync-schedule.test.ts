import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { enrollFromManagedConfig } from './managed-config';
import { isSyncAlarm, RETRY_ALARM, scheduleRetry, scheduleSync, SYNC_ALARM } from './sync-schedule';

const policyEvery = (intervalMinutes: number) => ({ ...DEFAULT_POLICY, sync: { ...DEFAULT_POLICY.sync, intervalMinutes } });

beforeEach(() => fakeBrowser.reset());

describe('scheduleSync', () => {
  it('sets the periodic alarm at the policy interval and follows a change', async () => {
    await scheduleSync(fakeBrowser.alarms, policyEvery(15));
    expect(await fakeBrowser.alarms.get(SYNC_ALARM)).toMatchObject({ periodInMinutes: 15 });
    await scheduleSync(fakeBrowser.alarms, policyEvery(5));
    expect(await fakeBrowser.alarms.get(SYNC_ALARM)).toMatchObject({ periodInMinutes: 5 });
  });

  it('leaves an alarm already at the interval alone (its next run is not pushed back)', async () => {
    const create = vi.spyOn(fakeBrowser.alarms, 'create');
    await scheduleSync(fakeBrowser.alarms, policyEvery(15));
    await scheduleSync(fakeBrowser.alarms, policyEvery(15));
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('sets a one-off retry alarm; both alarms trigger a sync, others do not', async () => {
    scheduleRetry(fakeBrowser.alarms, 1_800_000_000_000);
    expect(await fakeBrowser.alarms.get(RETRY_ALARM)).toMatchObject({ scheduledTime: 1_800_000_000_000 });
    expect([SYNC_ALARM, RETRY_ALARM, 'other'].map(isSyncAlarm)).toEqual([true, true, false]);
  });
});

describe('enrollFromManagedConfig', () => {
  const managed = { serverUrl: 'https://guard.example.com', enrollmentCode: 'K7Q2-9XHD', userId: 'alice', department: '销售部' };

  it('enrolls with the managed server and code when not enrolled', async () => {
    const enroll = vi.fn(async () => undefined);
    expect(
      await enrollFromManagedConfig(
        enroll,
        async () => false,
        async () => managed,
      ),
    ).toBe(true);
    expect(enroll).toHaveBeenCalledWith({
      serverUrl: managed.serverUrl,
      code: managed.enrollmentCode,
      identity: 'managed',
      userId: 'alice',
      department: '销售部',
    });
  });

  it('does nothing when already enrolled or when the config is incomplete', async () => {
    const enroll = vi.fn(async () => undefined);
    expect(
      await enrollFromManagedConfig(
        enroll,
        async () => true,
        async () => managed,
      ),
    ).toBe(false);
    expect(
      await enrollFromManagedConfig(
        enroll,
        async () => false,
        async () => ({ serverUrl: managed.serverUrl }),
      ),
    ).toBe(false);
    expect(
      await enrollFromManagedConfig(
        enroll,
        async () => false,
        async () => null,
      ),
    ).toBe(false);
    expect(enroll).not.toHaveBeenCalled();
  });

  it('a failed enrollment is logged, not thrown (the background still starts)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const enroll = vi.fn(async () => {
      throw new Error('server unreachable');
    });
    expect(
      await enrollFromManagedConfig(
        enroll,
        async () => false,
        async () => managed,
      ),
    ).toBe(false);
    expect(warn).toHaveBeenCalledWith('[baomi] managed enrollment failed:', 'server unreachable');
    warn.mockRestore();
  });
});
