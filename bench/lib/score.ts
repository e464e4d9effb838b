/** Span scoring and timing helpers for the detection benchmark. */

export interface Span {
  start: number;
  end: number;
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  recall: number;
  precision: number;
}

/**
 * A prediction is a true positive when it overlaps a ground-truth span; a ground-truth
 * span is recalled when some prediction overlaps it. Both lists sorted by start.
 */
export function score(truth: readonly Span[], predicted: readonly Span[]): Score {
  const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
  let tp = 0;
  let j = 0;
  for (const p of predicted) {
    while (j < truth.length && truth[j]!.end <= p.start) j++;
    let hit = false;
    for (let k = j; k < truth.length && truth[k]!.start < p.end; k++) {
      if (overlaps(p, truth[k]!)) {
        hit = true;
        break;
      }
    }
    if (hit) tp++;
  }
  let recalled = 0;
  j = 0;
  for (const t of truth) {
    while (j < predicted.length && predicted[j]!.end <= t.start) j++;
    let hit = false;
    for (let k = j; k < predicted.length && predicted[k]!.start < t.end; k++) {
      if (overlaps(t, predicted[k]!)) {
        hit = true;
        break;
      }
    }
    if (hit) recalled++;
  }
  const fp = predicted.length - tp;
  const fn = truth.length - recalled;
  return {
    tp,
    fp,
    fn,
    recall: truth.length ? recalled / truth.length : 1,
    precision: predicted.length ? tp / predicted.length : 1,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time (ms) of `runs` calls after `warmup` untimed calls. */
export function timeIt(fn: () => unknown, warmup: number, runs: number, beforeEach?: () => void): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    beforeEach?.();
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}
