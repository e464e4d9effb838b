/**
 * Detection benchmark: `npm run bench:detect`
 *
 * Generates (fixed seed) >= 10 MB of mixed Chinese/English text with real phone
 * numbers in many disguises (ground truth recorded), look-alike numbers and markers,
 * then measures in the same run:
 *   - scanText (utils/detect) on the whole text, and on a prefix subset;
 *   - libphonenumber-js `findPhoneNumbersInText(text, 'CN')` (max metadata) on the
 *     prefix subset (it is much slower);
 *   - the same three on a prose-dominant mix (bench/detect-prose-corpus.ts: mostly
 *     Chinese sentences from shared/domain and synthetic ones, sparse numbers), with a
 *     bare `charCodeAt` loop over the same text as the floor;
 * and prints MB/s of each (MB = 2^20 UTF-8 bytes), the speed ratios, and recall /
 * precision of each against the ground truth on the same subset (a found number is a
 * true positive when its span overlaps a ground-truth span). Phone numbers = mobile,
 * landline and 400/800 service numbers. The LAST line is one JSON object.
 *
 * scanText is measured as shipped: utils/detect bundled by Vite (as WXT bundles the
 * content script) into a temporary ES module; BENCH_UNBUNDLED=1 runs the sources
 * through tsx instead.
 *
 * Env: BENCH_MB (corpus size, default 10), BENCH_LIB_MB (libphonenumber subset,
 * default 2), BENCH_PROSE_MB (prose mix, default 4), BENCH_RUNS (timed runs, default 7).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { build } from 'vite';
import type { scanText as ScanText } from '../utils/detect/index';
import type { applyRegister as ApplyRegister } from '../utils/register/match';
import { buildBenchRegister, measureLookupCost } from './lib/bench-register';
import { generateProseCorpus } from './detect-prose-corpus';
import { generateCorpus, type TruthSpan } from './lib/corpus';
import { median, score, type Score, type Span } from './lib/score';

const MB = 1024 * 1024;
const SEED = 0x8a0b1;
const corpusMB = Number(process.env.BENCH_MB ?? 10);
const libMB = Number(process.env.BENCH_LIB_MB ?? 2);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 7));
const proseMixMB = Number(process.env.BENCH_PROSE_MB ?? 4);
const unbundled = process.env.BENCH_UNBUNDLED === '1';
/** The register lookup's corpus (bench:register's) and register size (the issue's). */
const REGISTER_CORPUS_MB = 4;
const REGISTER_CUSTOMERS = 100_000;
/** The lookup may add at most this to scanText (issue 15). */
const REGISTER_GOAL = 1.2;
/** Passes of the bare charCodeAt loop per timed run on the prose mix. */
const FLOOR_PASSES = 10;

