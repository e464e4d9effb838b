/**
 * Baomi Guard detection engine: text in, findings out. Pure TypeScript — no DOM, no
 * browser API — shared by the content script, the server, the CLI and the benchmarks.
 *
 * Linear time on every input: numbers are found by one hand-written `charCodeAt` pass
 * with bounded look-ahead per digit group (./numbers.ts), markers by `indexOf` on a few
 * trigger strings with bounded context checks (./markers.ts), e-mails from each `@`
 * with bounded expansion (./email.ts). No regular expressions.
 */
import { DEFAULT_DETECTORS } from './defaults';
import { scanEmails } from './email';
import { scanMarkers } from './markers';
import { scanNumbers } from './numbers';
import type { Finding, ScanOptions } from './types';

export * from './types';
export { DEFAULT_DETECTORS } from './defaults';
export { maskNumber } from './mask';
export { CONFIDENCE_FLOOR } from './numbers';

/**
 * All findings in `text`, sorted by `start`, non-overlapping. `start`/`end` are UTF-16
 * indices into `text`. Findings whose confidence falls below {@link CONFIDENCE_FLOOR}
 * (0.3) are dropped; lowered ones (e.g. a number after 订单号) are returned with their
 * lower confidence.
 */
export function scanText(text: string, options: ScanOptions = {}): Finding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const detectors = options.detectors ?? DEFAULT_DETECTORS;
  const limit = options.maxFindings !== undefined && options.maxFindings >= 0 ? options.maxFindings : Infinity;
  if (limit === 0) return [];

  const numbers: Finding[] = [];
  scanNumbers(text, detectors, numbers, limit);
  const markers: Finding[] = [];
  scanMarkers(text, detectors, markers, limit);
  const emails: Finding[] = [];
  scanEmails(text, detectors, emails, limit);

  let all: Finding[];
  if (markers.length === 0 && emails.length === 0) all = numbers;
  else {
    all = numbers.concat(markers, emails);
    // Longer first on equal start, so an e-mail wins over the number it contains.
    all.sort((a, b) => a.start - b.start || b.end - a.end);
  }
  const result: Finding[] = [];
  let lastEnd = -1;
  for (const f of all) {
    if (f.start < lastEnd) continue;
    result.push(f);
    lastEnd = f.end;
    if (result.length >= limit) break;
  }
  return result;
}
