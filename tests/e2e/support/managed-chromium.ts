/**
 * Chromium with the extension installed the way an IT admin installs it: a policy file in
 * /etc/chromium/policies/managed/ that force-installs a packed CRX (stable id from its key)
 * from an update URL, and gives it its managed configuration ("3rdparty").
 *
 * A policy file there applies to every Chromium on the machine, and other test files run
 * Chromium at the same time. So the file is written into a private copy of /etc/chromium
 * that is bind-mounted over the real one in a mount namespace of the test's Chromium only
 * (`unshare --mount`, needs root): that browser reads the admin's path, nothing else sees
 * the file, and nothing is left behind if the test dies. Without root or mount namespaces
 * the test skips with {@link managedPolicyUnavailable}'s reason.
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { EXTENSION_DIR, findChromium } from './browser';

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

/** Chrome's extension id: the SHA-256 of the public key (DER), first 32 hex digits as a–p. */
export function extensionIdOf(privateKeyPem: string): string {
  const der = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

export interface PackedExtension {
  id: string;
  version: string;
  crx: Buffer;
}

/** Packs `extensionDir` into a CRX3 with Chromium's own packer and a fresh RSA key. */
export async function packExtension(workDir: string, extensionDir = EXTENSION_DIR): Promise<PackedExtension> {
  const source = join(workDir, 'baomi-guard');
  await cp(extensionDir, source, { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const keyFile = join(workDir, 'baomi-guard.pem');
  await writeFile(keyFile, privateKey, { mode: 0o600 });
  const packed = spawnSync(
    await findChromium(),
    [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--headless', `--pack-extension=${source}`, `--pack-extension-key=${keyFile}`],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const crxFile = `${source}.crx`;
  if (!existsSync(crxFile)) throw new Error(`chromium --pack-extension made no CRX: ${packed.stderr}`);
  const manifest = JSON.parse(await readFile(join(source, 'manifest.json'), 'utf8')) as { version: string };
  return { id: extensionIdOf(privateKey), version: manifest.version, crx: await readFile(crxFile) };
}

export interface UpdateServer {
  /** The update manifest URL an admin puts in ExtensionInstallForcelist. */
  updateUrl: string;
  /** Requests the browser made for the manifest and the CRX, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the update manifest (gupdate XML) and the CRX, as a company's intranet would. */
export async function startUpdateServer(extension: PackedExtension): Promise<UpdateServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path.split('?')[0]!);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (path.startsWith('/updates.xml')) {
      response.setHeader('content-type', 'text/xml; charset=utf-8');
      response.end(
        `<?xml version='1.0' encoding='UTF-8'?>\n<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>` +
          `<app appid='${extension.id}'><updatecheck codebase='${origin}/baomi-guard.crx' version='${extension.version}' /></app></gupdate>`,
      );
    } else if (path === '/baomi-guard.crx') {
      response.setHeader('content-type', 'application/x-chrome-extension');
      response.end(extension.crx);
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    updateUrl: `${origin}/updates.xml`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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
