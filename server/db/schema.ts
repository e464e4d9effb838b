/**
 * Table types for Kysely. Times are ISO-8601 UTC strings (`2026-01-02T03:04:05.678Z`)
 * in both SQLite and PostgreSQL: they sort and compare as text, and the same queries
 * (range filters, `substr` buckets) run unchanged on both.
 */
import type { Generated } from 'kysely';

export interface PolicyVersionTable {
  version: number;
  /** JSON of the policy (its `version` field equals the row's). */
  policy: string;
  published_at: string;
  published_by: string;
  note: string | null;
}

export interface UserTable {
  id: string;
  username: string;
  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  password_hash: string;
  role: string;
  display_name: string;
  created_at: string;
  /** 1 while the user must choose a new password before anything else (migration 0005). */
  must_change_password: Generated<number>;
  disabled_at: string | null;
  password_changed_at: string | null;
  /** Set for a user who signs in through the company's identity provider (migration 0010): its OIDC subject. */
  sso_subject?: string | null;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie value; the value itself is never stored. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface EnrollmentCodeTable {
  id: string;
  /** SHA-256 (hex) of the code; the code is shown once at creation. */
  code_hash: string;
  /** First characters, so admins can tell codes apart. */
  code_hint: string;
  label: string | null;
  max_uses: number | null;
  uses: Generated<number>;
  expires_at: string | null;
  revoked_at: string | null;
  created_by: string;
  created_at: string;
  /** 'general' | 'managed-deployment' | 'personal' (migration 0010; server/lib/identity.ts). */
  kind?: Generated<string>;
  /** A personal code: the person it was issued to. */
  issued_to_user_id?: string | null;
  issued_to_department?: string | null;
}

export interface DeviceTable {
  id: string;
  token_hash: string;
  user_id: string;
  department: string | null;
  device_name: string | null;
  browser: string | null;
  extension_version: string | null;
  policy_version: number | null;
  queue_depth: number | null;
  enrollment_code_id: string | null;
  enrolled_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  /** The browser profile's own id (migration 0006), the same across re-enrolments. */
  installation_id?: string | null;
  /** Set on an older row when the same installation enrolled again: the id of the newer row. */
  replaced_by?: string | null;
  /** When the extension's uninstall page reported it removed (migration 0012). */
  uninstalled_at?: string | null;
  /** How the identity was proven (migration 0010): 'oidc' | 'managed' | 'personal-code' | 'self-declared' | 'unassigned'. */
  identity_source?: Generated<string>;
  /** 1 unless self-declared (rows from before 0010 were typed freely: 0). */
  user_verified?: Generated<number>;
  display_name?: string | null;
  email?: string | null;
  /** The OIDC subject (`sub`) when enrolled through the identity provider. */
  subject?: string | null;
}

export interface EventTable {
  id: string;
  device_id: string;
  user_id: string;
  department: string | null;
  kind: string;
  time: string;
  received_at: string;
  origin: string;
  destination: string | null;
  channel: string | null;
  action: string;
  rule_id: string | null;
  level: string | null;
  policy_version: number;
  grant_id: string | null;
  finding_count: number;
  /** JSON array of {type, level, masked, hash}. */
  findings: string;
  /** JSON object or null. */
  detail: string | null;
  extension_version: string | null;
  /** Customer register (migration 0007): the highest level of a register customer touched, and its keyed hash (12 hex). */
  customer_level?: string | null;
  customer_hash?: string | null;
  /** The enrolled identity of the device was verified (migration 0010); the user fields are the device's, never the event's. */
  user_verified?: number;
}

export interface OverrideTable {
  id: string;
  device_id: string;
  user_id: string;
  origin: string;
  channel: string;
  reason: string;
  duration_minutes: number;
  state: string;
  requested_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_note: string | null;
  approved_minutes: number | null;
  expires_at: string | null;
  /** JSON of the signed grant once approved. */
  grant_json: string | null;
  /** The block behind the request (migration 0003): level, rule, JSON array of masked samples. */
  level?: string | null;
  rule_id?: string | null;
  masked?: string | null;
  revoked_at?: string | null;
  revoked_by?: string | null;
  /** JSON of the signed revocation. */
  revocation_json?: string | null;
  /** What was blocked (migration 0008): JSON of BlockDetail (reasons, counts, file, destination). */
  detail?: string | null;
  /** JSON array of keyed fingerprints of the blocked findings (what a content grant opens). */
  fingerprints?: string | null;
  /** JSON of the scope the approver chose. */
  scope_json?: string | null;
  grant_id?: string | null;
  /** 1 when the device's enrolled identity is verified (migration 0010). */
  user_verified?: number;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  /** JSON with what changed (never secrets). */
  detail: string | null;
}

/** Fingerprints of the keys in the data dir of the first process that used this database. */
export interface ServerKeyTable {
  /** 'signing' | 'hash' */
  name: string;
  /** signing: the key id; hash: a keyed digest of the hashing key (never the key). */
  fingerprint: string;
  created_at: string;
}

/** Failed logins per key (`ip:…`, `account:user|source`), shared by every server process. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failure_at: string;
  last_failure_at: string;
  locked_until: string | null;
}

/** Browsers that logged in as a user before (cookie `baomi_known`, SHA-256 kept here). */
export interface KnownLoginTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** A suspected leak reported by staff (domain policy article 13), and its handling. */
export interface IncidentTable {
  /** Made by the device (UUIDv7): a resend after a lost answer is stored once. */
  id: string;
  device_id: string;
  user_id: string;
  department: string | null;
  /** The page's origin when reported from a page (never its text or path). */
  origin: string | null;
  description: string;
  occurred_at: string;
  reported_at: string;
  /** 'new' | 'investigating' | 'closed' */
  status: string;
  status_note: string | null;
  status_by: string | null;
  status_at: string | null;
  /** 1 when the device's enrolled identity is verified (migration 0010). */
  user_verified?: number;
}

/** Company-wide settings an admin sets in the console (e.g. `company-name`). */
export interface SettingTable {
  name: string;
  value: string;
  updated_at: string;
  updated_by: string;
}

/** One import of the customer register (issue 15). */
export interface CustomerRegisterVersionTable {
  version: number;
  imported_at: string;
  imported_by: string;
  /** 'csv' | 'xlsx' */
  source: string;
  customer_count: number;
  identifier_count: number;
  /** JSON {秘密: n, 机密: n, 绝密: n}. */
  level_counts: string;
  /** JSON of the RegisterPayload (truncated keyed hashes only); null once a newer version exists. */
  payload: string | null;
}

/** The current register's customers: keyed hash of the normalized name, never the name. */
export interface CustomerRegisterCustomerTable {
  customer_hash: string;
  level: string;
  version: number;
}

/** An approval-alert channel (issue 26 item 5). URL and secret sealed (server/lib/sealed-text.ts). */
export interface AlertChannelTable {
  id: string;
  /** 'wecom' | 'dingtalk' | 'feishu' | 'webhook' | 'email' */
  kind: string;
  name: string;
  /** 1 or 0 */
  enabled: number;
  url_sealed: string | null;
  /** What the console shows of the URL (its tokens cut short). */
  url_hint: string | null;
  /** Signing secret (robots, webhook) or SMTP password. */
  secret_sealed: string | null;
  /** JSON of the SMTP settings and recipients (email only). */
  email_json: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

/** One alert to one channel: the outbox row the dispatcher claims, retries and reports. */
export interface AlertDeliveryTable {
  id: string;
  channel_id: string;
  override_id: string;
  /** 'pending' | 'delivered' | 'failed' | 'cancelled' */
  state: string;
  attempts: number;
  next_attempt_at: string;
  /** Set while a process is sending it; a claim past it may take the row again. */
  lease_until: string | null;
  last_attempt_at: string | null;
  /** JSON {code, detail} of the last failure. */
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** An OIDC login in progress (state, nonce, PKCE verifier), then its single-use ticket (migration 0010). */
export interface OidcLoginTable {
  /** SHA-256 of the `state` sent to the identity provider. */
  state_hash: string;
  /** 'enroll' | 'console' */
  purpose: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  /** Enrollment: SHA-256 (base64url) of the extension's own verifier; the ticket is redeemed only with it. */
  device_challenge: string | null;
  created_at: string;
  expires_at: string;
  /** SHA-256 of the ticket handed back once the login succeeded. */
  ticket_hash: string | null;
  /** JSON of the identity read from the claims. */
  claims: string | null;
  used_at: string | null;
}

export interface Database {
  policy_versions: PolicyVersionTable;
  users: UserTable;
  sessions: SessionTable;
  enrollment_codes: EnrollmentCodeTable;
  devices: DeviceTable;
  events: EventTable;
  overrides: OverrideTable;
  audit_log: AuditLogTable;
  server_keys: ServerKeyTable;
  login_throttle: LoginThrottleTable;
  known_logins: KnownLoginTable;
  incidents: IncidentTable;
  settings: SettingTable;
  customer_register_versions: CustomerRegisterVersionTable;
  customer_register_customers: CustomerRegisterCustomerTable;
  alert_channels: AlertChannelTable;
  alert_deliveries: AlertDeliveryTable;
  oidc_logins: OidcLoginTable;
}
