/** Enrolled devices (browser profiles). Only the SHA-256 of a device token is stored. */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { deviceIdOfToken, uninstallTokenFromDigest } from '../../../utils/deployment/uninstall-token';
import type { EnrolledIdentity, IdentitySource } from '../../lib/identity';

export interface DeviceInfo {
  id: string;
  userId: string;
  department: string | null;
  deviceName: string | null;
  browser: string | null;
  extensionVersion: string | null;
  policyVersion: number | null;
  queueDepth: number | null;
  enrolledAt: string;
  lastSeenAt: string | null;
  stale: boolean;
  /** Set when an admin revoked the device: its token no longer works. */
  revokedAt: string | null;
  /** How many times this browser profile enrolled (its earlier rows are folded into this one). */
  enrollments: number;
  /** When the extension's uninstall page reported it removed from this browser. */
  uninstalledAt: string | null;
  /** The directory's name for the user (OIDC `name` claim). */
  displayName: string | null;
  identitySource: IdentitySource;
  /** False for a self-declared name (shown as 未验证 / Unverified). */
  userVerified: boolean;
}

/** The device of a bearer token, with the identity it enrolled as: what its events, requests and reports name. */
export interface AuthedDevice {
  id: string;
  userId: string;
  department: string | null;
  verified: boolean;
}

export async function createDevice(
  db: Kysely<Database>,
  input: {
    id: string;
    tokenHash: string;
    identity: EnrolledIdentity;
    deviceName?: string;
    browser?: string;
    extensionVersion?: string;
    enrollmentCodeId: string;
    /** The profile's own id: an earlier row of the same installation is marked replaced by this one. */
    installationId?: string;
    now: Date;
  },
): Promise<void> {
  // The old token is gone from the device (enrolment overwrote it); its row stays for the
  // events that name it, folded into the new one in the list.
  // Its token is retired too: nobody legitimately holds it any more, and a row the list no
  // longer shows could not be revoked by hand.
  if (input.installationId) {
    await db
      .updateTable('devices')
      .set((eb) => ({
        replaced_by: input.id,
        revoked_at: eb.fn.coalesce('revoked_at', eb.val(input.now.toISOString())),
        revoked_by: eb.fn.coalesce('revoked_by', eb.val('re-enrolled')),
      }))
      .where('installation_id', '=', input.installationId)
      .where('replaced_by', 'is', null)
      .execute();
  }
  await db
    .insertInto('devices')
    .values({
      installation_id: input.installationId ?? null,
      id: input.id,
      token_hash: input.tokenHash,
      user_id: input.identity.userId,
      department: input.identity.department,
      display_name: input.identity.displayName,
      email: input.identity.email,
      subject: input.identity.subject,
      identity_source: input.identity.source,
      user_verified: input.identity.verified ? 1 : 0,
      device_name: input.deviceName ?? null,
      browser: input.browser ?? null,
      extension_version: input.extensionVersion ?? null,
      policy_version: null,
      queue_depth: null,
      enrollment_code_id: input.enrollmentCodeId,
      enrolled_at: input.now.toISOString(),
      last_seen_at: input.now.toISOString(),
    })
    .execute();
}

