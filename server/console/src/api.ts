/**
 * The console's client of the admin API, typed from the server's routes (`hc<AdminApi>`):
 * a route's input or answer changed on the server is a type error here, not a blank
 * page. Same origin, cookie session; non-GET calls carry the CSRF token that login and
 * /me hand out; every failure becomes an ApiError.
 */
import { hc, type ClientResponse } from 'hono/client';
import type { AdminApi } from '../../app';
import type { Action, Channel } from '../../../utils/policy/schema';
import type { Level } from '../../../utils/detect/types';

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

/** Every call: JSON answers asked for, the CSRF token on writes, the session cookie sent. */
const sessionFetch: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  return fetch(input, { ...init, headers, credentials: 'same-origin' });
};

const A = '/api/admin';
const api = hc<AdminApi>(A, { fetch: sessionFetch });

/** The `ok: true` body of a response type (its error bodies become ApiError). */
type OkBody<R> = R extends ClientResponse<infer Body, number, string> ? Extract<Body, { ok: true }> : never;
/** The `ok: true` body a client call answers with. */
type Answer<Call> = Call extends (...args: never[]) => Promise<infer R> ? OkBody<R> : never;

/** Awaits a call; a network failure, a non-2xx status or `ok: false` throws ApiError. */
async function settle<R extends ClientResponse<unknown, number, string>>(pending: Promise<R>, quiet401 = false): Promise<OkBody<R>> {
  let response: Response;
  try {
    response = (await pending) as unknown as Response;
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
  return data as OkBody<R>;
}

type Query = Record<string, string | number | undefined | null>;

/** Query values as the server reads them: strings, and nothing for empty filters. */
function queryOf(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') out[key] = String(value);
  }
  return out;
}

/** A GET URL with its query, for links the browser follows itself (CSV downloads). */
export function withQuery(path: string, query?: Query): string {
  const text = new URLSearchParams(queryOf(query ?? {})).toString();
  return text ? `${path}?${text}` : path;
}

// ── session ─────────────────────────────────────────────────────────────
export type SessionResponse = Answer<typeof api.me.$get>;
export type AdminUser = SessionResponse['user'];
export type Role = AdminUser['role'];
export async function login(username: string, password: string): Promise<SessionResponse> {
  const result = await settle(api.login.$post({ json: { username, password } }), true);
  csrfToken = result.csrfToken;
  return result;
}
export async function logout(): Promise<void> {
  try {
    await settle(api.logout.$post(), true);
  } finally {
    csrfToken = null;
  }
}
export async function me(): Promise<SessionResponse> {
  const result = await settle(api.me.$get(), true);
  csrfToken = result.csrfToken;
  return result;
}

// ── policy ──────────────────────────────────────────────────────────────
export type PublishedPolicy = NonNullable<Answer<typeof api.policy.$get>['current']>;
export type PolicyHistoryItem = Answer<typeof api.policy.history.$get>['items'][number];
export const getPolicy = () => settle(api.policy.$get());
export const getPolicyHistory = () => settle(api.policy.history.$get());
export const getPolicyVersion = (version: number) => settle(api.policy.versions[':version'].$get({ param: { version: String(version) } }));
export const validatePolicyOnServer = (policy: unknown) => settle(api.policy.validate.$post({ json: { policy } }));
export const publishPolicy = (policy: unknown, note?: string) =>
  settle(api.policy.publish.$post({ json: { policy, note: note || undefined } }));
export const rollbackPolicy = (version: number) => settle(api.policy.rollback.$post({ json: { version } }));

// ── events ──────────────────────────────────────────────────────────────
export type EventPage = Answer<typeof api.events.$get>;
export type AdminEvent = EventPage['items'][number];
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
  /** '1': an exact count (the list otherwise stops counting at 10,000). */
  exact?: '0' | '1';
}
export const getEvents = (filters: EventFilters) => settle(api.events.$get({ query: queryOf({ ...filters }) }));
export type TimelineBucket = Answer<typeof api.events.timeline.$get>['buckets'][number];
export const getTimeline = (query: { from?: string; to?: string; bucket: 'day' | 'hour' }) =>
  settle(api.events.timeline.$get({ query: queryOf(query) }));
/** The events page's current filters as a CSV download (UTF-8 with BOM, masked samples only). */
export const eventsCsvUrl = (filters: EventFilters) => withQuery(`${A}/events.csv`, { ...filters });

