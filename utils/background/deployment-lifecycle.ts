/**
 * The extension's life as the company's server ships it (issue 27):
 *  - a version published on the server (npm run publish:extension) is taken as soon as the
 *    browser has downloaded it. Without a listener Chromium installs an update only once the
 *    service worker has been idle, which a guard syncing on alarms may rarely be; reloading
 *    loses nothing (events wait in IndexedDB, storage stays);
 *  - removing the extension is seen: the browser opens the uninstall URL, a server page that
 *    records the removal for this device (utils/deployment/uninstall-token.ts: the URL carries
 *    a token the device made, never its secret). Set again whenever the enrolment changes;
 *    cleared when there is none.
 */
import { browser } from 'wxt/browser';
import { EXTENSION_PATHS } from '@/utils/deployment/extension-ids';
import { uninstallToken } from '@/utils/deployment/uninstall-token';
import { enrollmentItem, type Enrollment } from '@/utils/storage';

type Runtime = Pick<typeof browser.runtime, 'onUpdateAvailable' | 'reload' | 'setUninstallURL'>;
type EnrollmentSource = Pick<typeof enrollmentItem, 'getValue' | 'watch'>;

/** The uninstall URL for an enrolment; '' (no page) without one. */
export async function uninstallUrlFor(enrollment: Pick<Enrollment, 'serverUrl' | 'deviceId' | 'deviceToken'> | null): Promise<string> {
  if (!enrollment) return '';
  const token = await uninstallToken(enrollment.deviceId, enrollment.deviceToken);
  return `${enrollment.serverUrl.replace(/\/+$/, '')}${EXTENSION_PATHS.uninstalled}?t=${encodeURIComponent(token)}`;
}

export function followDeployment(runtime: Runtime = browser.runtime, enrollment: EnrollmentSource = enrollmentItem): void {
  // Never allowed to stop the worker's start (enrolment, sync): an API a browser lacks is skipped.
  try {
    runtime.onUpdateAvailable?.addListener(() => runtime.reload());
  } catch (error) {
    console.warn('[baomi] update listener not set:', (error as Error).message);
  }
  const apply = async (value: Enrollment | null) => {
    try {
      await runtime.setUninstallURL(await uninstallUrlFor(value));
    } catch (error) {
      console.warn('[baomi] uninstall URL not set:', (error as Error).message);
    }
  };
  void enrollment.getValue().then(apply);
  enrollment.watch((value) => void apply(value));
}
