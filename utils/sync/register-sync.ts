/**
 * Fetches the customer register (GET /api/v1/customer-register, ETag), verifies its
 * signature against the key pinned at enrollment, refuses an older version than the one
 * held (a replayed old register could lower a customer's level), checks the structure
 * decodes, derives its lookup keys from the organisation's hashing key and stores it for
 * the content scripts. Anything that fails keeps the last good register.
 */
import { browser } from 'wxt/browser';
import { verifyPayload, type SignedEnvelope } from '../crypto/signing';
import { API_PREFIX } from '../api/device-api';
import { deriveRegisterKeys, loadKeys, storeKeys } from '../register/keys';
import {
  isClearedRegister,
  loadRegisterIndex,
  numberTableOf,
  REGISTER_FORMAT,
  type RegisterIndex,
  type RegisterPayload,
} from '../register/structure';
import type { Enrollment } from '../storage';
import { REGISTER_STORAGE_KEY, type StoredRegister } from '../register/stored';

export { REGISTER_STORAGE_KEY, type StoredRegister };

export type RegisterSyncResult = 'updated' | 'unchanged' | 'none' | { rejected: string };

function isPayload(value: unknown): value is RegisterPayload {
  const p = value as Partial<RegisterPayload> | null;
  return (
    !!p &&
    p.format === REGISTER_FORMAT &&
    Number.isInteger(p.version) &&
    typeof p.salt === 'string' &&
    Number.isInteger(p.customerCount) &&
    ['customers', 'numbers', 'names', 'bigrams'].every((k) => typeof (p as Record<string, unknown>)[k] === 'string') &&
    Array.isArray(p.nameLengths)
  );
}

export async function readStoredRegister(): Promise<StoredRegister | null> {
  const values = await browser.storage.local.get(REGISTER_STORAGE_KEY);
  return (values[REGISTER_STORAGE_KEY] as StoredRegister | undefined) ?? null;
}

export async function syncRegister(enrollment: Enrollment, doFetch: typeof fetch = (i, o) => fetch(i, o)): Promise<RegisterSyncResult> {
  const current = await readStoredRegister();
  const headers: Record<string, string> = { Authorization: `Bearer ${enrollment.deviceToken}` };
  if (current?.etag) headers['If-None-Match'] = current.etag;
  const url = enrollment.serverUrl.replace(/\/+$/, '') + API_PREFIX + '/customer-register';
  const response = await doFetch(url, { headers, cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(60_000) });
  if (response.status === 304) {
    if (current) await addNumberTable(current);
    return 'unchanged';
  }
  if (response.status === 404) return 'none';
  if (!response.ok) throw new Error(`customer register: HTTP ${response.status}`);
  const body = (await response.json()) as { signed?: Partial<SignedEnvelope<unknown>> } | null;
  const signed = body?.signed;
  if (!signed || !isPayload(signed.payload) || typeof signed.signature !== 'string') return { rejected: 'malformed register' };
  if (signed.keyId !== enrollment.keyId) return { rejected: `register signed by unknown key ${String(signed.keyId)}` };
  if (!(await verifyPayload('register', signed.payload, signed.signature, enrollment.publicKey)))
    return { rejected: 'register signature does not verify' };
  const payload = signed.payload;
  if (current && payload.version < current.version) return { rejected: `older register version ${payload.version} refused` };
  const keys = await deriveRegisterKeys(enrollment.hashKey, payload.salt);
  let index: RegisterIndex;
  try {
    index = loadRegisterIndex(payload, keys);
  } catch (error) {
    return { rejected: `register structure: ${(error as Error).message}` };
  }
  await browser.storage.local.set({ [REGISTER_STORAGE_KEY]: storedForm(payload, response.headers.get('ETag'), index) });
  return 'updated';
}

/**
 * What content scripts read: the payload with its numbers moved into the lookup table
 * (number-table.ts; keeping both would make every frame's storage read 2 MB larger).
 */
function storedForm(payload: RegisterPayload, etag: string | null, index: RegisterIndex): StoredRegister {
  return {
    version: payload.version,
    etag,
    payload: { ...payload, numbers: '' },
    keys: storeKeys(index.keys),
    numberTable: numberTableOf(index),
  };
}

/**
 * A register stored before the number table existed gets one (after an extension
 * update; its ETag still matches, so no sync would store it again).
 */
async function addNumberTable(current: StoredRegister): Promise<void> {
  if (current.numberTable || !current.payload || isClearedRegister(current.payload)) return;
  try {
    const index = loadRegisterIndex(current.payload, loadKeys(current.keys), true);
    await browser.storage.local.set({ [REGISTER_STORAGE_KEY]: storedForm(current.payload, current.etag, index) });
  } catch {
    // malformed: the next changed register replaces it
  }
}

/** A new enrollment (another server): its register replaces the old one at the next sync. */
export async function clearRegister(): Promise<void> {
  await browser.storage.local.remove(REGISTER_STORAGE_KEY);
}
