/** In-process test server on a temp SQLite file, with a movable clock and login helpers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareServer, type PreparedServer, type StartOptions } from '../../../server/start';
import { createUser, type Role } from '../../../server/db/repositories/users';
import { hashPassword } from '../../../server/lib/secrets';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { ViolationEventInput } from '../../../utils/events/schema';
import type { AuthedDevice } from '../../../server/db/repositories/devices';

export const ENROLL_CODE = 'TEST-CODE-1234';
export const ADMIN_PASSWORD = 'admin-password-1';
export const START = new Date('2026-03-15T08:00:00.000Z');

export interface TestServer extends PreparedServer {
  dir: string;
  now(): Date;
  advance(ms: number): void;
  cleanup(): Promise<void>;
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export async function createTestServer(options: Partial<StartOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'baomi-server-test-'));
  let now = new Date(START);
  const prepared = await prepareServer({
    dataDir: dir,
    databaseUrl: '',
    adminPassword: ADMIN_PASSWORD,
    enrollmentCode: ENROLL_CODE,
    rateLimits: false,
    clock: () => now,
    consoleDir: join(dir, 'no-console'),
    env: {},
    ...options,
  });
  return {
    ...prepared,
    dir,
    now: () => now,
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    cleanup: async () => {
      await prepared.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
    request: (path, init = {}) => {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set('Content-Type', 'application/json');
      return Promise.resolve(prepared.app.request(path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body }));
    },
  };
}

export interface EnrolledDevice {
  deviceId: string;
  deviceToken: string;
  publicKey: string;
  keyId: string;
  hashKey: string;
  auth: Record<string, string>;
}

export async function enroll(server: TestServer, userId = 'zhang.san'): Promise<EnrolledDevice> {
  const res = await server.request('/api/v1/enroll', {
    method: 'POST',
    json: { code: ENROLL_CODE, userId, department: '市场部', deviceName: 'PC-01', browser: 'Chrome 140', extensionVersion: '0.1.0' },
  });
  if (res.status !== 201) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as Omit<EnrolledDevice, 'auth'>;
  return { ...body, auth: { Authorization: `Bearer ${body.deviceToken}` } };
}

export interface AdminLogin {
  cookie: string;
  csrf: string;
  /** Headers for GET (cookie) and for writes (cookie + CSRF). */
  get: Record<string, string>;
  write: Record<string, string>;
}

export async function login(server: TestServer, username: string, password: string): Promise<AdminLogin> {
  const res = await server.request('/api/admin/login', { method: 'POST', json: { username, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken, get: { Cookie: cookie }, write: { Cookie: cookie, 'X-CSRF-Token': csrfToken } };
}

/** Creates a user of `role` (password `${role}-password`) and logs in. */
export async function loginAs(server: TestServer, role: Role): Promise<AdminLogin> {
  if (role === 'it-admin') return login(server, 'admin', ADMIN_PASSWORD);
  const username = `${role}-user`;
  try {
    await createUser(server.db, {
      username,
      passwordHash: await hashPassword(`${role}-password`),
      role,
      displayName: role,
      now: server.now(),
    });
  } catch {
    // already there
  }
  return login(server, username, `${role}-password`);
}

const HASH = 'a'.repeat(64);

export function makeEvent(deviceId: string, patch: Partial<ViolationEventInput> = {}, now = Date.now()): ViolationEventInput {
  return {
    id: uuidv7(now),
    kind: 'violation',
    time: new Date(now).toISOString(),
    deviceId,
    userId: 'zhang.san',
    department: '市场部',
    origin: 'https://crm.example.com',
    destination: 'https://mail.example.org',
    channel: 'copy',
    action: 'block-with-override',
    ruleId: 'no-copy-out',
    level: '秘密',
    policyVersion: 1,
    grantId: null,
    findings: [{ type: 'mobile', level: '秘密', masked: '138****5678', hash: HASH }],
    findingCount: 1,
    extensionVersion: '0.1.0',
    ...patch,
  };
}

/** A device of a bearer token as event intake sees it (prepareBatch), enrolled as a verified user. */
export function asDevice(id: string, userId = 'zhang.san'): AuthedDevice {
  return { id, userId, department: '市场部', verified: true };
}
