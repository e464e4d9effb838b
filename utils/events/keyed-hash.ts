/**
 * Keyed hash of a finding's normalized value (HMAC-SHA-256, hex). The key is the
 * organisation's hashing key handed out at enrollment and kept beside the signing
 * key on the server, not in its database: the events table alone cannot be
 * brute-forced back to phone numbers (10^10 candidates would be trivial without a key).
 */
import { bytesToHex } from '../crypto/base64';

const keyCache = new Map<string, Promise<CryptoKey>>();

function importKey(keyMaterial: string): Promise<CryptoKey> {
  let key = keyCache.get(keyMaterial);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(keyMaterial), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(keyMaterial, key);
  }
  return key;
}

export async function keyedHash(keyMaterial: string, normalized: string): Promise<string> {
  const key = await importKey(keyMaterial);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(normalized));
  return bytesToHex(new Uint8Array(mac));
}
