/**
 * Login throttle, kept in the database so every server process shares it and a restart
 * does not forget it (an in-memory bucket per process let N processes allow N× guesses).
 *
 * Two counters per failed login:
 * - per account AND source — the source is a browser that logged in as this user before
 *   (cookie `baomi_known`, its hash in `known_logins`), else the client IP. After
 *   `freeFailures`, each failure locks that pair for a delay that doubles, up to a cap.
 *   Keyed per source so a stranger's guesses lock the stranger out, not the real admin:
 *   from a known browser the admin is never slowed by others, even when everyone shares
 *   one proxy address.
 * - per IP, all accounts: `ipFailures` within `ipWindowSeconds` (password spraying).
 * - per account from all unknown sources together: `accountFailures` within
 *   `accountWindowSeconds` (guesses spread over many addresses). A known browser is held back
 *   by neither of the last two, so the real admin still gets in from one.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LoginThrottleSettings } from '../config';
import type { Database } from '../db/schema';
import { tooManyRequests } from './errors';

export interface ThrottleKeys {
  /** `account:<user>|known:<hash>` or `account:<user>|ip:<ip>` */
  account: string;
  /** `ip:<ip>`; null for a known browser. */
  ip: string | null;
  /** `account:<user>|unknown` (every unknown source together); null for a known browser. */
  accountAll: string | null;
}

/** Keys are hashed: usernames someone typed (maybe a password by mistake) are not kept in clear. */
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export function throttleKeys(username: string, ip: string, knownTokenHash: string | null): ThrottleKeys {
  const user = digest(username.toLowerCase());
  return knownTokenHash
    ? { account: `account:${user}|known:${knownTokenHash.slice(0, 32)}`, ip: null, accountAll: null }
    : { account: `account:${user}|ip:${ip}`, ip: `ip:${ip}`, accountAll: `account:${user}|unknown` };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Throws 429 (with the seconds to wait) when either counter is over its limit. */
export async function checkLoginAllowed(
  db: Kysely<Database>,
  keys: ThrottleKeys,
  settings: LoginThrottleSettings,
  now: Date,
): Promise<void> {
  const wanted = [keys.account, keys.ip, keys.accountAll].filter((key): key is string => key !== null);
  const rows = await db.selectFrom('login_throttle').selectAll().where('key', 'in', wanted).execute();
  const t = now.getTime();
  for (const row of rows) {
    if (row.key === keys.account && row.locked_until && Date.parse(row.locked_until) > t) {
      throw tooManyRequests(seconds(Date.parse(row.locked_until) - t));
    }
    const windowed: [string | null, number, number][] = [
      [keys.ip, settings.ipFailures, settings.ipWindowSeconds],
      [keys.accountAll, settings.accountFailures, settings.accountWindowSeconds],
    ];
    for (const [key, limit, windowSeconds] of windowed) {
      if (row.key !== key || row.failures < limit) continue;
      const windowEnd = Date.parse(row.first_failure_at) + windowSeconds * 1000;
      if (windowEnd > t) throw tooManyRequests(seconds(windowEnd - t));
    }
  }
}

/** One failed login: counts it for both keys (atomically, any process) and sets the account's delay. */
export async function recordLoginFailure(
  db: Kysely<Database>,
  keys: ThrottleKeys,
  settings: LoginThrottleSettings,
  now: Date,
): Promise<void> {
  const t = now.getTime();
  const at = now.toISOString();
  // Old counts start over: every key quiet for a day (this also sweeps the rows of made-up
  // user names), and the IP's when its window ended.
  await db
    .deleteFrom('login_throttle')
    .where('last_failure_at', '<', new Date(t - settings.forgetAfterSeconds * 1000).toISOString())
    .execute();
  if (keys.ip)
    await db
      .deleteFrom('login_throttle')
      .where('key', '=', keys.ip)
      .where('first_failure_at', '<', new Date(t - settings.ipWindowSeconds * 1000).toISOString())
      .execute();
  if (keys.accountAll) {
    await db
      .deleteFrom('login_throttle')
      .where('key', '=', keys.accountAll)
      .where('first_failure_at', '<', new Date(t - settings.accountWindowSeconds * 1000).toISOString())
      .execute();
  }
  for (const key of [keys.account, keys.ip, keys.accountAll]) {
    if (key === null) continue;
    const row = await db
      .insertInto('login_throttle')
      .values({ key, failures: 1, first_failure_at: at, last_failure_at: at, locked_until: null })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb('login_throttle.failures', '+', 1), last_failure_at: at })))
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (key !== keys.account) continue;
    const over = Number(row.failures) - settings.freeFailures;
    if (over >= 0) {
      const delay = Math.min(settings.baseDelaySeconds * 2 ** Math.min(over, 30), settings.maxDelaySeconds);
      await db
        .updateTable('login_throttle')
        .set({ locked_until: new Date(t + delay * 1000).toISOString() })
        .where('key', '=', key)
        .execute();
    }
  }
}

/** A successful login clears its account counter (not the IP's: one success does not excuse a spray). */
export async function clearLoginFailures(db: Kysely<Database>, keys: ThrottleKeys): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', keys.account).execute();
}
