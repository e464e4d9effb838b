/**
 * Reads the extension's local event queue (IndexedDB `baomi-guard`, table `events`,
 * utils/sync/event-db.ts) from the extension's own context (either browser), so a test checks that a blocked
 * action left an event, not only that it was blocked.
 */
import type { ExtensionContext } from './browser';
import type { ViolationEvent } from '../../../utils/events/schema';

/** Every queued event, oldest first. Plain IndexedDB, no Dexie needed. */
export function queuedEvents(extension: Pick<ExtensionContext, 'evaluate'>): Promise<ViolationEvent[]> {
  return extension.evaluate(
    () =>
      new Promise<ViolationEvent[]>((resolve, reject) => {
        const open = indexedDB.open('baomi-guard');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('events')) {
            db.close();
            resolve([]);
            return;
          }
          const all = db.transaction('events').objectStore('events').getAll();
          all.onsuccess = () => {
            db.close();
            const rows = all.result as { queuedAt: number; event: ViolationEvent }[];
            resolve(rows.sort((a, b) => a.queuedAt - b.queuedAt).map((row) => row.event));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Waits until an event matching `match` is queued (the content script reports asynchronously). */
export async function waitForEvent(
  extension: Pick<ExtensionContext, 'evaluate'>,
  match: (event: ViolationEvent) => boolean,
  timeoutMs = 5_000,
): Promise<ViolationEvent> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = (await queuedEvents(extension)).find(match);
    if (found) return found;
    if (Date.now() > end) throw new Error('no matching event was queued');
    await new Promise((r) => setTimeout(r, 100));
  }
}
