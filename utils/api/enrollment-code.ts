/**
 * An enrollment code as handed out by the admin: `CODE#KEYID`, where KEYID is the
 * server's public-key fingerprint (16 hex digits, utils/crypto/signing.ts keyIdOf).
 * The fingerprint pins the key: a server in the middle that answers the enrollment
 * with its own key is refused. A bare `CODE` enrolls trust-on-first-use (the options
 * page says so).
 */
export interface ParsedEnrollmentCode {
  code: string;
  keyId: string | null;
}

export function parseEnrollmentCode(input: string): ParsedEnrollmentCode {
  const trimmed = input.trim();
  const match = /^(.+?)#([0-9a-f]{16})$/i.exec(trimmed);
  if (match) return { code: match[1]!.trim(), keyId: match[2]!.toLowerCase() };
  return { code: trimmed, keyId: null };
}

export function formatEnrollmentCode(code: string, keyId: string): string {
  return `${code}#${keyId}`;
}
