/**
 * Request bodies over real HTTP: the server runs in its own process on loopback (as
 * deployed; a client in the server's own process hides the connection reset) and Node's
 * own clients talk to it. The largest batch the extension can make is accepted, and an
 * oversized body gets a 413 the client can read instead of a connection reset. A customer
 * register import carries a whole CRM export: its routes read up to 32 MB, the rest 1 MB.
 */
import 'fake-indexeddb/auto';
import { fork, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_MAX_BODY_BYTES, REGISTER_MAX_BODY_BYTES } from '../../../server/context';
import { openEventDatabase } from '../../../utils/sync/event-db';
import { createEventQueue, UPLOAD_BATCH_MAX_BYTES } from '../../../utils/sync/event-queue';
import { UPLOAD_BATCH } from '../../../utils/sync/sync-service';
import { violationEventSchema, type ViolationEvent } from '../../../utils/events/schema';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import { ENROLL_CODE } from './helpers';

/** Every field at its schema maximum, in 3-byte UTF-8 characters where text is free. */
function largestEvent(deviceId: string, time: number): ViolationEvent {
  return violationEventSchema.parse({
    id: uuidv7(time),
    kind: 'violation',
    time: new Date(time).toISOString(),
    deviceId,
    userId: '张'.repeat(200),
    department: '销'.repeat(200),
    origin: 'https://' + '客'.repeat(292),
    destination: 'https://' + '外'.repeat(292),
    channel: 'submit',
    action: 'block-with-override',
    ruleId: '规'.repeat(64),
    level: '绝密',
    policyVersion: 2_147_483_647,
    grantId: '批'.repeat(64),
    findings: Array.from({ length: 50 }, () => ({ type: 'mobile', level: '绝密', masked: '号'.repeat(60) + '****', hash: 'c'.repeat(64) })),
    findingCount: 2_147_483_647,
    detail: { reason: '因'.repeat(500) },
    extensionVersion: '版'.repeat(40),
  });
}

describe('request bodies over real HTTP', () => {
  let server: { url: string };
  let child: ChildProcess;
  let dir: string;
  let token: string;
  let deviceId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baomi-http-'));
    child = fork(join(import.meta.dirname, '../../../bench/lib/server-process.ts'), [dir, ENROLL_CODE], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    server = await new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(message as { url: string }));
      child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    });
    const res = await fetch(`${server.url}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: ENROLL_CODE, userId: 'zhang.san' }),
    });
    const body = (await res.json()) as { deviceId: string; deviceToken: string };
    token = body.deviceToken;
    deviceId = body.deviceId;
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the device bound is below the server limit, and the largest batch the extension can make is stored', async () => {
    expect(UPLOAD_BATCH_MAX_BYTES).toBeLessThan(EVENTS_MAX_BODY_BYTES);
    const db = openEventDatabase('largest-batch');
    const queue = createEventQueue(db);
    const events = Array.from({ length: UPLOAD_BATCH }, (_, i) => largestEvent('local-device', Date.now() - UPLOAD_BATCH + i));
    for (const event of events) await queue.enqueue(event);
    // What 200 of them would weigh unbounded: the body that stalled the queue.
    expect(new TextEncoder().encode(JSON.stringify({ events })).length).toBeGreaterThan(EVENTS_MAX_BODY_BYTES);
    let uploaded = 0;
    for (let round = 0; round < 100 && (await queue.count()) > 0; round++) {
      const items = await queue.peekBatch(UPLOAD_BATCH);
      // The upload writes the enrolled device id into each event (sync-service.ts).
      const body = JSON.stringify({ events: items.map((item) => ({ ...item.event, deviceId })) });
      const res = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body,
      });
      expect(res.status).toBe(200);
      const result = (await res.json()) as { accepted: string[]; rejected: unknown[] };
      expect(result.rejected).toEqual([]);
      uploaded += result.accepted.length;
      await queue.acknowledge(result.accepted);
    }
    db.close();
    expect(uploaded).toBe(UPLOAD_BATCH);
  });

  /** A CRM export as the IT administrator would import it: one row per customer. */
  function crmExport(customers: number): string {
    const rows = ['客户名称,联系人,手机,电话,密级'];
    const levels = ['秘密', '机密', '绝密'];
    for (let i = 0; i < customers; i++) {
      const mobile = `13${String(100_000_000 + i * 7919).slice(-9)}`;
      rows.push(`测试${i}科技有限公司,联系人${i},${mobile},010-${String(60_000_000 + i).slice(-8)},${levels[i % 3]}`);
    }
    return rows.join('\n');
  }

  async function adminSession(): Promise<Record<string, string>> {
    const login = await fetch(`${server.url}/api/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    return { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
  }

  it('a CRM export of 100,000 customers (7.7 MB of CSV; other routes read 1 MB) imports over real HTTP', async () => {
    const csv = crmExport(100_000);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(5 * EVENTS_MAX_BODY_BYTES);
    const res = await fetch(`${server.url}/api/admin/customer-register`, {
      method: 'POST',
      headers: { ...(await adminSession()), 'Content-Type': 'text/csv; charset=utf-8' },
      body: csv,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, register: { customerCount: 100_000, identifierCount: 400_000 } });
  }, 120_000);

  it('over the register limit the import gets a readable 413; other routes keep 1 MB (control)', async () => {
    const res = await fetch(`${server.url}/api/admin/customer-register`, {
      method: 'POST',
      headers: { ...(await adminSession()), 'Content-Type': 'text/csv; charset=utf-8' },
      body: 'x'.repeat(REGISTER_MAX_BODY_BYTES + 1),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'body-too-large' } });
    const other = await fetch(`${server.url}/api/admin/customer-registers`, {
      method: 'POST',
      headers: { ...(await adminSession()), 'Content-Type': 'text/csv; charset=utf-8' },
      body: 'x'.repeat(EVENTS_MAX_BODY_BYTES + 1),
    });
    expect(other.status).toBe(413);
  }, 60_000);

  const twelveMb = () => JSON.stringify({ events: [{ pad: 'x'.repeat(12 * 1024 * 1024) }] });

  it('a 12 MB body: Node fetch reads the 413 answer', async () => {
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: twelveMb(),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'body-too-large' } });
  });

  it('a 12 MB body: node:http reads the 413 answer, with and without Content-Length', async () => {
    for (const chunked of [false, true]) {
      const payload = Buffer.from(twelveMb());
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${server.url}/api/v1/events`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${token}`,
            ...(chunked ? {} : { 'Content-Length': payload.length }),
          },
        });
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        });
        req.on('error', reject);
        // Written in 64 KB pieces, as a client streaming a file would.
        for (let i = 0; i < payload.length; i += 65536) req.write(payload.subarray(i, i + 65536));
        req.end();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'body-too-large' } });
    }
    // Control: the server still answers ordinary requests afterwards.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
