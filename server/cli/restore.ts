/** `npm run restore -- DIR [--force]`: puts a backup back into BAOMI_DATA_DIR / DATABASE_URL (lib/backup.ts). Stop the server first. */
import { resolve } from 'node:path';
import { loadConfig } from '../config';
import { restoreBackup } from '../lib/backup';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const dir = args.find((arg) => arg !== '--force');
  if (!dir) throw new Error('usage: npm run restore -- DIR [--force]   (stop the server first; --force replaces a live data dir)');
  const config = loadConfig(process.env);
  const manifest = await restoreBackup(resolve(dir), { dataDir: config.dataDir, databaseUrl: config.databaseUrl }, force);
  console.log(`restored the ${manifest.store} backup of ${manifest.createdAt} (key id ${manifest.keyId}) into ${resolve(config.dataDir)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
