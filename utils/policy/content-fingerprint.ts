/**
 * Fingerprints of blocked content, so a grant can be bound to exactly what the approver
 * saw (issue 26): SipHash-2-4 of "type|normalized value" under a key derived from the
 * organisation's hashing key. Synchronous, because a copy decision cannot await; keyed,
 * because the server's database holds the grant: without the data directory's hashing key
 * nobody can test guessed numbers against it (an unkeyed hash of a phone number is the
 * number: the space is enumerable).
 */
import { sipHashString, sipKeyFromBytes, sipOut, type SipKey } from '../register/siphash';

export type ContentFingerprint = (finding: { type: string; normalized: string }) => string;

/** The 16-byte SipHash key: the first half of HMAC-SHA-256(hashKey, "baomi-grant-content/v1"). */
export async function deriveContentKey(hashKey: string): Promise<SipKey> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(hashKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode('baomi-grant-content/v1')));
  return sipKeyFromBytes(mac.subarray(0, 16));
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** 16 hex digits; the same finding gives the same fingerprint on every device of the organisation. */
export function contentFingerprinter(key: SipKey): ContentFingerprint {
  return (finding) => {
    const text = `${finding.type}|${finding.normalized}`;
    sipHashString(key, text, 0, text.length);
    return hex8(sipOut[1]!) + hex8(sipOut[0]!);
  };
}
