/**
 * The structure devices receive: sorted, truncated keyed hashes, never a name or a
 * number. Per entry 8 bytes: 40-bit SipHash of the normalized identifier (big-endian)
 * + 24-bit customer index. Per customer 7 bytes: level + the first 48 bits of the
 * customer's keyed hash. Names also set bits in a 2^20-bit bitmap of their first two
 * units (mixed with a keyed seed), so the guard only hashes windows that can start a name.
 * 100,000 customers with two numbers and two names each: ~6 MB of base64, which devices
 * read in place (packed.ts), never decoding it per frame.
 */
import { LEVELS, type Level } from '../detect/types';
import { base64ToBytes, bytesToBase64 } from '../crypto/base64';
import { lastHash40, sipHashUnits, type SipKey } from './siphash';
import { base64ByteLength, bits40At, byteAt } from './packed';
import { unitsOf } from './normalize';
import type { RegisterKeys } from './keys';
import { buildNumberTable, slotCountOf, type NumberTable } from './number-table';

export const REGISTER_FORMAT = 'baomi-register/v1';
/** Names longer than this are cut for matching (a prefix that long is already specific). */
export const MAX_NAME_UNITS = 32;
export const MIN_NAME_UNITS = 2;
export const BIGRAM_BITS = 20;
/** Bits of the whole-window prefilter (numbers and names share it): 2^23 bits, 1 MB. */
export const FILTER_BITS = 23;
const NUMBER_TWEAK = 0x6e756d62;
const NAME_TWEAK = 0x6e616d65;
const ENTRY_BYTES = 8;
const CUSTOMER_BYTES = 7;
export const MAX_CUSTOMERS = 0xffffff;

/** What is signed and sent (`GET /api/v1/customer-register`). */
export interface RegisterPayload {
  format: typeof REGISTER_FORMAT;
  version: number;
  createdAt: string;
  /** Random per version (base64url); with the hashing key it derives the SipHash key. */
  salt: string;
  customerCount: number;
  customers: string;
  numbers: string;
  names: string;
  /** Distinct normalized name lengths, ascending. */
  nameLengths: number[];
  bigrams: string;
  /** 2^FILTER_BITS-bit prefilter over whole numbers and names (cheap keyed hash). */
  filter: string;
}

/** One customer ready to be hashed: normalized identifiers only. */
export interface RegisterCustomerInput {
  level: Level;
  /** First 12 hex digits of the customer's keyed hash. */
  customerHash: string;
  numbers: readonly string[];
  names: readonly string[];
}

export function levelCode(level: Level): number {
  return LEVELS.indexOf(level) + 1;
}

/**
 * Cheap keyed hash of a window, grown one unit at a time ({@link filterStep}) so the
 * guard tests every register length at a text position in one left-to-right walk; its
 * bitmap lets only ~4 % of candidate windows reach SipHash.
 */
export function filterStart(seed: number, kind: 'number' | 'name'): number {
  return seed ^ (kind === 'number' ? NUMBER_TWEAK : NAME_TWEAK);
}
export function filterStep(h: number, unit: number): number {
  h = Math.imul(h ^ unit, 0x9e3779b1);
  return (h << 13) | (h >>> 19);
}
export function filterIndex(h: number, length: number): number {
  let x = h ^ Math.imul(length, 0x85ebca6b);
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> (32 - FILTER_BITS);
}
export function filterIndexOf(seed: number, kind: 'number' | 'name', text: string): number {
  let h = filterStart(seed, kind);
  for (let i = 0; i < text.length; i++) h = filterStep(h, text.charCodeAt(i));
  return filterIndex(h, text.length);
}

/** Mix of a name's first two units into a bitmap index. */
export function bigramIndex(seed: number, a: number, b: number): number {
  let x = ((a << 16) | b) ^ seed;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> (32 - BIGRAM_BITS);
}

function hash40(key: SipKey, text: string): number {
  const units = unitsOf(text);
  sipHashUnits(key, units, 0, units.length);
  return lastHash40();
}

