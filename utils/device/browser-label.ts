/**
 * A readable name of the browser a device runs ("Chrome 156 · Windows"), for the console's
 * device list. On the device it is made from User-Agent Client Hints when the browser has
 * them (Chromium: the brand list names Edge, Opera, 360 and friends, and the platform),
 * else from the user-agent string; the console also turns the raw user-agent strings older
 * devices sent at enrolment into the same form.
 *
 * Hand-written rather than ua-parser-js/bowser: those read only the user-agent string,
 * which Chromium has frozen (every Windows reads "Windows NT 10.0", minor versions are 0),
 * and the few browsers the extension runs in are all we need to name.
 */

export interface BrandVersion {
  brand: string;
  version: string;
}

/** Brands as User-Agent Client Hints spell them → the name shown; the first match wins. */
const BRANDS: [RegExp, string][] = [
  [/^Microsoft Edge$/i, 'Edge'],
  [/^Opera$/i, 'Opera'],
  [/^Brave$/i, 'Brave'],
  [/^YaBrowser$/i, 'Yandex'],
  [/^Google Chrome$/i, 'Chrome'],
  [/^Chromium$/i, 'Chromium'],
];

/** User-agent tokens, most specific first (Edge's string also says Chrome and Safari). */
const UA_BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bQQBrowser\/(\d+)/, 'QQ'],
  [/\bSE (\d+)\.X MetaSr/, 'Sogou'],
  [/\bYaBrowser\/(\d+)/, 'Yandex'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\bChromium\/(\d+)/, 'Chromium'],
  [/\bChrome\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[.\d]* Safari\//, 'Safari'],
];

const UA_PLATFORMS: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

const PLATFORM_NAMES: Record<string, string> = {
  windows: 'Windows',
  macos: 'macOS',
  linux: 'Linux',
  'chrome os': 'ChromeOS',
  chromeos: 'ChromeOS',
  android: 'Android',
  ios: 'iOS',
};

const major = (version: string) => /^\d+/.exec(version)?.[0] ?? '';

function join(name: string, version: string, platform: string | null): string {
  const browser = version ? `${name} ${version}` : name;
  return platform ? `${browser} · ${platform}` : browser;
}

/** "Chrome 156 · Windows" from a user-agent string; null when it names no browser we know. */
export function labelFromUserAgent(userAgent: string): string | null {
  const browser = UA_BROWSERS.map(([pattern, name]) => [pattern.exec(userAgent), name] as const).find(([match]) => match);
  if (!browser) return null;
  const platform = UA_PLATFORMS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  return join(browser[1], browser[0]![1]!, platform);
}

/**
 * The device's own description: client hints when present (brands, platform), else the
 * user-agent string; cut to the 100 characters the server accepts.
 */
export function describeBrowser(input: { userAgent: string; brands?: readonly BrandVersion[]; platform?: string }): string {
  const brand = input.brands
    ?.map((entry) => [BRANDS.find(([pattern]) => pattern.test(entry.brand))?.[1], entry.version] as const)
    .filter(([name]) => name)
    .sort((a, b) => BRANDS.findIndex(([, n]) => n === a[0]) - BRANDS.findIndex(([, n]) => n === b[0]))[0];
  const fromAgent = labelFromUserAgent(input.userAgent);
  if (!brand) return (fromAgent ?? input.userAgent).slice(0, 100);
  const platform = input.platform ? (PLATFORM_NAMES[input.platform.toLowerCase()] ?? input.platform) : null;
  return join(brand[0]!, major(brand[1]), platform).slice(0, 100);
}

/** What the console shows: a stored raw user-agent string made readable; a label or other text as it is. */
export function browserLabel(stored: string | null | undefined): string | null {
  if (!stored) return null;
  return /^Mozilla\/\d/.test(stored) ? (labelFromUserAgent(stored) ?? stored) : stored;
}

/** The running browser's description (extension pages and the service worker). */
export function currentBrowserDescription(): string {
  const nav = globalThis.navigator as Navigator & { userAgentData?: { brands?: BrandVersion[]; platform?: string } };
  return describeBrowser({ userAgent: nav.userAgent, brands: nav.userAgentData?.brands, platform: nav.userAgentData?.platform });
}
