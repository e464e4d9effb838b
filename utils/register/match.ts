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
import { foldText, NUMBER_TYPES } from './normalize';
import { bitAt } from './packed';
import { lastHash40, sipHashString, sipHashUnits } from './siphash';
import {
  bigramIndex,
  customerHashOf,
  customerLevel,
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

export interface CustomerTouch {
  readonly level: Level;
  /** 12 hex digits of the customer's keyed hash (never the name). */
  readonly customerHash: string;
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
  /** Distinct customers touched, highest level first. */
  customers: CustomerTouch[];
}

function inFilter(index: RegisterIndex, bit: number): boolean {
  return bitAt(index.filter, bit);
}

/** The customer owning a number (the detector's `normalized`), or -1. Allocates nothing. */
export function lookupNumber(index: RegisterIndex, normalized: string): number {
  if (!inFilter(index, filterIndexOf(index.keys.seed, 'number', normalized))) return -1;
  sipHashString(index.keys.sip, normalized, 0, normalized.length);
  const at = findKey(index.numbers, index.numberCount, lastHash40());
  return at < 0 ? -1 : entryCustomer(index.numbers, at);
}

/** Register names in `text` (original offsets), left to right, longest first per start. */
export function findNames(index: RegisterIndex, text: string): NameHit[] {
  const hits: NameHit[] = [];
  const lengths = index.nameLengths;
  if (lengths.length === 0 || text.length < lengths[0]!) return hits;
  const folded = foldText(text);
  const { units, offsets, length } = folded;
  const { bigrams, keys } = index;
  const start = filterStart(keys.seed, 'name');
  const longest = lengths[lengths.length - 1]!;
  // Register lengths as a lookup table: isLength[n] = 1 when some name has n units.
  const isLength = new Uint8Array(longest + 1);
  for (const size of lengths) isLength[size] = 1;
  const candidates: number[] = [];
  for (let i = 0; i + 1 < length; i++) {
    const bit = bigramIndex(keys.seed, units[i]!, units[i + 1]!);
    if (!bitAt(bigrams, bit)) continue;
    // One walk right from i: the cheap hash grows by a unit; at each register length the
    // prefilter is probed; only windows that pass are hashed with SipHash, longest first.
    candidates.length = 0;
    let h = start;
    const end = Math.min(length, i + longest);
    for (let j = i; j < end; j++) {
      h = filterStep(h, units[j]!);
      const size = j - i + 1;
      if (isLength[size] === 1 && inFilter(index, filterIndex(h, size))) candidates.push(size);
    }
    for (let c = candidates.length - 1; c >= 0; c--) {
      const size = candidates[c]!;
      sipHashUnits(keys.sip, units, i, i + size);
      const at = findKey(index.names, index.nameCount, lastHash40());
      if (at < 0) continue;
      hits.push({ start: offsets[i]!, end: offsets[i + size - 1]! + 1, customer: entryCustomer(index.names, at), units: size });
      break;
    }
  }
  return hits;
}

/** A copy with the customer's level, built field by field (one object shape; a spread was 10× slower here). */
function withCustomer(finding: Finding, who: CustomerTouch): RegisterFinding {
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

/**
 * A customer as the guard met it. Made once per customer and index (kept in `touches`,
 * beside the index), its hash spelled out only when read (an event needs the first
 * customer's only): a list of thousands of customers costs a level read each.
 */
class Touch implements CustomerTouch {
  readonly level: Level;
  /** The applyRegister call that listed it last (dedupes without a Map per call). */
  listedIn = 0;
  private hash: string | null = null;
  constructor(
    private readonly index: RegisterIndex,
    private readonly customer: number,
  ) {
    this.level = customerLevel(index, customer);
  }
  get customerHash(): string {
    return (this.hash ??= customerHashOf(this.index, this.customer));
  }
  toJSON(): { level: Level; customerHash: string } {
    return { level: this.level, customerHash: this.customerHash };
  }
}

const touches = new WeakMap<RegisterIndex, Map<number, Touch>>();
let applyCalls = 0;

/** The customers one applyRegister call touched, each once. */
class Touched {
  readonly list: Touch[] = [];
  private readonly call = ++applyCalls;
  private readonly known: Map<number, Touch>;
  constructor(private readonly index: RegisterIndex) {
    let known = touches.get(index);
    if (!known) touches.set(index, (known = new Map()));
    this.known = known;
  }
  add(customer: number): Touch {
    let who = this.known.get(customer);
    if (who === undefined) this.known.set(customer, (who = new Touch(this.index, customer)));
    if (who.listedIn !== this.call) {
      who.listedIn = this.call;
      this.list.push(who);
    }
    return who;
  }
}

/** Customers of one call's findings, reused (a fresh typed array per call was external memory the GC kept collecting). */
let scratch = new Int32Array(256);

/**
 * The customer of each number finding (-1: none, or not a number), or null when no
 * number is a customer's (most texts). The answer is a shared buffer, valid until the
 * next call (applyRegister reads it before it returns and never calls itself). A small
 * function of its own: the hot loop stays optimized whatever the rest of applyRegister meets.
 */
function lookupNumbers(index: RegisterIndex, findings: readonly Finding[]): Int32Array | null {
  let customers: Int32Array | null = null;
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    if (!NUMBER_TYPES.has(finding.type)) continue;
    const customer = lookupNumber(index, finding.normalized);
    if (customer < 0) continue;
    if (customers === null) {
      if (scratch.length < findings.length) scratch = new Int32Array(Math.max(findings.length, scratch.length * 2));
      customers = scratch;
      customers.fill(-1, 0, findings.length);
    }
    customers[i] = customer;
  }
  return customers;
}

/**
 * Findings of `text` with the register applied. Without names in the register (or with
 * `names: false`, e.g. the page scanner) only numbers are looked up.
 */
export function applyRegister(
  index: RegisterIndex | null | undefined,
  text: string,
  findings: readonly Finding[],
  options: { names?: boolean } = {},
): RegisterResult {
  if (!index) return { findings: findings as RegisterFinding[], nameLevel: null, customers: [] };
  const touched = new Touched(index);
  const numberCustomers = lookupNumbers(index, findings);
  let out = findings as RegisterFinding[];
  if (numberCustomers !== null) {
    out = findings.slice();
    for (let i = 0; i < out.length; i++) {
      const customer = numberCustomers[i]!;
      if (customer >= 0) out[i] = withCustomer(findings[i]!, touched.add(customer));
    }
  }
  let nameLevel: Level | null = null;
  if (options.names !== false && index.nameCount > 0) {
    // Hits and findings are both sorted by start: a window of findings slides along (linear).
    let from = 0;
    for (const hit of findNames(index, text)) {
      let near = false;
      while (from < out.length && out[from]!.end < hit.start - NEAR_UNITS) from++;
      for (let i = from; numberCustomers !== null && i < out.length && out[i]!.start <= hit.end + NEAR_UNITS; i++) {
        if (numberCustomers[i] !== hit.customer) continue;
        near = true;
        out[i] = { ...out[i]!, confidence: 1 };
      }
      if (hit.units <= SHORT_NAME_UNITS && !near) continue; // a short name alone never decides
      const who = touched.add(hit.customer);
      if (!near && levelRank(who.level) > levelRank(nameLevel)) nameLevel = who.level;
    }
  }
  return { findings: out, nameLevel, customers: highestFirst(touched.list) };
}

/** Customers by level, highest first (one pass per level: no comparison sort). */
function highestFirst(list: CustomerTouch[]): CustomerTouch[] {
  if (list.length <= 1) return list;
  const out: CustomerTouch[] = [];
  for (let rank = LEVELS.length; rank >= 1; rank--) {
    for (let i = 0; i < list.length; i++) if (levelRank(list[i]!.level) === rank) out.push(list[i]!);
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
  const touched = new Set<CustomerTouch>(); // one object per customer and index (Touch)
  return {
    classify: index
      ? (text, findings) => {
          const applied = applyRegister(index, text, findings);
          nameLevel = maxLevel(nameLevel, applied.nameLevel);
          for (const who of applied.customers) touched.add(who);
          return applied.findings;
        }
      : undefined,
    nameLevel: () => nameLevel,
    customers: () => highestFirst([...touched]),
  };
}
