/**
 * Retention (issue 28): how long events and audit entries are kept. Pure rules here;
 * the settings live in the `settings` table (db/repositories/retention.ts).
 *
 * Events: 180 days by default — China's Cybersecurity Law (art. 21) asks that network
 * logs be kept for no less than six months, so nothing shorter may be set. The audit
 * log (who read, exported, approved) is kept longer: 3 years by default.
 */
export interface Retention {
  eventsDays: number;
  auditDays: number;
}

export const DEFAULT_RETENTION: Retention = { eventsDays: 180, auditDays: 1095 };
/** The legal floor (six months) and a ceiling that keeps the setting a real choice. */
export const MIN_RETENTION_DAYS = 180;
export const MAX_RETENTION_DAYS = 3650;

const DAY_MS = 86_400_000;

/** The oldest instant still kept `days` days before `now`, as the ISO text times are stored in. */
export function retentionCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** A stored value, or the default when absent or out of range (an older server's, a hand edit). */
export function retentionDays(stored: string | undefined, fallback: number): number {
  const days = Number(stored);
  return Number.isInteger(days) && days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS ? days : fallback;
}