// ── overrides ───────────────────────────────────────────────────────────
export type OverrideItem = Answer<typeof api.overrides.$get>['items'][number];
export type OverrideState = OverrideItem['state'];
export const getOverrides = (state: OverrideState) => settle(api.overrides.$get({ query: { state } }));
/** Every state (the latest 1,000): where a request opened by id is. */
export const getAllOverrides = () => settle(api.overrides.$get({ query: {} }));
/** What the approver allows (server/lib/grant-scope.ts): the blocked content N times, or a time window. */
export interface ScopeChoice {
  scope?: 'content' | 'window';
  uses?: number;
  maxLevel?: '秘密' | '机密' | '绝密';
  maxFindings?: number;
  liftBulk?: boolean;
}
export const approveOverride = (id: string, durationMinutes: number, note?: string, choice: ScopeChoice = {}) =>
  settle(api.overrides[':id'].approve.$post({ param: { id }, json: { durationMinutes, note: note || undefined, ...choice } }));
export const denyOverride = (id: string, reason: string) => settle(api.overrides[':id'].deny.$post({ param: { id }, json: { reason } }));
export const revokeOverride = (id: string, reason?: string) =>
  settle(api.overrides[':id'].revoke.$post({ param: { id }, json: { reason: reason || undefined } }));

// ── devices and enrollment codes ────────────────────────────────────────
export type Device = Answer<typeof api.devices.$get>['items'][number];
export const getDevices = () => settle(api.devices.$get());
export const revokeDevice = (id: string) => settle(api.devices[':id'].revoke.$post({ param: { id } }));
export type EnrollmentCode = Answer<(typeof api)['enrollment-codes']['$get']>['items'][number];
export const getEnrollmentCodes = () => settle(api['enrollment-codes'].$get());
export const revokeEnrollmentCode = (id: string) => settle(api['enrollment-codes'][':id'].$delete({ param: { id } }));

// ── monthly report ──────────────────────────────────────────────────────
export type MonthlyReport = Answer<typeof api.reports.monthly.$get>;
export const getMonthlyReport = (month: string) => settle(api.reports.monthly.$get({ query: { month } }));
export const monthlyCsvUrl = (month: string) => withQuery(`${A}/reports/monthly.csv`, { month });

// ── audit log and users ─────────────────────────────────────────────────
export type AuditEntry = Answer<(typeof api)['audit-log']['$get']>['items'][number];
export const getAuditLog = (page: number) => settle(api['audit-log'].$get({ query: { page: String(page) } }));
export type ConsoleUser = Answer<typeof api.users.$get>['items'][number];
export const createUser = (input: { username: string; password: string; role: Role; displayName: string }) =>
  settle(api.users.$post({ json: input }));
export const getUsers = () => settle(api.users.$get());

// ── accounts ────────────────────────────────────────────────────────────
/** The signed-in user must replace a one-time password before anything else (login and /me say so). */
export const mustChangePassword = (user: AdminUser): boolean => user.mustChangePassword === true;
export const changeOwnPassword = (currentPassword: string, newPassword: string) =>
  settle(api.password.$post({ json: { currentPassword, newPassword } }));
export const resetUserPassword = (id: string) => settle(api.users[':id']['reset-password'].$post({ param: { id } }));
export const setUserRole = (id: string, role: Role) => settle(api.users[':id'].role.$post({ param: { id }, json: { role } }));
export const disableUser = (id: string) => settle(api.users[':id'].disable.$post({ param: { id } }));
export const enableUser = (id: string) => settle(api.users[':id'].enable.$post({ param: { id } }));
export const deleteUser = (id: string) => settle(api.users[':id'].$delete({ param: { id } }));
/** maxUses / expiresInDays: a number, null for "no limit", omitted for the server's default (100 devices, 7 days). */
export const createEnrollmentCode = (input: {
  label?: string;
  maxUses?: number | null;
  expiresInDays?: number | null;
  kind?: EnrollmentCode['kind'];
  issuedTo?: { userId: string; department?: string };
}) => settle(api['enrollment-codes'].$post({ json: input }));

// ── overview, leak reports, company name ───────────────────────────────
export type Overview = Answer<typeof api.overview.$get>;
export type BlockFigures = Overview['today'];
export const getOverview = () => settle(api.overview.$get());
export type Incident = Answer<typeof api.incidents.$get>['items'][number];
export type IncidentStatus = Incident['status'];
export const getIncidents = (filter: { status?: IncidentStatus | ''; page?: number; pageSize?: number }) =>
  settle(api.incidents.$get({ query: queryOf(filter) }));
