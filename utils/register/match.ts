/**
 * The guard's register lookup, run after scanText on the same text, synchronously.
 * Numbers: each number finding is hashed and looked up; a known customer's number takes
 * that customer's level (higher or lower than the policy's default for its type).
 * Names: windows of the folded text whose first two units pass the bitmap and whose
 * length is a register name length are hashed and looked up. A name of 4 units or more
 * (a company, a full name) counts on its own; a short one (≤ 3 units: most personal
 * names, and common words) counts only beside a number of the same customer, where it
 * raises that number's confidence. Linear: each text unit costs one bitmap probe, and
 * only probes that hit hash at most `nameLengths.length` windows.
 */
import { LEVELS, levelRank, maxLevel, type Finding, type Level } from '../detect/types';
import { foldUnit, NUMBER_TYPES } from './normalize';
import { base64ToBytes } from '../crypto/base64';
import { bitAt } from './packed';
import { customerAt, findNumber, homeSlot } from './number-table';
import { lastHash40, sipHashString, sipHashUnits } from './siphash';
import {
  bigramIndex,
  customerHashOf,
  customerLevel,
  levelCodeOf,
  filterIndex,
  filterIndexOf,
  filterStart,
  filterStep,
  findKey,
  entryCustomer,
  type RegisterIndex,
} from './structure';

/** Names at most this long never decide alone. */
export const SHORT_NAME_UNITS = 3;
/** A name and a number of the same customer this close (in text units) belong together. */
export const NEAR_UNITS = 64;

/** A customer the guard met in a text: its level, and the keyed hash events carry (never the name). */
export interface CustomerTouch {
  readonly level: Level;
  /** 12 hex digits of the customer's keyed hash. */
  readonly customerHash: string;
}

/**
 * A customer as one lookup met it: made per finding (an allocation is cheaper than
 * finding the one object per customer in a map, whose entries are cache misses right
 * after a scan), the level read at lookup, the hash spelled out only when read (an
 * event needs the first customer's only).
 */
class Customer implements CustomerTouch {
  constructor(
    readonly level: Level,
    private readonly index: RegisterIndex,
    /** The customer's place in the register (distinct customers of one index have distinct ids). */
    readonly id: number,
  ) {}
  get customerHash(): string {
    return customerHashOf(this.index, this.id);
  }
  toJSON(): { level: Level; customerHash: string } {
    return { level: this.level, customerHash: this.customerHash };
  }
}

/** A finding the register knew: its level is the customer's. */
export type RegisterFinding = Finding & { customer?: CustomerTouch };

export interface NameHit {
  start: number;
  end: number;
  customer: number;
  units: number;
}

export interface RegisterResult {
  findings: RegisterFinding[];
  /** Highest level of the customers named on their own (long names) in the text. */
  nameLevel: Level | null;
  /** Distinct customers touched, highest level first (worked out when read: the page scan never reads it). */
  readonly customers: CustomerTouch[];
}

function inFilter(index: RegisterIndex, bit: number): boolean {
  return bitAt(index.filter, bit);
}

/** The customer owning a number (the detector's `normalized`), or -1. Allocates nothing. */
export function lookupNumber(index: RegisterIndex, normalized: string): number {
  if (!inFilter(index, filterIndexOf(index.keys.seed, 'number', normalized))) return -1;
  sipHashString(index.keys.sip, normalized, 0, normalized.length);
  return findNumber(index.numberSlots, index.numberHomes, index.numberSlotCount, lastHash40());
}

/**
 * The names' first-bigram bitmap as bytes, decoded once per index (128 KB) at its first
 * name lookup: the bitmap is probed at every unit of the text, and a byte read is a third
 * of the work of reading the bit in place from base64 (packed.ts), which suits the
 * numbers' few probes per text, not one per unit.
 */
