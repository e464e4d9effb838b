/**
 * Approval alerts: the override route enqueues (`overrideRequested`, one small write, no
 * sending), a dispatcher in every server process claims due outbox rows with a lease and
 * delivers them, retrying with exponential back-off (8 attempts over about an hour by
 * default). A restart loses nothing: the outbox is in the database and a lease that ran
 * out lets any process take the row again. The console's "send test" delivers at once.
 */
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../../config';
import type { Database } from '../../db/schema';
import type { ServerKeys } from '../../keys';
import { findChannel, enabledChannelIds, openChannel } from '../../db/repositories/alert-channels';
import {
  claimDueDeliveries,
  enqueueDeliveries,
  markAttemptFailed,
  markDelivered,
  purgeFinishedDeliveries,
  type AlertDeliveryRow,
} from '../../db/repositories/alert-deliveries';
import { SealedTextError } from '../sealed-text';
import { overrideAlert, testAlertInput, type OverrideAlertInput } from './alert-content';
import type { AlertChannel } from './channel-config';
import { AlertDeliveryError, deliverAlert } from './delivery';
import { registerNameCheck } from './register-names';

export interface AlertSettings {
  /** How often a dispatcher looks for due rows (a new request in this process is sent at once). */
  pollMs: number;
  /** First retry after this; each further one waits twice as long (+ up to 10 % jitter). */
  retryBaseMs: number;
  maxAttempts: number;
  /** How long a claimed row belongs to its process (longer than any delivery's timeouts). */
  leaseMs: number;
  /** Rows per claim. */
  batch: number;
  /** HTTP request / SMTP stage timeout. */
  timeoutMs: number;
  /** Finished rows are purged after this many days. */
  keepDays: number;
}

/** 8 attempts: the retries wait 30 s, 1, 2, 4, 8, 16 and 32 min — the last ~63 min after the first. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  pollMs: 5_000,
  retryBaseMs: 30_000,
  maxAttempts: 8,
  leaseMs: 120_000,
  batch: 10,
  timeoutMs: 15_000,
  keepDays: 90,
};

/** Wait before attempt `attempt + 1`, after `attempt` failed (1-based). */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(baseMs * 2 ** Math.max(0, attempt - 1) * (1 + 0.1 * random()));
}

export interface AlertServiceDeps {
  db: Kysely<Database>;
  keys: ServerKeys;
  config: ServerConfig;
  clock: () => Date;
  postgres: boolean;
}

export interface AlertService {
  /** The override route's one call: enqueues an alert per enabled channel. Never throws. */
  overrideRequested(row: { id: string }): Promise<void>;
  /** Delivers a test message now; throws AlertDeliveryError with the remote's answer. */
  sendTest(channel: AlertChannel, actor: string): Promise<void>;
  /** Claims and delivers the due rows once; how many it handled. */
  runOnce(): Promise<number>;
  /** Starts this process's dispatcher (startServer does). */
  start(): void;
  /** Stops it, waiting for the deliveries under way. */
  stop(): Promise<void>;
  readonly settings: AlertSettings;
}

/** The root every sealed channel value is derived from: the private signing key (devices never hold it). */
export const alertRootSecret = (keys: ServerKeys) => keys.signing.privateKey;

