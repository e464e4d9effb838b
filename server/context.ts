/** What every route gets: its dependencies (passed in, so tests use a temp DB and a fixed clock). */
import type { Kysely } from 'kysely';
import type { ServerConfig } from './config';
import type { Database } from './db/schema';
import type { ServerKeys } from './keys';
import type { AuthedDevice } from './db/repositories/devices';
import type { User } from './db/repositories/users';
import type { Limiter } from './lib/rate-limit';
import type { AlertService } from './lib/alerts/alert-service';

export interface AppDeps {
  db: Kysely<Database>;
  keys: ServerKeys;
  config: ServerConfig;
  /** Current time; tests pass a movable clock. */
  clock: () => Date;
  /** Built console (server/console/dist by default). */
  consoleDir?: string;
  /** The SQLite connection under `db` (SQLite only): event ingest writes through it directly. */
  sqlite?: import('better-sqlite3').Database;
  /** Approval alerts: the override route enqueues through it; startServer runs its dispatcher. */
  alerts: AlertService;
  /**
   * Where the heavy console reads run (events list, timeline, export, report, overview):
   * on SQLite a read-only connection in a worker thread (db/sqlite-reader.ts), so they never
   * hold up device intake on the main event loop; on PostgreSQL the pool itself.
   */
  readDb: Kysely<Database>;
  /** Retention settings (cached for intake) and the purge (lib/retention-service.ts). */
  retention: import('./lib/retention-service').RetentionService;
}

export interface Limiters {
  device: Limiter;
  enroll: Limiter;
}

export interface AdminSession {
  user: User;
  csrfToken: string;
  sessionHash: string;
}

export type AppEnv = {
  Variables: {
    device: AuthedDevice;
    admin: AdminSession;
  };
  Bindings: { incoming?: { socket?: { remoteAddress?: string } } };
};

export const KB = 1024;
export const MB = 1024 * KB;
/**
 * Body limit of POST /api/v1/events: twice the extension's own batch bound
 * (utils/sync/event-queue.ts UPLOAD_BATCH_MAX_BYTES, 512 KB), so every batch a device
 * makes fits. Other routes: 64 KB.
 */
export const EVENTS_MAX_BODY_BYTES = 1 * MB;
/** Body limit of the customer register import and preview: a whole CRM export (100,000 customers with two numbers: 7.7 MB of CSV). */
export const REGISTER_MAX_BODY_BYTES = 32 * MB;
const REGISTER_PATH = '/api/admin/customer-register';

/**
 * The most the server reads of a request to `url` before the app sees it
 * (lib/pre-read-body.ts); each route then applies its own limit, equal or smaller.
 */
export function maxBodyBytesFor(url: string): number {
  const path = url.split('?', 1)[0]!;
  return path === REGISTER_PATH || path.startsWith(`${REGISTER_PATH}/`) ? REGISTER_MAX_BODY_BYTES : EVENTS_MAX_BODY_BYTES;
}
