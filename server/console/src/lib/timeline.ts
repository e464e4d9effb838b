import type { TimelineBucket } from '../api';

const STEP_MS = { day: 86_400_000, hour: 3_600_000 } as const;
const MAX_FILLED = 800;

/**
 * The server lists only buckets that hold events; fill the empty ones between
 * from and to so the x axis is time. Day buckets start at the company's midnight
 * (`utcOffsetMinutes`, sent by the server with the buckets), hours at UTC hours.
 */
export function fillBuckets(
  buckets: TimelineBucket[],
  bucket: 'day' | 'hour',
  from?: string,
  to?: string,
  utcOffsetMinutes = 0,
): TimelineBucket[] {
  const step = STEP_MS[bucket];
  const offset = bucket === 'day' ? utcOffsetMinutes * 60_000 : 0;
  const align = (ms: number) => Math.floor((ms + offset) / step) * step - offset;
  const known = new Map(buckets.map((b) => [align(Date.parse(b.start)), b]));
  const times = [...known.keys()].filter(Number.isFinite);
  const fromMs = from ? Date.parse(from) : Math.min(...times);
  const toMs = to ? Date.parse(to) : Date.now();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs < fromMs) return buckets;
  const first = align(Math.min(fromMs, ...times));
  const last = align(Math.max(toMs - 1, ...times));
  if ((last - first) / step > MAX_FILLED) return buckets;
  const filled: TimelineBucket[] = [];
  for (let at = first; at <= last; at += step) filled.push(known.get(at) ?? { start: new Date(at).toISOString(), count: 0, byLevel: {} });
  return filled;
}

/** The company-clock date (YYYY-MM-DD) on which a day bucket starting at `iso` falls. */
export function companyDate(iso: string, utcOffsetMinutes: number): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10) : iso;
}
