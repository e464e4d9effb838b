/**
 * Numbering tables for the detection engine, generated from libphonenumber-js's metadata
 * (Google's libphonenumber, `metadata.max.json`, region CN): `npm run gen:numbering`
 * writes utils/detect/numbering.generated.ts; utils/detect/numbering.test.ts regenerates
 * it in memory and fails when the committed file and the installed metadata disagree, so
 * a metadata update is a dependency bump plus this command.
 *
 * What is read from the metadata:
 *  - mobile: the CN `mobile` pattern (11 digits) → the shortest prefixes under which every
 *    11-digit number is valid (`13`, `145`, `1610`, `17400` …);
 *  - fixed line: the CN `fixed_line` pattern → every area code (`10`, `2x`, `xxx`, written
 *    without the trunk 0) with the lengths (7 and/or 8) its ordinary local numbers have —
 *    ordinary: starting with 2–8, the digits the engine accepts as a local number's first.
 *
 * Deliberate departures of the product from the metadata (the one place they are decided;
 * the engine's README repeats them):
 *  - DATA_ONLY_PREFIXES 146, 148, 149: 11-digit data-only (SMS/data SIM, tablet, IoT) numbers.
 *    libphonenumber lists them as no type at all. They are still personal subscriber
 *    numbers under real-name registration, so the engine reports them as mobiles, at low
 *    confidence (number-scanner.ts `DATA_ONLY_PENALTY`). The generator fails if the metadata
 *    starts to list one as a mobile, so the departure is revisited then.
 *  - Local numbers starting with 0, 1 or 9 (special services `95xxx`, `100xx`, `123xx`
 *    short codes inside the fixed-line pattern) are not read from the metadata: the engine
 *    keeps its own rule (never 0; 1 only with the area code written apart; 9 like 2–8).
 *
 * How: the metadata's patterns are regular expressions over digits. A prefix is explored
 * by testing it completed with each next digit 0–9 and then several fills (each digit
 * repeated, ascending, descending, …):
 * when all fills agree the subtree is taken as uniform, otherwise the next digit is
 * explored. An area code has a local length when some ordinary local number of that
 * length is valid (deeper rules, e.g. Beijing's `10 80 0…` gap, are not modelled: the
 * table over-approximates by design — it decides area codes and lengths, not every number).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const DATA_ONLY_PREFIXES = ['146', '148', '149'] as const;

interface CnMetadata {
  version: string;
  fixedLine: RegExp;
  mobile: RegExp;
}

export function loadCnMetadata(): CnMetadata {
  const require = createRequire(import.meta.url);
  const pkg = require('libphonenumber-js/package.json') as { version: string };
  const meta = JSON.parse(readFileSync(require.resolve('libphonenumber-js/metadata.max.json'), 'utf8')) as {
    countries: Record<string, unknown[]>;
  };
  const cn = meta.countries.CN!;
  // Layout of a country entry (libphonenumber-js metadata v4): [11] holds the types
  // in the order fixed_line, mobile, toll_free, premium_rate, personal_number, …
  const types = cn[11] as Array<[string, number[]] | 0>;
  const fl = types[0];
  const mo = types[1];
  if (!Array.isArray(fl) || !Array.isArray(mo)) throw new Error('libphonenumber-js: unexpected CN metadata layout');
  return { version: pkg.version, fixedLine: new RegExp(`^(?:${fl[0]})$`), mobile: new RegExp(`^(?:${mo[0]})$`) };
}

const FILLS: string[] = ['0123456789012', '9876543210987', '2468024680246', '7315931593159', '3141592653589'];
for (let d = 0; d <= 9; d++) FILLS.push(String(d).repeat(13));

/**
 * true / false when every tested completion of `prefix` to `len` digits agrees, null when
 * they differ: each next digit 0–9 explicitly, the rest with each fill.
 */
function uniform(re: RegExp, prefix: string, len: number): boolean | null {
  const rest = len - prefix.length;
  if (rest === 0) return re.test(prefix);
  let first: boolean | undefined;
  for (let d = 0; d <= 9; d++) {
    for (const f of FILLS) {
      const ok = re.test(prefix + d + f.slice(0, rest - 1));
      if (first === undefined) first = ok;
      else if (ok !== first) return null;
    }
  }
  return first!;
}