function packEntries(entries: Map<number, number>): Uint8Array {
  const keys = [...entries.keys()].sort((a, b) => a - b);
  const out = new Uint8Array(keys.length * ENTRY_BYTES);
  let o = 0;
  for (const key of keys) {
    const high = Math.floor(key / 256);
    out[o] = high >>> 24;
    out[o + 1] = (high >>> 16) & 0xff;
    out[o + 2] = (high >>> 8) & 0xff;
    out[o + 3] = high & 0xff;
    out[o + 4] = key % 256;
    const customer = entries.get(key)!;
    out[o + 5] = customer >>> 16;
    out[o + 6] = (customer >>> 8) & 0xff;
    out[o + 7] = customer & 0xff;
    o += ENTRY_BYTES;
  }
  return out;
}

/**
 * The payload of a cleared register (an IT administrator deleted it): no customer and no
 * arrays, signed and versioned like any other, so a device that held an older version
 * drops it and refuses to go back to it (a replayed register would bring the levels
 * back). An import never makes one: a file without customers is refused.
 */
export function emptyRegisterPayload(meta: { version: number; createdAt: string; salt: string }): RegisterPayload {
  return {
    format: REGISTER_FORMAT,
    version: meta.version,
    createdAt: meta.createdAt,
    salt: meta.salt,
    customerCount: 0,
    customers: '',
    numbers: '',
    names: '',
    nameLengths: [],
    bigrams: '',
    filter: '',
  };
}

/** A cleared register (emptyRegisterPayload): nothing to look up. */
export function isClearedRegister(payload: Pick<RegisterPayload, 'customerCount'>): boolean {
  return payload.customerCount === 0;
}

/** Builds the payload (server side). Identifier collisions keep the higher level's customer. */
export function buildRegisterPayload(
  customers: readonly RegisterCustomerInput[],
  keys: RegisterKeys,
  meta: { version: number; createdAt: string; salt: string },
): RegisterPayload {
  if (customers.length > MAX_CUSTOMERS) throw new Error(`at most ${MAX_CUSTOMERS} customers`);
  const customerBytes = new Uint8Array(customers.length * CUSTOMER_BYTES);
  const numbers = new Map<number, number>();
  const names = new Map<number, number>();
  const lengths = new Set<number>();
  const bigrams = new Uint8Array(1 << (BIGRAM_BITS - 3));
  const filter = new Uint8Array(1 << (FILTER_BITS - 3));
  const mark = (bit: number) => (filter[bit >>> 3]! |= 1 << (bit & 7));
  const keep = (map: Map<number, number>, key: number, index: number) => {
    const other = map.get(key);
    if (other === undefined || levelCode(customers[other]!.level) < levelCode(customers[index]!.level)) map.set(key, index);
  };
  customers.forEach((customer, index) => {
    const o = index * CUSTOMER_BYTES;
    customerBytes[o] = levelCode(customer.level);
    for (let i = 0; i < 6; i++) customerBytes[o + 1 + i] = parseInt(customer.customerHash.slice(2 * i, 2 * i + 2), 16);
    for (const number of customer.numbers) {
      keep(numbers, hash40(keys.sip, number), index);
      mark(filterIndexOf(keys.seed, 'number', number));
    }
    for (const fullName of customer.names) {
      const name = fullName.slice(0, MAX_NAME_UNITS);
      if (name.length < MIN_NAME_UNITS) continue;
      keep(names, hash40(keys.sip, name), index);
      mark(filterIndexOf(keys.seed, 'name', name));
      lengths.add(name.length);
      const bit = bigramIndex(keys.seed, name.charCodeAt(0), name.charCodeAt(1));
      bigrams[bit >>> 3]! |= 1 << (bit & 7);
    }
  });
  return {
    format: REGISTER_FORMAT,
    version: meta.version,
    createdAt: meta.createdAt,
    salt: meta.salt,
    customerCount: customers.length,
    customers: bytesToBase64(customerBytes),
    numbers: bytesToBase64(packEntries(numbers)),
    names: bytesToBase64(packEntries(names)),
    nameLengths: [...lengths].sort((a, b) => a - b),
    bigrams: bytesToBase64(bigrams),
    filter: bytesToBase64(filter),
  };
}

