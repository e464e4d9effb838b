/**
 * Builds the {@link Machine} that `requirements.ts` judges from this machine: files, fontconfig,
 * the PostgreSQL install, and (when asked) whether $BAOMI_TEST_DATABASE_URL answers. Takes a
 * few hundred milliseconds; the database question at most {@link DATABASE_TIMEOUT_MS}.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { installedChromeForTesting } from '../../tests/e2e/support/browser-paths';
import { isDebianOsRelease, type Machine } from './requirements';

export const DATABASE_TIMEOUT_MS = 5_000;

/** Debian installs each PostgreSQL major version under /usr/lib/postgresql/<version>/bin. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

export async function probeMachine(env: NodeJS.ProcessEnv, options: { askDatabase: boolean }): Promise<Machine> {
  const url = env.BAOMI_TEST_DATABASE_URL;
  return {
    env,
    exists: existsSync,
    chromeForTesting: await installedChromeForTesting(),
    cjkFont: hasCjkFont(),
    postgresInstalled: listDir(DEBIAN_POSTGRES_ROOT).some((version) => existsSync(join(DEBIAN_POSTGRES_ROOT, version, 'bin', 'postgres'))),
    databaseError: url && options.askDatabase ? await databaseError(url) : undefined,
    root: process.getuid?.() === 0,
    debian: existsSync('/usr/bin/apt-get') && isDebianOsRelease(readText('/etc/os-release')),
  };
}

/** What Debian's fonts-noto-cjk installs: the answer when fontconfig's tools are not installed. */
const NOTO_CJK_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

function hasCjkFont(): boolean {
  // macOS and Windows ship Chinese fonts; on Linux ask fontconfig, which Chromium and Firefox use.
  if (process.platform !== 'linux') return true;
  const listed = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8', timeout: 10_000 });
  if (listed.error) return existsSync(NOTO_CJK_FILE);
  return listed.status === 0 && listed.stdout.trim() !== '';
}

async function databaseError(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: DATABASE_TIMEOUT_MS, query_timeout: DATABASE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    // A refused connection to a name with two addresses is an AggregateError with no message.
    const { message, code } = error as { message?: string; code?: string };
    return message || code || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
