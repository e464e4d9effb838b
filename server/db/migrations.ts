/**
 * Schema migrations, in code (no files to ship or find). Only portable DDL: text ids,
 * `integer` numbers, text times — the same migration runs on SQLite and PostgreSQL.
 * A published migration is never edited; a change adds a new one.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('policy_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('enrollment_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code_hash', 'text', (c) => c.notNull().unique())
        .addColumn('code_hint', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('max_uses', 'integer')
        .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('device_name', 'text')
        .addColumn('browser', 'text')
        .addColumn('extension_version', 'text')
        .addColumn('policy_version', 'integer')
        .addColumn('queue_depth', 'integer')
        .addColumn('enrollment_code_id', 'text')
        .addColumn('enrolled_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .execute();

      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('destination', 'text')
        .addColumn('channel', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text')
        .addColumn('level', 'text')
        .addColumn('policy_version', 'integer', (c) => c.notNull())
        .addColumn('grant_id', 'text')
        .addColumn('finding_count', 'integer', (c) => c.notNull())
        .addColumn('findings', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('extension_version', 'text')
        .execute();
      // Few indexes on purpose: every one slows ingest. Admin filters start from a time range.
      await db.schema.createIndex('events_time_idx').on('events').column('time').execute();
      await db.schema.createIndex('events_device_time_idx').on('events').columns(['device_id', 'time']).execute();

      await db.schema
        .createTable('overrides')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('duration_minutes', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decision_note', 'text')
        .addColumn('approved_minutes', 'integer')
        .addColumn('expires_at', 'text')
        .addColumn('grant_json', 'text')
        .execute();
      await db.schema.createIndex('overrides_state_idx').on('overrides').columns(['state', 'requested_at']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
    },
  },
  // A lost or reassigned laptop: its token stops working, its history stays.
  '0002_device_revocation': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('devices').addColumn('revoked_at', 'text').execute();
      await db.schema.alterTable('devices').addColumn('revoked_by', 'text').execute();
    },
  },
  // Hardening (issue 14): key fingerprints shared by every process of one database, and
  // the login throttle in the database (shared by processes, survives restarts).
  '0003_server_keys_login_throttle': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('server_keys')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('login_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_failure_at', 'text', (c) => c.notNull())
        .addColumn('last_failure_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute();
      await db.schema
        .createTable('known_logins')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // The approver sees the block behind a request (level, rule, masked samples); a grant
  // can be revoked before it expires (the signed revocation travels to the device).
  '0004_override_context_and_revocation': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('overrides').addColumn('level', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('rule_id', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('masked', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('revoked_at', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('revoked_by', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('revocation_json', 'text').execute();
    },
  },
  // Accounts have a lifecycle (issue 13 item 6): a password that must be changed at the
  // next login (reset by an admin, generated at first start), and disabled accounts.
  '0005_accounts_lifecycle': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('users')
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
      await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();
    },
  },
  // Issue 13: staff report suspected leaks (incidents with a handling status), the company
  // name on the report (settings), and one row per browser profile when it enrols again
  // (the device's installation id; the older row points at the one that replaced it).
  '0006_incidents_and_company': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('origin', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('reported_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_note', 'text')
        .addColumn('status_by', 'text')
        .addColumn('status_at', 'text')
        .execute();
      await db.schema.createIndex('incidents_status_idx').on('incidents').columns(['status', 'reported_at']).execute();
      await db.schema
        .createTable('settings')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('devices').addColumn('installation_id', 'text').execute();
      await db.schema.alterTable('devices').addColumn('replaced_by', 'text').execute();
      await db.schema.createIndex('devices_installation_idx').on('devices').column('installation_id').execute();
    },
  },
  // Customer register (issue 15): versions of the device structure (keyed hashes only,
  // the payload kept for the latest version), the current customers' keyed hashes and
  // levels, and the customer's level and keyed hash on events.
  '0007_customer_register': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('customer_register_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('customer_count', 'integer', (c) => c.notNull())
        .addColumn('identifier_count', 'integer', (c) => c.notNull())
        .addColumn('level_counts', 'text', (c) => c.notNull())
        .addColumn('payload', 'text')
        .execute();
      await db.schema
        .createTable('customer_register_customers')
        .addColumn('customer_hash', 'text', (c) => c.primaryKey())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('events').addColumn('customer_level', 'text').execute();
      await db.schema.alterTable('events').addColumn('customer_hash', 'text').execute();
    },
  },
  // Grants mean what they say (issue 26): the request carries what was blocked (reasons,
  // counts, file, destination) and keyed fingerprints of the blocked findings; the approver's
  // chosen scope is kept beside the signed grant, and the grant id is a column so events let
  // through by a grant can be joined to who approved it.
  '0008_override_scope': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('overrides').addColumn('detail', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('fingerprints', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('scope_json', 'text').execute();
      await db.schema.alterTable('overrides').addColumn('grant_id', 'text').execute();
      await db.schema.createIndex('overrides_grant_id').on('overrides').column('grant_id').execute();
      await db.schema.createIndex('events_grant_id').on('events').column('grant_id').execute();
    },
  },
  // Approval alerts (issue 26 item 5): the channels an IT admin configures (URLs and
  // secrets sealed under the data directory's key) and the delivery outbox the
  // dispatcher claims rows from (a lease, so several processes never send one row twice
  // at once; a process that died mid-send leaves a lease that runs out).
  '0009_alerts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alert_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('url_sealed', 'text')
        .addColumn('url_hint', 'text')
        .addColumn('secret_sealed', 'text')
        .addColumn('email_json', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alert_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('override_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('last_attempt_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_deliveries_due_idx').on('alert_deliveries').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('alert_deliveries_created_idx').on('alert_deliveries').column('created_at').execute();
    },
  },
  // Who is who (issue 27): the identity a device enrolled with and how it was proven, the
  // kind of an enrollment code (and the person a personal code was issued to), whether the
  // user on an event, request or report is verified (0 for rows from before: their names
  // were typed freely), OIDC login attempts and single-use tickets, and SSO console users.
  '0010_identity': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('enrollment_codes')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('general'))
        .execute();
      await db.schema.alterTable('enrollment_codes').addColumn('issued_to_user_id', 'text').execute();
      await db.schema.alterTable('enrollment_codes').addColumn('issued_to_department', 'text').execute();
      // The code from BAOMI_ENROLLMENT_CODE is the one scripted deployments write into the policy.
      await db.updateTable('enrollment_codes').set({ kind: 'managed-deployment' }).where('label', '=', 'BAOMI_ENROLLMENT_CODE').execute();
      await db.schema
        .alterTable('devices')
        .addColumn('identity_source', 'text', (c) => c.notNull().defaultTo('self-declared'))
        .execute();
      for (const table of ['devices', 'events', 'overrides', 'incidents']) {
        await db.schema
          .alterTable(table)
          .addColumn('user_verified', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      }
      await db.schema.alterTable('devices').addColumn('display_name', 'text').execute();
      await db.schema.alterTable('devices').addColumn('email', 'text').execute();
      await db.schema.alterTable('devices').addColumn('subject', 'text').execute();
      await db.schema.alterTable('users').addColumn('sso_subject', 'text').execute();
      await db.schema.createIndex('users_sso_subject_idx').unique().on('users').column('sso_subject').execute();
      await db.schema
        .createTable('oidc_logins')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('device_challenge', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ticket_hash', 'text')
        .addColumn('claims', 'text')
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('oidc_logins_ticket_idx').unique().on('oidc_logins').column('ticket_hash').execute();
    },
  },
  // Operations at scale (issue 28): the events list filters by level or channel and orders
  // by time, id — these serve a filtered page 1 from the index instead of scanning the
  // filter's whole time range. Two indexes only: each one costs every insert.
  '0011_scale': {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('events_level_time_idx').on('events').columns(['level', 'time', 'id']).execute();
      await db.schema.createIndex('events_channel_time_idx').on('events').columns(['channel', 'time', 'id']).execute();
    },
  },
  // Tamper signals (issue 27 item 5): when the extension was removed from a device's browser
  // (its runtime.setUninstallURL page was opened).
  '0012_deployment': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('devices').addColumn('uninstalled_at', 'text').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Database migration ${migration ?? '(unknown)'} failed`, options);
    this.name = 'MigrationFailedError';
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // Unordered: migrations written side by side may land in another order than their numbers
  // (0008 after 0009 and 0011); each is applied once whatever the order.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationFailedError(failed?.migrationName, { cause: error });
  }
}
