/**
 * Thin typed client of the admin API (same origin, cookie session). One function per
 * call; every failure becomes an ApiError. Non-GET calls carry the CSRF token that
 * login and /me hand out.
 */
import type { Action, Channel, Policy } from '../../../utils/policy/schema';
import type { Level } from '../../../utils/detect/types';
import type { ViolationEvent } from '../../../utils/events/schema';

export type Role = 'it-admin' | 'info-officer' | 'approver' | 'auditor';
export interface AdminUser {
  username: string;
  role: Role;
  displayName: string;
}
export interface Issue {
  path: string;
  message: string;
  /** zod's issue code or ours (raw-number, duplicate-rule-id, origin-pattern); lib/server-text.ts words it. */
  code?: string;
  limit?: number | string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Called when any call (other than login and /me) answers 401: the session is gone. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, quiet401 = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause), [], { cause });
  }
  let data: unknown = null;
  try {
    data = await response.json();
  } catch {
    // Not JSON (a proxy's error page, an empty 204): judged by the status below.
  }
  const record = (data ?? {}) as { ok?: boolean; error?: { code?: string; message?: string; issues?: Issue[] } };
  if (!response.ok || record.ok === false) {
    if (response.status === 401 && !quiet401) onUnauthorized?.();
    const error = record.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? `http-${response.status}`,
      error.message ?? response.statusText ?? 'request failed',
      Array.isArray(error.issues) ? error.issues : [],
    );
  }
  return data as T;
}

const A = '/api/admin';

// ── session ─────────────────────────────────────────────────────────────
export interface SessionResponse {
  ok: true;
  user: AdminUser;
  csrfToken: string;
}
export async function login(username: string, password: string): Promise<SessionResponse> {
  const result = await request<SessionResponse>('POST', `${A}/login`, { username, password }, true);
  csrfToken = result.csrfToken;
  return result;
}
export async function logout(): Promise<void> {
  try {
    await request('POST', `${A}/logout`, {}, true);
  } finally {
    csrfToken = null;
  }
}
export async function me(): Promise<SessionResponse> {
  const result = await request<SessionResponse>('GET', `${A}/me`, undefined, true);
  csrfToken = result.csrfToken;
  return result;
}

// ── policy ──────────────────────────────────────────────────────────────
export interface PublishedPolicy {
  version: number;
  policy: Policy;
  publishedAt: string | null;
  publishedBy: string | null;
  note: string | null;
}
export interface PolicyHistoryItem {
  version: number;
  publishedAt: string | null;
  publishedBy: string | null;
  note: string | null;
}
export const getPolicy = () => request<{ ok: true; current: PublishedPolicy | null }>('GET', `${A}/policy`);
export const getPolicyHistory = () => request<{ ok: true; items: PolicyHistoryItem[] }>('GET', `${A}/policy/history`);
export const getPolicyVersion = (version: number) =>
  request<{ ok: true } & PublishedPolicy>('GET', `${A}/policy/versions/${encodeURIComponent(version)}`);
export const validatePolicyOnServer = (policy: unknown) =>
  request<{ ok: true; valid: boolean; errors: Issue[] }>('POST', `${A}/policy/validate`, { policy });
export const publishPolicy = (policy: unknown, note?: string) =>
  request<{ ok: true; version: number }>('POST', `${A}/policy/publish`, { policy, note: note || undefined });
export const rollbackPolicy = (version: number) =>
  request<{ ok: true; version: number }>('POST', `${A}/policy/rollback`, { version });

// ── events ──────────────────────────────────────────────────────────────
export type AdminEvent = ViolationEvent & { receivedAt?: string };
export interface EventFilters {
  from?: string;
  to?: string;
  userId?: string;
  deviceId?: string;
  origin?: string;
  channel?: Channel | '';
  level?: Level | '';
  action?: Action | '';
  page?: number;
  pageSize?: number;
}
export interface EventPage {
  ok: true;
  items: AdminEvent[];
  total: number;
  page: number;
  pageSize: number;
}
export const getEvents = (filters: EventFilters) => request<EventPage>('GET', withQuery(`${A}/events`, { ...filters }));
export interface TimelineBucket {
  start: string;
  count: number;
  byLevel?: Partial<Record<Level, number>>;
}
export const getTimeline = (query: { from?: string; to?: string; bucket: 'day' | 'hour' }) =>
  request<{ ok: true; buckets: TimelineBucket[]; utcOffsetMinutes?: number }>('GET', withQuery(`${A}/events/timeline`, query));