const bigramBytes = new WeakMap<RegisterIndex, Uint8Array>();
function bigramBytesOf(index: RegisterIndex): Uint8Array {
  let bytes = bigramBytes.get(index);
  if (bytes === undefined) {
    bytes = base64ToBytes(index.bigrams);
    bigramBytes.set(index, bytes);
  }
  return bytes;
}

/** A walk's folded units and their places in the text, reused (a name is at most this long in the walk). */
let walkUnits = new Uint16Array(64);
let walkOffsets = new Int32Array(64);
const walkCandidates: number[] = [];

/**
 * Register names of at least `minUnits` units in `text` (original offsets), left to
 * right, longest first per start.
 * The text is folded unit by unit as it is read (no folded copy: for a page-sized text
 * that copy cost more than the probes); where a folded unit and the next pass the
 * bigram bitmap, the walk right folds up to the longest name's length again.
 */
export function findNames(index: RegisterIndex, text: string, minUnits = 1): NameHit[] {
  const hits: NameHit[] = [];
  const lengths = index.nameLengths.filter((size) => size >= minUnits);
  if (lengths.length === 0 || text.length < lengths[0]!) return hits;
  const { keys } = index;
  const seed = keys.seed;
  const bigrams = bigramBytesOf(index);
  const start = filterStart(seed, 'name');
  const longest = lengths[lengths.length - 1]!;
  if (walkUnits.length < longest) {
    walkUnits = new Uint16Array(longest);
    walkOffsets = new Int32Array(longest);
  }
  const units = walkUnits;
  const offsets = walkOffsets;
  // Register lengths as a lookup table: isLength[n] = 1 when some name has n units.
  const isLength = new Uint8Array(longest + 1);
  for (const size of lengths) isLength[size] = 1;
  const textLength = text.length;
  let previous = -1;
  let previousAt = 0;
  for (let at = 0; at < textLength; at++) {
    const unit = foldUnit(text.charCodeAt(at));
    if (unit < 0) continue;
    const first = previous;
    const firstAt = previousAt;
    previous = unit;
    previousAt = at;
    if (first < 0) continue;
    const bit = bigramIndex(seed, first, unit);
    if ((bigrams[bit >>> 3]! & (1 << (bit & 7))) === 0) continue;
    // One walk right from the name's first unit: the cheap hash grows by a unit; at each
    // register length the prefilter is probed; only windows that pass are hashed with
    // SipHash, longest first.
    walkCandidates.length = 0;
    let h = start;
    let size = 0;
    for (let j = firstAt; j < textLength && size < longest; j++) {
      const c = foldUnit(text.charCodeAt(j));
      if (c < 0) continue;
      units[size] = c;
      offsets[size] = j;
      size++;
      h = filterStep(h, c);
      if (isLength[size] === 1 && inFilter(index, filterIndex(h, size))) walkCandidates.push(size);
    }
    for (let c = walkCandidates.length - 1; c >= 0; c--) {
      const length = walkCandidates[c]!;
      sipHashUnits(keys.sip, units, 0, length);
      const found = findKey(index.names, index.nameCount, lastHash40());
      if (found < 0) continue;
      hits.push({ start: offsets[0]!, end: offsets[length - 1]! + 1, customer: entryCustomer(index.names, found), units: length });
      break;
    }
  }
  return hits;
}

/** A copy with the customer's level, built field by field (one object shape; a spread was 10× slower here). */
function withCustomer(finding: Finding, who: Customer): RegisterFinding {
  return {
    type: finding.type,
    level: who.level,
    start: finding.start,
    end: finding.end,
    masked: finding.masked,
    confidence: finding.confidence,
    normalized: finding.normalized,
    customer: who,
  };
}

/** Per-call working arrays, reused (fresh typed arrays per call were external memory the GC kept collecting). */
let scratch = new Int32Array(256);
let probes = new Int32Array(256);
let keys40 = new Float64Array(256);

let levelCodes = new Uint8Array(256);
function levelScratch(size: number): Uint8Array {
  if (levelCodes.length < size) levelCodes = new Uint8Array(Math.max(size, levelCodes.length * 2));
  return levelCodes;
}

