/**
 * The content script's copy of the customer register: read once from storage (in the
 * guard's deferred start task, not at document_start), read where it lies (the base64
 * strings as stored: packed.ts; nothing is decoded per frame), and replaced when the
 * background stores a new version. A malformed one is ignored (the
 * policy's default levels apply, as without a register).
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { loadKeys } from './keys';
import { isClearedRegister, loadRegisterIndex, type RegisterIndex } from './structure';
import { REGISTER_STORAGE_KEY, type StoredRegister } from './stored';

export function indexOfStored(value: unknown): RegisterIndex | null {
  const stored = value as StoredRegister | null | undefined;
  // A cleared register is kept (its version refuses older ones) but looks nothing up.
  if (!stored?.payload || !stored.keys || isClearedRegister(stored.payload)) return null;
  try {
    return loadRegisterIndex(stored.payload, loadKeys(stored.keys), true, stored.numberTable);
  } catch {
    return null;
  }
}

export async function connectRegister(ctx: ContentScriptContext, apply: (index: RegisterIndex | null) => void): Promise<void> {
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && REGISTER_STORAGE_KEY in changes && !ctx.isInvalid)
      apply(indexOfStored(changes[REGISTER_STORAGE_KEY]!.newValue));
  };
  try {
    browser.storage.onChanged.addListener(onChanged);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onChanged));
    const values = await browser.storage.local.get(REGISTER_STORAGE_KEY);
    if (!ctx.isInvalid) apply(indexOfStored(values[REGISTER_STORAGE_KEY]));
  } catch {
    // context invalidated while loading
  }
}
