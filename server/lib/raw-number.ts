/**
 * Server-side guard: an event must never carry a raw phone number. The browser
 * masks findings before upload; this re-checks every free-text field so that a
 * buggy or hostile client cannot turn the audit trail into a leak (DESIGN.md).
 *
 * The check is the project's own detector (utils/detect `scanText`), the one the extension
 * blocks with: every disguise it finds in a page (`138_1234_5678`, `138/1234/5678`, spaced
 * digits, zero-width characters, `(010) 8888 6666`, dashes, Chinese numerals) is found here
 * too. A regex of our own let all of those through. The plain regexes stay as a floor.
 */
import { DEFAULT_DETECTORS, scanText, type DetectorSettings, type FindingType } from '../../utils/detect';

/** Every number detector on (ids and cards too); markers and e-mail addresses are not numbers. */
const NUMBER_DETECTORS: DetectorSettings = {
  ...DEFAULT_DETECTORS,
  residentId: { enabled: true, level: '机密' },
  bankCard: { enabled: true, level: '机密' },
  marker: { enabled: false, controlledLevel: '秘密', extraTerms: [] },
  email: { enabled: false, level: '秘密' },
};
const PHONE_TYPES: ReadonlySet<FindingType> = new Set(['mobile', 'landline', 'service']);

/** Full-width digits (０-９) are folded by NFKC; separators a human might use between groups. */
const MOBILE = /(?<!\d)1[3-9]\d[\s\-.·]?\d{4}[\s\-.·]?\d{4}(?!\d)/u;
const LONG_DIGITS = /\d{7,}/u;
// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose.
const ASCII = /^[\x00-\x7f]*$/;

/** Types of the numbers the detector finds in `text`. Skipped for ASCII text with < 7 digits (no number fits). */
function detectedTypes(text: string): FindingType[] {
  if (ASCII.test(text)) {
    let digits = 0;
    for (let i = 0; i < text.length && digits < 7; i++) {
      const code = text.charCodeAt(i);
      if (code >= 48 && code <= 57) digits++;
    }
    if (digits < 7) return [];
  }
  return scanText(text, { detectors: NUMBER_DETECTORS }).map((finding) => finding.type);
}

function fold(text: string): string {
  // NFKC only matters for non-ASCII (full-width digits); most fields are ASCII.
  return ASCII.test(text) ? text : text.normalize('NFKC');
}

/** True when `text` holds any number the detector finds, an 11-digit mobile, or 7+ consecutive digits. */
export function looksLikeRawNumber(text: string): boolean {
  const folded = fold(text);
  return LONG_DIGITS.test(folded) || MOBILE.test(folded) || detectedTypes(text).length > 0;
}

/**
 * For device descriptions (browser, extension version at enrollment and heartbeat): any
 * number the detector finds, but not the 7-digit floor — Firefox's user agent carries
 * `Gecko/20100101`, and refusing it would keep every Firefox from enrolling.
 */
export function containsDetectedNumber(text: string): boolean {
  return MOBILE.test(fold(text)) || detectedTypes(text).length > 0;
}

/**
 * For identity fields (user id, department, device name): only a phone number counts
 * (mobile, landline, 400/800, in any disguise the detector knows). Staff ids are often
 * 7–10 digit numbers (工号 such as 20231234); refusing them would lock whole companies out,
 * while a phone number used as a user id is still refused.
 */
export function looksLikePhoneNumber(text: string): boolean {
  return MOBILE.test(fold(text)) || detectedTypes(text).some((type) => PHONE_TYPES.has(type));
}
