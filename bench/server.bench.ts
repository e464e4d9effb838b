/**
 * Server ingest benchmark (npm run bench:server).
 *
 * 1. Starts the real server (startServer, SQLite in a temp dir) on 127.0.0.1 in its own
 *    process (bench/lib/server-process.ts), as deployed; enrolls a device.
 * 2. POSTs batches of 100 events over HTTP from a few concurrent clients → events/s.
 * 3. Inserts the same number of rows straight into the same SQLite file in one
 *    transaction with a better-sqlite3 prepared statement → rows/s (the reference).
 *    Steps 2 and 3 alternate for three rounds; the round with the median ratio counts.
 * 4. GET /policy answered 304 (If-None-Match) from a few clients → requests/s.
 * Prints a table, then as the LAST line one JSON object with the figures.
 * Bounded: at most BENCH_SECONDS per ingest round and the policy phase (default 5) and
 * MAX_BATCHES batches per round; loopback only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { prepareBatch } from '../server/lib/event-intake';
import { uuidv7 } from '../utils/events/uuid-v7';
import type { ViolationEventInput } from '../utils/events/schema';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const BATCH = 100;
const MAX_BATCHES = Number(process.env.BENCH_MAX_BATCHES ?? 1500);
/** Steady state is measured: the server's JIT needs a few hundred requests to settle. */
const WARM_UP_BATCHES = 200;
/** Ingest + reference rounds; the median round's ratio is the figure. */
const ROUNDS = 3;
const CODE = 'BENCH-CODE-0001';

function makeEvent(deviceId: string, i: number): ViolationEventInput {
  const t = Date.now() - 86_400_000 + i;
  return {
    id: uuidv7(t),
    kind: 'violation',
    time: new Date(t).toISOString(),
    deviceId,
    userId: 'bench.user',
    department: '市场部',
    origin: 'https://crm.example.com',
    destination: 'https://mail.example.org',
    channel: (['copy', 'paste', 'submit', 'print'] as const)[i % 4],
    action: 'block-with-override',
    ruleId: 'no-copy-out',
    level: (['秘密', '机密', '绝密'] as const)[i % 3],
    policyVersion: 1,
    grantId: null,
    findings: [
      { type: 'mobile', level: '秘密', masked: '138****5678', hash: 'ab'.repeat(32) },
      { type: 'marker', level: '机密', masked: '密级：机密', hash: 'cd'.repeat(32) },
    ],
    findingCount: 2,
    extensionVersion: '0.1.0',
  };
}

/**
 * A keep-alive node:http client. (Global fetch/undici costs several times more CPU per
 * request here, and the client shares this process with the server it measures.)
 */
function createClient(baseUrl: string, sockets: number) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const request = (method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: body ? { ...headers, 'Content-Length': body.length } : headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { request, close: () => agent.destroy() };
}