/** utils/detect and the register lookup as the extension ships them: one Vite bundle each (or the sources, unbundled). */
async function loadShipped(): Promise<{ scanText: typeof ScanText; applyRegister: typeof ApplyRegister }> {
  if (unbundled) {
    return {
      scanText: (await import('../utils/detect/index')).scanText,
      applyRegister: (await import('../utils/register/match')).applyRegister,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-detect-'));
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        outDir: dir,
        emptyOutDir: false,
        minify: true,
        lib: {
          entry: {
            detect: fileURLToPath(new URL('../utils/detect/index.ts', import.meta.url)),
            match: fileURLToPath(new URL('../utils/register/match.ts', import.meta.url)),
          },
          formats: ['es'],
          fileName: (_format, name) => `${name}.js`,
        },
      },
    });
    const load = async <T>(name: string): Promise<T> => (await import(pathToFileURL(join(dir, `${name}.js`)).href)) as T;
    return {
      scanText: (await load<{ scanText: typeof ScanText }>('detect')).scanText,
      applyRegister: (await load<{ applyRegister: typeof ApplyRegister }>('match')).applyRegister,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
let scanText: typeof ScanText;

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

async function main(): Promise<void> {
  const shipped = await loadShipped();
  scanText = shipped.scanText;
  const t0 = performance.now();
  const corpus = generateCorpus(SEED, corpusMB * MB);
  const genMs = performance.now() - t0;
  const text = corpus.text;
  const fullMB = corpus.bytes / MB;

  const sub = prefixOf(text, libMB * MB);
  const subMB = Buffer.byteLength(sub, 'utf8') / MB;
  const subTruth = corpus.truth.filter((t) => t.end <= sub.length);

  const prose = generateCorpus(SEED + 1, 4 * MB, { prose: true });
  const proseMB = prose.bytes / MB;
  const mix = generateProseCorpus(SEED + 2, proseMixMB * MB);
  const mixMB = mix.bytes / MB;
  const mixSub = prefixOf(mix.text, Math.min(libMB, proseMixMB) * MB);
  const mixSubMB = Buffer.byteLength(mixSub, 'utf8') / MB;
  const mixSubTruth = mix.truth.filter((t) => t.end <= mixSub.length);

  // Accuracy (one run each).
  const scanFull = score(corpus.truth, scanPhones(text));
  const scanSubSpans = scanPhones(sub);
  const scanSub = score(subTruth, scanSubSpans);
  const proseScore = score(prose.truth, scanPhones(prose.text));
  const libSpans = libPhones(sub);
  const lib = score(subTruth, libSpans);
  const mixScore = score(mix.truth, scanPhones(mix.text));
  const mixLibSpans = libPhones(mixSub);
  const mixLib = score(mixSubTruth, mixLibSpans);

  // Timing. The machine may be shared, so the measurements are interleaved round by
  // round (every engine sees the same load), each after a full GC, and both wall-clock
  // and CPU time (process.cpuUsage) are recorded; medians are reported.
  let sink = 0;
  const charLoop = (t: string): void => {
    // Machine calibration: a bare charCodeAt loop over the same text (the floor of any scanner).
    let x = 0;
    for (let i = 0; i < t.length; i++) x = (x + t.charCodeAt(i)) | 0;
    sink ^= x;
  };
  const jobs = {
    floor: () => charLoop(text),
    full: () => scanText(text),
    prose: () => scanText(prose.text),
    sub: () => scanText(sub),
    lib: () => libPhones(sub),
    // ~2 ms per pass is too short to time on a loaded machine: FLOOR_PASSES passes per run.
    mixFloor: () => {
      for (let pass = 0; pass < FLOOR_PASSES; pass++) charLoop(mix.text);
    },
    mix: () => scanText(mix.text),
    mixLib: () => libPhones(mixSub),
  };
  type Job = keyof typeof jobs;
  const jobNames = Object.keys(jobs) as Job[];
  const wall = Object.fromEntries(jobNames.map((k) => [k, [] as number[]])) as Record<Job, number[]>;
  const cpu = Object.fromEntries(jobNames.map((k) => [k, [] as number[]])) as Record<Job, number[]>;
  for (const k of ['floor', 'full', 'prose', 'sub', 'mixFloor', 'mix'] as const) for (let i = 0; i < 2; i++) jobs[k]();
  libPhones(prefixOf(sub, 64 * 1024)); // warm-up
  libPhones(prefixOf(mixSub, 64 * 1024));
  const libRuns = Math.max(3, Math.min(runs, 5));
  for (let round = 0; round < runs; round++) {
    for (const k of jobNames) {
      if ((k === 'lib' || k === 'mixLib') && round >= libRuns) continue;
      collect();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      jobs[k]();
      wall[k].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  // The customer register's lookup (issue 15) after scanText, on the register bench's corpus
  // (4 MB, same seed) with a 100,000-customer register: what a copy decision adds.
  const registerText = generateCorpus(SEED, REGISTER_CORPUS_MB * MB).text;
  const register = await buildBenchRegister(registerText, scanText, REGISTER_CUSTOMERS);
  const registerCost = await measureLookupCost({
    text: registerText,
    index: register.frameIndex(),
    scanText,
    applyRegister: shipped.applyRegister,
    runs: Math.max(runs, 11),
  });
  const mbps = (mb: number, ms: number[]): number => mb / (median(ms) / 1000);

  const scanMBps = mbps(fullMB, wall.full);
  const scanSubMBps = mbps(subMB, wall.sub);
  const libMBps = mbps(subMB, wall.lib);
  const proseMBps = mbps(proseMB, wall.prose);
  const floorMBps = mbps(fullMB, wall.floor);
  const ratio = scanMBps / libMBps;
  const subRatio = scanSubMBps / libMBps;
  const cpuScan = mbps(fullMB, cpu.full);
  const cpuSub = mbps(subMB, cpu.sub);
  const cpuLib = mbps(subMB, cpu.lib);
  const cpuProse = mbps(proseMB, cpu.prose);
  const cpuFloor = mbps(fullMB, cpu.floor);
  const cpuRatio = cpuScan / cpuLib;
  const cpuSubRatio = cpuSub / cpuLib;
  const mixMBps = mbps(mixMB, wall.mix);
  const mixLibMBps = mbps(mixSubMB, wall.mixLib);
  const mixFloorMBps = mbps(mixMB * FLOOR_PASSES, wall.mixFloor);
  const cpuMix = mbps(mixMB, cpu.mix);
  const cpuMixLib = mbps(mixSubMB, cpu.mixLib);
  const cpuMixFloor = mbps(mixMB * FLOOR_PASSES, cpu.mixFloor);

  const row = (name: string, mbps: number, cpuMbps: number, s: Score, n: number) =>
    `${name.padEnd(34)} ${mbps.toFixed(1).padStart(10)} ${cpuMbps.toFixed(1).padStart(10)} ${pct(s.recall).padStart(9)} ${pct(s.precision).padStart(10)} ${String(n).padStart(7)} ${String(s.tp).padStart(7)} ${String(s.fp).padStart(6)} ${String(s.fn).padStart(6)}`;

  console.log(
    `corpus: ${fullMB.toFixed(2)} MB (${text.length} UTF-16 units), ${corpus.truth.length} real phone numbers, seed 0x${SEED.toString(16)}, generated in ${genMs.toFixed(0)} ms`,
  );
  console.log(`subset for libphonenumber-js: first ${subMB.toFixed(2)} MB, ${subTruth.length} real phone numbers`);
  console.log(
    `timing: medians of ${runs} interleaved rounds (${libRuns} for libphonenumber-js) after warm-up, GC before each run; MB = 2^20 UTF-8 bytes`,
  );
  console.log('');
  console.log(
    `${'engine'.padEnd(34)} ${'MB/s wall'.padStart(10)} ${'MB/s cpu'.padStart(10)} ${'recall'.padStart(9)} ${'precision'.padStart(10)} ${'found'.padStart(7)} ${'TP'.padStart(7)} ${'FP'.padStart(6)} ${'FN'.padStart(6)}`,
  );
  console.log(row(`scanText (full ${fullMB.toFixed(1)} MB)`, scanMBps, cpuScan, scanFull, scanFull.tp + scanFull.fp));
  console.log(row(`scanText (subset ${subMB.toFixed(1)} MB)`, scanSubMBps, cpuSub, scanSub, scanSubSpans.length));
  console.log(row(`libphonenumber-js (subset)`, libMBps, cpuLib, lib, libSpans.length));
  console.log(
    row(`scanText (chat, ${proseMB.toFixed(1)} MB, few numbers)`, proseMBps, cpuProse, proseScore, proseScore.tp + proseScore.fp),
  );
  console.log(row(`scanText (prose mix ${mixMB.toFixed(1)} MB)`, mixMBps, cpuMix, mixScore, mixScore.tp + mixScore.fp));
  console.log(row(`libphonenumber-js (prose mix ${mixSubMB.toFixed(1)} MB)`, mixLibMBps, cpuMixLib, mixLib, mixLibSpans.length));
  console.log(
    `${'bare charCodeAt loop (prose mix)'.padEnd(34)} ${mixFloorMBps.toFixed(1).padStart(10)} ${cpuMixFloor.toFixed(1).padStart(10)}`,
  );
  console.log('');
  console.log(
    `engine: ${unbundled ? 'utils/detect sources through tsx (BENCH_UNBUNDLED=1)' : 'utils/detect bundled by Vite'}; prose mix from ${mix.sources.domain} shared/domain sentences + ${mix.sources.synthetic} synthetic ones, ${mix.truth.length} phone numbers`,
  );
  console.log(
    `prose mix: scanText / libphonenumber-js (goal ≥ 30×) wall ${(mixMBps / mixLibMBps).toFixed(1)}×, cpu ${(cpuMix / cpuMixLib).toFixed(1)}×; ` +
      `scanText / bare charCodeAt loop (goal ≥ 50 %) wall ${((mixMBps / mixFloorMBps) * 100).toFixed(0)} %, cpu ${((cpuMix / cpuMixFloor) * 100).toFixed(0)} %`,
  );
  console.log(
    `speed ratio scanText / libphonenumber-js (goal ≥ 30×): wall ${ratio.toFixed(1)}× (full text), ${subRatio.toFixed(1)}× (same subset); cpu ${cpuRatio.toFixed(1)}× / ${cpuSubRatio.toFixed(1)}×`,
  );
  console.log(
    `machine calibration: a bare charCodeAt loop over the text runs at ${floorMBps.toFixed(0)} MB/s wall, ${cpuFloor.toFixed(0)} MB/s cpu; ` +
      `scanText reaches ${((cpuScan / cpuFloor) * 100).toFixed(0)}% of it (cpu) on the number-dense corpus, ${((cpuProse / cpuFloor) * 100).toFixed(0)}% on prose${sink === 42 ? '' : ''}`,
  );
  console.log('');
  const rc = registerCost;
  const ms = (values: number[]): string => `${median(values).toFixed(1)} ms`;
  console.log(
    `customer register lookup (issue 15): ${REGISTER_CUSTOMERS} customers, ${REGISTER_CORPUS_MB} MB bench corpus (${rc.findings} findings), ${rc.runs} alternated rounds, GC before each; goal <= ${REGISTER_GOAL.toFixed(2)}`,
  );
  console.log(`  scanText                        ${ms(rc.plain)}`);
  console.log(
    `  scanText + number lookup        ${ms(rc.numbers)}  ratio ${rc.ratioNumbers.toFixed(2)} (medians), ${rc.minRatioNumbers.toFixed(2)} (minima)`,
  );
  console.log(
    `  number lookup alone             ${ms(rc.lookupOnly)}  ratio ${rc.ratioLookup.toFixed(2)} (medians), ${rc.minRatioLookup.toFixed(2)} (minima); warm ${rc.ratioLookupWarm.toFixed(2)}`,
  );
  console.log(
    `  scanText + numbers + names      ${ms(rc.withNames)}  ratio ${rc.ratioNames.toFixed(2)} (every name: copy/paste/form text and files)`,
  );
  console.log(
    `  scanText + numbers + long names ${ms(rc.withLongNames)}  ratio ${rc.ratioLongNames.toFixed(2)} (the page scan: names that decide alone)`,
  );
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
      cpu: {
        scanMbps: +cpuScan.toFixed(1),
        subsetMbps: +cpuSub.toFixed(1),
        proseMbps: +cpuProse.toFixed(1),
        libMbps: +cpuLib.toFixed(2),
        speedRatio: +cpuRatio.toFixed(1),
        subsetSpeedRatio: +cpuSubRatio.toFixed(1),
        charLoopMbps: +cpuFloor.toFixed(1),
      },
      charLoopMbps: +floorMBps.toFixed(1),
      bundled: !unbundled,
      register: {
        customers: REGISTER_CUSTOMERS,
        corpusMB: REGISTER_CORPUS_MB,
        ratioNumbers: +rc.ratioNumbers.toFixed(3),
        minRatioNumbers: +rc.minRatioNumbers.toFixed(3),
        ratioLookup: +rc.ratioLookup.toFixed(3),
        minRatioLookup: +rc.minRatioLookup.toFixed(3),
        ratioLookupWarm: +rc.ratioLookupWarm.toFixed(3),
        ratioNames: +rc.ratioNames.toFixed(3),
        ratioLongNames: +rc.ratioLongNames.toFixed(3),
        goal: REGISTER_GOAL,
      },
      proseMix: {
        mb: +mixMB.toFixed(3),
        mbps: +mixMBps.toFixed(1),
        cpuMbps: +cpuMix.toFixed(1),
        libMbps: +mixLibMBps.toFixed(2),
        cpuLibMbps: +cpuMixLib.toFixed(2),
        charLoopMbps: +mixFloorMBps.toFixed(1),
        cpuCharLoopMbps: +cpuMixFloor.toFixed(1),
        libRatio: +(mixMBps / mixLibMBps).toFixed(1),
        cpuLibRatio: +(cpuMix / cpuMixLib).toFixed(1),
        charLoopShare: +(mixMBps / mixFloorMBps).toFixed(3),
        cpuCharLoopShare: +(cpuMix / cpuMixFloor).toFixed(3),
        recall: +mixScore.recall.toFixed(4),
        precision: +mixScore.precision.toFixed(4),
      },
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
