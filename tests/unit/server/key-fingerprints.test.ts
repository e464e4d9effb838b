/**
 * One database, one set of keys: a second process whose data dir holds other keys refuses
 * to start and says how to share them; with the same keys it starts. SQLite and PostgreSQL.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { KeyMismatchError } from '../../../server/db/repositories/server-keys';
import { EXTENSION_KEY_FILE, HASH_KEY_FILE, SIGNING_KEY_FILE } from '../../../server/keys';
import { prepareServer, type StartOptions } from '../../../server/start';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];

describe.each(backends)('key fingerprints on $name', ({ name, skip }) => {
  let pgSchema: PgTestSchema | undefined;
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'baomi-keys-'));
    dirs.push(dir);
    return dir;
  };
  let first: string;

  beforeAll(async () => {
    if (!skip && name === 'PostgreSQL') pgSchema = await createPgTestSchema(TEST_DATABASE_URL!);
    first = newDir();
  });
  afterAll(async () => {
    await pgSchema?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * SQLite: the database file lives in the data dir, so "another process with its own data
   * dir" means the same file opened with keys from elsewhere: simulated by copying the
   * first dir's database next to new keys.
   */
  async function start(dataDir: string) {
    const options: StartOptions = { dataDir, adminPassword: 'Tq8-vole-mirth-Zanzibar', env: {}, databaseUrl: '' };
    if (pgSchema) Object.assign(options, { databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema });
    return prepareServer(options);
  }
  const shareDatabase = (to: string) => {
    if (!pgSchema) copyFileSync(join(first, 'baomi.sqlite'), join(to, 'baomi.sqlite'));
  };

  it.skipIf(skip)('a process with other keys refuses to start, saying how to share the data dir', async () => {
    const one = await start(first);
    await one.destroy();
    const other = newDir();
    shareDatabase(other);
    const error = await start(other).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeyMismatchError);
    const message = (error as Error).message;
    expect(message).toContain('signing key, hashing key and extension key differ');
    expect(message).toContain(SIGNING_KEY_FILE);
    expect(message).toContain(HASH_KEY_FILE);
    expect(message).toContain(EXTENSION_KEY_FILE);
    expect(message).toContain('BAOMI_DATA_DIR');
    expect(message).toMatch(/复制/);
    // The hashing key itself never appears in the message.
    expect(message).not.toContain((await import('node:fs')).readFileSync(join(first, HASH_KEY_FILE), 'utf8').trim());
  });

  it.skipIf(skip)('only the hashing key differing is refused too', async () => {
    const other = newDir();
    copyFileSync(join(first, SIGNING_KEY_FILE), join(other, SIGNING_KEY_FILE));
    copyFileSync(join(first, EXTENSION_KEY_FILE), join(other, EXTENSION_KEY_FILE));
    shareDatabase(other);
    await expect(start(other)).rejects.toThrow(/\(hashing key differ/);
  });

  it.skipIf(skip)('only the extension key differing is refused: the hosted extension would get another id', async () => {
    const other = newDir();
    copyFileSync(join(first, SIGNING_KEY_FILE), join(other, SIGNING_KEY_FILE));
    copyFileSync(join(first, HASH_KEY_FILE), join(other, HASH_KEY_FILE));
    shareDatabase(other);
    await expect(start(other)).rejects.toThrow(/\(extension key differ/);
  });

  it.skipIf(skip)('control: a process given the same keys starts and shares the database', async () => {
    const other = newDir();
    copyFileSync(join(first, SIGNING_KEY_FILE), join(other, SIGNING_KEY_FILE));
    copyFileSync(join(first, HASH_KEY_FILE), join(other, HASH_KEY_FILE));
    copyFileSync(join(first, EXTENSION_KEY_FILE), join(other, EXTENSION_KEY_FILE));
    shareDatabase(other);
    const two = await start(other);
    expect((await two.db.selectFrom('server_keys').select('name').execute()).map((r) => r.name).sort()).toEqual([
      'extension',
      'hash',
      'signing',
    ]);
    await two.destroy();
  });
});
