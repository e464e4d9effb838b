/** Exponential backoff with full jitter (AWS architecture blog's "full jitter"). */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 2_000, capMs = 5 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}
