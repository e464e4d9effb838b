/**
 * Runs in a Chromium page (bundled by bench/download.bench.ts): the file decision and the
 * bare scan of the same text, in the engine the content script runs in (Node's
 * TextDecoder is several times slower than Chromium's, so a Node figure misleads).
 */
import { DEFAULT_DETECTORS } from '../../utils/detect/defaults';
import { scanText } from '../../utils/detect/index';
import { readFileText } from '../../utils/files/file-text';
import { scanFile } from '../../utils/files/scan-file';

const LIMITS = { maxScanBytes: 64 * 1024 * 1024, maxExpandedBytes: 512 * 1024 * 1024 };

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(bytes: Uint8Array, runs: number) {
  const parts: string[] = [];
  await readFileText(
    bytes,
    bytes.length,
    { name: '', mime: '' },
    LIMITS,
    (piece) => void parts.push(piece),
    () => undefined,
  );
  const text = parts.join('');
  const decide = () =>
    scanFile(bytes, bytes.length, { name: '', mime: '' }, { detectors: DEFAULT_DETECTORS, limits: LIMITS, keepFindings: 50 });
  const scan = () => scanText(text, { detectors: DEFAULT_DETECTORS });
  const decisions: number[] = [];
  const scans: number[] = [];
  let findings = 0;
  await decide();
  scan();
  const timeDecision = async () => {
    const start = performance.now();
    findings = (await decide()).findingCount;
    decisions.push(performance.now() - start);
  };
  const timeScan = () => {
    const start = performance.now();
    scan();
    scans.push(performance.now() - start);
  };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      await timeDecision();
      timeScan();
    } else {
      timeScan();
      await timeDecision();
    }
  }
  return { textChars: text.length, findings, decisionMs: median(decisions), scanMs: median(scans) };
}

(globalThis as { runDownloadBench?: unknown }).runDownloadBench = async (b64: string, runs: number) => {
  const raw = atob(b64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return measure(bytes, runs);
};
