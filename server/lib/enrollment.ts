/** Enrollment codes are compared case-insensitively, ignoring spaces (people type them). */
import { parseEnrollmentCode } from '../../utils/api/enrollment-code';

/**
 * Canonical form of a code for hashing. A `#KEYID` fingerprint suffix (as printed
 * and shown in the console, see utils/sync/enrollment-code.ts) is not part of the
 * secret: the extension strips it, and so does the server for clients that don't.
 */
export function normalizeCode(code: string): string {
  return parseEnrollmentCode(code).code.trim().replace(/\s+/g, '').toUpperCase();
}

/** First characters shown in the console so admins can tell codes apart. */
export function codeHint(code: string): string {
  return normalizeCode(code).slice(0, 4) + '…';
}
