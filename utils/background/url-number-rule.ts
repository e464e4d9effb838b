/**
 * Which numbers in a URL count for the request layer (declarativeNetRequest in an
 * unpacked Chrome extension: a regular expression, no code): a mainland mobile number —
 * 11 digits, 1[3-9]x, optionally split as 3-4-4 by "-", ".", "+" or "%20" — standing
 * alone (no digit right before or after) in the PATH or QUERY. Not counted: the host
 * (ports, IP addresses), the fragment (never sent), runs of other lengths (timestamps
 * have 10 or 13 digits, snowflake ids 18–19, dates and prices are shorter), and the other
 * detectors (resident ID and bank card need a checksum a regex cannot do; markers and
 * names are text). The page hooks and Firefox's webRequest guard decide with the full
 * detectors; this rule is the net for what they cannot see (workers, <img>, navigations
 * a page script starts without our hooks).
 *
 * The cost: an 11-digit id that happens to start with 13–19 is taken for a number.
 * url-number-rule.test.ts measures that on ordinary URLs and prints the figure.
 */

const SEPARATOR = '(?:[-.+]|%20)';

/**
 * RE2 syntax (declarativeNetRequest `regexFilter`), also valid in JavaScript. Matches
 * from the scheme, so the host is consumed by `[^/?#]*` before a number can match.
 * Two forms: 11 digits in a row, with no digit either side; or 3-4-4 with separators,
 * with no hex digit or hyphen either side (a UUID's groups b193-4990-9238 are hex).
 */
export const URL_NUMBER_REGEX =
  '^[a-z][a-z0-9+.-]*://[^/?#]*[/?](?:' +
  `(?:[^#]*[^0-9#])?1[3-9][0-9]{9}(?:[^0-9]|$)` +
  '|' +
  `(?:[^#]*[^0-9a-fA-F#-])?1[3-9][0-9]${SEPARATOR}[0-9]{4}${SEPARATOR}[0-9]{4}(?:[^0-9a-fA-F-]|$)` +
  ')';

const urlNumber = new RegExp(URL_NUMBER_REGEX, 'i');

/** The JavaScript twin of the request-layer rule (same expression). */
export function urlCarriesNumber(url: string): boolean {
  return urlNumber.test(url);
}

/** Hosts of the policy's internal origins, for the rule's `excludedRequestDomains`. */
export function internalHosts(internalOrigins: readonly string[]): string[] {
  const hosts = new Set<string>();
  for (const origin of internalOrigins) {
    try {
      // Patterns like https://*.corp.example keep their domain: a rule's domain list covers subdomains.
      const host = new URL(origin.replace('://*.', '://')).hostname;
      if (host) hosts.add(host);
    } catch {
      // not a URL: nothing to exclude
    }
  }
  return [...hosts];
}