/** Shortest prefixes (starting with `root`) under which every `len`-digit number matches. */
function validPrefixes(re: RegExp, root: string, len: number): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const u = uniform(re, p, len);
    if (u === true) out.push(p);
    else if (u === null) for (let d = 0; d <= 9; d++) walk(p + d);
  };
  walk(root);
  return out;
}

export interface Numbering {
  version: string;
  /** Mobile prefixes of 3 digits or more (`130`, `1610`, `17400`), sorted. */
  mobile: string[];
  /** Area code (without the trunk 0) → bit 1: 7-digit local numbers, bit 2: 8-digit ones. */
  areas: Array<[string, number]>;
}

export function computeNumbering(meta: CnMetadata = loadCnMetadata()): Numbering {
  const mobile: string[] = [];
  for (const p of validPrefixes(meta.mobile, '1', 11)) {
    if (p.length >= 3) mobile.push(p);
    else for (let d = 0; d <= 9; d++) mobile.push(p + d); // `13` → 130 … 139: the engine indexes 3 digits
  }
  mobile.sort();
  for (const p of DATA_ONLY_PREFIXES) {
    if (mobile.some((m) => m.startsWith(p) || p.startsWith(m))) {
      throw new Error(`libphonenumber now lists ${p} as mobile: revisit DATA_ONLY_PREFIXES`);
    }
  }
  const codes: string[] = ['10'];
  for (let d = 20; d <= 29; d++) codes.push(String(d));
  for (let d = 300; d <= 999; d++) codes.push(String(d));
  const areas: Array<[string, number]> = [];
  for (const ac of codes) {
    let mask = 0;
    for (const [bit, local] of [
      [1, 7],
      [2, 8],
    ] as const) {
      for (let f = 2; f <= 8; f++) {
        if (validPrefixes(meta.fixedLine, `${ac}${f}`, ac.length + local).length > 0) mask |= bit;
      }
    }
    if (mask) areas.push([ac, mask]);
  }
  return { version: meta.version, mobile, areas };
}

export function renderNumbering(n: Numbering): string {
  const lines: string[] = [];
  lines.push('// GENERATED by `npm run gen:numbering` (scripts/gen-numbering.ts) — do not edit.');
  lines.push(`// Source: libphonenumber-js ${n.version}, metadata.max.json, region CN.`);
  lines.push('// utils/detect/numbering.test.ts fails when this file and the metadata disagree.');
  lines.push('');
  lines.push('/** 11-digit mobile prefixes (3 digits or more), libphonenumber `mobile` type. */');
  lines.push('export const MOBILE_PREFIXES: readonly string[] = [');
  for (let i = 0; i < n.mobile.length; i += 12) {
    lines.push(
      `  ${n.mobile
        .slice(i, i + 12)
        .map((p) => `'${p}'`)
        .join(', ')},`,
    );
  }
  lines.push('];');
  lines.push('');
  lines.push('/** Data-only 11-digit prefixes (no type in libphonenumber): reported at low confidence. */');
  lines.push(`export const DATA_ONLY_PREFIXES: readonly string[] = [${DATA_ONLY_PREFIXES.map((p) => `'${p}'`).join(', ')}];`);
  lines.push('');
  lines.push('/**');
  lines.push(' * Area codes without the trunk 0 (`10`, `2x`, `xxx`), libphonenumber `fixed_line` type,');
  lines.push(' * each with the lengths of its ordinary local numbers: 1 = 7 digits, 2 = 8, 3 = both.');
  lines.push(' */');
  lines.push('export const AREA_CODES: readonly (readonly [string, number])[] = [');
  for (let i = 0; i < n.areas.length; i += 10) {
    lines.push(
      `  ${n.areas
        .slice(i, i + 10)
        .map(([a, m]) => `['${a}', ${m}]`)
        .join(', ')},`,
    );
  }
  lines.push('];');
  lines.push('');
  return lines.join('\n');
}

export const OUTPUT = fileURLToPath(new URL('../utils/detect/numbering.generated.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = computeNumbering();
  writeFileSync(OUTPUT, renderNumbering(n));
  console.log(`${OUTPUT}: ${n.mobile.length} mobile prefixes, ${n.areas.length} area codes (libphonenumber-js ${n.version})`);
}
