/**
 * Server-side guard: an event must never carry a raw phone number. The browser
 * masks findings before upload; this re-checks every free-text field so that a
 * buggy or hostile client cannot turn the audit trail into a leak (DESIGN.md).
 */

/** Full-width digits (０-９) are folded by NFKC; separators a human might use between groups. */
const MOBILE = /(?<!\d)1[3-9]\d[\s\-.·]?\d{4}[\s\-.·]?\d{4}(?!\d)/u;
const LONG_DIGITS = /\d{7,}/u;

/** True when `text` holds an 11-digit mobile number (separators allowed) or 7+ consecutive digits. */
export function looksLikeRawNumber(text: string): boolean {
  // NFKC only matters for non-ASCII (full-width digits); most fields are ASCII.
  const folded = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKC');
  return LONG_DIGITS.test(folded) || MOBILE.test(folded);
}

/**
 * For identity fields (user id, department, device name): only a phone-number shape
 * counts. Staff ids are often 7–10 digit numbers (工号 such as 20231234); refusing
 * them would lock whole companies out, while a mobile number used as a user id is
 * still refused.
 */
export function looksLikePhoneNumber(text: string): boolean {
  const folded = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKC');
  return MOBILE.test(folded);
}