// ── overrides ───────────────────────────────────────────────────────────
export type OverrideState = 'pending' | 'approved' | 'denied' | 'expired' | 'revoked';
export interface OverrideItem {
  id: string;
  deviceId: string;
  userId: string;
  origin: string;
  channel: Channel;
  reason: string;
  durationMinutes: number;
  state: OverrideState;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
  expiresAt: string | null;
  /** The block behind the request (null for requests made before devices sent it). */
  level: Level | null;
  ruleId: string | null;
  /** The rule's description in the current policy ("中文 / English"). */
  ruleDescription: string | null;
  masked: string[];
  department: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}
export const getOverrides = (state: OverrideState) =>
  request<{ ok: true; items: OverrideItem[] }>('GET', withQuery(`${A}/overrides`, { state }));
export const approveOverride = (id: string, durationMinutes: number, note?: string) =>
  request<{ ok: true }>('POST', `${A}/overrides/${encodeURIComponent(id)}/approve`, {
    durationMinutes,
    note: note || undefined,
  });
export const denyOverride = (id: string, reason: string) =>
  request<{ ok: true }>('POST', `${A}/overrides/${encodeURIComponent(id)}/deny`, { reason });
export const revokeOverride = (id: string, reason?: string) =>
  request<{ ok: true }>('POST', `${A}/overrides/${encodeURIComponent(id)}/revoke`, { reason: reason || undefined });

// ── devices and enrollment codes ────────────────────────────────────────
export interface Device {
  id: string;
  userId: string;
  department: string | null;
  deviceName: string | null;
  browser: string | null;
  extensionVersion: string | null;
  policyVersion: number | null;
  queueDepth: number | null;
  enrolledAt: string | null;
  lastSeenAt: string | null;
  stale: boolean;
  /** Set when revoked: the device's token no longer works. */
  revokedAt?: string | null;
}
export const getDevices = () => request<{ ok: true; items: Device[] }>('GET', `${A}/devices`);
export const revokeDevice = (id: string) =>
  request<{ ok: true; id: string; revokedAt: string }>('POST', `${A}/devices/${encodeURIComponent(id)}/revoke`, {});
export interface EnrollmentCode {
  id: string;
  /** The server may keep only a hash and list a hint (`AB12…`) instead of the code. */
  code?: string;
  hint?: string;
  status?: 'active' | 'revoked' | 'expired' | 'used-up' | string;
  label: string | null;
  uses: number;
  maxUses: number | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string | null;
}
export const getEnrollmentCodes = () => request<{ ok: true; items: EnrollmentCode[] }>('GET', `${A}/enrollment-codes`);
export const createEnrollmentCode = (input: { label?: string; maxUses?: number; expiresInDays?: number }) =>
  request<{ ok: true; code: string; id: string }>('POST', `${A}/enrollment-codes`, input);
export const revokeEnrollmentCode = (id: string) =>
  request<{ ok: true }>('DELETE', `${A}/enrollment-codes/${encodeURIComponent(id)}`);

