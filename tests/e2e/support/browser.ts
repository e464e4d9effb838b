/**
 * Finds a Chromium for the end-to-end tests and launches it with the built extension.
 *
 * Order: $PUPPETEER_EXECUTABLE_PATH → a system Chromium/Chrome (Debian's `chromium`
 * package installs /usr/bin/chromium) → Chrome for Testing downloaded once into
 * node_modules/.cache (works on a normal machine with internet; this sandbox has none,
 * which is why .ci/run installs Debian's chromium).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

let cachedExecutable: Promise<string> | null = null;

export function findChromium(): Promise<string> {
  cachedExecutable ??= locateChromium();
  return cachedExecutable;
}

async function locateChromium(): Promise<string> {
  const fromEnv = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PUPPETEER_EXECUTABLE_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const system = SYSTEM_CANDIDATES.find((path) => existsSync(path));
  if (system) return system;
  // No system browser: download Chrome for Testing (needs internet).
  const browsers = await import('@puppeteer/browsers');
  const platform = browsers.detectBrowserPlatform();
  if (!platform) throw new Error('No Chromium found and this platform has no Chrome for Testing build');
  const cacheDir = resolve('node_modules/.cache/chrome-for-testing');
  const buildId = await browsers.resolveBuildId(browsers.Browser.CHROME, platform, 'stable');
  const installed = await browsers.install({ browser: browsers.Browser.CHROME, buildId, cacheDir });
  return installed.executablePath;
}

export const EXTENSION_DIR = resolve('.output/chrome-mv3');

export interface LaunchedBrowser {
  browser: Browser;
  userDataDir: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Load the built extension (default true). */
  withExtension?: boolean;
  /** Reuse a profile (to test a browser restart); a fresh temporary one otherwise. */
  userDataDir?: string;
  extraArgs?: string[];
  /** Another built extension (A/B comparisons of two builds); default: EXTENSION_DIR. */
  extensionDir?: string;
  /** Browser UI language ('zh-CN', 'en'): what browser.i18n picks its catalogue by. */
  lang?: string;
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const withExtension = options.withExtension ?? true;
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`Built extension not found in ${extensionDir}: run \`npm run build\` first`);
  }
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'baomi-e2e-')));
  const args = [
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking', // this machine's network is closed; Chromium's own calls only add noise
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-gpu',
    // Let tests read and write the clipboard without a permission prompt.
    '--enable-features=ClipboardUnsanitizedContent',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(options.lang ? [`--lang=${options.lang}`] : []),
    ...(options.extraArgs ?? []),
  ];
  const browser = await puppeteer.launch({
    executablePath: await findChromium(),
    headless: true,
    // Chrome ≥ 137 ignores --load-extension; Puppeteer loads unpacked extensions over a CDP pipe.
    pipe: true,
    userDataDir,
    args,
    // Puppeteer's defaults include --disable-extensions; drop it so ours loads.
    ignoreDefaultArgs: ['--disable-extensions'],
    enableExtensions: withExtension ? [extensionDir] : false,
    // On Linux Chromium takes its UI language from the environment, not --lang.
    ...(options.lang ? { env: { ...process.env, LANGUAGE: options.lang.replace('-', '_') } } : {}),
  } as Parameters<typeof puppeteer.launch>[0]);
  return {
    browser,
    userDataDir,
    async close() {
      await browser.close().catch(() => undefined);
      if (!options.userDataDir) await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** The extension's service worker target (waits for it to start). */
export async function extensionWorker(browser: Browser) {
  const target = await browser.waitForTarget(
    (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith('chrome-extension://'),
    { timeout: 30_000 },
  );
  const worker = await target.worker();
  if (!worker) throw new Error('extension service worker target has no worker');
  const extensionId = new URL(target.url()).host;
  // A worker caught while it starts may not have its extension bindings yet.
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await worker
      .evaluate(() => Boolean((globalThis as { chrome?: { runtime?: { id?: string } } }).chrome?.runtime?.id))
      .catch(() => false);
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { target, worker, extensionId };
}
