/**
 * The running server's side of retention: the settings as intake reads them (cached for a
 * minute: every upload checks event times against them, and several PostgreSQL-backed
 * processes pick up a change within that minute), and the periodic purge, audited.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { recordAudit } from '../db/repositories/audit';
import { getRetention, purgeExpired, type PurgeResult } from '../db/repositories/retention';
import { DEFAULT_RETENTION, retentionCutoff, type Retention } from './retention';
import type { IntakeRetention } from './event-intake';

const CACHE_MS = 60_000;
/** The purge runs at start and then every hour: a day's expired events are ~1/180 of the table. */
export const PURGE_INTERVAL_MS = 3_600_000;

export interface RetentionService {
  current(): Promise<Retention>;
  /** The cutoff intake applies now. */
  intake(now: Date): Promise<IntakeRetention>;
  /** Called after the setting changed in this process. */
  forget(): void;
  /** Purges what is past retention; audits it when anything was deleted. */
  purge(now: Date): Promise<PurgeResult>;
  /** Starts the hourly purge (the listening server only); returns its stop. */
  schedule(): () => void;
}

export function createRetentionService(db: Kysely<Database>, clock: () => Date): RetentionService {
  let cached: { at: number; value: Retention } | undefined;
  let running: Promise<PurgeResult> | undefined;
  const current = async () => {
    const at = Date.now();
    if (!cached || at - cached.at > CACHE_MS) {
      const { eventsDays, auditDays } = await getRetention(db).catch(() => DEFAULT_RETENTION);
      cached = { at, value: { eventsDays, auditDays } };
    }
    return cached.value;
  };
  const purgeNow = async (now: Date) => {
    const result = await purgeExpired(db, await current(), now);
    if (result.events > 0 || result.audit > 0) {
      await recordAudit(db, {
        actor: 'system',
        action: 'retention-purge',
        target: `${result.events} events, ${result.audit} audit entries`,
        detail: result,
        now,
      });
    }
    return result;
  };
  const service: RetentionService = {
    current,
    intake: async (now) => {
      const { eventsDays } = await current();
      return { cutoff: retentionCutoff(now, eventsDays), days: eventsDays };
    },
    forget: () => {
      cached = undefined;
    },
    // One purge at a time in this process.
    purge: (now) => (running ??= purgeNow(now).finally(() => (running = undefined))),
    schedule: () => {
      const run = () =>
        void service.purge(clock()).catch((error: unknown) => console.error('retention purge failed (will retry within the hour):', error));
      const first = setTimeout(run, 10_000);
      const every = setInterval(run, PURGE_INTERVAL_MS);
      first.unref();
      every.unref();
      return () => {
        clearTimeout(first);
        clearInterval(every);
      };
    },
  };
  return service;
}
