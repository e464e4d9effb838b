/**
 * Main-thread time spent in the extension's scripts, from a CDP CPU profile (Profiler
 * domain) of a page.
 */

export interface ProfileNode {
  id: number;
  callFrame: { url: string };
  children?: number[];
}

/**
 * Main-thread time spent in the extension's scripts: samples of a CDP CPU profile
 * whose stack holds a frame from a chrome-extension:// URL (content script, MAIN-world
 * hooks), including the DOM/native calls they make. Sampling every 250 µs.
 * (Performance.getMetrics ScriptDuration, used before, is not attributed per script
 * and read 0 for content scripts.)
 */
export function extensionMs(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inExtension = new Map<number, boolean>();
  const mark = (id: number, inherited: boolean) => {
    const node = byId.get(id)!;
    const own = inherited || node.callFrame.url.startsWith('chrome-extension://');
    inExtension.set(id, own);
    for (const child of node.children ?? []) mark(child, own);
  };
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  for (const node of profile.nodes) if (!childIds.has(node.id)) mark(node.id, false);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let us = 0;
  // timeDeltas[i + 1] is the time until the next sample: attribute it to sample i.
  for (let i = 0; i < samples.length; i++) if (inExtension.get(samples[i]!)) us += deltas[i + 1] ?? 0;
  return us / 1000;
}