async function runFor(seconds: number, clients: number, work: () => Promise<boolean>): Promise<{ count: number; elapsed: number }> {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        if (!(await work())) return;
        count++;
      }
    }),
  );
  return { count, elapsed: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'baomi-bench-'));
  const child = fork(join(import.meta.dirname, 'lib/server-process.ts'), [dir, CODE], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const server = await new Promise<{ url: string; dbFile: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; dbFile: string }));
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  const stopServer = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('stop');
    });
  try {
    const enrolled = (await (
      await fetch(`${server.url}/api/v1/enroll`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: CODE, userId: 'bench.user' }),
      })
    ).json()) as { deviceId: string; deviceToken: string; keyId: string };
    const auth = { Authorization: `Bearer ${enrolled.deviceToken}` };
    let failures = 0;
    let nextEvent = 0;
    // Every event has its own id and time, later than the one before, as a device uploads
    // its queue oldest-first; the reference inserts rows made the same way. (An earlier
    // version reused 100 times for every batch: each commit then touched index pages all
    // over the time indexes, which real uploads do not, and the reference did not.)
    // Bodies are made before timing (bounded: MAX_BATCHES × ~70 KB per round), so the
    // clients cost the server little CPU while it is measured.
    const makeBodies = (count: number): Buffer[] =>
      Array.from({ length: count }, () =>
        Buffer.from(JSON.stringify({ events: Array.from({ length: BATCH }, () => makeEvent(enrolled.deviceId, nextEvent++)) })),
      );

    /** POSTs the bodies from CLIENTS keep-alive connections for at most `seconds`: events/s. */
    async function ingestRound(bodies: Buffer[], seconds: number): Promise<{ eventsPerSecond: number; accepted: number }> {
      // A fresh client per round: the reference run between rounds outlasts the server's
      // keep-alive timeout (5 s), and a reused closed socket would be reset.
      const client = createClient(server.url, CLIENTS);
      let made = 0;
      let accepted = 0;
      const ingest = await runFor(seconds, CLIENTS, async () => {
        const body = bodies[made++];
        if (!body) return false;
        const res = await client.request('POST', '/api/v1/events', { ...auth, 'Content-Type': 'application/json' }, body);
        if (res.status !== 200) failures++;
        // Not `accepted += …` around an await: that reads `accepted` first and loses the other clients' additions.
        const n = (JSON.parse(res.text) as { accepted?: string[] }).accepted?.length ?? 0;
        accepted += n;
        return true;
      });
      client.close();
      return { eventsPerSecond: accepted / ingest.elapsed, accepted };
    }

    const sqlite = new Database(server.dbFile);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    /** Reference: `count` rows made like the uploads, straight into the same SQLite file, one transaction. */
    function rawRound(count: number): number {
      const rawEvents = Array.from({ length: count }, () => makeEvent(enrolled.deviceId, nextEvent++));
      const rows = prepareBatch(rawEvents, { id: enrolled.deviceId, userId: 'bench', department: null, verified: true }, new Date()).rows;
      const columns = Object.keys(rows[0]!);
      const insert = sqlite.prepare(
        `INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')}) ON CONFLICT (id) DO NOTHING`,
      );
      const start = performance.now();
      sqlite.transaction((all: typeof rows) => {
        for (const row of all) insert.run(row);
      })(rows);
      return rows.length / ((performance.now() - start) / 1000);
    }

    // Warm-up (JIT, statement caches, page cache) of both paths, not counted.
    await ingestRound(makeBodies(WARM_UP_BATCHES), 60);
    rawRound(10_000);

    // Rounds: ingest, then the reference with as many rows, three times. The ratio of
    // each round compares two runs seconds apart; the median round counts. (On this
    // shared machine one ~1 s run swings by ±20 %, which alone would decide a ratio.)
    const rounds: { ingest: number; raw: number; ratio: number; accepted: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { eventsPerSecond, accepted } = await ingestRound(makeBodies(MAX_BATCHES), SECONDS);
      const raw = rawRound(Math.max(accepted, 10_000));
      rounds.push({ ingest: eventsPerSecond, raw, ratio: eventsPerSecond / raw, accepted });
    }
    sqlite.close();
    const middle = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor(ROUNDS / 2)]!;
    const eventsPerSecond = middle.ingest;
    const rawRowsPerSecond = middle.raw;
    const accepted = rounds.reduce((sum, r) => sum + r.accepted, 0);

    // GET /policy answered 304.
    const etag = `"v1-${enrolled.keyId}"`;
    let notModified = 0;
    const policyClient = createClient(server.url, CLIENTS);
    const policy = await runFor(SECONDS, CLIENTS, async () => {
      const res = await policyClient.request('GET', '/api/v1/policy', { ...auth, 'If-None-Match': etag });
      if (res.status === 304) notModified++;
      else failures++;
      return true;
    });
    const policy304PerSecond = notModified / policy.elapsed;
    policyClient.close();

    const ratio = middle.ratio;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log('Baomi Guard server benchmark (SQLite, loopback; server in its own process)');
    console.log(
      `  clients: ${CLIENTS}, batch: ${BATCH} events, ${ROUNDS} rounds of ingest (≤ ${SECONDS}s) + reference; the median round counts`,
    );
    console.log('');
    console.log('  measure                               value');
    console.log('  ------------------------------------  --------------');
    console.log(
      `  HTTP ingest (POST /events)            ${fmt(eventsPerSecond).padStart(10)} events/s  (median round; rounds: ${rounds.map((r) => fmt(r.ingest)).join(' / ')})`,
    );
    console.log(
      `  raw SQLite insert (1 transaction)     ${fmt(rawRowsPerSecond).padStart(10)} rows/s    (same round; rounds: ${rounds.map((r) => fmt(r.raw)).join(' / ')})`,
    );
    console.log(
      `  ratio ingest / raw                    ${ratio.toFixed(3).padStart(10)}           (goal ≥ 0.25: ${ratio >= 0.25 ? 'met' : 'NOT met'}; rounds: ${rounds.map((r) => r.ratio.toFixed(3)).join(' / ')})`,
    );
    console.log(`  GET /policy → 304                     ${fmt(policy304PerSecond).padStart(10)} req/s`);
    console.log(`  failed requests                       ${String(failures).padStart(10)}`);
    console.log(
      JSON.stringify({
        bench: 'server',
        clients: CLIENTS,
        batchSize: BATCH,
        seconds: SECONDS,
        ingestEventsPerSecond: Math.round(eventsPerSecond),
        rawInsertRowsPerSecond: Math.round(rawRowsPerSecond),
        rounds: rounds.map((r) => ({ ingest: Math.round(r.ingest), raw: Math.round(r.raw), ratio: Number(r.ratio.toFixed(4)) })),
        ratio: Number(ratio.toFixed(4)),
        ratioGoal: 0.25,
        ratioMet: ratio >= 0.25,
        policy304PerSecond: Math.round(policy304PerSecond),
        eventsIngested: accepted,
        failures,
      }),
    );
  } finally {
    await stopServer();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
