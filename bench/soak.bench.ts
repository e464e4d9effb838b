/**
 * Load and soak run (`npm run bench:soak [-- --seconds 60 --devices 50 --store sqlite|postgres|both]`).
 *
 * Simulated devices (default 50) do what the extension does, for a bounded time: record
 * events into a local queue, upload it oldest-first in batches (retrying on any failure,
 * deleting only what the server listed as accepted, duplicate or rejected), sync the policy
 * with its ETag, poll their override request, send heartbeats. Midway one server process
 * is killed with SIGKILL and restarted on the same port.
 * - SQLite: one server process (the only kind SQLite allows).
 * - PostgreSQL (BAOMI_BENCH_DATABASE_URL or BAOMI_TEST_DATABASE_URL; a fresh schema, dropped
 *   afterwards): two server processes sharing the database and the data dir (keys); each
 *   device talks to one and fails over to the other while it is down.
 * After the run the devices drain their queues, and every generated id is looked up:
 * events sent, stored, stored twice, lost (goal 0 and 0), duplicates answered (retries
 * of a batch whose answer the crash swallowed). Then the ingest ratio: a short burst of
 * 100-event uploads from every device against the same number of rows inserted straight
 * into the same store (100 per transaction). Loopback only; it stops by itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from '../server/db/schema';
import { insertEvents } from '../server/db/repositories/events';
import { createPgTestSchema } from '../server/db/test-support';
import { prepareBatch } from '../server/lib/event-intake';
import { uuidv7 } from '../utils/events/uuid-v7';
import type { ViolationEventInput } from '../utils/events/schema';
import { Prng } from './lib/prng';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    devices: { type: 'string', default: '50' },
    store: { type: 'string', default: 'both' },
    'burst-seconds': { type: 'string', default: '5' },
  },
});
const SECONDS = Number(args.seconds);
const DEVICES = Number(args.devices);
const BURST_SECONDS = Number(args['burst-seconds']);
const CODE = 'SOAK-BENCH-CODE-2026';
const PG_URL = process.env.BAOMI_BENCH_DATABASE_URL || process.env.BAOMI_TEST_DATABASE_URL || '';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rng = new Prng(20261204);
const random = () => rng.next();

// ——— server processes ———

interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
}

async function startProcess(dataDir: string, extra: object): Promise<ServerProcess> {
  const child = fork(join(import.meta.dirname, 'lib/server-process.ts'), [dataDir, CODE, JSON.stringify(extra)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string }));
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  return { url, port: Number(new URL(url).port), child };
}

async function stopProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send('stop');
  await exited;
}

// ——— simulated devices ———

interface Counters {
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  uploadFailures: number;
  policyFetches: number;
  policyNotModified: number;
  overridePolls: number;
  heartbeats: number;
}

function makeEvent(deviceId: string, userId: string, time: number): ViolationEventInput {
  return {
    id: uuidv7(time),
    kind: 'violation',
    time: new Date(time).toISOString(),
    deviceId,
    userId,
    department: '销售部',
    origin: 'https://crm.example.com',
    destination: 'https://mail.example.org',
    channel: 'copy',
    action: 'block-with-override',
    ruleId: 'no-copy-out',
    level: '秘密',
    policyVersion: 1,
    grantId: null,
    findings: [{ type: 'mobile', level: '秘密', masked: '138****5678', hash: randomBytes(32).toString('hex') }],
    findingCount: 1,
    extensionVersion: '0.1.0',
  };
}

class Device {
  readonly queue: ViolationEventInput[] = [];
  readonly generated: string[] = [];
  token = '';
  deviceId = '';
  private etag: string | null = null;
  private overrideId: string | null = null;
  private clock = Date.now();

  constructor(
    readonly userId: string,
    private readonly urls: () => string[],
    private readonly counters: Counters,
  ) {}

  /** One request, to the device's server or, when it is down, the other one. */
  private async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    let lastError: unknown;
    for (const base of this.urls()) {
      try {
        return await fetch(base + path, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  async enroll(): Promise<void> {
    for (;;) {
      try {
        const res = await this.call('POST', '/api/v1/enroll', {
          code: CODE,
          userId: this.userId,
          extensionVersion: '0.1.0',
          browser: 'Chrome 140',
        });
        if (res.status === 201) {
          const body = (await res.json()) as { deviceId: string; deviceToken: string };
          this.token = body.deviceToken;
          this.deviceId = body.deviceId;
          return;
        }
      } catch {
        // server restarting
      }
      await sleep(200);
    }
  }

  record(count: number): void {
    for (let i = 0; i < count; i++) {
      this.clock = Math.max(this.clock + 1, Date.now());
      const event = makeEvent(this.deviceId, this.userId, this.clock);
      this.queue.push(event);
      this.generated.push(event.id);
      this.counters.sent++;
    }
  }

  /** Uploads the queue oldest-first, 200 per batch; true when it is empty. */
  async upload(): Promise<boolean> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, 200);
      let result: { accepted: string[]; duplicates: string[]; rejected: { id: string | null }[] };
      try {
        const res = await this.call('POST', '/api/v1/events', { events: batch });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        result = (await res.json()) as typeof result;
      } catch {
        this.counters.uploadFailures++;
        return false; // kept; retried on the next round, as the extension's backoff does
      }
      const done = new Set([...result.accepted, ...result.duplicates, ...result.rejected.flatMap((r) => (r.id ? [r.id] : []))]);
      this.counters.accepted += result.accepted.length;
      this.counters.duplicates += result.duplicates.length;
      this.counters.rejected += result.rejected.length;
      for (let i = this.queue.length - 1; i >= 0; i--) if (done.has(this.queue[i]!.id)) this.queue.splice(i, 1);
    }
    return true;
  }

  async sync(): Promise<void> {
    try {
      const policy = await this.call('GET', '/api/v1/policy', undefined, this.etag ? { 'If-None-Match': this.etag } : {});
      this.counters.policyFetches++;
      if (policy.status === 304) this.counters.policyNotModified++;
      else if (policy.ok) this.etag = policy.headers.get('ETag');
      await policy.arrayBuffer().catch(() => undefined);
      if (!this.overrideId) {
        const res = await this.call('POST', '/api/v1/overrides', {
          reason: '客户要求导出对账单',
          origin: 'https://crm.example.com',
          channel: 'copy',
          durationMinutes: 30,
          userId: this.userId,
        });
        if (res.status === 201) this.overrideId = ((await res.json()) as { id: string }).id;
      } else {
        const res = await this.call('GET', `/api/v1/overrides/${this.overrideId}`);
        await res.arrayBuffer();
        this.counters.overridePolls++;
      }
      const hb = await this.call('POST', '/api/v1/heartbeat', {
        extensionVersion: '0.1.0',
        policyVersion: 1,
        queueDepth: this.queue.length,
      });
      await hb.arrayBuffer();
      this.counters.heartbeats++;
    } catch {
      // the server is down: next round
    }
  }
}

