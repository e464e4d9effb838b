/**
 * While a page is adding content in a burst (a chat filling up, a table being rendered
 * row batch by row batch), the page scanner holds the added content back and scans it
 * once the page pauses: its slices would otherwise sit between the page's own tasks
 * and delay every one of them. Nothing is skipped, only postponed: the hold ends
 * `quietMs` after the last mutation, and never lasts longer than `maxHoldMs` (a page
 * that never pauses is then scanned alongside, as before, until the scanner is idle).
 *
 * What waits is the page-level summary (popup status, print, the provenance of later
 * copies); a copy, drag, paste or submit is decided on its own text, synchronously.
 */
export interface BurstGate {
  /** A mutation arrived. */
  mutated(): void;
  /** Whether content added now should wait. */
  holding(): boolean;
  /** The scanner is idle: the next mutation starts a new burst. */
  reset(): void;
  stop(): void;
}

export interface BurstGateOptions {
  quietMs: number;
  maxHoldMs: number;
  now: () => number;
  /** Timers (tests: a fake clock); default setTimeout/clearTimeout. */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Called when a hold ends. */
  release: () => void;
}

export function createBurstGate(options: BurstGateOptions): BurstGate {
  const { quietMs, maxHoldMs, now } = options;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let lastAt = -Infinity;
  let burstStart: number | null = null;
  let timer: unknown = null;

  const holding = () => {
    if (quietMs <= 0 || burstStart === null) return false;
    const at = now();
    return at - lastAt < quietMs && at - burstStart < maxHoldMs;
  };

  function check(): void {
    timer = null;
    if (holding()) return arm(Math.min(quietMs - (now() - lastAt), maxHoldMs - (now() - burstStart!)));
    options.release();
  }
  function arm(ms: number): void {
    if (timer === null) timer = setTimer(check, Math.max(1, ms));
  }

  return {
    mutated() {
      if (quietMs <= 0) return;
      lastAt = now();
      burstStart ??= lastAt;
      if (holding()) arm(quietMs); // past maxHoldMs nothing waits, so nothing needs releasing
    },
    holding,
    reset() {
      burstStart = null;
    },
    stop() {
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
