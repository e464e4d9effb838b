/**
 * The register's keys, derived from the organisation's hashing key (which enrolled
 * devices already hold for event hashes) and the register version's random salt:
 * HMAC-SHA-256(hashKey, "baomi-register/v1|" + salt) → 16 bytes SipHash key + 4 bytes
 * seed of the name prefilter. A new salt per import makes old and new structures
 * unrelated. The customer's keyed hash (events, report) is HMAC-SHA-256 of the
 * normalized customer name under the hashing key itself, stable across imports.
 */
import { bytesToHex } from '../crypto/base64';
import { sipKeyFromBytes, type SipKey } from './siphash';

export interface RegisterKeys {
  sip: SipKey;
  /** Seed of the name-prefix bitmap's mix (int32). */
  seed: number;
}

async function hmac(keyMaterial: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(keyMaterial), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message)));
}

export async function deriveRegisterKeys(hashKey: string, salt: string): Promise<RegisterKeys> {
  const mac = await hmac(hashKey, `baomi-register/v1|${salt}`);
  const view = new DataView(mac.buffer, mac.byteOffset, mac.byteLength);
  return { sip: sipKeyFromBytes(mac.subarray(0, 16)), seed: view.getInt32(16, true) };
}

/** Full keyed hash of a customer (hex, 64 digits); devices get its first 12 digits. */
export async function customerHash(hashKey: string, normalizedName: string): Promise<string> {
  return bytesToHex(await hmac(hashKey, `baomi-customer/v1|${normalizedName}`));
}

/** Keys as the background stores them for the content script (plain data). */
export interface StoredRegisterKeys {
  sip: number[];
  seed: number;
}
export const storeKeys = (keys: RegisterKeys): StoredRegisterKeys => ({ sip: [...keys.sip], seed: keys.seed });
export const loadKeys = (stored: StoredRegisterKeys): RegisterKeys => ({ sip: Uint32Array.from(stored.sip), seed: stored.seed | 0 });
