/**
 * Backup and restore (issue 28): a consistent online copy of the database together with
 * the data dir's keys, which open it — without them a restored database refuses to start
 * (db/repositories/server-keys.ts), and the customer register is sealed under the hashing key.
 *
 * A backup directory holds:
 *   manifest.json       format, store, time, key id, SHA-256 of every file
 *   baomi.sqlite        SQLite: better-sqlite3's online backup API (one snapshot, writers go on)
 *   baomi.pgdump        PostgreSQL: pg_dump --format=custom (one snapshot of the whole database)
 *   keys/signing-key.json, keys/hash-key.txt, keys/extension-key.pem   the SECRETS: keep the backup
 *                       as private as the data dir (the extension key is the extension id staff browsers run)
 *   extension/          the published extension packages and their index (server/extension/release-store.ts):
 *                       a restored server goes on from the last version staff browsers run
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { DATA_DIR_MODE, DATA_FILE_MODE, ensurePrivateDir } from '../data-dir';
import { SQLITE_FILE } from '../db/dialect';
import { EXTENSION_KEY_FILE, HASH_KEY_FILE, loadOrCreateKeys, SIGNING_KEY_FILE } from '../keys';
import { RELEASES_DIR } from '../extension/release-store';

const run = promisify(execFile);

export const BACKUP_FORMAT = 'baomi-backup/1';
export const MANIFEST_FILE = 'manifest.json';
export const PG_DUMP_FILE = 'baomi.pgdump';
/** Keys a data dir must hold to be backed up (a wrong BAOMI_DATA_DIR has none). */
const KEY_FILES = [SIGNING_KEY_FILE, HASH_KEY_FILE] as const;
/** Keys the backup carries: the extension key too (made at the first start that knew it). */
const BACKED_UP_KEYS = [...KEY_FILES, EXTENSION_KEY_FILE] as const;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  store: 'sqlite' | 'postgres';
  createdAt: string;
  /** The signing key's id (what devices pinned): says which server this backup belongs to. */
  keyId: string;
  /** Relative path → SHA-256 hex, checked before anything is restored. */
  files: Record<string, string>;
}

export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

export interface StoreLocation {
  dataDir: string;
  /** PostgreSQL when set, else the SQLite file in the data dir. */
  databaseUrl?: string;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function copyPrivate(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, DATA_FILE_MODE);
}

/** pg_dump / pg_restore: BAOMI_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else PATH. */
export function pgTool(name: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string {
  if (env.BAOMI_PG_BIN) return join(env.BAOMI_PG_BIN, name);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin', name);
  }
  return name;
}

