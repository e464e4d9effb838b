/**
 * Tiny zod-free checkers for the content script's own validation of stored data
 * (policy-check.ts, grant-check.ts). Each returns the checked value (strings trimmed where
 * the zod schema trims) or throws INVALID; the caller turns that into "rejected".
 * Semantics follow zod 4: strict objects, finite numbers, safe integers, UTF-16 lengths.
 */
export const INVALID: unique symbol = Symbol('invalid');

export function fail(): never {
  throw INVALID;
}

export function isInvalid(error: unknown): boolean {
  return error === INVALID;
}

/** A plain object with no key outside `keys` (zod's `.strict()`). */
export function strictObject(value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail();
  for (const key of Object.keys(value)) if (!keys.includes(key)) fail();
  return value as Record<string, unknown>;
}

export function string(value: unknown, min: number, max: number, trim = false): string {
  if (typeof value !== 'string') fail();
  const text = trim ? value.trim() : value;
  if (text.length < min || text.length > max) fail();
  return text;
}

export function number(value: unknown, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail();
  if (integer && !Number.isSafeInteger(value)) fail();
  if (value < min || value > max) fail();
  return value;
}

export function boolean(value: unknown): boolean {
  if (typeof value !== 'boolean') fail();
  return value;
}

export function oneOf<T extends string>(value: unknown, options: readonly T[]): T {
  if (!options.includes(value as T)) fail();
  return value as T;
}

export function array<T>(value: unknown, min: number, max: number, item: (value: unknown) => T): T[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) fail();
  // Array.from, not map: map skips holes, which zod reads as undefined (and rejects).
  return Array.from(value, item);
}

// zod 4's z.string().datetime(): calendar-valid date, seconds required, optional
// fraction, UTC ("Z") only.
const DATE =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
const DATETIME = new RegExp(`^${DATE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?Z$`);

export function datetime(value: unknown): string {
  if (typeof value !== 'string' || !DATETIME.test(value)) fail();
  return value;
}