export async function findDeviceByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<AuthedDevice | null> {
  const row = await db
    .selectFrom('devices')
    .select(['id', 'user_id', 'department', 'user_verified'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, department: row.department, verified: Number(row.user_verified) === 1 } : null;
}

export async function recordHeartbeat(
  db: Kysely<Database>,
  deviceId: string,
  input: { extensionVersion: string; policyVersion: number; queueDepth: number; browser?: string; now: Date },
): Promise<void> {
  await db
    .updateTable('devices')
    .set({
      // The browser updates itself; a heartbeat that says which one keeps the list true.
      ...(input.browser ? { browser: input.browser } : {}),
      extension_version: input.extensionVersion,
      policy_version: input.policyVersion,
      queue_depth: input.queueDepth,
      last_seen_at: input.now.toISOString(),
    })
    .where('id', '=', deviceId)
    .execute();
}

/** A device is stale when its last heartbeat is older than `staleAfterHours`. */
export function isStale(lastSeenAt: string | null, enrolledAt: string, now: Date, staleAfterHours: number): boolean {
  const seen = Date.parse(lastSeenAt ?? enrolledAt);
  return now.getTime() - seen > staleAfterHours * 3_600_000;
}

/**
 * One row per device: a browser profile that enrolled again (same installation id) is listed
 * once, as its newest enrolment, with the number of enrolments; the older rows are kept for
 * the events that name them.
 */
export interface DeviceCounts {
  /** Every device row still in use (not replaced by a re-enrolment), revoked ones included. */
  all: number;
  /** Not revoked. */
  active: number;
  /** Active, not reported removed, and silent for more than `staleAfterHours` (as `isStale`). */
  stale: number;
  /** Active and reported removed (the uninstall page). */
  uninstalled: number;
}

/** The overview's and the report's device figures in one aggregate query (not by loading every device). */
export async function countDevices(db: Kysely<Database>, now: Date, staleAfterHours: number): Promise<DeviceCounts> {
  const cutoff = new Date(now.getTime() - staleAfterHours * 3_600_000).toISOString();
  const row = await db
    .selectFrom('devices')
    .where('replaced_by', 'is', null)
    .select((eb) => [
      eb.fn.countAll().as('all'),
      eb.fn.sum<number>(eb.case().when('revoked_at', 'is', null).then(1).else(0).end()).as('active'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(
              eb.and([
                eb('revoked_at', 'is', null),
                // A removed extension is its own alert (uninstalled), not a stale heartbeat.
                eb('uninstalled_at', 'is', null),
                eb(eb.fn.coalesce('last_seen_at', 'enrolled_at'), '<', cutoff),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('stale'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('revoked_at', 'is', null), eb('uninstalled_at', 'is not', null)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('uninstalled'),
    ])
    .executeTakeFirst();
  return {
    all: Number(row?.all ?? 0),
    active: Number(row?.active ?? 0),
    stale: Number(row?.stale ?? 0),
    uninstalled: Number(row?.uninstalled ?? 0),
  };
}

export async function listDevices(db: Kysely<Database>, now: Date, staleAfterHours: number): Promise<DeviceInfo[]> {
  const [rows, counts] = await Promise.all([
    db.selectFrom('devices').selectAll().where('replaced_by', 'is', null).orderBy('enrolled_at', 'desc').execute(),
    db
      .selectFrom('devices')
      .select((eb) => ['installation_id', eb.fn.countAll().as('n')])
      .where('installation_id', 'is not', null)
      .groupBy('installation_id')
      .execute(),
  ]);
  const enrollments = new Map(counts.map((row) => [row.installation_id, Number(row.n)]));
  return rows.map((row) => ({
    enrollments: (row.installation_id && enrollments.get(row.installation_id)) || 1,
    id: row.id,
    userId: row.user_id,
    department: row.department,
    deviceName: row.device_name,
    browser: row.browser,
    extensionVersion: row.extension_version,
    policyVersion: row.policy_version === null ? null : Number(row.policy_version),
    queueDepth: row.queue_depth === null ? null : Number(row.queue_depth),
    enrolledAt: row.enrolled_at,
    lastSeenAt: row.last_seen_at,
    // A removed extension is its own alert, not a stale heartbeat.
    stale: !row.revoked_at && !row.uninstalled_at && isStale(row.last_seen_at, row.enrolled_at, now, staleAfterHours),
    revokedAt: row.revoked_at,
    uninstalledAt: row.uninstalled_at ?? null,
    displayName: row.display_name ?? null,
    identitySource: (row.identity_source ?? 'self-declared') as IdentitySource,
    userVerified: Number(row.user_verified ?? 0) === 1,
  }));
}

/** Revokes a device's token (its events stay). False when there is no such active device. */
export async function revokeDevice(db: Kysely<Database>, deviceId: string, by: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('devices')
    .set({ revoked_at: now.toISOString(), revoked_by: by })
    .where('id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Records that the extension was removed from a device's browser (its uninstall page was
 * opened with the device's uninstall token). The first removal's time stays. 'unknown' for
 * a token no device made: nothing is written.
 */
export async function recordUninstall(db: Kysely<Database>, token: string, now: Date): Promise<'recorded' | 'already' | 'unknown'> {
  const deviceId = deviceIdOfToken(token);
  if (!deviceId) return 'unknown';
  const row = await db.selectFrom('devices').select(['token_hash', 'uninstalled_at']).where('id', '=', deviceId).executeTakeFirst();
  if (!row) return 'unknown';
  const expected = Buffer.from(await uninstallTokenFromDigest(deviceId, row.token_hash));
  const given = Buffer.from(token);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'unknown';
  if (row.uninstalled_at) return 'already';
  await db
    .updateTable('devices')
    .set({ uninstalled_at: now.toISOString() })
    .where('id', '=', deviceId)
    .where('uninstalled_at', 'is', null)
    .execute();
  return 'recorded';
}

/**
 * The overview's alerts, each list bounded (one indexed-order query per kind, never every
 * device): the newest removals, and the devices silent the longest.
 */
export async function deviceAlerts(db: Kysely<Database>, now: Date, staleAfterHours: number, limit: number) {
  const cutoff = new Date(now.getTime() - staleAfterHours * 3_600_000).toISOString();
  const columns = ['id', 'user_id', 'department', 'browser', 'last_seen_at', 'enrolled_at', 'uninstalled_at'] as const;
  const active = db.selectFrom('devices').select(columns).where('replaced_by', 'is', null).where('revoked_at', 'is', null);
  const [uninstalled, stale] = await Promise.all([
    active.where('uninstalled_at', 'is not', null).orderBy('uninstalled_at', 'desc').limit(limit).execute(),
    active
      .where('uninstalled_at', 'is', null)
      .where((eb) => eb(eb.fn.coalesce('last_seen_at', 'enrolled_at'), '<', cutoff))
      .orderBy((eb) => eb.fn.coalesce('last_seen_at', 'enrolled_at'), 'asc')
      .limit(limit)
      .execute(),
  ]);
  const alertOf = (row: (typeof stale)[number]) => ({
    deviceId: row.id,
    userId: row.user_id,
    department: row.department,
    browser: row.browser,
    lastSeenAt: row.last_seen_at ?? row.enrolled_at,
    uninstalledAt: row.uninstalled_at ?? null,
  });
  return { uninstalled: uninstalled.map(alertOf), stale: stale.map(alertOf) };
}
