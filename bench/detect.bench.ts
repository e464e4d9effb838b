/**
 * Detection benchmark: `npm run bench:detect`
 *
 * Generates (fixed seed) >= 10 MB of mixed Chinese/English text with real phone
 * numbers in many disguises (ground truth recorded), look-alike numbers and markers,
 * then measures in the same run:
 *   - scanText (utils/detect) on the whole text, and on a prefix subset;
 *   - libphonenumber-js `findPhoneNumbersInText(text, 'CN')` (max metadata) on the
 *     prefix subset (it is much slower);
 * and prints MB/s of each (MB = 2^20 UTF-8 bytes), the speed ratio, and recall /
 * precision of each against the ground truth on the same subset (a found number is a
 * true positive when its span overlaps a ground-truth span). Phone numbers = mobile,
 * landline and 400/800 service numbers. The LAST line is one JSON object.
 *
 * Env: BENCH_MB (corpus size, default 10), BENCH_LIB_MB (libphonenumber subset,
 * default 2), BENCH_RUNS (timed runs, default 7).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { scanText } from '../utils/detect/index';
import { generateCorpus, type TruthSpan } from './lib/corpus';
import { median, score, timeIt, type Score, type Span } from './lib/score';

const MB = 1024 * 1024;
const SEED = 0x8a0b1;
const corpusMB = Number(process.env.BENCH_MB ?? 10);
const libMB = Number(process.env.BENCH_LIB_MB ?? 2);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 7));

// A full GC before each timed run keeps the corpus generator's garbage out of the timings.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
const collect = (): void => {
  if (typeof gc === 'function') gc();
};

const PHONE_TYPES = new Set(['mobile', 'landline', 'service']);

function scanPhones(text: string): Span[] {
  return scanText(text)
    .filter((f) => PHONE_TYPES.has(f.type))
    .map((f) => ({ start: f.start, end: f.end }));
}

function libPhones(text: string): Span[] {
  return findPhoneNumbersInText(text, 'CN').map((m) => ({ start: m.startsAt, end: m.endsAt }));
}

/** Cut at a line break near `bytes` UTF-8 bytes. */
function prefixOf(text: string, bytes: number): string {
  let chars = 0;
  let acc = 0;
  while (chars < text.length && acc < bytes) {
    const c = text.charCodeAt(chars);
    acc += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
    chars++;
  }
  const nl = text.indexOf('\n', chars);
  return text.slice(0, nl < 0 ? text.length : nl + 1);
}

function pct(x: number): string {
  return (x * 100).toFixed(2) + '%';
}

