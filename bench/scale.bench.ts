/**
 * `npm run bench:scale [-- --events 1000000 --store sqlite|postgres|both]` (issue 28):
 * loads N events (default 1 M; `--events 5000000` for a company's year) spread over the
 * last 180 days from 10,000 devices into SQLite and/or PostgreSQL
 * (BAOMI_BENCH_DATABASE_URL or BAOMI_TEST_DATABASE_URL: a fresh database beside it, dropped afterwards —
 * not a schema: Kysely's migrator looks for its tables in every schema of the database, so
 * a long-lived schema made other test files' migrations fail),
 * starts the real server in its own process and prints, against the issue's goals:
 * each console call's median and max over 5 runs, the device API's latency (a 10-event
 * upload every 50 ms) while the heavy calls run, the events CSV's server memory (RSS
 * growth while a month streams) and ingest throughput. Figures, never assertions.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareServer } from '../server/start';
import { insertEvents } from '../server/db/repositories/events';
import pg from 'pg';
import { makeEventInput } from './lib/scale-events';
import { syntheticEventSlices } from './lib/synthetic-events';

const CODE = 'BENCH-SCALE-CODE-1';
const ADMIN_PASSWORD = 'bench-admin-password';
const DAY = 86_400_000;
const RUNS = 5;

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, store: { type: 'string', default: 'both' } },
});
const N = Number(values.events);

interface Row {
  store: string;
  call: string;
  medianMs: number;
  maxMs: number;
  goalMs?: number;
  note?: string;
}
const rows: Row[] = [];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function load(dataDir: string, databaseUrl: string, pgSchema?: string) {
  const server = await prepareServer({
    dataDir,
    databaseUrl,
    pgSchema,
    env: {},
    enrollmentCode: CODE,
    adminPassword: ADMIN_PASSWORD,
    consoleDir: join(dataDir, 'none'),
  });
  const now = Date.now();
  const stepMs = Math.floor((180 * DAY) / N);
  const started = performance.now();
  let done = 0;
  for (const slice of syntheticEventSlices(0, N, 5000, { start: new Date(now - 180 * DAY), stepMs, devices: 10_000 })) {
    await insertEvents(server.db, slice);
    done += slice.length;
    if (done % 200_000 === 0) process.stdout.write(`  loaded ${done.toLocaleString('en')}\r`);
  }
  const seconds = (performance.now() - started) / 1000;
  await server.destroy();
  return { seconds, rate: N / seconds };
}

async function startProcess(dataDir: string, databaseUrl: string) {
  const child = fork(join(import.meta.dirname, 'lib/server-process.ts'), [dataDir, CODE, JSON.stringify({ databaseUrl })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; pid: number }));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, ...info };
}

async function stopProcess(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
}

async function adminQuery(baseUrl: string, text: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function benchStore(store: 'sqlite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), 'baomi-bench-scale-'));
  const baseUrl = process.env.BAOMI_BENCH_DATABASE_URL || process.env.BAOMI_TEST_DATABASE_URL;
  let database: string | undefined;
  let databaseUrl = '';
  if (store === 'postgres') {
    if (!baseUrl) {
      console.log('PostgreSQL: skipped (set BAOMI_BENCH_DATABASE_URL or BAOMI_TEST_DATABASE_URL)');
      return;
    }
    database = `baomi_bench_scale_${Date.now().toString(36)}`;
    await adminQuery(baseUrl, `CREATE DATABASE "${database}"`);
    const url = new URL(baseUrl);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  }
  const first = rows.length;
  try {
    console.log(`${store}: loading ${N.toLocaleString('en')} events …`);
    const loaded = await load(dataDir, databaseUrl);
    rows.push({
      store,
      call: `bulk load (${Math.round(loaded.rate).toLocaleString('en')} rows/s)`,
      medianMs: loaded.seconds * 1000,
      maxMs: loaded.seconds * 1000,
    });
    const server = await startProcess(dataDir, databaseUrl);
    try {
      await measure(store, server.url, server.pid);
    } finally {
      await stopProcess(server.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (database) await adminQuery(baseUrl!, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
  printRows(rows.slice(first));
}

async function measure(store: string, url: string, pid: number) {
  const login = await fetch(`${url}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const enrolled = (await (
    await fetch(`${url}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: CODE, userId: 'bench.probe' }),
    })
  ).json()) as { deviceId: string; deviceToken: string };
  const deviceAuth = { 'Content-Type': 'application/json', Authorization: `Bearer ${enrolled.deviceToken}` };

  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const from30 = encodeURIComponent(iso(now - 30 * DAY));
  const month = new Date(now - 40 * DAY).toISOString().slice(0, 7);
  const monthFrom = encodeURIComponent(`${month}-01T00:00:00.000Z`);
  const monthTo = encodeURIComponent(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString());
  const calls: { name: string; path: string; goalMs?: number; heavy?: boolean }[] = [
    { name: 'overview', path: '/api/admin/overview', goalMs: 500 },
    { name: 'events page 1 (30 days)', path: `/api/admin/events?from=${from30}&pageSize=50`, goalMs: 300 },
    {
      name: 'events page 1 (30 days, 绝密)',
      path: `/api/admin/events?from=${from30}&level=${encodeURIComponent('绝密')}&pageSize=50`,
      goalMs: 300,
    },
    { name: 'events page 1 (all time, print)', path: `/api/admin/events?channel=print&pageSize=50`, goalMs: 300 },
    { name: 'events page 1 (user filter)', path: `/api/admin/events?from=${from30}&userId=user.42&pageSize=50`, goalMs: 300 },
    { name: 'events exact count (30 days)', path: `/api/admin/events?from=${from30}&pageSize=50&exact=1`, heavy: true },
    { name: 'timeline (30 days)', path: `/api/admin/events/timeline?from=${from30}`, goalMs: 300, heavy: true },
    { name: 'timeline (all, 180 days)', path: `/api/admin/events/timeline`, goalMs: 300, heavy: true },
    { name: `monthly report (${month})`, path: `/api/admin/reports/monthly?month=${month}`, goalMs: 1000, heavy: true },
  ];
  const get = async (path: string) => {
    const t = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { Cookie: cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return performance.now() - t;
  };

  // The device API while a console call runs: a 10-event upload every 50 ms.
  const probe = () => {
    const latencies: number[] = [];
    let running = true;
    let t = Date.now();
    const loop = (async () => {
      while (running) {
        const events = Array.from({ length: 10 }, () => makeEventInput(enrolled.deviceId, (t += 1)));
        const start = performance.now();
        await (
          await fetch(`${url}/api/v1/events`, { method: 'POST', headers: deviceAuth, body: JSON.stringify({ events }) })
        ).arrayBuffer();
        latencies.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    return async () => {
      running = false;
      await loop;
      return latencies;
    };
  };

  for (const call of calls) {
    const times: number[] = [];
    let deviceMax = 0;
    let deviceMedian = 0;
    for (let i = 0; i < RUNS; i++) {
      const stop = call.heavy && i === RUNS - 1 ? probe() : undefined;
      times.push(await get(call.path));
      if (stop) {
        const latencies = await stop();
        deviceMax = Math.max(...latencies);
        deviceMedian = median(latencies);
      }
    }
    rows.push({ store, call: call.name, medianMs: median(times), maxMs: Math.max(...times), goalMs: call.goalMs });
    if (call.heavy) rows.push({ store, call: `  device upload during it`, medianMs: deviceMedian, maxMs: deviceMax, goalMs: 500 });
  }

  // The events CSV of one month: time, rows, server RSS growth, device latency meanwhile.
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 100);
  const stop = probe();
  const t = performance.now();
  const csv = await fetch(`${url}/api/admin/events.csv?from=${monthFrom}&to=${monthTo}`, { headers: { Cookie: cookie } });
  let lines = 0;
  const reader = csv.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const byte of value) if (byte === 10) lines++;
  }
  const csvMs = performance.now() - t;
  clearInterval(sampler);
  const latencies = await stop();
  rows.push({
    store,
    call: `events CSV ${month} (${(lines - 1).toLocaleString('en')} rows)`,
    medianMs: csvMs,
    maxMs: csvMs,
    note: `server RSS +${(rssPeak - rssBefore).toFixed(0)} MB (peak ${rssPeak.toFixed(0)} MB)`,
  });
  rows.push({ store, call: `  device upload during it`, medianMs: median(latencies), maxMs: Math.max(...latencies), goalMs: 500 });

  // Ingest: 4 clients, 100-event batches, 5 s.
  let sent = 0;
  const until = performance.now() + 5000;
  let t2 = Date.now();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) {
        const events = Array.from({ length: 100 }, () => makeEventInput(enrolled.deviceId, (t2 += 1)));
        await (
          await fetch(`${url}/api/v1/events`, { method: 'POST', headers: deviceAuth, body: JSON.stringify({ events }) })
        ).arrayBuffer();
        sent += 100;
      }
    }),
  );
  const rate = sent / ((performance.now() - started) / 1000);
  rows.push({ store, call: `ingest (${Math.round(rate).toLocaleString('en')} events/s, 4 clients)`, medianMs: 0, maxMs: 0 });
}

function printRows(table: Row[]) {
  console.log(`\nbench:scale — ${N.toLocaleString('en')} events over 180 days, 10,000 devices (${new Date().toISOString().slice(0, 10)})`);
  console.log(['store', 'call', 'median ms', 'max ms', 'goal ms', 'meets'].join('\t'));
  for (const r of table) {
    const meets = r.goalMs === undefined ? '' : r.maxMs <= r.goalMs ? 'yes' : r.medianMs <= r.goalMs ? 'median only' : 'NO';
    console.log([r.store, r.call, r.medianMs.toFixed(0), r.maxMs.toFixed(0), r.goalMs ?? '', meets, r.note ?? ''].join('\t'));
  }
}

async function main() {
  const stores: ('sqlite' | 'postgres')[] = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store as 'sqlite' | 'postgres'];
  for (const store of stores) await benchStore(store);
  console.log(JSON.stringify({ bench: 'scale', events: N, rows }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
