/**
 * Customer register benchmark (issue 15): scanText alone against scanText followed by
 * the register lookup (numbers; numbers + names) on the bench corpus, with a synthetic
 * 100,000-customer register, measured alternately in the same run; the size of the
 * signed structure; and false positives of register names on prose (the domain policy
 * and the greeting messages in ../shared/domain/, and the corpus).
 *
 * Env: BENCH_MB (corpus size, default 4), BENCH_RUNS (default 7), BENCH_CUSTOMERS (100000).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { scanText } from '../utils/detect/index';
import { generateSigningKeyPair, signPayload } from '../utils/crypto/signing';
import { base64ToBytes } from '../utils/crypto/base64';
import { applyRegister, findNames, SHORT_NAME_UNITS } from '../utils/register/match';
import { generateCorpus } from './lib/corpus';
import { generateProseCorpus } from './detect-prose-corpus';
import { buildBenchRegister, measureLookupCost, timeAfterGc as time } from './lib/bench-register';
import { median } from './lib/score';

const MB = 1024 * 1024;
const corpusMB = Number(process.env.BENCH_MB ?? 4);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 11));
const customerTotal = Number(process.env.BENCH_CUSTOMERS ?? 100_000);

async function main(): Promise<void> {
  const corpus = generateCorpus(0x8a0b1, corpusMB * MB);
  const text = corpus.text;
  const register = await buildBenchRegister(text, scanText, customerTotal);
  const { payload, keys, stored, buildMs, checkMs, frameIndex } = register;
  const signed = await signPayload('register', payload, await generateSigningKeyPair());
  const wireJson = JSON.stringify({ ok: true, signed });
  const wireBytes = Buffer.byteLength(wireJson);
  // What the server sends a browser (it gzips once per version; server/routes/device/customer-register.ts).
  const wireGzipBytes = gzipSync(wireJson).byteLength;
  // What a frame pays at start, against what it paid before (the arrays decoded from base64
  // into bytes, as loadRegisterIndex did until the index read them in place), alternated.
  // The storage read itself (the browser hands the frame the stored JSON) is shown as
  // JSON.parse of that item: the part no index format avoids.
  const storedJson = JSON.stringify({ version: 1, etag: null, ...stored, keys: { sip: [...keys.sip], seed: keys.seed } });
  const frameNow: number[] = [];
  const frameBefore: number[] = [];
  const frameStorage: number[] = [];
  let index = frameIndex();
  for (let r = 0; r < runs; r++) {
    frameBefore.push(
      await time(() => {
        for (const part of [payload.customers, payload.numbers, payload.names, payload.bigrams, payload.filter]) base64ToBytes(part);
      }),
    );
    frameNow.push(await time(() => void (index = frameIndex())));
    frameStorage.push(await time(() => void JSON.parse(storedJson)));
  }
  const loadMs = median(frameNow);
  const decodeMs = median(frameBefore);

  const cost = await measureLookupCost({ text, index, scanText, applyRegister, runs });
  const { plain, numbers, lookupOnly, lookupWarm, scanWarm, withNames, ratioNumbers, ratioNames, minRatioNumbers, minRatioNames } = cost;
  const { ratioLookup, ratioLookupWarm } = cost;
  const base = median(plain);
  // Outside the timing: the page scan never reads the distinct customers; decisions read
  // them when they make an event.
  const hits = applyRegister(index, text, scanText(text), { names: 'none' }).customers.length;

  // The page scan on prose (what real pages mostly are: sentences, sparse numbers) rather
  // than the number-dense chat corpus, whose every line starts with a register surname.
  const proseText = generateProseCorpus(0x5eed, corpusMB * MB).text;
  const proseFindings = scanText(proseText);
  const proseScan: number[] = [];
  const proseLong: number[] = [];
  const proseAll: number[] = [];
  for (let r = 0; r < runs; r++) {
    proseScan.push(await time(() => void scanText(proseText)));
    proseLong.push(await time(() => void applyRegister(index, proseText, scanText(proseText), { names: 'long' })));
    proseAll.push(await time(() => void applyRegister(index, proseText, scanText(proseText), { names: 'all' })));
  }

  // False positives of names: the register above holds none of these texts' names on purpose
  // (random combinations); every long-name hit that would decide alone is a false positive.
  const domainDir = resolve(import.meta.dirname, '../../shared/domain');
  const prose: [string, string][] = [
    ['domain policy', readFileSync(resolve(domainDir, 'customer-info-confidentiality-policy.zh.txt'), 'utf8')],
    ['greeting messages', readFileSync(resolve(domainDir, 'customer-greeting-messages.zh.txt'), 'utf8')],
    [`bench corpus (${corpusMB} MB)`, text],
  ];
  const fp = prose.map(([name, body]) => {
    const hitsAll = findNames(index, body);
    const long = hitsAll.filter((h) => h.units > SHORT_NAME_UNITS).length;
    const short = hitsAll.length - long;
    const deciding = applyRegister(index, body, scanText(body)).nameLevel !== null ? 1 : 0;
    return { name, chars: body.length, long, short, deciding, per100k: (long / body.length) * 100_000 };
  });

  console.log(
    `customer register: ${customerTotal} customers, ${index.numberCount} numbers, ${index.nameCount} names, ${index.nameLengths.length} name lengths; built in ${buildMs.toFixed(0)} ms; decoded, checked and number table built (background) in ${checkMs.toFixed(0)} ms; stored item ${(storedJson.length / MB).toFixed(2)} MB`,
  );
  console.log(
    `a frame's start (medians of ${runs}): index ${loadMs.toFixed(3)} ms, read in place (before: ${decodeMs.toFixed(1)} ms decoding the arrays, measured now); the storage read's JSON.parse of the stored item ${median(frameStorage).toFixed(1)} ms`,
  );
  console.log(
    `signed structure: ${(wireBytes / MB).toFixed(2)} MB of JSON (${(wireBytes / customerTotal).toFixed(1)} bytes per customer); on the wire gzipped ${(wireGzipBytes / MB).toFixed(2)} MB (${(wireGzipBytes / customerTotal).toFixed(1)} bytes per customer)`,
  );
  console.log(`corpus: ${(corpus.bytes / MB).toFixed(2)} MB, ${runs} runs each, medians; register customers found in the corpus: ${hits}`);
  console.log('');
  console.log('| variant | median ms | ratio (medians) | min ms | ratio (minima) |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| scanText | ${base.toFixed(1)} | 1.00 | ${Math.min(...plain).toFixed(1)} | 1.00 |`);
  console.log(
    `| scanText + number lookup | ${median(numbers).toFixed(1)} | ${ratioNumbers.toFixed(2)} | ${Math.min(...numbers).toFixed(1)} | ${minRatioNumbers.toFixed(2)} |`,
  );
  console.log(
    `| number lookup alone (${cost.findings} findings) | ${median(lookupOnly).toFixed(1)} | ${ratioLookup.toFixed(2)} (scanText + it) | ${Math.min(...lookupOnly).toFixed(1)} | ${cost.minRatioLookup.toFixed(2)} |`,
  );
  console.log(
    `| number lookup alone, warm (back to back, minima) | ${Math.min(...lookupWarm).toFixed(1)} | ${ratioLookupWarm.toFixed(2)} (scanText warm ${Math.min(...scanWarm).toFixed(1)} + it) | | |`,
  );
  console.log(
    `| scanText + numbers + names | ${median(withNames).toFixed(1)} | ${ratioNames.toFixed(2)} | ${Math.min(...withNames).toFixed(1)} | ${minRatioNames.toFixed(2)} |`,
  );
  console.log(
    `| scanText + numbers + long names (the page scan) | ${median(cost.withLongNames).toFixed(1)} | ${cost.ratioLongNames.toFixed(2)} | ${Math.min(...cost.withLongNames).toFixed(1)} | ${(Math.min(...cost.withLongNames) / Math.min(...plain)).toFixed(2)} |`,
  );
  console.log('');
  console.log(
    `prose corpus (${(proseText.length / 1e6).toFixed(2)} M chars, ${proseFindings.length} findings), medians: scanText ${median(proseScan).toFixed(1)} ms; ` +
      `+ numbers + long names (the page scan) ${median(proseLong).toFixed(1)} ms, ratio ${(median(proseLong) / median(proseScan)).toFixed(2)}; ` +
      `+ numbers + every name ${median(proseAll).toFixed(1)} ms, ratio ${(median(proseAll) / median(proseScan)).toFixed(2)}`,
  );
  console.log('');
  console.log('| text | chars | long-name hits (decide alone) | short-name hits (never alone) | long hits per 100k chars |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of fp) console.log(`| ${row.name} | ${row.chars} | ${row.long} | ${row.short} | ${row.per100k.toFixed(2)} |`);
  console.log(
    JSON.stringify({
      bench: 'register',
      customers: customerTotal,
      wireBytes,
      wireGzipBytes,
      frameStartMs: Number(loadMs.toFixed(3)),
      frameDecodeBeforeMs: Number(decodeMs.toFixed(1)),
      ratioNumbers: Number(ratioNumbers.toFixed(3)),
      ratioLookup: Number(ratioLookup.toFixed(3)),
      ratioLookupWarm: Number(ratioLookupWarm.toFixed(3)),
      ratioNames: Number(ratioNames.toFixed(3)),
      ratioLongNames: Number(cost.ratioLongNames.toFixed(3)),
      proseRatioLongNames: Number((median(proseLong) / median(proseScan)).toFixed(3)),
      proseRatioNames: Number((median(proseAll) / median(proseScan)).toFixed(3)),
      minRatioNumbers: Number(minRatioNumbers.toFixed(3)),
      minRatioNames: Number(minRatioNames.toFixed(3)),
      goal: 1.2,
      falsePositives: fp.map(({ name, long, short }) => ({ name, long, short })),
    }),
  );
}

void main();