function byDisguise(truth: TruthSpan[], predicted: Span[]): Array<[string, number, number]> {
  const groups = new Map<string, TruthSpan[]>();
  for (const t of truth) {
    const k = `${t.kind}: ${t.disguise}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(t);
  }
  return [...groups.entries()]
    .map(([k, g]): [string, number, number] => [k, g.length, score(g, predicted).recall])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

function main(): void {
  const t0 = performance.now();
  const corpus = generateCorpus(SEED, corpusMB * MB);
  const genMs = performance.now() - t0;
  const text = corpus.text;
  const fullMB = corpus.bytes / MB;

  const sub = prefixOf(text, libMB * MB);
  const subMB = Buffer.byteLength(sub, 'utf8') / MB;
  const subTruth = corpus.truth.filter((t) => t.end <= sub.length);

  // scanText: whole corpus (throughput) and subset (accuracy vs libphonenumber).
  collect();
  // Machine calibration: a bare charCodeAt loop over the same text (the floor of any scanner).
  let sink = 0;
  const floorMs = timeIt(() => {
    let x = 0;
    for (let i = 0; i < text.length; i++) x = (x + text.charCodeAt(i)) | 0;
    sink ^= x;
  }, 2, runs, collect);
  const scanMs = timeIt(() => scanText(text), 2, runs, collect);
  // Throughput on prose-heavy text (chat without CRM rows: ~3% of lines carry a number).
  const prose = generateCorpus(SEED + 1, 4 * MB, { prose: true });
  collect();
  const proseMs = timeIt(() => scanText(prose.text), 2, runs, collect);
  const proseMBps = prose.bytes / MB / (proseMs / 1000);
  const proseScore = score(prose.truth, scanPhones(prose.text));
  const scanSubMs = timeIt(() => scanText(sub), 2, runs, collect);
  const scanFull = score(corpus.truth, scanPhones(text));
  const scanSubSpans = scanPhones(sub);
  const scanSub = score(subTruth, scanSubSpans);

  // libphonenumber-js on the subset: warm up on a small slice, then median of runs.
  libPhones(prefixOf(sub, 64 * 1024));
  const libRuns = Math.max(3, Math.min(runs, 5));
  let libSpans: Span[] = [];
  const libTimes: number[] = [];
  for (let i = 0; i < libRuns; i++) {
    collect();
    const s = performance.now();
    libSpans = libPhones(sub);
    libTimes.push(performance.now() - s);
  }
  const libMs = median(libTimes);
  const lib = score(subTruth, libSpans);

  const scanMBps = fullMB / (scanMs / 1000);
  const scanSubMBps = subMB / (scanSubMs / 1000);
  const libMBps = subMB / (libMs / 1000);
  const ratio = scanMBps / libMBps;
  const subRatio = scanSubMBps / libMBps;
  const floorMBps = fullMB / (floorMs / 1000);

  const row = (name: string, mbps: number, s: Score, n: number) =>
    `${name.padEnd(34)} ${mbps.toFixed(1).padStart(10)} ${pct(s.recall).padStart(9)} ${pct(s.precision).padStart(10)} ${String(n).padStart(7)} ${String(s.tp).padStart(7)} ${String(s.fp).padStart(6)} ${String(s.fn).padStart(6)}`;

  console.log(`corpus: ${fullMB.toFixed(2)} MB (${text.length} UTF-16 units), ${corpus.truth.length} real phone numbers, seed 0x${SEED.toString(16)}, generated in ${genMs.toFixed(0)} ms`);
  console.log(`subset for libphonenumber-js: first ${subMB.toFixed(2)} MB, ${subTruth.length} real phone numbers; median of ${runs} (scanText) / ${libRuns} (libphonenumber) runs after warm-up`);
  console.log('');
  console.log(`${'engine'.padEnd(34)} ${'MB/s'.padStart(10)} ${'recall'.padStart(9)} ${'precision'.padStart(10)} ${'found'.padStart(7)} ${'TP'.padStart(7)} ${'FP'.padStart(6)} ${'FN'.padStart(6)}`);
  console.log(row(`scanText (full ${fullMB.toFixed(1)} MB)`, scanMBps, scanFull, scanFull.tp + scanFull.fp));
  console.log(row(`scanText (subset ${subMB.toFixed(1)} MB)`, scanSubMBps, scanSub, scanSubSpans.length));
  console.log(row(`libphonenumber-js (subset)`, libMBps, lib, libSpans.length));
  console.log(row(`scanText (prose ${(prose.bytes / MB).toFixed(1)} MB, few numbers)`, proseMBps, proseScore, proseScore.tp + proseScore.fp));
  console.log('');
  console.log(`speed ratio scanText / libphonenumber-js: ${ratio.toFixed(1)}× (full text), ${subRatio.toFixed(1)}× (same subset)  (goal ≥ 30×)`);
  console.log(
    `machine calibration: a bare charCodeAt loop over the text runs at ${floorMBps.toFixed(0)} MB/s; scanText reaches ${((scanMBps / floorMBps) * 100).toFixed(0)}% of it on the number-dense corpus, ${((proseMBps / floorMBps) * 100).toFixed(0)}% on prose${sink === 42 ? '' : ''}`,
  );
  console.log('');
  console.log('recall by disguise on the subset (scanText | libphonenumber-js):');
  const libBy = new Map(byDisguise(subTruth, libSpans).map(([k, , r]) => [k, r]));
  for (const [k, n, r] of byDisguise(subTruth, scanSubSpans)) {
    console.log(`  ${k.padEnd(34)} ${String(n).padStart(5)}  ${pct(r).padStart(8)} | ${pct(libBy.get(k) ?? 0).padStart(8)}`);
  }
  console.log(
    JSON.stringify({
      corpusMB: +fullMB.toFixed(3),
      subsetMB: +subMB.toFixed(3),
      groundTruth: corpus.truth.length,
      subsetGroundTruth: subTruth.length,
      scanText: {
        mbps: +scanMBps.toFixed(1),
        subsetMbps: +scanSubMBps.toFixed(1),
        recall: +scanSub.recall.toFixed(4),
        precision: +scanSub.precision.toFixed(4),
        fullRecall: +scanFull.recall.toFixed(4),
        fullPrecision: +scanFull.precision.toFixed(4),
      },
      proseMbps: +proseMBps.toFixed(1),
      libphonenumber: { mbps: +libMBps.toFixed(2), recall: +lib.recall.toFixed(4), precision: +lib.precision.toFixed(4) },
      speedRatio: +ratio.toFixed(1),
      subsetSpeedRatio: +subRatio.toFixed(1),
      charLoopMbps: +floorMBps.toFixed(1),
    }),
  );
}

main();
