/**
 * Firefox ESR installs the add-on from the Baomi server with the policies.json the console
 * makes (部署 page's generator, through its API): ExtensionSettings force-installs the
 * server's XPI, "3rdparty" hands it its managed configuration, and the add-on enrols itself.
 * The XPI is not signed by Mozilla: Firefox ESR installs it with xpinstall.signatures.required
 * off (a company sets it through autoconfig; here, a profile pref).
 *
 * policies.json is read from the installation's distribution/ folder, which every Firefox on
 * the machine shares: the file is placed in a private copy bind-mounted over it in a mount
 * namespace of this Firefox only (`unshare --mount`, root), as managed-chromium.ts does for
 * /etc/chromium. Without root or Firefox the test skips with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishExtension } from '../../server/extension/publish';
import { startServer, type StartedServer } from '../../server/start';
import { loginAdmin, type AdminClient } from './support/admin-client';
import { locateFirefox } from './support/browser-paths';
import { managedWorkDir, removeWorkDir } from './support/managed-chromium';

const ADMIN_PASSWORD = 'e2e-admin-password-firefox';
const ENROLLMENT_CODE = 'E2E-FIREFOX-0001';
const FIREFOX_BUILD = resolve('.output/firefox-mv3');
const CHROME_BUILD = resolve('.output/chrome-mv3');

function firefoxPath(): string | null {
  const found = locateFirefox({ env: process.env, exists: existsSync });
  return 'problem' in found ? null : realpathSync(found.path);
}

function unavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root: a private mount of the Firefox distribution folder needs root';
  const firefox = firefoxPath();
  if (!firefox) return 'no Firefox ESR installed';
  if (!existsSync(join(FIREFOX_BUILD, 'manifest.json'))) return 'no Firefox build (npm run build:firefox)';
  const probe = spawnSync('unshare', ['--mount', '--', 'sh', '-c', `mount --bind "${tmpdir()}" "${tmpdir()}"`], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `no mount namespace here (unshare --mount: ${probe.error?.message ?? probe.stderr.trim()})`;
  return null;
}
const skipReason = unavailable();

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.skipIf(skipReason !== null)(`Firefox ESR installs from the server${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  let workDir: string;
  let server: StartedServer;
  let admin: AdminClient;
  let firefox: Browser;
  let version: string;
  let policies: { policies: Record<string, unknown> };

  beforeAll(async () => {
    workDir = await managedWorkDir();
    const dataDir = join(workDir, 'server-data');
    await mkdir(dataDir);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: '',
      adminPassword: ADMIN_PASSWORD,
      enrollmentCode: ENROLLMENT_CODE,
    });
    admin = await loginAdmin(server.url, 'admin', ADMIN_PASSWORD);
    const built = JSON.parse(await readFile(join(CHROME_BUILD, 'manifest.json'), 'utf8')) as { version: string };
    version = (
      await publishExtension({
        dataDir,
        chromeDir: CHROME_BUILD,
        firefoxDir: FIREFOX_BUILD,
        baseVersion: built.version,
        publicUrl: server.url,
      })
    ).release.version;
    const { files } = await admin.post<{ files: { id: string; content: string }[] }>('/deployment/policy-files', {
      enrollmentCode: ENROLLMENT_CODE,
    });
    const file = files.find((candidate) => candidate.id === 'firefox-policies')!;
    policies = JSON.parse(file.content) as typeof policies;

    const binary = firefoxPath()!;
    const distribution = join(dirname(binary), 'distribution');
    const privateDist = join(workDir, 'distribution');
    if (existsSync(distribution)) await cp(distribution, privateDist, { recursive: true });
    else await mkdir(privateDist);
    await writeFile(join(privateDist, 'policies.json'), file.content);
    const launcher = join(workDir, 'firefox-with-policy');
    await writeFile(
      launcher,
      `#!/bin/sh\nmkdir -p "${distribution}" 2>/dev/null\nexec unshare --mount -- sh -c 'mount --bind "$0" "${distribution}" && exec "$@"' "${privateDist}" "${binary}" "$@"\n`,
    );
    await chmod(launcher, 0o755);
    firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: launcher,
      headless: true,
      userDataDir: join(workDir, 'profile'),
      extraPrefsFirefox: {
        // ESR only: the company's own XPI is not signed by Mozilla.
        'xpinstall.signatures.required': false,
        'dom.security.https_first': false,
        // The test server is plain http, so the add-on's update_url is too: Firefox refuses such an
        // add-on ("Incompatible") unless this is off. A company's server is https (BAOMI_PUBLIC_URL).
        'extensions.checkUpdateSecurity': false,
      },
    });
  });
  afterAll(async () => {
    await firefox?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await removeWorkDir(workDir);
  });

  it('the generated policies.json force-installs the XPI from the server and the add-on enrols itself', async () => {
    expect(policies.policies.ExtensionSettings).toEqual({
      'baomi-guard@baomi.example': { installation_mode: 'force_installed', install_url: `${server.url}/extension/firefox/baomi-guard.xpi` },
    });
    const device = await poll('the Firefox device on the server', async () => {
      const { items } = await admin.get<{ items: { browser: string | null; extensionVersion: string | null }[] }>('/devices');
      return items.find((candidate) => /Firefox/.test(candidate.browser ?? ''));
    });
    // The published package (its version written at publish), installed by policy, not by the harness.
    expect(device.extensionVersion).toBe(version);
  });
});