/** Where the home-slot reads of lookupNumbers land; nothing reads it. */
let _prefetchSink = 0;

function scratchFor(size: number): void {
  if (scratch.length >= size) return;
  const length = Math.max(size, scratch.length * 2);
  scratch = new Int32Array(length);
  probes = new Int32Array(length);
  keys40 = new Float64Array(length);
}

/**
 * The customer of each number finding (-1: none, or not a number), or null when no
 * number is a customer's (most texts). The answer is a shared buffer, valid until the
 * next call (applyRegister reads it before it returns and never calls itself).
 *
 * In passes rather than number by number: right after a scan the register is not in the
 * caches, and each number's prefilter bit and table slot are misses. Computing every
 * address first and then reading them all with no branch between the reads lets the
 * processor wait for many misses at once (bench:register: the lookup's cost fell by a
 * quarter against the number-by-number loop).
 */
function lookupNumbers(index: RegisterIndex, findings: readonly Finding[]): Int32Array | null {
  const count = findings.length;
  scratchFor(count);
  const { seed, sip } = index.keys;
  // 1. Prefilter bit index of every number finding.
  for (let i = 0; i < count; i++) {
    const finding = findings[i]!;
    probes[i] = NUMBER_TYPES.has(finding.type) ? filterIndexOf(seed, 'number', finding.normalized) : -1;
  }
  // 2. The bits, read back to back; the findings that pass, listed.
  const filter = index.filter;
  let passed = 0;
  for (let i = 0; i < count; i++) {
    const bit = probes[i]!;
    if (bit >= 0 && bitAt(filter, bit)) probes[passed++] = i;
  }
  if (passed === 0) return null;
  // 3. Their keyed hashes, then their home slots' keys, read back to back.
  const { numberSlots: slots, numberHomes: homes, numberSlotCount: slotCount } = index;
  for (let n = 0; n < passed; n++) {
    const normalized = findings[probes[n]!]!.normalized;
    sipHashString(sip, normalized, 0, normalized.length);
    keys40[n] = lastHash40();
  }
  let touched = 0;
  for (let n = 0; n < passed; n++) touched |= customerAt(slots, homeSlot(keys40[n]!, homes)); // homes < slotCount
  _prefetchSink = touched; // kept, so the compiler cannot drop the reads
  // 4. Each search, from its home slot (now in the caches; most end there).
  let customers: Int32Array | null = null;
  for (let n = 0; n < passed; n++) {
    const customer = findNumber(slots, homes, slotCount, keys40[n]!);
    if (customer < 0) continue;
    if (customers === null) {
      customers = scratch;
      customers.fill(-1, 0, count);
    }
    customers[probes[n]!] = customer;
  }
  return customers;
}

class AppliedRegister implements RegisterResult {
  private touched: CustomerTouch[] | null = null;
  constructor(
    readonly findings: RegisterFinding[],
    readonly nameLevel: Level | null,
    /** Customers named on their own or beside their number. */
    private readonly named: readonly Customer[],
  ) {}
  get customers(): CustomerTouch[] {
    if (this.touched === null) {
      const all: CustomerTouch[] = [...this.named];
      for (const finding of this.findings) if (finding.customer) all.push(finding.customer);
      this.touched = distinctCustomers(all);
    }
    return this.touched;
  }
}

const NO_CUSTOMERS: readonly Customer[] = [];

/**
 * Which names `applyRegister` looks up: every name (what leaves the page: short names
 * raise a number's confidence beside it), only the long ones that decide alone (the page
 * scanner: they set the page's level, and skipping the short ones skips most of the
 * walks' hashing), or none (the request layer: numbers only).
 */
export type NameLookup = 'all' | 'long' | 'none';

