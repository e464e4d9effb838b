/** Enrollment codes are compared case-insensitively, ignoring spaces (people type them). */
import { parseEnrollmentCode } from '../../utils/api/enrollment-code';
import { ApiFailure } from './errors';

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

/**
 * A code an admin did not say otherwise about (the one generated at first start, a console
 * code without explicit limits) stops working after a week or 100 devices: a code copied
 * into a chat or a wiki does not enroll strangers' browsers forever.
 */
export const DEFAULT_CODE_DAYS = 7;
export const DEFAULT_CODE_MAX_USES = 100;

/**
 * The refusal of a code that did not enroll. An expired, used-up or revoked code is named
 * (403, the employee asks IT for a new one; the options page words each code); an unknown
 * one stays 401 `invalid-enrollment-code` (a typo, or a guess).
 */
export function enrollmentCodeRefusal(status: string): ApiFailure {
  if (status === 'expired') return new ApiFailure(403, 'enrollment-code-expired', 'the enrollment code has expired');
  if (status === 'used-up') return new ApiFailure(403, 'enrollment-code-used-up', 'the enrollment code has been used up');
  if (status === 'revoked') return new ApiFailure(403, 'enrollment-code-revoked', 'the enrollment code was revoked');
  return new ApiFailure(401, 'invalid-enrollment-code', 'unknown enrollment code');
}

/** How the audit log names a code: its hint (never the code) and the admin's label. */
export function codeTarget(hint: string, label: string | null): string {
  return label ? `code ${hint} ${label}` : `code ${hint}`;
}