export const setIncidentStatus = (id: string, status: IncidentStatus, note?: string) =>
  settle(api.incidents[':id'].status.$post({ param: { id }, json: { status, ...(note ? { note } : {}) } }));
export type CompanySetting = Answer<typeof api.settings.company.$get>;
export const getCompany = () => settle(api.settings.company.$get());
export const putCompany = (name: string) => settle(api.settings.company.$put({ json: { name } }));
export type RetentionSetting = Answer<typeof api.settings.retention.$get>;
export const getRetention = () => settle(api.settings.retention.$get());
export const putRetention = (days: { eventsDays: number; auditDays: number }) => settle(api.settings.retention.$put({ json: days }));

// ── approval alerts ─────────────────────────────────────────────────────
type AlertsApi = (typeof api)['alert-channels'];
export type AlertChannelsAnswer = Answer<AlertsApi['$get']>;
export type AlertChannelView = AlertChannelsAnswer['items'][number];
export type AlertDelivery = AlertChannelsAnswer['deliveries'][number];
export type AlertChannelInput = Parameters<AlertsApi['$post']>[0]['json'];
export type AlertTestResult = Answer<AlertsApi[':id']['test']['$post']>;
export const getAlertChannels = () => settle(api['alert-channels'].$get());
export const createAlertChannel = (input: AlertChannelInput) => settle(api['alert-channels'].$post({ json: input }));
export const updateAlertChannel = (id: string, input: AlertChannelInput) =>
  settle(api['alert-channels'][':id'].$put({ param: { id }, json: input }));
export const deleteAlertChannel = (id: string) => settle(api['alert-channels'][':id'].$delete({ param: { id } }));
export const testAlertChannel = (id: string) => settle(api['alert-channels'][':id'].test.$post({ param: { id } }));

// ── customer register ──────────────────────────────────────────────────
// The file travels as the request body (CSV text or XLSX bytes), not as JSON: sent with
// the session's fetch, its answer typed from the route like every other call.
export type RegisterInfo = NonNullable<Answer<(typeof api)['customer-register']['$get']>['current']>;
export type RegisterPreview = Answer<(typeof api)['customer-register']['preview']['$post']>;
export type RegisterMapping = RegisterPreview['mapping'];
export type RegisterField = keyof RegisterMapping;
export type CustomerIncidents = MonthlyReport['customers'];

function sendRegisterFile(path: string, file: Blob): Promise<Response> {
  return sessionFetch(path, { method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file });
}
export const getCustomerRegister = () => settle(api['customer-register'].$get());
export const previewCustomerRegister = (file: Blob) =>
  settle(sendRegisterFile(`${A}/customer-register/preview`, file) as ReturnType<(typeof api)['customer-register']['preview']['$post']>);
export const clearCustomerRegister = () => settle(api['customer-register'].$delete());
export const importCustomerRegister = (file: Blob, mapping: RegisterMapping) =>
  settle(
    sendRegisterFile(withQuery(`${A}/customer-register`, { mapping: JSON.stringify(mapping) }), file) as ReturnType<
      (typeof api)['customer-register']['$post']
    >,
  );

// ── deployment (issue 27) ──────────────────────────────────────────────
export type Deployment = Answer<typeof api.deployment.$get>;
export type Lockdown = Deployment['defaultLockdown'];
export type PolicyFile = Answer<(typeof api.deployment)['policy-files']['$post']>['files'][number];
export const getDeployment = () => settle(api.deployment.$get());
export const makePolicyFiles = (enrollmentCode: string, lockdown: Lockdown) =>
  settle(api.deployment['policy-files'].$post({ json: { enrollmentCode, lockdown } }));

// ── who is who (issue 27): SSO and identity settings ────────────────────
export const getSsoStatus = () => settle(api.sso.$get(), true);
export type IdentitySettings = Answer<(typeof api.settings.identity)['$get']>;
export type GroupRoleRule = IdentitySettings['groupRoles'][number];
export const getIdentitySettings = () => settle(api.settings.identity.$get());
export const putIdentitySettings = (input: { selfDeclared: boolean; groupRoles: GroupRoleRule[] }) =>
  settle(api.settings.identity.$put({ json: input }));