// ── monthly report ──────────────────────────────────────────────────────
export interface MonthlyReport {
  ok: true;
  month: string;
  totals: { events: number; blocked: number; warned: number; audited: number; allowed?: number; findings?: number; users?: number };
  byLevel: Record<string, number>;
  byChannel: Record<string, number>;
  byDepartment: { department: string | null; count: number }[];
  byUser: { userId: string; department?: string | null; count: number; blocked: number }[];
  topDestinations: { destination: string | null; count: number }[];
  overrides: { requested: number; approved: number; denied: number; pending?: number };
  /** A list, or only a count (then the console lists stale devices from /devices). */
  staleDevices: Partial<Device>[] | number;
  devices: { total: number; stale: number } | number;
  topRules?: { ruleId: string; count: number; description: string | null }[];
  previous?: { month: string; events: number; blocked: number };
  borrowRegister?: {
    id: string;
    requestedAt: string;
    userId: string;
    department: string | null;
    approver: string | null;
    reason: string;
    origin: string;
    channel: Channel;
    level: Level | null;
    approvedAt: string | null;
    minutes: number;
    expiresAt: string | null;
    ended: 'active' | 'expired' | 'revoked';
    endedAt: string | null;
    revokedBy: string | null;
  }[];
}
export const getMonthlyReport = (month: string) =>
  request<MonthlyReport>('GET', withQuery(`${A}/reports/monthly`, { month }));
/** The events page's current filters as a CSV download (UTF-8 with BOM, masked samples only). */
export const eventsCsvUrl = (filters: EventFilters) => withQuery(`${A}/events.csv`, { ...filters });
export const monthlyCsvUrl = (month: string) => withQuery(`${A}/reports/monthly.csv`, { month });

// ── audit log and users ─────────────────────────────────────────────────
export interface AuditEntry {
  id: string | number;
  /** `time` in the spec; the server may call it `at`. */
  time?: string;
  at?: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
}
export const getAuditLog = (page: number) =>
  request<{ ok: true; items: AuditEntry[]; total: number; page?: number; pageSize?: number }>(
    'GET',
    withQuery(`${A}/audit-log`, { page }),
  );
export interface ConsoleUser extends AdminUser {
  createdAt?: string | null;
}
export const getUsers = () => request<{ ok: true; items: ConsoleUser[] }>('GET', `${A}/users`);
export const createUser = (input: { username: string; password: string; role: Role; displayName: string }) =>
  request<{ ok: true }>('POST', `${A}/users`, input);

// --- register ---
// Customer register (issue 15): the file travels as the request body (CSV text or XLSX
// bytes), so these calls do not go through the JSON `request` above.
export type RegisterField = 'name' | 'contacts' | 'mobile' | 'phone' | 'idNumber' | 'level';
export type RegisterMapping = Partial<Record<RegisterField, number>>;
export interface RegisterPreview {
  format: 'csv' | 'xlsx';
  columns: string[];
  rows: string[][];
  rowCount: number;
  mapping: RegisterMapping;
}
export interface RegisterInfo {
  version: number;
  importedAt: string;
  importedBy: string;
  source: string;
  customerCount: number;
  identifierCount: number;
  levelCounts: Partial<Record<Level, number>>;
}

async function sendRegisterFile<T>(path: string, file: Blob): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
      credentials: 'same-origin',
      body: file,
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause), [], { cause });
  }
  const data = (await response.json().catch(() => null)) as { ok?: boolean; error?: { code?: string; message?: string; issues?: Issue[] } } | null;
  if (!response.ok || data?.ok === false) {
    if (response.status === 401) onUnauthorized?.();
    throw new ApiError(response.status, data?.error?.code ?? 'http_error', data?.error?.message ?? `HTTP ${response.status}`, data?.error?.issues ?? []);
  }
  return data as T;
}

export const getCustomerRegister = () => request<{ ok: true; current: RegisterInfo | null }>('GET', `${A}/customer-register`);
export const previewCustomerRegister = (file: Blob) => sendRegisterFile<RegisterPreview & { ok: true }>(`${A}/customer-register/preview`, file);
export const importCustomerRegister = (file: Blob, mapping: RegisterMapping) =>
  sendRegisterFile<{ ok: true; register: RegisterInfo }>(withQuery(`${A}/customer-register`, { mapping: JSON.stringify(mapping) }), file);
export interface CustomerIncidents {
  distinct: number;
  byLevel: Partial<Record<Level, { incidents: number; customers: number }>>;
}
export const getCustomerIncidents = (month: string) =>
  request<{ ok: true; customers?: CustomerIncidents }>('GET', withQuery(`${A}/reports/monthly`, { month }));
