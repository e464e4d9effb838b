/**
 * The extension's life as the company's server ships it (issue 27): a version published on
 * the server (npm run publish:extension) is taken as soon as the browser has downloaded it.
 * Without a listener Chromium installs an update only once the service worker has been idle,
 * which a guard syncing on alarms may rarely be; reloading loses nothing (events wait in
 * IndexedDB, storage stays).
 */
import { browser } from 'wxt/browser';

type Runtime = Pick<typeof browser.runtime, 'onUpdateAvailable' | 'reload'>;

export function followDeployment(runtime: Runtime = browser.runtime): void {
  runtime.onUpdateAvailable.addListener(() => runtime.reload());
}