/**
 * The payload ready for lookups (content script, background, benchmarks): the packed
 * arrays stay the base64 strings they arrived as and are read in place (packed.ts), so
 * making an index costs no decoding — a frame pays nothing per customer at start.
 */
export interface RegisterIndex {
  version: number;
  keys: RegisterKeys;
  customerCount: number;
  /** Per customer 7 bytes (level, 48-bit keyed hash), base64. */
  customers: string;
  /** The numbers laid out by key (number-table.ts), base64, read in place. */
  numberSlots: string;
  numberHomes: number;
  numberSlotCount: number;
  numberCount: number;
  /** Packed name entries as sent (8 bytes each, sorted, base64): searched in place. */
  names: string;
  nameCount: number;
  nameLengths: Int32Array;
  /** 2^BIGRAM_BITS-bit bitmap, base64. */
  bigrams: string;
  /** 2^FILTER_BITS-bit prefilter, base64. */
  filter: string;
}

/** The 40-bit key of entry `entry` (bytes 0–4 of its 8, big-endian). */
function entryKey(packed: string, entry: number): number {
  return bits40At(packed, entry * ENTRY_BYTES * 8);
}

export function entryCustomer(packed: string, entry: number): number {
  const o = entry * ENTRY_BYTES + 5;
  return (byteAt(packed, o) << 16) | (byteAt(packed, o + 1) << 8) | byteAt(packed, o + 2);
}

