/**
 * The local event queue's IndexedDB schema (Dexie), declared once. A schema change
 * adds a `db.version(n + 1)`; a published version is never edited.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { ViolationEvent } from '../events/schema';

export interface QueuedEvent {
  /** = event.id (UUIDv7), so re-queuing the same event is a no-op. */
  id: string;
  /** Milliseconds, for oldest-first uploads and folding. */
  queuedAt: number;
  event: ViolationEvent;
  attempts: number;
}

export type EventDatabase = Dexie & { events: EntityTable<QueuedEvent, 'id'> };

export function openEventDatabase(name = 'baomi-guard'): EventDatabase {
  const db = new Dexie(name) as EventDatabase;
  db.version(1).stores({ events: 'id, queuedAt' });
  return db;
}