// ——— one store ———

interface StoreResult {
  store: string;
  processes: number;
  seconds: number;
  counters: Counters;
  stored: number;
  storedTwice: number;
  lost: number;
  leftInQueues: number;
  killedAt: number;
  restartedAfterMs: number;
  ingestEventsPerSecond: number;
  rawRowsPerSecond: number;
  ratio: number;
}

async function runStore(store: 'sqlite' | 'postgres'): Promise<StoreResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `baomi-soak-${store}-`));
  const schema = store === 'postgres' ? await createPgTestSchema(PG_URL, 'baomi_soak') : null;
  const options = schema ? { databaseUrl: schema.databaseUrl, pgSchema: schema.schema } : {};
  const servers: ServerProcess[] = [await startProcess(dataDir, options)];
  // Two processes on PostgreSQL, sharing the database and the keys (one data dir).
  if (schema) servers.push(await startProcess(dataDir, options));
  const up = servers.map(() => true);
  const counters: Counters = {
    sent: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    uploadFailures: 0,
    policyFetches: 0,
    policyNotModified: 0,
    overridePolls: 0,
    heartbeats: 0,
  };
  const devices = Array.from({ length: DEVICES }, (_, i) => {
    const home = i % servers.length;
    // Its own server first, the other one (if any) when that is down.
    const order = [home, ...servers.map((_, j) => j).filter((j) => j !== home)];
    const urls = () => {
      const live = order.filter((j) => up[j]);
      return (live.length > 0 ? live : order).map((j) => servers[j]!.url);
    };
    return new Device(`soak.user.${i}`, urls, counters);
  });
  let db: Kysely<Schema> | undefined;
  try {
    await Promise.all(devices.map((d) => d.enroll()));

    // The soak: each device loops record → upload → sync with a pause, until the deadline.
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    const victim = servers[servers.length - 1]!;
    const killedAt = SECONDS / 2;
    let restartedAfterMs = 0;
    const chaos = (async () => {
      await sleep(killedAt * 1000);
      victim.child.kill('SIGKILL');
      up[servers.indexOf(victim)] = false;
      const down = performance.now();
      await new Promise((resolve) => victim.child.once('exit', resolve));
      await sleep(2000); // down for a while: uploads fail or fail over
      const again = await startProcess(dataDir, { ...options, port: victim.port });
      servers[servers.indexOf(victim)] = again;
      up[servers.indexOf(again)] = true;
      restartedAfterMs = performance.now() - down;
    })();
    await Promise.all(
      devices.map(async (device) => {
        while (performance.now() < deadline) {
          device.record(1 + Math.floor(random() * 8));
          await device.upload();
          await device.sync();
          await sleep(150 + random() * 350);
        }
      }),
    );
    await chaos;

    // Drain: every device uploads what it still holds (servers all up again).
    const drainUntil = performance.now() + 60_000;
    for (;;) {
      const empty = await Promise.all(devices.map((d) => d.upload()));
      if (empty.every(Boolean) || performance.now() > drainUntil) break;
      await sleep(500);
    }
    const soakSeconds = (performance.now() - started) / 1000;

    // What is stored, id by id.
    db = schema
      ? new Kysely<Schema>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({ connectionString: schema.databaseUrl, max: 4, options: `-c search_path=${schema.schema}` }),
          }),
        })
      : new Kysely<Schema>({ dialect: new SqliteDialect({ database: openSqlite(join(dataDir, 'baomi.sqlite')) }) });
    const rows = await db.selectFrom('events').select('id').where('user_id', 'like', 'soak.user.%').execute();
    const storedIds = new Set(rows.map((r) => r.id));
    const generated = devices.flatMap((d) => d.generated);
    const lost = generated.filter((id) => !storedIds.has(id)).length;

    // Ingest ratio: a burst of 100-event uploads from every device, then the same number
    // of rows inserted straight into the same store, 100 per transaction.
    let burstAccepted = 0;
    const burstStart = performance.now();
    const burstEnd = burstStart + BURST_SECONDS * 1000;
    await Promise.all(
      devices.map(async (device) => {
        while (performance.now() < burstEnd) {
          const events = Array.from({ length: 100 }, () => makeEvent(device.deviceId, device.userId, Date.now()));
          // Ids in one batch must differ: uuidv7's random part does that within one millisecond.
          const res = await fetch(`${servers[devices.indexOf(device) % servers.length]!.url}/api/v1/events`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${device.token}` },
            body: JSON.stringify({ events }),
          });
          if (res.status === 200) burstAccepted += ((await res.json()) as { accepted: string[] }).accepted.length;
          else await res.arrayBuffer();
        }
      }),
    );
    const ingestEventsPerSecond = burstAccepted / ((performance.now() - burstStart) / 1000);
    const rawCount = Math.max(burstAccepted, 10_000);
    const rawRows = prepareBatch(
      Array.from({ length: rawCount }, (_, i) => makeEvent('raw-reference', 'raw.reference', Date.now() + i)),
      { id: 'raw-reference', userId: 'raw.reference', department: null, verified: true },
      new Date(),
    ).rows;
    const rawStart = performance.now();
    for (let i = 0; i < rawRows.length; i += 100) await insertEvents(db, rawRows.slice(i, i + 100));
    const rawRowsPerSecond = rawRows.length / ((performance.now() - rawStart) / 1000);

    return {
      store: store === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      processes: servers.length,
      seconds: Math.round(soakSeconds),
      counters,
      stored: generated.filter((id) => storedIds.has(id)).length,
      // The primary key makes this 0 by construction; counted, not assumed.
      storedTwice: rows.length - storedIds.size,
      lost,
      leftInQueues: devices.reduce((sum, d) => sum + d.queue.length, 0),
      killedAt,
      restartedAfterMs: Math.round(restartedAfterMs),
      ingestEventsPerSecond: Math.round(ingestEventsPerSecond),
      rawRowsPerSecond: Math.round(rawRowsPerSecond),
      ratio: Number((ingestEventsPerSecond / rawRowsPerSecond).toFixed(2)),
    };
  } finally {
    await db?.destroy();
    await Promise.all(servers.map(stopProcess));
    await schema?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function openSqlite(file: string) {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

async function main(): Promise<void> {
  const stores: ('sqlite' | 'postgres')[] = [];
  if (args.store === 'sqlite' || args.store === 'both') stores.push('sqlite');
  if (args.store === 'postgres' || args.store === 'both') {
    if (PG_URL) stores.push('postgres');
    else
      console.log(
        'PostgreSQL skipped: set BAOMI_BENCH_DATABASE_URL (or BAOMI_TEST_DATABASE_URL); `bash scripts/ci/start-postgres.sh` prints one.',
      );
  }
  console.log(`soak: ${DEVICES} devices, ${SECONDS} s per store, one server process SIGKILLed at ${SECONDS / 2} s and restarted`);
  const results: StoreResult[] = [];
  for (const store of stores) results.push(await runStore(store));
  const table = results.map((r) => ({
    store: r.store,
    processes: r.processes,
    'run s': r.seconds,
    'events sent': r.counters.sent,
    stored: r.stored,
    'stored twice': r.storedTwice,
    lost: r.lost,
    'duplicates answered': r.counters.duplicates,
    rejected: r.counters.rejected,
    'upload failures (retried)': r.counters.uploadFailures,
    'policy 304/fetches': `${r.counters.policyNotModified}/${r.counters.policyFetches}`,
    'override polls': r.counters.overridePolls,
    heartbeats: r.counters.heartbeats,
    'down ms': r.restartedAfterMs,
    'ingest ev/s': r.ingestEventsPerSecond,
    'raw rows/s': r.rawRowsPerSecond,
    ratio: r.ratio,
  }));
  console.table(table);
  console.log(JSON.stringify({ bench: 'soak', devices: DEVICES, seconds: SECONDS, results }));
  if (results.some((r) => r.lost > 0 || r.storedTwice > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
