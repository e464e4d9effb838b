/** `npm run backup -- DIR`: a consistent online copy of the database and the keys (lib/backup.ts). */
import { resolve } from 'node:path';
import { loadConfig } from '../config';
import { takeBackup } from '../lib/backup';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npm run backup -- DIR   (a new directory; reads BAOMI_DATA_DIR and DATABASE_URL)');
  const config = loadConfig(process.env);
  const manifest = await takeBackup({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }, resolve(dir));
  console.log(`backup of the ${manifest.store} database and its keys (key id ${manifest.keyId}) in ${resolve(dir)}`);
  console.log('it holds the signing and hashing keys: keep it as private as the data dir');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
