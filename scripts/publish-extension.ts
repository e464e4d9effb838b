/**
 * `npm run publish:extension [-- --version 1.2.0.3] [--public-url https://…] [--no-build]`
 *
 * Builds the extension for Chromium and Firefox, packs them with the data dir's extension
 * key (BAOMI_DATA_DIR, the server's) and places the new version where the server serves it:
 * installed browsers update at their next check. The version rises by itself (package.json's
 * x.y.z and a fourth part one above the last published); an explicit --version must be higher
 * than every published one. Exit 0 published, 2 refused (the reason is printed).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config';
import { publishExtension, PublishError } from '../server/extension/publish';
import { deploymentUrls } from '../server/extension/update-manifest';
import { VersionError } from '../server/extension/versions';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new PublishError(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { version: { type: 'string' }, 'public-url': { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
  });
  const config = loadConfig(process.env);
  const publicUrl = values['public-url'] ?? config.publicUrl;
  if (!publicUrl) throw new PublishError('a public URL is needed: set BAOMI_PUBLIC_URL (as for the server) or pass --public-url https://…');
  if (!values['no-build']) {
    run('npx', ['wxt', 'build']);
    run('npx', ['wxt', 'build', '-b', 'firefox']);
  }
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const result = await publishExtension({
    dataDir: config.dataDir,
    chromeDir: resolve('.output/chrome-mv3'),
    firefoxDir: resolve('.output/firefox-mv3'),
    baseVersion: pkg.version,
    version: values.version,
    publicUrl: publicUrl ?? '',
  });
  const urls = deploymentUrls(publicUrl!.replace(/\/+$/, ''));
  console.log(
    [
      `published 保密卫士 ${result.release.version} (extension id ${result.extensionId}) into ${resolve(config.dataDir, 'extension')}`,
      `  Chrome / Edge: ${result.release.chrome.file} (${result.release.chrome.size} bytes), update URL ${urls.chromeUpdateUrl}`,
      result.release.firefox
        ? `  Firefox: ${result.release.firefox.file} (${result.release.firefox.size} bytes), updates ${urls.firefoxUpdateUrl}`
        : `  Firefox: not published — ${result.firefoxSkipped}`,
      '  installed browsers take it at their next update check (Chrome: every few hours, or chrome://extensions → Update)',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof VersionError || error instanceof PublishError) {
    console.error(`publish refused: ${error.message}`);
    process.exit(2);
  }
  console.error('publish failed:', error);
  process.exit(1);
});
