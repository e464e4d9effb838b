/**
 * `npm run backup` / `npm run restore` (issue 28) against a real server process while a
 * device keeps uploading, on SQLite and on PostgreSQL (when BAOMI_TEST_DATABASE_URL is
 * set; each case makes its own databases). The restored server starts with its keys and
 * holds a consistent prefix of the uploads: every batch acknowledged before the backup
 * began, whole batches only, no gap. Controls: a live data dir is not overwritten without
 * --force, and the restored database without its keys refuses to start.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../../server/db/test-support';
import { prepareServer } from '../../../server/start';
import { publishExtension } from '../../../server/extension/publish';
import { readReleaseIndex } from '../../../server/extension/release-store';
import { KeyMismatchError } from '../../../server/db/repositories/server-keys';
import { makeEvent } from './helpers';

const run = promisify(execFile);
const CODE = 'BACKUP-TEST-CODE-1';
const BATCH = 50;

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];

function cli(script: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  return run(process.execPath, ['--import', 'tsx', join('server/cli', `${script}.ts`), ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

async function startProcess(dataDir: string, databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join('bench/lib/server-process.ts'), [dataDir, CODE, JSON.stringify({ databaseUrl })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

async function stopProcess(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
}

/** A fresh database for one case (pg_restore --clean wants a database of its own, not a shared schema). */
async function createDatabase(base: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(base: string, name: string) {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

describe.each(backends)('backup and restore on $name', ({ name, skip }) => {
  const dirs: string[] = [];
  const databases: string[] = [];
  const tmp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const database = async (label: string) => {
    const db = `baomi_backup_${label}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    databases.push(db);
    return createDatabase(TEST_DATABASE_URL!, db);
  };
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    for (const db of databases) await dropDatabase(TEST_DATABASE_URL!, db);
  });

  it.skipIf(skip)(
    'a backup taken while events arrive restores to a server that starts and holds a consistent prefix',
    async () => {
      const pgMode = name === 'PostgreSQL';
      const dataDir = tmp('baomi-backup-live-');
      const sourceUrl = pgMode ? await database('src') : '';
      const { child, url } = await startProcess(dataDir, sourceUrl);
      const enrolled = (await (
        await fetch(`${url}/api/v1/enroll`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            code: CODE,
            userId: 'zhang.san',
            department: '市场部',
            deviceName: 'PC-01',
            browser: 'Chrome',
            extensionVersion: '0.1.0',
          }),
        })
      ).json()) as { deviceId: string; deviceToken: string };

      // The device uploads batch after batch, each after the last was answered, as the extension does.
      const batches: string[][] = [];
      const acknowledged: number[] = [];
      let uploading = true;
      const uploader = (async () => {
        let t = Date.now() - 3_600_000;
        while (uploading) {
          const events = Array.from({ length: BATCH }, () => makeEvent(enrolled.deviceId, {}, (t += 10)));
          const index = batches.push(events.map((e) => e.id)) - 1;
          const response = await fetch(`${url}/api/v1/events`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${enrolled.deviceToken}` },
            body: JSON.stringify({ events }),
          });
          const body = (await response.json()) as { accepted: string[] };
          expect(body.accepted).toHaveLength(BATCH);
          acknowledged.push(index);
        }
      })();
      while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 20));
      // A version published while the server runs: the restored server must go on from it.
      const build = tmp('baomi-backup-build-');
      writeFileSync(join(build, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'Baomi Guard', version: '0.1.0' }));
      await publishExtension({ dataDir, chromeDir: build, baseVersion: '0.1.0', publicUrl: url });

      const backupDir = join(tmp('baomi-backup-out-'), 'backup');
      const ackedBefore = acknowledged.length;
      const backup = await cli('backup', [backupDir], { BAOMI_DATA_DIR: dataDir, DATABASE_URL: sourceUrl });
      const ackedAfter = acknowledged.length;
      // A few more uploads after the backup, which the restored copy must not hold.
      const target = ackedAfter + 5;
      while (acknowledged.length < target) await new Promise((r) => setTimeout(r, 20));
      uploading = false;
      await uploader;
      expect(backup.out).toContain('keep it as private as the data dir');
      expect(backup.code).toBe(0);
      expect(ackedAfter).toBeGreaterThan(ackedBefore); // events did arrive during the backup
      expect(statSync(backupDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(backupDir, 'keys', 'hash-key.txt')).mode & 0o777).toBe(0o600);

      // Control: the live data dir is not overwritten without --force.
      const refused = await cli('restore', [backupDir], { BAOMI_DATA_DIR: dataDir, DATABASE_URL: sourceUrl });
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('live data dir');
      await stopProcess(child);

      const restoredDir = tmp('baomi-backup-restored-');
      const restoredUrl = pgMode ? await database('dst') : '';
      const restored = await cli('restore', [backupDir], { BAOMI_DATA_DIR: restoredDir, DATABASE_URL: restoredUrl });
      expect(restored.out).toContain('restored');
      expect(restored.code).toBe(0);
      expect(readFileSync(join(restoredDir, 'hash-key.txt'), 'utf8')).toBe(readFileSync(join(dataDir, 'hash-key.txt'), 'utf8'));
      // The extension key (the id staff browsers run) and the published packages come back too.
      expect(readFileSync(join(restoredDir, 'extension-key.pem'), 'utf8')).toBe(readFileSync(join(dataDir, 'extension-key.pem'), 'utf8'));
      expect(readReleaseIndex(restoredDir)).toEqual(readReleaseIndex(dataDir));
      expect(readFileSync(join(restoredDir, 'extension', 'baomi-guard-0.1.0.1.crx'))).toEqual(
        readFileSync(join(dataDir, 'extension', 'baomi-guard-0.1.0.1.crx')),
      );

      // The restored server starts (its keys match the database) and holds whole batches 0 … k-1.
      const server = await prepareServer({
        dataDir: restoredDir,
        databaseUrl: restoredUrl,
        env: {},
        consoleDir: join(restoredDir, 'none'),
      });
      try {
        const stored = new Set((await server.db.selectFrom('events').select('id').execute()).map((r) => r.id));
        const present = batches.map((ids) => ids.filter((id) => stored.has(id)).length);
        const whole = present.findIndex((n) => n !== BATCH);
        const k = whole === -1 ? batches.length : whole;
        expect(present.slice(k).every((n) => n === 0)).toBe(true); // nothing after the first missing batch, no half batch
        expect(stored.size).toBe(k * BATCH);
        expect(k).toBeGreaterThanOrEqual(ackedBefore); // everything acknowledged before the backup began
        expect(k).toBeLessThanOrEqual(ackedAfter + 1); // nothing acknowledged after it ended (one batch may have been in flight)
        console.log(`${name}: ${ackedBefore} batches before the backup, ${ackedAfter - ackedBefore} during it; restored ${k} batches`);
      } finally {
        await server.destroy();
      }

      // Control: the same database without its keys refuses to start.
      const keyless = tmp('baomi-backup-keyless-');
      if (pgMode) {
        await expect(
          prepareServer({ dataDir: keyless, databaseUrl: restoredUrl, env: {}, consoleDir: join(keyless, 'none') }),
        ).rejects.toBeInstanceOf(KeyMismatchError);
      } else {
        const { copyFileSync } = await import('node:fs');
        copyFileSync(join(restoredDir, 'baomi.sqlite'), join(keyless, 'baomi.sqlite'));
        await expect(
          prepareServer({ dataDir: keyless, databaseUrl: '', env: {}, consoleDir: join(keyless, 'none') }),
        ).rejects.toBeInstanceOf(KeyMismatchError);
      }
    },
    180_000,
  );
});
