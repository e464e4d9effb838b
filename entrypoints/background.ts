// First: zod's jitless mode must be set before any schema is built.
import '@/utils/zod-jitless';
import { createDownloadGuard } from '@/utils/background/download-guard';
import { createMessageRouter } from '@/utils/background/router';
import { readManagedConfig } from '@/utils/background/managed-config';
import { installRequestGuard } from '@/utils/background/request-guard';
import { forgetTab } from '@/utils/background/tab-status';
import { followPolicyLanguage } from '@/utils/background/notice-texts';
import { openEventDatabase } from '@/utils/sync/event-db';
import { createEventQueue } from '@/utils/sync/event-queue';
import { activePolicy, createSyncService } from '@/utils/sync/sync-service';
import { enrollmentItem } from '@/utils/storage';

const SYNC_ALARM = 'baomi-sync';
const RETRY_ALARM = 'baomi-retry';

export default defineBackground(() => {
  const queue = createEventQueue(openEventDatabase());
  const sync = createSyncService(queue, {
    onSchedule: (at) => void browser.alarms.create(RETRY_ALARM, { when: at }),
  });

  let uploadTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleUpload = () => {
    clearTimeout(uploadTimer);
    uploadTimer = setTimeout(() => void sync.syncNow('event'), 1_000);
  };

  // Listeners are registered synchronously: a woken service worker must find them.
  const downloads = createDownloadGuard({ sync, scheduleUpload });
  downloads.install();
  const route = createMessageRouter({ sync, queue, scheduleUpload, downloads });
  // Requests the page hooks never see (workers, <img>, navigations): webRequest or DNR.
  installRequestGuard({ record: (event) => sync.record(event), scheduleUpload });
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // sendResponse + `return true` works in every Chromium and Firefox version
    // (returning a Promise from the listener does not, in older Chromium).
    route(message, sender).then(sendResponse, (error: unknown) =>
      sendResponse({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
    return true;
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM || alarm.name === RETRY_ALARM) void sync.syncNow();
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));

  // Keep the alarm at the policy's interval whenever the policy changes.
  async function scheduleSync() {
    const policy = await activePolicy();
    const existing = await browser.alarms.get(SYNC_ALARM);
    if (existing?.periodInMinutes !== policy.sync.intervalMinutes) {
      await browser.alarms.create(SYNC_ALARM, {
        periodInMinutes: policy.sync.intervalMinutes,
        delayInMinutes: policy.sync.intervalMinutes,
      });
    }
  }
  storage.watch('local:activePolicy', () => void scheduleSync());
  // The notice speaks the policy's language (texts handed to content scripts via storage).
  followPolicyLanguage();

  // Zero-touch enrolment from the admin's managed configuration. Right after a forced
  // install the policy may reach managed storage after this worker started (seen in
  // managed-deployment.e2e.ts): enrol again when it arrives, not only at start-up.
  let enrolling: Promise<void> | null = null;
  function enrollFromManagedConfig(): Promise<void> {
    enrolling ??= (async () => {
      const managed = await readManagedConfig();
      if (!managed?.serverUrl || !managed.enrollmentCode || (await enrollmentItem.getValue())) return;
      await sync
        .enroll({
          serverUrl: managed.serverUrl,
          code: managed.enrollmentCode,
          userId: managed.userId ?? 'unknown',
          department: managed.department,
        })
        .catch((error) => console.warn('[baomi] managed enrollment failed:', (error as Error).message));
    })().finally(() => {
      enrolling = null;
    });
    return enrolling;
  }
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void enrollFromManagedConfig().then(() => sync.syncNow());
  });

  async function start() {
    await enrollFromManagedConfig();
    await scheduleSync();
    await sync.syncNow();
  }
  void start();
});