/** Full check of packed entries (background, before storing): sorted, each naming a customer. */
function checkEntries(bytes: Uint8Array, customerCount: number): void {
  if (bytes.length % ENTRY_BYTES !== 0) throw new Error('register entries are truncated');
  let last = -1;
  for (let o = 0; o < bytes.length; o += ENTRY_BYTES) {
    const key = (((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0) * 256 + bytes[o + 4]!;
    if (key <= last) throw new Error('register entries are not sorted');
    if (((bytes[o + 5]! << 16) | (bytes[o + 6]! << 8) | bytes[o + 7]!) >= customerCount)
      throw new Error('register entry names no customer');
    last = key;
  }
}

function sizeOf(text: unknown, what: string): number {
  const bytes = typeof text === 'string' ? base64ByteLength(text) : -1;
  if (bytes < 0) throw new Error(`register ${what} is not base64`);
  return bytes;
}

/**
 * An index over a payload whose signature was already verified; throws on a malformed
 * one. Untrusted (the background, before it stores the structure): every array is
 * decoded once and checked — base64, levels, entries sorted and naming a customer — and
 * the number table is built from the numbers (the background stores it beside the
 * payload: {@link StoredRegister}). `trusted` (content scripts: the background checked
 * this very structure before storing it): only the sizes are checked, from the strings'
 * lengths, and nothing is decoded — given the stored `numberTable`; without one (a
 * register stored by an older version) the table is built here.
 */
export function loadRegisterIndex(payload: RegisterPayload, keys: RegisterKeys, trusted = false, numberTable?: NumberTable): RegisterIndex {
  if (payload.format !== REGISTER_FORMAT) throw new Error(`unknown register format ${String(payload.format)}`);
  if (sizeOf(payload.customers, 'customers') !== payload.customerCount * CUSTOMER_BYTES)
    throw new Error('register customers are truncated');
  const numberBytes = sizeOf(payload.numbers, 'numbers');
  const nameBytes = sizeOf(payload.names, 'names');
  if (numberBytes % ENTRY_BYTES !== 0 || nameBytes % ENTRY_BYTES !== 0) throw new Error('register entries are truncated');
  // A cleared register holds no arrays at all; any other holds both bitmaps whole.
  const cleared = payload.customerCount === 0 && numberBytes === 0 && nameBytes === 0 && payload.bigrams === '' && payload.filter === '';
  if (!cleared && sizeOf(payload.bigrams, 'name bitmap') !== 1 << (BIGRAM_BITS - 3))
    throw new Error('register name bitmap has the wrong size');
  if (!cleared && sizeOf(payload.filter, 'filter') !== 1 << (FILTER_BITS - 3)) throw new Error('register filter has the wrong size');
  let numbers: Uint8Array | null = null;
  if (!trusted) {
    // atob refuses anything that is not base64.
    const customerBytes = base64ToBytes(payload.customers);
    for (let o = 0; o < customerBytes.length; o += CUSTOMER_BYTES) {
      if (customerBytes[o]! < 1 || customerBytes[o]! > LEVELS.length) throw new Error('register customer has an unknown level');
    }
    numbers = base64ToBytes(payload.numbers);
    checkEntries(numbers, payload.customerCount);
    checkEntries(base64ToBytes(payload.names), payload.customerCount);
    base64ToBytes(payload.bigrams);
    base64ToBytes(payload.filter);
  }
  const table = trusted && numberTable ? numberTable : buildNumberTable(numbers ?? base64ToBytes(payload.numbers));
  const numberSlotCount = slotCountOf(table);
  if (numberSlotCount < 0) throw new Error('register number table is malformed');
  const nameLengths = Int32Array.from(payload.nameLengths.filter((n) => Number.isInteger(n) && n >= MIN_NAME_UNITS && n <= MAX_NAME_UNITS));
  return {
    version: payload.version,
    keys,
    customerCount: payload.customerCount,
    customers: payload.customers,
    numberSlots: table.slots,
    numberHomes: table.homes,
    numberSlotCount,
    numberCount: table.count,
    names: payload.names,
    nameCount: nameBytes / ENTRY_BYTES,
    nameLengths,
    bigrams: payload.bigrams,
    filter: payload.filter,
  };
}

/** The number table an index reads (the background stores it beside the payload). */
export function numberTableOf(index: RegisterIndex): NumberTable {
  return { slots: index.numberSlots, homes: index.numberHomes, count: index.numberCount };
}

const KEY_SPACE = 2 ** 40;
/** Interpolation steps before plain bisection takes over (bounds the worst case). */
const INTERPOLATION_STEPS = 6;

/**
 * Index of the entry holding `key` among `count` sorted packed entries (names; numbers
 * have their own table, number-table.ts), or -1. The keys
 * are SipHash values, uniform over 2^40, so interpolation finds an entry in ~4 probes
 * rather than bisection's ~18 (each probe reads 8 characters); bisection finishes when
 * interpolation has not, so a lookup never takes more than 6 + log2(count) probes.
 */
export function findKey(packed: string, count: number, key: number): number {
  let lo = 0;
  let hi = count - 1;
  let below = 0; // every key before `lo` is < below… (bounds of the key space still open)
  let above = KEY_SPACE;
  for (let step = 0; lo <= hi; step++) {
    let mid: number;
    if (step < INTERPOLATION_STEPS && above > below) {
      mid = lo + Math.floor(((key - below) / (above - below)) * (hi - lo + 1));
      if (mid < lo) mid = lo;
      else if (mid > hi) mid = hi;
    } else {
      mid = (lo + hi) >>> 1;
    }
    const value = entryKey(packed, mid);
    if (value === key) return mid;
    if (value < key) {
      lo = mid + 1;
      below = value;
    } else {
      hi = mid - 1;
      above = value;
    }
  }
  return -1;
}

/** The customer's level as stored: 1 秘密, 2 机密, 3 绝密 (levelCode). */
export function levelCodeOf(index: RegisterIndex, customer: number): number {
  return byteAt(index.customers, customer * CUSTOMER_BYTES);
}

export function customerLevel(index: RegisterIndex, customer: number): Level {
  return LEVELS[levelCodeOf(index, customer) - 1] ?? '绝密';
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function customerHashOf(index: RegisterIndex, customer: number): string {
  const o = customer * CUSTOMER_BYTES + 1;
  const c = index.customers;
  return (
    HEX[byteAt(c, o)]! +
    HEX[byteAt(c, o + 1)]! +
    HEX[byteAt(c, o + 2)]! +
    HEX[byteAt(c, o + 3)]! +
    HEX[byteAt(c, o + 4)]! +
    HEX[byteAt(c, o + 5)]!
  );
}
