/**
 * Repeated identical requests (the same person asking again for the same block: pressed
 * twice, asked from the notice and the popup) are one row for the approver: one decision
 * answers them all.
 */
import type { OverrideItem } from '../api';

export interface OverrideGroup {
  /** The newest request of the group (the list is newest first). */
  head: OverrideItem;
  items: OverrideItem[];
}

function keyOf(item: OverrideItem): string {
  // Requests for different content are different requests, even with the same reason.
  return JSON.stringify([item.userId, item.deviceId, item.origin, item.channel, item.level, item.contentId, item.reason.trim()]);
}

export function groupOverrides(items: readonly OverrideItem[]): OverrideGroup[] {
  const groups = new Map<string, OverrideGroup>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.items.push(item);
    else groups.set(key, { head: item, items: [item] });
  }
  return [...groups.values()];
}
