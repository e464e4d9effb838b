/**
 * Chromium with the extension installed the way an IT admin installs it: a policy file in
 * /etc/chromium/policies/managed/ that force-installs the CRX the Baomi server hosts (stable
 * id from the server's extension key) from its update URL, and gives it its managed
 * configuration ("3rdparty").
 *
 * A policy file there applies to every Chromium on the machine, and other test files run
 * Chromium at the same time. So the file is written into a private copy of /etc/chromium
 * that is bind-mounted over the real one in a mount namespace of the test's Chromium only
 * (`unshare --mount`, needs root): that browser reads the admin's path, nothing else sees
 * the file, and nothing is left behind if the test dies. Without root or mount namespaces
 * the test skips with {@link managedPolicyUnavailable}'s reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { findChromium } from './browser';

/** Debian's Chromium reads machine policy here (Google Chrome: /etc/opt/chrome/policies). */
export const CHROMIUM_ETC = '/etc/chromium';

/** Why the managed-deployment test cannot run here, or null when it can. */
export function managedPolicyUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root: a private mount of /etc/chromium (unshare --mount) needs root';
  if (!existsSync(CHROMIUM_ETC)) return `${CHROMIUM_ETC} does not exist (Debian chromium not installed)`;
  const probe = spawnSync('unshare', ['--mount', '--', 'sh', '-c', `mount --bind "${tmpdir()}" "${CHROMIUM_ETC}"`], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `no mount namespace here (unshare --mount: ${probe.error?.message ?? probe.stderr.trim()})`;
  return null;
}

export interface ManagedChromium {
  browser: Browser;
  /** The policy file as the browser read it (inside the private /etc/chromium). */
  policyFile: string;
  close(): Promise<void>;
}

/**
 * Launches Chromium that reads `policy` from /etc/chromium/policies/managed/<unique>.json,
 * visible to this browser only. No extension is loaded by the harness: what installs it
 * is the policy.
 */
export async function launchManagedChromium(policy: object, workDir: string): Promise<ManagedChromium> {
  const etc = join(workDir, 'etc-chromium');
  await mkdir(join(etc, 'policies', 'managed'), { recursive: true });
  // The rest of /etc/chromium stays as the package installed it.
  for (const name of ['master_preferences', 'initial_preferences']) {
    if (existsSync(join(CHROMIUM_ETC, name))) await copyFile(join(CHROMIUM_ETC, name), join(etc, name));
  }
  const policyFile = join(etc, 'policies', 'managed', `baomi-e2e-${process.pid}-${Date.now()}.json`);
  await writeFile(policyFile, JSON.stringify(policy, null, 2));
  // The launcher Puppeteer runs: a private mount namespace, the copy over /etc/chromium, then
  // Chromium with Puppeteer's arguments (its pipe fds 3 and 4 are inherited through exec).
  const launcher = join(workDir, 'chromium-with-policy');
  await writeFile(
    launcher,
    `#!/bin/sh\nexec unshare --mount -- sh -c 'mount --bind "$0" ${CHROMIUM_ETC} && exec "$@"' "${etc}" "${await findChromium()}" "$@"\n`,
  );
  await chmod(launcher, 0o755);
  const userDataDir = join(workDir, 'profile');
  const browser = await puppeteer.launch({
    executablePath: launcher,
    headless: true,
    pipe: true,
    userDataDir,
    args: [
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-sync',
      '--disable-gpu',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
    // Puppeteer's defaults switch off extensions and the background networking the
    // extension updater uses to fetch the forced install.
    ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking', '--disable-component-update'],
  });
  return {
    browser,
    policyFile,
    close: () => browser.close().catch(() => undefined),
  };
}

/** A working directory for one managed run, removed by the caller. */
export function managedWorkDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'baomi-managed-'));
}

export async function removeWorkDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
