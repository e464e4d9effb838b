/**
 * Replaces built-in methods with wrappers that look native: same property descriptor,
 * same `name`/`length`, and `Function.prototype.toString` answers with the original's
 * source (`function fetch() { [native code] }`), so feature detection and anti-tamper
 * checks in pages keep working.
 */
import type { Intrinsics } from './intrinsics';

const originals = new WeakMap<object, Function>();

/** Masks toString for every wrapper made by {@link replaceMethod}. Call once, first. */
export function maskToString(win: Window & typeof globalThis, intr: Intrinsics): void {
  const proto = win.Function.prototype;
  const desc = intr.getOwnPropertyDescriptor(proto, 'toString');
  if (!desc || typeof desc.value !== 'function') return;
  const original = desc.value as Function;
  const apply = intr.apply;
  const wrapper = {
    toString(this: unknown) {
      const target = (typeof this === 'function' && originals.get(this)) || this;
      return apply(original, target, []) as string;
    },
  }.toString;
  originals.set(wrapper, original);
  copyNameAndLength(wrapper, original, intr);
  intr.defineProperty(proto, 'toString', { ...desc, value: wrapper });
}

/**
 * Replaces `owner[key]` (a method) with `make(original)`. Returns the original, or null
 * when there was nothing to replace (API missing in this browser or context).
 */
export function replaceMethod<F extends Function>(
  owner: object | undefined,
  key: string,
  make: (original: F) => Function,
  intr: Intrinsics,
): F | null {
  if (!owner) return null;
  const desc = intr.getOwnPropertyDescriptor(owner, key);
  if (!desc || typeof desc.value !== 'function' || desc.configurable === false) return null;
  const original = desc.value as F;
  const wrapper = make(original);
  originals.set(wrapper, original);
  copyNameAndLength(wrapper, original, intr);
  intr.defineProperty(owner, key, { ...desc, value: wrapper });
  return original;
}

function copyNameAndLength(wrapper: Function, original: Function, intr: Intrinsics): void {
  intr.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  intr.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
}

/**
 * Replaces the setter of accessor `owner[key]` with `make(originalSetter)`, looking native
 * like {@link replaceMethod} (for `img.src = url` and the like). Returns the original
 * setter, or null when there is none to replace.
 */
export function replaceSetter<T>(
  owner: object | undefined,
  key: string,
  make: (original: (this: T, value: unknown) => void) => (this: T, value: unknown) => void,
  intr: Intrinsics,
): ((this: T, value: unknown) => void) | null {
  if (!owner) return null;
  const desc = intr.getOwnPropertyDescriptor(owner, key);
  if (!desc || typeof desc.set !== 'function' || desc.configurable === false) return null;
  const original = desc.set as (this: T, value: unknown) => void;
  const wrapper = make(original);
  originals.set(wrapper, original);
  copyNameAndLength(wrapper, original, intr);
  intr.defineProperty(owner, key, { ...desc, set: wrapper });
  return original;
}

/** Makes `Function.prototype.toString` answer for `stand_in` (e.g. a Proxy of a constructor) with `original`'s source. */
export function maskAs(standIn: object, original: Function): void {
  originals.set(standIn, original);
}
