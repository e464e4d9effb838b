/** The data dir and its files are private to the server's user, whatever the umask. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareServer } from '../../../server/start';
import { insertEvents } from '../../../server/db/repositories/events';
import { prepareBatch } from '../../../server/lib/event-intake';
import { asDevice, makeEvent } from './helpers';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('data dir and file modes', () => {
  const dirs: string[] = [];
  let umask: number | undefined;
  afterEach(() => {
    if (umask !== undefined) process.umask(umask);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a new data dir', false],
    ['an existing 0755 dir with a 0644 database (an older install)', true],
  ])('%s: dir 0700; database, WAL, SHM and key files 0600', async (_name, existing) => {
    umask = process.umask(0o022); // the usual umask: files 0644, dirs 0755 unless we say otherwise
    const parent = mkdtempSync(join(tmpdir(), 'baomi-modes-'));
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    if (existing) {
      mkdirSync(dataDir, { mode: 0o755 });
      chmodSync(dataDir, 0o755);
      writeFileSync(join(dataDir, 'baomi.sqlite'), '', { mode: 0o644 });
      chmodSync(join(dataDir, 'baomi.sqlite'), 0o644);
    }
    const server = await prepareServer({ dataDir, databaseUrl: '', adminPassword: 'Tq8-vole-mirth-Zanzibar', env: {} });
    // Writes make the WAL and SHM files exist.
    await insertEvents(server.db, prepareBatch([makeEvent('dev-m')], asDevice('dev-m'), new Date()).rows);
    const files = readdirSync(dataDir).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'baomi.sqlite',
        'baomi.sqlite-shm',
        'baomi.sqlite-wal',
        'extension-key.pem',
        'hash-key.txt',
        'signing-key.json',
      ]),
    );
    expect(modeOf(dataDir).toString(8)).toBe('700');
    for (const file of files) expect([file, modeOf(join(dataDir, file)).toString(8)]).toEqual([file, '600']);
    await server.destroy();
    // Control: the server still opens its own (narrowed) files and finds its data.
    const again = await prepareServer({ dataDir, databaseUrl: '', env: {} });
    expect(
      Number(
        (
          await again.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(1);
    await again.destroy();
  });
});
