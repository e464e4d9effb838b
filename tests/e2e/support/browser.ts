/**
 * Finds a Chromium for the end-to-end tests and launches it with the built extension.
 *
 * Order: $PUPPETEER_EXECUTABLE_PATH → a Chromium/Chrome on $PATH (Debian's `chromium`
 * package installs /usr/bin/chromium) or in /Applications → a Chrome for Testing already
 * downloaded into node_modules/.cache/chrome-for-testing (`browser-paths.ts`, which the test
 * preflight in `scripts/test-env/` reads too: `npm test` stops before the suites, saying what
 * to install, when none of these is there; nothing is downloaded here).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type WebWorker } from 'puppeteer-core';
import { installedChromeForTesting, locateChromium as locateChromiumIn, locateFirefox } from './browser-paths';

/**
 * Which browser the e2e suites drive: Chromium (default) or Firefox ESR
 * (`BAOMI_E2E_BROWSER=firefox`, set by the `e2e-firefox` Vitest project).
 */
export const E2E_BROWSER: 'chromium' | 'firefox' = process.env.BAOMI_E2E_BROWSER === 'firefox' ? 'firefox' : 'chromium';
export const IS_FIREFOX = E2E_BROWSER === 'firefox';

let cachedExecutable: Promise<string> | null = null;

export function findChromium(): Promise<string> {
  cachedExecutable ??= locateChromium();
  return cachedExecutable;
}

async function locateChromium(): Promise<string> {
  const found = locateChromiumIn({ env: process.env, exists: existsSync, chromeForTesting: await installedChromeForTesting() });
  if ('problem' in found) throw new Error(`No Chromium found: ${found.problem} (\`npm test\` first says what to install)`);
  return found.path;
}

export const EXTENSION_DIR = resolve(IS_FIREFOX ? '.output/firefox-mv3' : '.output/chrome-mv3');

function findFirefox(): string {
  const found = locateFirefox({ env: process.env, exists: existsSync });
  if ('problem' in found) throw new Error(`No Firefox found: ${found.problem} (\`npm test\` first says what to install)`);
  return found.path;
}

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
  /** Firefox only: host names resolved to loopback (network.dns.localDomains). */
  localDomains?: string[];
  /** Another built extension (A/B comparisons of two builds); default: EXTENSION_DIR. */
  extensionDir?: string;
  /**
   * Where downloads land, set as a user would (the profile's download preferences, no
   * prompt) rather than through DevTools, so the extension's downloads API sees them as
   * it would on a staff machine.
   */
  downloadDir?: string;
  /** Browser UI language ('zh-CN', 'en'): what browser.i18n picks its catalogue by. */
  lang?: string;
  /**
   * Firefox only: the extension's managed storage (what an IT admin deploys), written as
   * a managed-storage manifest under a private $HOME (~/.mozilla/managed-storage/<id>.json,
   * the per-user place Firefox reads on Linux), so the extension enrols with no click.
   */
  managedStorage?: Record<string, unknown>;
}

/** The add-on id of the Firefox build (wxt.config.ts browser_specific_settings.gecko.id). */
export const FIREFOX_ADDON_ID = 'baomi-guard@baomi.example';

export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  if (IS_FIREFOX) return launchFirefox(options);
  const withExtension = options.withExtension ?? true;
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`Built extension not found in ${extensionDir}: run \`npm run build\` first`);
  }
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'baomi-e2e-')));
  if (options.downloadDir) {
    await mkdir(join(userDataDir, 'Default'), { recursive: true });
    await writeFile(
      join(userDataDir, 'Default', 'Preferences'),
      JSON.stringify({ download: { default_directory: options.downloadDir, prompt_for_download: false, directory_upgrade: true } }),
    );
  }
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

/**
 * Firefox ESR over WebDriver BiDi, the build installed as a temporary add-on (what
 * `web-ext run` does). Chromium's switches in `extraArgs` do not apply; host mapping is
 * `localDomains`.
 */
async function launchFirefox(options: LaunchOptions): Promise<LaunchedBrowser> {
  const withExtension = options.withExtension ?? true;
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`Built extension not found in ${extensionDir}: run \`npm run build:firefox\` first`);
  }
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'baomi-e2e-ff-')));
  let home: string | null = null;
  if (options.managedStorage) {
    home = await mkdtemp(join(tmpdir(), 'baomi-e2e-ff-home-'));
    await mkdir(join(home, '.mozilla', 'managed-storage'), { recursive: true });
    await writeFile(
      join(home, '.mozilla', 'managed-storage', `${FIREFOX_ADDON_ID}.json`),
      JSON.stringify({ name: FIREFOX_ADDON_ID, description: 'Baomi Guard e2e', type: 'storage', data: options.managedStorage }),
    );
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
    executablePath: findFirefox(),
    headless: true,
    userDataDir,
    extraPrefsFirefox: {
      // navigator.clipboard.read*/write* without a user gesture or a paste prompt (test-only pref).
      'dom.events.testing.asyncClipboard': true,
      'dom.events.asyncClipboard.readText': true,
      'dom.events.asyncClipboard.clipboardItem': true,
      // Plain-http intranet host names → loopback (Chromium: --host-resolver-rules).
      'network.dns.localDomains': (options.localDomains ?? []).join(','),
      'network.proxy.allow_hijacking_localhost': false,
      // No HTTPS upgrades of the plain-http test pages.
      'dom.security.https_first': false,
      'dom.security.https_first_schemeless': false,
      // Downloads land in `downloadDir` without a dialog, as a user's saved preference would have them.
      ...(options.downloadDir
        ? {
            'browser.download.dir': options.downloadDir,
            'browser.download.folderList': 2,
            'browser.download.useDownloadDir': true,
            'browser.download.always_ask_before_handling_new_types': false,
            'browser.download.start_downloads_in_tmp_dir': false,
            'browser.download.alwaysOpenPanel': false,
            'browser.helperApps.neverAsk.saveToDisk':
              'text/csv,application/octet-stream,application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          }
        : {}),
    },
  });
  if (withExtension) await browser.installExtension(extensionDir);
  return {
    browser,
    userDataDir,
    async close() {
      await browser.close().catch(() => undefined);
      if (!options.userDataDir) await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
      if (home) await rm(home, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/**
 * Why a Firefox run skips a case that reads or writes the extension's own state (event
 * queue, stored policy): Firefox's WebDriver BiDi shows no extension contexts — the
 * background has no target, and navigating a tab to moz-extension:// is refused ("not
 * allowed in this context"; with --remote-allow-system-access it never reports back).
 * What the page shows (notice, blocked request, clipboard) is checked in Firefox too.
 */
export const FIREFOX_NO_EXTENSION_CONTEXT =
  "Firefox's WebDriver BiDi exposes no extension context (background or moz-extension:// page) to read the queue or write storage";

/** Code run with the extension's privileges (Chromium's service worker). */
export interface ExtensionContext {
  /** chrome-extension://<id> */
  origin: string;
  evaluate<T>(code: string | (() => T | Promise<T>)): Promise<T>;
}

export async function extensionContext(browser: Browser): Promise<ExtensionContext> {
  if (IS_FIREFOX) throw new Error(FIREFOX_NO_EXTENSION_CONTEXT);
  const { worker, extensionId } = await extensionWorker(browser);
  return { origin: `chrome-extension://${extensionId}`, evaluate: (code) => (worker as WebWorker).evaluate(code as never) as never };
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