/** The URL without its password, and the password for PGPASSWORD (never on a command line `ps` shows). */
function pgConnection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function backupSqlite(dataDir: string, outDir: string): Promise<string> {
  const source = join(dataDir, SQLITE_FILE);
  if (!existsSync(source)) throw new BackupError(`No database at ${source}: is BAOMI_DATA_DIR right?`);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // After the first step, copy the rest in one step: a write by the server between steps
    // restarts the copy, and under steady ingest small steps might never finish.
    await db.backup(join(outDir, SQLITE_FILE), { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    db.close();
  }
  chmodSync(join(outDir, SQLITE_FILE), DATA_FILE_MODE);
  return SQLITE_FILE;
}

async function backupPostgres(databaseUrl: string, outDir: string): Promise<string> {
  const { url, env } = pgConnection(databaseUrl);
  try {
    // One snapshot (pg_dump reads in a REPEATABLE READ transaction): events keep arriving meanwhile.
    await run(
      pgTool('pg_dump'),
      ['--format=custom', '--no-owner', '--no-privileges', `--file=${join(outDir, PG_DUMP_FILE)}`, `--dbname=${url}`],
      {
        env,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (cause) {
    throw new BackupError(`pg_dump failed: ${(cause as { stderr?: string }).stderr?.trim() || String(cause)}`, { cause });
  }
  chmodSync(join(outDir, PG_DUMP_FILE), DATA_FILE_MODE);
  return PG_DUMP_FILE;
}

/** Takes the backup into `outDir` (made 0700; it must not hold a backup already). */
export async function takeBackup(from: StoreLocation, outDir: string, now = new Date()): Promise<BackupManifest> {
  if (existsSync(join(outDir, MANIFEST_FILE))) throw new BackupError(`${outDir} already holds a backup: choose a new directory`);
  for (const file of KEY_FILES) {
    if (!existsSync(join(from.dataDir, file))) throw new BackupError(`No ${file} in ${from.dataDir}: is BAOMI_DATA_DIR right?`);
  }
  const { keyId } = await loadOrCreateKeys(from.dataDir);
  ensurePrivateDir(outDir);
  mkdirSync(join(outDir, 'keys'), { mode: DATA_DIR_MODE, recursive: true });
  const database = from.databaseUrl ? await backupPostgres(from.databaseUrl, outDir) : await backupSqlite(from.dataDir, outDir);
  const files: Record<string, string> = { [database]: sha256(join(outDir, database)) };
  for (const file of BACKED_UP_KEYS) {
    copyPrivate(join(from.dataDir, file), join(outDir, 'keys', file));
    files[`keys/${file}`] = sha256(join(outDir, 'keys', file));
  }
  const releases = join(from.dataDir, RELEASES_DIR);
  if (existsSync(releases)) {
    mkdirSync(join(outDir, RELEASES_DIR), { mode: DATA_DIR_MODE });
    for (const file of readdirSync(releases).filter((name) => !name.endsWith('.tmp'))) {
      copyPrivate(join(releases, file), join(outDir, RELEASES_DIR, file));
      files[`${RELEASES_DIR}/${file}`] = sha256(join(outDir, RELEASES_DIR, file));
    }
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    store: from.databaseUrl ? 'postgres' : 'sqlite',
    createdAt: now.toISOString(),
    keyId,
    files,
  };
  writeFileSync(join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', { mode: DATA_FILE_MODE });
  return manifest;
}

/** Reads the manifest and checks every file against its digest. */
export function readBackup(dir: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch (cause) {
    throw new BackupError(`${dir} holds no readable ${MANIFEST_FILE}: not a Baomi backup`, { cause });
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`Unknown backup format ${String(manifest.format)}`);
  for (const [file, digest] of Object.entries(manifest.files)) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new BackupError(`The backup lacks ${file}`);
    if (sha256(path) !== digest) throw new BackupError(`${file} does not match its digest in the manifest: the backup is damaged`);
  }
  return manifest;
}

async function postgresHoldsData(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('events', 'server_keys')`,
    );
    return Number(result.rows[0]?.n ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/**
 * Puts a backup back: the keys into the data dir, the database into the SQLite file or the
 * PostgreSQL database. A data dir (or database) already holding a server's data is
 * refused unless `force` — and the server must be stopped first either way.
 */
export async function restoreBackup(dir: string, to: StoreLocation, force: boolean): Promise<BackupManifest> {
  const manifest = readBackup(dir);
  if (manifest.store === 'postgres' && !to.databaseUrl)
    throw new BackupError('This backup is of a PostgreSQL database: set DATABASE_URL to the database to restore into');
  if (manifest.store === 'sqlite' && to.databaseUrl)
    throw new BackupError('This backup is of a SQLite database: unset DATABASE_URL to restore into the data dir');
  const live = [SQLITE_FILE, ...BACKED_UP_KEYS].filter((file) => existsSync(join(to.dataDir, file)));
  if (to.databaseUrl && (await postgresHoldsData(to.databaseUrl))) live.push('the database named by DATABASE_URL');
  if (live.length > 0 && !force) {
    throw new BackupError(
      `${to.dataDir} is a live data dir (it holds ${live.join(', ')}): stop the server and add --force to replace it, or restore into an empty BAOMI_DATA_DIR`,
    );
  }
  ensurePrivateDir(to.dataDir);
  // Keys and packages the manifest lists (a backup from before the extension key has none).
  for (const file of Object.keys(manifest.files)) {
    const [folder, name = '', ...deeper] = file.split('/');
    if (deeper.length > 0 || !/^[\w.-]+$/.test(name) || name.startsWith('.')) continue;
    if (folder === 'keys' && (BACKED_UP_KEYS as readonly string[]).includes(name)) copyPrivate(join(dir, file), join(to.dataDir, name));
    else if (folder === RELEASES_DIR) {
      mkdirSync(join(to.dataDir, RELEASES_DIR), { mode: DATA_DIR_MODE, recursive: true });
      copyPrivate(join(dir, file), join(to.dataDir, file));
    }
  }
  if (manifest.store === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(join(to.dataDir, SQLITE_FILE + suffix), { force: true });
    copyPrivate(join(dir, SQLITE_FILE), join(to.dataDir, SQLITE_FILE));
  } else {
    const { url, env } = pgConnection(to.databaseUrl!);
    try {
      await run(
        pgTool('pg_restore'),
        [
          '--clean',
          '--if-exists',
          '--no-owner',
          '--no-privileges',
          '--single-transaction',
          '--exit-on-error',
          `--dbname=${url}`,
          join(dir, PG_DUMP_FILE),
        ],
        { env, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (cause) {
      throw new BackupError(`pg_restore failed: ${(cause as { stderr?: string }).stderr?.trim() || String(cause)}`, { cause });
    }
  }
  return manifest;
}