async function loadRequest(db: Kysely<Database>, id: string): Promise<(OverrideAlertInput & { state: string }) | null> {
  const row = await db
    .selectFrom('overrides as o')
    .leftJoin('devices as d', 'd.id', 'o.device_id')
    .select(['o.id', 'o.user_id', 'o.origin', 'o.channel', 'o.level', 'o.masked', 'o.reason', 'o.requested_at', 'o.state', 'd.department'])
    .where('o.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  let masked: string[] = [];
  try {
    const value: unknown = row.masked ? JSON.parse(row.masked) : [];
    if (Array.isArray(value)) masked = value.filter((item): item is string => typeof item === 'string');
  } catch {
    // Unreadable samples are left out, never sent as text.
  }
  return {
    id: row.id,
    userId: row.user_id,
    department: row.department ?? null,
    channel: row.channel,
    level: row.level ?? null,
    origin: row.origin,
    masked,
    reason: row.reason,
    requestedAt: row.requested_at,
    state: row.state,
  };
}

export function createAlertService(deps: AlertServiceDeps, overrides: Partial<AlertSettings> = {}): AlertService {
  const settings: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, ...overrides };
  const contentOptions = () => ({ publicUrl: deps.config.publicUrl, offsetMinutes: deps.config.reportUtcOffsetMinutes });
  const namesCheck = registerNameCheck(deps.db, deps.keys.hashKey);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let started = false;
  let lastPurge = 0;

  async function deliverRow(row: AlertDeliveryRow): Promise<void> {
    const now = () => deps.clock();
    const giveUp = (code: string, detail: string, finalState: 'failed' | 'cancelled') =>
      markAttemptFailed(deps.db, row.id, { error: { code, detail }, retryAt: null, finalState });
    const channelRow = await findChannel(deps.db, row.channel_id);
    if (!channelRow) return giveUp('channel-gone', 'the channel was deleted', 'cancelled');
    if (Number(channelRow.enabled) !== 1) return giveUp('channel-disabled', 'the channel was switched off', 'cancelled');
    const request = await loadRequest(deps.db, row.override_id);
    if (!request) return giveUp('request-gone', 'the request no longer exists', 'cancelled');
    // Decided before its alert went out (the console was faster): nobody needs to act.
    if (request.state !== 'pending') return giveUp('already-decided', `the request is ${request.state}`, 'cancelled');
    let channel: AlertChannel;
    try {
      channel = openChannel(channelRow, alertRootSecret(deps.keys));
    } catch (error) {
      if (error instanceof SealedTextError) return giveUp('channel-unusable', error.message, 'failed');
      throw error;
    }
    try {
      const content = overrideAlert(request, { ...contentOptions(), namesCustomer: await namesCheck() });
      await deliverAlert(channel, content, { now: now(), timeoutMs: settings.timeoutMs });
      await markDelivered(deps.db, row.id, now());
    } catch (error) {
      const failure =
        error instanceof AlertDeliveryError ? error : new AlertDeliveryError('network', (error as Error).message ?? String(error));
      const attempts = Number(row.attempts);
      const retryAt = attempts < settings.maxAttempts ? new Date(now().getTime() + retryDelayMs(attempts, settings.retryBaseMs)) : null;
      await markAttemptFailed(deps.db, row.id, { error: { code: failure.code, detail: failure.detail }, retryAt });
      console.warn(
        `[baomi] alert ${row.id} to channel ${channelRow.name} failed (attempt ${attempts}/${settings.maxAttempts}): ${failure.code} ${failure.detail}`,
      );
    }
  }

  /**
   * Delivers due rows, at most `batch` at a time, claiming more as each one finishes: a
   * receiver that hangs holds one slot until its timeout, not the others.
   */
  async function drain(): Promise<number> {
    let handled = 0;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const free = settings.batch - inFlight.size;
      let claimedAll = false;
      if (free > 0) {
        const rows = await claimDueDeliveries(deps.db, {
          now: deps.clock(),
          leaseMs: settings.leaseMs,
          limit: free,
          postgres: deps.postgres,
        });
        for (const row of rows) {
          const delivery: Promise<void> = deliverRow(row)
            .catch((error: unknown) => console.error(`[baomi] alert ${row.id}:`, error))
            .finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
        }
        handled += rows.length;
        claimedAll = rows.length < free;
      }
      if (inFlight.size === 0 && claimedAll) break;
      // Woken by a finished delivery, a new request in this process, or the poll interval
      // (rows other processes queued): a free slot claims again.
      if (inFlight.size > 0) await Promise.race([...inFlight, wakeUp()]);
    }
    const now = deps.clock().getTime();
    if (now - lastPurge > 3_600_000) {
      lastPurge = now;
      await purgeFinishedDeliveries(deps.db, new Date(now - settings.keepDays * 86_400_000));
    }
    return handled;
  }

  let wake: (() => void) | null = null;
  function wakeUp(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, settings.pollMs);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        if (wake === done) wake = null;
        resolve();
      }
      wake = done;
    });
  }

  /** One drain at a time per process; a kick during one wakes it (and runs another right after). */
  function runOnce(): Promise<number> {
    if (running) {
      again = true;
      wake?.();
      return running;
    }
    running = drain().finally(() => {
      running = null;
      if (again && started) {
        again = false;
        schedule(0);
      }
    });
    return running;
  }

  function schedule(delay: number) {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      runOnce()
        .catch((error: unknown) => console.error('[baomi] alert dispatcher:', error))
        .finally(() => schedule(settings.pollMs));
    }, delay);
    timer.unref?.();
  }

  return {
    settings,
    async overrideRequested(row) {
      try {
        const channels = await enabledChannelIds(deps.db);
        if ((await enqueueDeliveries(deps.db, row.id, channels, deps.clock())) > 0) schedule(0);
      } catch (error) {
        // The request is stored and the queue shows it; only its alert is lost.
        console.error(`[baomi] could not queue the alerts of override request ${row.id}:`, error);
      }
    },
    async sendTest(channel, actor) {
      const now = deps.clock();
      await deliverAlert(channel, overrideAlert(testAlertInput(now, actor), { ...contentOptions(), test: true }), {
        now,
        timeoutMs: settings.timeoutMs,
      });
    },
    runOnce,
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