/** Findings of `text` with the register applied (numbers always; names as `options.names` says, default all). */
export function applyRegister(
  index: RegisterIndex | null | undefined,
  text: string,
  findings: readonly Finding[],
  options: { names?: NameLookup } = {},
): RegisterResult {
  if (!index) return new AppliedRegister(findings as RegisterFinding[], null, NO_CUSTOMERS);
  const numberCustomers = lookupNumbers(index, findings);
  let out = findings as RegisterFinding[];
  if (numberCustomers !== null) {
    out = findings.slice();
    // Levels first, read back to back (each a miss in the customers' array), then the copies.
    const levels = levelScratch(findings.length);
    for (let i = 0; i < out.length; i++) {
      const customer = numberCustomers[i]!;
      if (customer >= 0) levels[i] = levelCodeOf(index, customer);
    }
    for (let i = 0; i < out.length; i++) {
      const customer = numberCustomers[i]!;
      if (customer >= 0) out[i] = withCustomer(findings[i]!, new Customer(LEVELS[levels[i]! - 1] ?? '绝密', index, customer));
    }
  }
  let nameLevel: Level | null = null;
  let named: Customer[] | null = null;
  const names = options.names ?? 'all';
  if (names !== 'none' && index.nameCount > 0) {
    // Hits and findings are both sorted by start: a window of findings slides along (linear).
    let from = 0;
    for (const hit of findNames(index, text, names === 'long' ? SHORT_NAME_UNITS + 1 : 1)) {
      let near = false;
      while (from < out.length && out[from]!.end < hit.start - NEAR_UNITS) from++;
      for (let i = from; numberCustomers !== null && i < out.length && out[i]!.start <= hit.end + NEAR_UNITS; i++) {
        if (numberCustomers[i] !== hit.customer) continue;
        near = true;
        out[i] = { ...out[i]!, confidence: 1 };
      }
      if (hit.units <= SHORT_NAME_UNITS && !near) continue; // a short name alone never decides
      const who = new Customer(customerLevel(index, hit.customer), index, hit.customer);
      (named ??= []).push(who);
      if (!near && levelRank(who.level) > levelRank(nameLevel)) nameLevel = who.level;
    }
  }
  return new AppliedRegister(out, nameLevel, named ?? NO_CUSTOMERS);
}

/**
 * Distinct customers among `touches` (met through one register index: the customer's
 * place in it is its identity), highest level first (one pass per level: no comparison sort).
 */
export function distinctCustomers(touches: Iterable<CustomerTouch>): CustomerTouch[] {
  const seen = new Set<number | string>();
  const distinct: CustomerTouch[] = [];
  for (const who of touches) {
    const key = who instanceof Customer ? who.id : who.customerHash;
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(who);
  }
  if (distinct.length <= 1) return distinct;
  const out: CustomerTouch[] = [];
  for (let rank = LEVELS.length; rank >= 1; rank--) {
    for (let i = 0; i < distinct.length; i++) if (levelRank(distinct[i]!.level) === rank) out.push(distinct[i]!);
  }
  return out;
}

/** The register applied piece by piece (a file read in windows), remembering what it touched. */
export interface RegisterClassifier {
  /** For scanFile's `classify`; undefined without a register. */
  classify: ((text: string, findings: Finding[]) => Finding[]) | undefined;
  /** Highest level of customers named alone in any piece. */
  nameLevel(): Level | null;
  /** Distinct customers touched in all pieces, highest level first. */
  customers(): CustomerTouch[];
}

export function createRegisterClassifier(index: RegisterIndex | null | undefined): RegisterClassifier {
  let nameLevel: Level | null = null;
  const touched: CustomerTouch[] = [];
  return {
    classify: index
      ? (text, findings) => {
          const applied = applyRegister(index, text, findings);
          nameLevel = maxLevel(nameLevel, applied.nameLevel);
          for (const who of applied.customers) touched.push(who);
          return applied.findings;
        }
      : undefined,
    nameLevel: () => nameLevel,
    customers: () => distinctCustomers(touched),
  };
}
