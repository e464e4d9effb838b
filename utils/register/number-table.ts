/**
 * The device's table of register numbers: the payload's sorted entries (40-bit SipHash
 * key + 24-bit customer) laid out again by the background, once per version, so that a
 * lookup lands where its key is.
 *
 * Why: the payload's sorted array needs a search, and each probe of an interpolation
 * search is a cache miss in a 2 MB string (4.6 probes per found number on the bench
 * register); right after a scan, with the register cold, those misses were most of what
 * the lookup added to scanText. Here an entry sits at its home slot
 * floor(key · homes / 2^40) or, when that slot is taken, at the first free slot after it
 * (linear probing, entries placed in key order). A lookup reads from its home slot on
 * until it meets its key (2.5 slots on average at this load) or an empty slot (absent;
 * ~8 slots, and only numbers that passed the prefilter get here).
 *
 * A slot is 6 bytes — the key's low 24 bits and the customer — so it is exactly 8 base64
 * characters, read in place (packed.ts) with two 4-character reads. The key's high bits
 * are where the slot is: a key can only be found in the run of slots from its home, so
 * home and low bits together check ~40 bits, as the sorted entries did. The table is as
 * large as the sorted entries (2.1 MB of base64 for 200,000 numbers), which the stored
 * copy then leaves out.
 */
import { bytesToBase64 } from '../crypto/base64';
import { base64ByteLength, uint24At } from './packed';

/** Slots per entry: a load of 0.75 keeps a search at ~2.5 slots for the sorted entries' size. */
const SLOTS_PER_ENTRY = 4 / 3;
const ENTRY_BYTES = 8;
const SLOT_BYTES = 6;
const KEY_SPACE = 2 ** 40;
const LOW_BITS = 2 ** 24;
/** An empty slot's customer: an index no register has (MAX_CUSTOMERS is below it). */
const EMPTY = 0xffffff;

/** What the background stores beside the register for the content scripts. */
export interface NumberTable {
  /** Slots, 6 bytes each (key's low 24 bits, customer), base64. */
  slots: string;
  /** Home slots (a key's home is floor(key · homes / 2^40)); the table may run past them. */
  homes: number;
  /** Numbers in the table. */
  count: number;
}

/** Where `key` would sit in a table with `homes` home slots, or after. */
export function homeSlot(key: number, homes: number): number {
  return Math.floor((key / KEY_SPACE) * homes);
}

/** The table over `entries` (the payload's numbers, decoded and checked sorted). */
export function buildNumberTable(entries: Uint8Array): NumberTable {
  const count = entries.length / ENTRY_BYTES;
  const homes = Math.max(1, Math.ceil(count * SLOTS_PER_ENTRY));
  // Where each entry goes: its home, or one past the entry before it (keys ascend, so homes do).
  const positions = new Int32Array(count);
  let last = -1;
  for (let e = 0; e < count; e++) {
    const o = e * ENTRY_BYTES;
    const key = (((entries[o]! << 24) | (entries[o + 1]! << 16) | (entries[o + 2]! << 8) | entries[o + 3]!) >>> 0) * 256 + entries[o + 4]!;
    const home = homeSlot(key, homes);
    last = positions[e] = home > last ? home : last + 1;
  }
  const slotCount = Math.max(homes, last + 1);
  const slots = new Uint8Array(slotCount * SLOT_BYTES).fill(0xff);
  for (let e = 0; e < count; e++) {
    // An entry's bytes 2–7 are its key's low 24 bits and its customer: the slot.
    const from = e * ENTRY_BYTES + 2;
    const to = positions[e]! * SLOT_BYTES;
    for (let b = 0; b < SLOT_BYTES; b++) slots[to + b] = entries[from + b]!;
  }
  return { slots: bytesToBase64(slots), homes, count };
}

/** Slots in a stored table, or -1 when it is malformed (sizes only: the background built it). */
export function slotCountOf(table: NumberTable): number {
  const bytes = typeof table.slots === 'string' ? base64ByteLength(table.slots) : -1;
  if (bytes < 0 || bytes % SLOT_BYTES !== 0 || !Number.isInteger(table.homes) || table.homes < 1) return -1;
  const slotCount = bytes / SLOT_BYTES;
  return slotCount >= table.homes && Number.isInteger(table.count) && table.count >= 0 && table.count <= slotCount ? slotCount : -1;
}

/** The customer in slot `slot` (EMPTY for an empty slot). Callers read home slots in a batch first. */
export function customerAt(slots: string, slot: number): number {
  return uint24At(slots, slot * 2 + 1);
}

/** The customer owning `key`, or -1. */
export function findNumber(slots: string, homes: number, slotCount: number, key: number): number {
  const low = key % LOW_BITS;
  for (let slot = homeSlot(key, homes); slot < slotCount; slot++) {
    const customer = customerAt(slots, slot);
    if (customer === EMPTY) return -1;
    if (uint24At(slots, slot * 2) === low) return customer;
  }
  return -1;
}
