/**
 * Where the e2e suites find their browsers. Shared by `browser.ts` (which launches them) and
 * the test preflight (`scripts/test-env/`), so the preflight's "not found" is exactly the
 * launcher's. Pure but for {@link installedChromeForTesting}: the caller passes the environment
 * and a file test. Nothing here needs a build: the preflight loads it first thing.
 */
import { delimiter, join, resolve } from 'node:path';

/** Looked up on $PATH after $PUPPETEER_EXECUTABLE_PATH; Debian's `chromium` package installs the first. */
export const CHROMIUM_COMMANDS: readonly string[] = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
/** Looked up on $PATH after $BAOMI_FIREFOX_PATH; Debian's `firefox-esr` package installs the first. */
export const FIREFOX_COMMANDS: readonly string[] = ['firefox-esr', 'firefox'];

/** macOS installs applications outside $PATH. */
const CHROMIUM_APPS = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];
const FIREFOX_APPS = ['/Applications/Firefox.app/Contents/MacOS/firefox'];

/** Chrome for Testing builds downloaded with `npx @puppeteer/browsers install chrome@stable --path <this>`. */
export const CHROME_FOR_TESTING_CACHE = 'node_modules/.cache/chrome-for-testing';

export interface BrowserLookup {
  env: Readonly<Record<string, string | undefined>>;
  exists(path: string): boolean;
  /** Chrome for Testing executables already in {@link CHROME_FOR_TESTING_CACHE}, newest first. */
  chromeForTesting: readonly string[];
}

export type Located = { path: string } | { problem: string };

/** The first `command` on $PATH, then the first existing `apps` entry. */
function firstFound(
  lookup: Omit<BrowserLookup, 'chromeForTesting'>,
  commands: readonly string[],
  apps: readonly string[],
): string | undefined {
  const dirs = (lookup.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const command of commands) {
    const found = dirs.map((dir) => join(dir, command)).find((path) => lookup.exists(path));
    if (found) return found;
  }
  return apps.find((path) => lookup.exists(path));
}

export function locateChromium(lookup: BrowserLookup): Located {
  const fromEnv = lookup.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) return lookup.exists(fromEnv) ? { path: fromEnv } : { problem: `PUPPETEER_EXECUTABLE_PATH=${fromEnv} does not exist` };
  const path = firstFound(lookup, CHROMIUM_COMMANDS, CHROMIUM_APPS) ?? lookup.chromeForTesting[0];
  if (path) return { path };
  return {
    problem: `no ${CHROMIUM_COMMANDS.join(' / ')} on PATH, no Chrome in /Applications nor in ${CHROME_FOR_TESTING_CACHE}, and PUPPETEER_EXECUTABLE_PATH is not set`,
  };
}

export function locateFirefox(lookup: Omit<BrowserLookup, 'chromeForTesting'>): Located {
  const fromEnv = lookup.env.BAOMI_FIREFOX_PATH;
  if (fromEnv) return lookup.exists(fromEnv) ? { path: fromEnv } : { problem: `BAOMI_FIREFOX_PATH=${fromEnv} does not exist` };
  const path = firstFound(lookup, FIREFOX_COMMANDS, FIREFOX_APPS);
  if (path) return { path };
  return { problem: `no ${FIREFOX_COMMANDS.join(' / ')} on PATH nor in /Applications, and BAOMI_FIREFOX_PATH is not set` };
}

/**
 * Executables of the Chrome for Testing builds in {@link CHROME_FOR_TESTING_CACHE}, newest
 * first. Reads the folder only: nothing is downloaded while the tests run (a machine without
 * internet would hang there; the preflight says how to download one instead).
 */
export async function installedChromeForTesting(cacheDir = resolve(CHROME_FOR_TESTING_CACHE)): Promise<string[]> {
  const browsers = await import('@puppeteer/browsers');
  const installed = await browsers.getInstalledBrowsers({ cacheDir }).catch(() => []);
  return installed
    .filter((build) => build.browser === browsers.Browser.CHROME)
    .sort((a, b) => b.buildId.localeCompare(a.buildId, 'en', { numeric: true }))
    .map((build) => build.executablePath);
}
