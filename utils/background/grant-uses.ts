/**
 * How often each grant let an action through on this device. A content grant allows a
 * number of uses; frames read the count from storage (and count their own use at once,
 * report.ts), so a one-use grant opens one copy, not one per frame or per tab.
 */
import { grantsItem, grantUsesItem } from '../storage';

let lock: Promise<unknown> = Promise.resolve();

/** Adds one use; counts of grants no longer stored are dropped (the map stays small). */
export function countGrantUse(grantId: string): Promise<void> {
  const run = lock.then(async () => {
    const [uses, grants] = await Promise.all([grantUsesItem.getValue(), grantsItem.getValue()]);
    const live = new Set(grants.map((grant) => grant.payload.grantId));
    const next: Record<string, number> = {};
    for (const [id, count] of Object.entries(uses)) if (live.has(id)) next[id] = count;
    next[grantId] = (uses[grantId] ?? 0) + 1;
    await grantUsesItem.setValue(next);
  });
  lock = run.catch(() => undefined);
  return run;
}
