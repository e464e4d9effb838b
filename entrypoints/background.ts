// First: zod's jitless mode must be set before any schema is built.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { storage } from 'wxt/utils/storage';
import '@/utils/zod-jitless';
import { createDownloadGuard } from '@/utils/background/download-guard';
import { followDeployment } from '@/utils/background/deployment-lifecycle';
import { createMessageRouter } from '@/utils/background/router';
import { enrollFromManagedConfig } from '@/utils/background/managed-config';
import { installRequestGuard } from '@/utils/background/request-guard';
import { isSyncAlarm, scheduleRetry, scheduleSync } from '@/utils/background/sync-schedule';
import { forgetTab } from '@/utils/background/tab-status';
import { followPolicyLanguage } from '@/utils/background/notice-texts';
import { watchOverrideOutcomes } from '@/utils/background/override-outcomes';
import { openEventDatabase } from '@/utils/sync/event-db';
import { createEventQueue } from '@/utils/sync/event-queue';
import { createSyncService } from '@/utils/sync/sync-service';
import { activePolicy, enrollmentItem } from '@/utils/storage';

export default defineBackground(() => {
  const queue = createEventQueue(openEventDatabase());
  const sync = createSyncService(queue, { onSchedule: (at) => scheduleRetry(browser.alarms, at) });

  let uploadTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleUpload = () => {
    clearTimeout(uploadTimer);
    uploadTimer = setTimeout(() => void sync.syncNow('event'), 1_000);
  };

  // Listeners are registered synchronously: a woken service worker must find them.
  const downloads = createDownloadGuard({ sync, scheduleUpload });
  downloads.install();
  // Decisions on override requests reach the person in seconds (fast poll while pending).
  const outcomes = watchOverrideOutcomes(() => sync.pollOverrides());
  const route = createMessageRouter({ sync, queue, scheduleUpload, downloads, outcomes });
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
    if (isSyncAlarm(alarm.name)) void sync.syncNow();
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  followDeployment();

  // Keep the alarm at the policy's interval whenever the policy changes.
  const followPolicyInterval = async () => scheduleSync(browser.alarms, await activePolicy());
  storage.watch('local:activePolicy', () => void followPolicyInterval());
  // The notice speaks the policy's language (texts handed to content scripts via storage).
  followPolicyLanguage();

  // Zero-touch enrolment from the admin's managed configuration. Right after a forced
  // install the policy may reach managed storage after this worker started (seen in
  // managed-deployment.e2e.ts): enrol again when it arrives, not only at start-up.
  let enrolling: Promise<boolean> | null = null;
  function enrollManaged(): Promise<boolean> {
    enrolling ??= enrollFromManagedConfig(sync.enroll, async () => (await enrollmentItem.getValue()) !== null).finally(() => {
      enrolling = null;
    });
    return enrolling;
  }
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void enrollManaged().then(() => sync.syncNow());
  });

  async function start() {
    await enrollManaged();
    await followPolicyInterval();
    await sync.syncNow();
    outcomes.pollSoon(); // a request still pending from before the worker slept
  }
  void start();
});
