/** CLI entry: `npm run server`. Prints what an operator needs once, then serves. */
import { resolve } from 'node:path';
import { ConfigError } from './config';
import { startServer } from './start';
import { formatEnrollmentCode } from '../utils/api/enrollment-code';

async function main(): Promise<void> {
  const server = await startServer();
  const { bootstrap: boot, config } = server;
  const lines = [
    `保密卫士 Baomi Guard server listening on ${server.url}`,
    `  storage: ${server.dbKind === 'sqlite' ? `SQLite ${server.dbFile}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  data dir (keys): ${resolve(config.dataDir)}`,
    `  admin console: ${server.url}/admin/`,
    `  device API: ${server.url}/api/v1  (key id ${server.keys.keyId})`,
  ];
  if (boot.generatedAdminPassword) {
    lines.push(
      `  first admin: user "admin", one-time password ${boot.generatedAdminPassword}  (shown once; the console asks for a new one at first login: ${server.url}/admin/#/password)`,
    );
  } else if (boot.adminCreated) {
    lines.push('  first admin: user "admin", password from BAOMI_ADMIN_PASSWORD');
  }
  if (boot.enrollmentCode) {
    const limits = boot.enrollmentCodeExpiresAt
      ? `  (valid until ${boot.enrollmentCodeExpiresAt.toISOString()}, at most ${boot.enrollmentCodeMaxUses} devices)`
      : '';
    lines.push(
      `  enrollment code: ${formatEnrollmentCode(boot.enrollmentCode, server.keys.keyId)}${boot.enrollmentCodeRevoked ? '  (REVOKED in the console: devices cannot use it)' : limits}`,
    );
  } else lines.push('  enrollment codes: manage them in the console (Enrollment codes)');
  lines.push(
    `  extension id ${server.keys.extension.id}: staff browsers install it from ${server.config.publicUrl ?? server.url}/extension/chrome/updates.xml once published (npm run publish:extension); policy files: console → 部署 / Deployment`,
  );
  lines.push(`  built extension: ${resolve('.output/chrome-mv3')} (npm run build; load unpacked for development)`);
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`received ${signal}, stopping`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Baomi Guard server failed to start:', error instanceof Error ? error.message : error);
    if (error instanceof Error && error.cause) console.error('  cause:', error.cause);
  }
  process.exit(1);
});
