/**
 * Test harness for the page scanner (not a test file itself): a scanner on `document`
 * whose tasks are queued and run by hand, with a fake clock.
 */
import { afterEach } from 'vitest';
import { scanText } from '../detect';
import { createPageScanner, type PageScanner, type PageScannerOptions, type PageSummary } from './page-scanner';

const active: PageScanner[] = [];
/** Stops every scanner made by {@link setupScanner} and empties the page (vitest afterEach). */
afterEach(() => {
  active.splice(0).forEach((scanner) => scanner.stop());
  document.body.innerHTML = '';
});

/** A scanner on `document`: tasks go to an array run by hand; each detector call costs 1 fake ms, each now() call `tick`. */
export function setupScanner(options: Partial<PageScannerOptions> = {}, tick = 0) {
  const tasks: Array<() => void> = [];
  const changes: PageSummary[] = [];
  const t = { clock: 0, scans: 0, tasksRun: 0 };
  const scanner = createPageScanner({
    doc: document,
    sliceMs: 4,
    quietMs: 0, // no hold of added content (page-scanner-leaf.test.ts tests the hold)
    scan: (text) => ((t.clock += 1), t.scans++, { findings: scanText(text), namedLevel: null }),
    now: () => (t.clock += tick),
    yieldTo: (task) => void tasks.push(() => task()), // no idle-deadline argument
    onChange: (summary) => void changes.push(summary),
    ...options,
  });
  active.push(scanner);
  const settle = async () => {
    for (let i = 0; i < 3; i++) await Promise.resolve();
  }; // MutationObserver records
  async function runOne(): Promise<boolean> {
    await settle();
    const task = tasks.shift();
    if (!task) return false;
    t.tasksRun++;
    task();
    return true;
  }
  async function drain(): Promise<void> {
    for (let n = 0; await runOne(); n++) if (n > 100_000) throw new Error('scanner never idle');
  }
  const summary = () => scanner.summary();
  return { scanner, tasks, changes, t, runOne, drain, summary };
}

/** A started scanner that has walked `html`. */
export async function scanned(html: string, options: Partial<PageScannerOptions> = {}) {
  document.body.innerHTML = html;
  const s = setupScanner(options);
  s.scanner.start();
  await s.drain();
  return s;
}

export const mobiles = (s: ReturnType<typeof setupScanner>) => s.summary().countsByType.mobile ?? 0;
