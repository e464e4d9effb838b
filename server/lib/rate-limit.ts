/**
 * In-memory token buckets. Per process: with several server processes behind a load
 * balancer each process limits on its own (the effective limit is N × the setting).
 */
import type { BucketSettings } from '../config';
import { tooManyRequests } from './errors';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`; returns 0 when allowed, else seconds until a token is back. */
  take(key: string): number {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.sweep(now);
      bucket = { tokens: this.settings.capacity, updatedAt: now };
      this.buckets.set(key, bucket);
    } else {
      const refill = ((now - bucket.updatedAt) / 1000) * this.settings.refillPerSecond;
      bucket.tokens = Math.min(this.settings.capacity, bucket.tokens + refill);
      bucket.updatedAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.settings.refillPerSecond));
  }

  /** Throws a 429 ApiFailure when `key` is over its limit. */
  check(key: string): void {
    const wait = this.take(key);
    if (wait > 0) throw tooManyRequests(wait);
  }

  reset(key: string): void {
    this.buckets.delete(key);
  }

  /** Drop full buckets (they behave like new ones); if still too many, drop all. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.settings.refillPerSecond;
      if (tokens >= this.settings.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}

/** A limiter that never limits (rate limits switched off). */
export const unlimited = { check: (_key: string) => {}, reset: (_key: string) => {} };
export type Limiter = Pick<RateLimiter, 'check' | 'reset'>;

export function makeLimiter(settings: BucketSettings | undefined, now?: () => number): Limiter {
  return settings ? new RateLimiter(settings, now) : unlimited;
}
