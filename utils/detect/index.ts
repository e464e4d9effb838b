/**
 * Baomi Guard detection engine: text in, findings out. Pure TypeScript — no DOM, no
 * browser API — shared by the content script, the server, the CLI and the benchmarks.
 *
 * Linear time on every input: numbers are found by one hand-written `charCodeAt` pass
 * with bounded look-ahead per digit group (./number-scanner.ts), markers by `indexOf` on a few
 * trigger strings with bounded context checks (./markers.ts), e-mails from each `@`
 * with bounded expansion (./email.ts). No regular expressions.
 */
import { DEFAULT_DETECTORS } from './defaults';
import { scanEmails } from './email';
import { scanMarkers } from './markers';
import { scanNumbers } from './number-scanner';
import type { Finding, ScanOptions } from './types';

export * from './types';
export { DEFAULT_DETECTORS } from './defaults';
export { maskNumber } from './mask';
export { CONFIDENCE_FLOOR } from './number-scanner';

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

  // Merge the three sorted lists; on overlap the earlier (on equal start: the longer)
  // finding wins, so an e-mail wins over the number it contains.
  if (markers.length === 0 && emails.length === 0) return numbers.length > limit ? numbers.slice(0, limit) : numbers;
  const result: Finding[] = [];
  let a = 0;
  let b = 0;
  let c = 0;
  let lastEnd = -1;
  while (result.length < limit) {
    const fa = numbers[a];
    const fb = markers[b];
    const fc = emails[c];
    let best: Finding | undefined = fa;
    let which = 0;
    if (fb && (!best || fb.start < best.start || (fb.start === best.start && fb.end > best.end))) {
      best = fb;
      which = 1;
    }
    if (fc && (!best || fc.start < best.start || (fc.start === best.start && fc.end > best.end))) {
      best = fc;
      which = 2;
    }
    if (!best) break;
    if (which === 0) a++;
    else if (which === 1) b++;
    else c++;
    if (best.start < lastEnd) continue;
    result.push(best);
    lastEnd = best.end;
  }
  return result;
}
