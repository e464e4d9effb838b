/**
 * The background's copy of the customer register for its own decisions (the request
 * layer, `data:` downloads): read from storage once, followed on change. The index reads
 * the stored base64 in place (utils/register/packed.ts), so holding it costs the storage
 * read only, no decoding; the request layer stays synchronous (webRequest in Chrome
 * requires it) by reading `current()`.
 */
import { browser } from 'wxt/browser';
import { indexOfStored } from '../register/register-storage';
import { REGISTER_STORAGE_KEY } from '../register/stored';
import type { RegisterIndex } from '../register/structure';

export interface RegisterCache {
  current(): RegisterIndex | null;
  /** Resolves once the first read answered. */
  ready: Promise<void>;
}

let shared: RegisterCache | null = null;

/** One cache per background (both guards share it). */
export function backgroundRegister(): RegisterCache {
  if (shared) return shared;
  let index: RegisterIndex | null = null;
  let version = 0; // a change that lands while the first read is pending wins
  const read = async () => {
    const mine = ++version;
    try {
      const values = await browser.storage.local.get(REGISTER_STORAGE_KEY);
      if (mine === version) index = indexOfStored(values[REGISTER_STORAGE_KEY]);
    } catch {
      // storage unavailable (tests without it): no register, the policy's default levels
    }
  };
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && REGISTER_STORAGE_KEY in changes) {
      version++;
      index = indexOfStored(changes[REGISTER_STORAGE_KEY]!.newValue);
    }
  });
  shared = { current: () => index, ready: read() };
  return shared;
}
