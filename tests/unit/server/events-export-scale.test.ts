/**
 * The events CSV holds every event of the filter, past the 50,000 rows it used to stop at
 * silently, streamed in keyset pages: on SQLite and on PostgreSQL (when
 * BAOMI_TEST_DATABASE_URL is set). The heap's growth while reading is printed, not asserted
 * against a time or a tight figure; the control is a filtered export holding exactly its rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { insertEvents } from '../../../server/db/repositories/events';
import { listAudit } from '../../../server/db/repositories/audit';
import { syntheticEventSlices } from '../../../bench/lib/synthetic-events';
import { createTestServer, loginAs, type TestServer } from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];
const TOTAL = 60_500; // more than the old 50,000 cap
const START = new Date('2026-02-01T00:00:00.000Z');

/** Reads a streamed CSV body line by line, keeping only the ids column's count and the peak heap. */
async function readCsv(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const times = new Set<string>();
  let first: string | undefined;
  let rest = '';
  let lines = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += decoder.decode(value, { stream: true });
    const parts = rest.split('\r\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines++;
      if (lines === 1) continue;
      const time = line.slice(0, line.indexOf(','));
      first ??= time;
      times.add(time);
    }
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  expect(rest).toBe('');
  return { rows: lines - 1, times, first, heapGrowthMb: (heapPeak - heapBefore) / 2 ** 20 };
}

describe.each(backends)('events CSV export at scale on $name', ({ name, skip }) => {
  let server: TestServer;
  let pgSchema: PgTestSchema | undefined;

  beforeAll(async () => {
    if (skip) return;
    if (name === 'PostgreSQL') {
      pgSchema = await createPgTestSchema(TEST_DATABASE_URL!);
      server = await createTestServer({ databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema });
    } else {
      server = await createTestServer();
    }
    for (const rows of syntheticEventSlices(0, TOTAL, 5000, { start: START, stepMs: 30_000, devices: 500 })) {
      await insertEvents(server.db, rows);
    }
  }, 180_000);
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  it.skipIf(skip)(
    'exports all events of the filter, each once, newest first, and audits start and complete end',
    async () => {
      const auditor = await loginAs(server, 'auditor');
      const response = await server.request('/api/admin/events.csv', { headers: auditor.get });
      expect(response.status).toBe(200);
      const { rows, times, first, heapGrowthMb } = await readCsv(response);
      console.log(`${name}: ${rows} rows exported, heap growth while streaming ${heapGrowthMb.toFixed(1)} MB`);
      expect(rows).toBe(TOTAL);
      expect(times.size).toBe(TOTAL); // one time per synthetic event: none twice, none missing
      expect(first).toBe(new Date(START.getTime() + (TOTAL - 1) * 30_000).toISOString()); // newest first
      expect(times.has(START.toISOString())).toBe(true);
      expect(times.has(new Date(START.getTime() + (TOTAL - 1) * 30_000).toISOString())).toBe(true);

      // The test clock stands still: both entries share a time, so they are found by action.
      const audit = (await listAudit(server.db, 1, 10)).items;
      expect(audit.filter((e) => e.action === 'events-export')).toHaveLength(1);
      const end = audit.filter((e) => e.action === 'events-export-complete');
      expect(end).toHaveLength(1);
      expect(end[0]!.target).toBe(`${TOTAL} events`);
      expect(end[0]!.detail).toMatchObject({ rows: TOTAL, complete: true });
    },
    120_000,
  );

  it.skipIf(skip)('a filtered export holds exactly the filter’s rows (level and time range)', async () => {
    const auditor = await loginAs(server, 'auditor');
    const from = new Date(START.getTime() + 10_000 * 30_000).toISOString();
    const to = new Date(START.getTime() + 30_000 * 30_000).toISOString();
    const query = new URLSearchParams({ level: '机密', from, to });
    const { rows } = await readCsv(await server.request(`/api/admin/events.csv?${query}`, { headers: auditor.get }));
    // Indexes 10,000 … 29,999; 机密 is every fourth from index 1.
    expect(rows).toBe(5000);
  });

  it.skipIf(skip)('a reader that goes away is audited as an incomplete export', async () => {
    const auditor = await loginAs(server, 'auditor');
    const response = await server.request('/api/admin/events.csv', { headers: auditor.get });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await expect
      .poll(async () => (await listAudit(server.db, 1, 20)).items.find((e) => e.action === 'events-export-incomplete')?.detail)
      .toMatchObject({ complete: false });
    const entry = (await listAudit(server.db, 1, 20)).items.find((e) => e.action === 'events-export-incomplete');
    expect((entry!.detail as { rows: number }).rows).toBeLessThan(TOTAL);
  });

  it.skipIf(skip)('the monthly report’s CSV lists every user of the month; the page’s report the top 100', async () => {
    const auditor = await loginAs(server, 'auditor');
    const report = (await (await server.request('/api/admin/reports/monthly?month=2026-02', { headers: auditor.get })).json()) as {
      byUser: unknown[];
      totals: { users: number };
    };
    expect(report.totals.users).toBe(500);
    expect(report.byUser).toHaveLength(100);
    const csv = await (await server.request('/api/admin/reports/monthly.csv?month=2026-02', { headers: auditor.get })).text();
    const userLines = csv.split('\r\n').filter((line) => /^user\.\d+,/.test(line));
    expect(new Set(userLines.map((line) => line.split(',')[0])).size).toBe(500);
  });
});
