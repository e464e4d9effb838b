/** Enrollment codes are compared case-insensitively, ignoring spaces (people type them). */
export function normalizeCode(code: string): string {
  return code.trim().replace(/\s+/g, '').toUpperCase();
}

/** First characters shown in the console so admins can tell codes apart. */
export function codeHint(code: string): string {
  return normalizeCode(code).slice(0, 4) + '…';
}
