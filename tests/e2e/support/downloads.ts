/**
 * Downloads as the tests see them: the folder files land in, and the events the
 * extension queued (read from its IndexedDB through the service worker).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { extensionWorker } from './browser';

export interface QueuedEvent {
  channel: string;
  action: string;
  level: string | null;
  ruleId: string | null;
  findingCount: number;
  findings: { type: string; masked: string; hash: string }[];
}

/** Every event waiting in the extension's queue (oldest first). */
export async function queuedEvents(browser: Browser): Promise<QueuedEvent[]> {
  const { worker } = await extensionWorker(browser);
  return worker.evaluate(
    () =>
      new Promise<QueuedEvent[]>((resolve, reject) => {
        const open = indexedDB.open('baomi-guard');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('events')) return resolve([]);
          const all = db.transaction('events').objectStore('events').getAll();
          all.onsuccess = () => resolve((all.result as { event?: QueuedEvent }[]).map((row) => row.event ?? (row as QueuedEvent)));
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Files in the download folder, partial downloads (.crdownload) included. */
export async function downloadedFiles(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** Waits for `name` to land whole (no partial file left), returns its bytes. */
export async function waitForDownload(dir: string, name: string, timeoutMs = 15_000): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = await downloadedFiles(dir);
    if (files.includes(name) && !files.some((file) => file.endsWith('.crdownload') || file.endsWith('.part'))) {
      const path = join(dir, name);
      const size = (await stat(path)).size;
      await new Promise((resolve) => setTimeout(resolve, 200));
      if ((await stat(path)).size === size) return readFile(path);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not land in ${dir} (there: ${(await downloadedFiles(dir)).join(', ')})`);
}

/** Waits until an event of `channel` was queued since `before` events, returns it. */
export async function waitForEvent(browser: Browser, channel: string, before: number, timeoutMs = 10_000): Promise<QueuedEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await queuedEvents(browser).catch(() => [] as QueuedEvent[]);
    const found = events.slice(before).find((event) => event.channel === channel);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${channel} event queued (events: ${JSON.stringify(events.slice(before))})`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
