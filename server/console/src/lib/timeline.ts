import type { TimelineBucket } from '../api';

const STEP_MS = { day: 86_400_000, hour: 3_600_000 } as const;
const MAX_FILLED = 800;

/**
 * The server lists only buckets that hold events; fill the empty ones between
 * from and to so the x axis is time. Bucket starts are UTC-aligned like the server's.
 */
export function fillBuckets(buckets: TimelineBucket[], bucket: 'day' | 'hour', from?: string, to?: string): TimelineBucket[] {
  const step = STEP_MS[bucket];
  const known = new Map(buckets.map((b) => [Math.floor(Date.parse(b.start) / step) * step, b]));
  const times = [...known.keys()].filter(Number.isFinite);
  const fromMs = from ? Date.parse(from) : Math.min(...times);
  const toMs = to ? Date.parse(to) : Date.now();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs < fromMs) return buckets;
  const first = Math.floor(Math.min(fromMs, ...times) / step) * step;
  const last = Math.floor(Math.max(toMs - 1, ...times) / step) * step;
  if ((last - first) / step > MAX_FILLED) return buckets;
  const filled: TimelineBucket[] = [];
  for (let at = first; at <= last; at += step) filled.push(known.get(at) ?? { start: new Date(at).toISOString(), count: 0 });
  return filled;
}

