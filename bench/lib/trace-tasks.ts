/**
 * Which main-thread tasks the extension caused, from a Chrome trace (Tracing domain,
 * categories `devtools.timeline` and `toplevel`).
 *
 * Why a trace and not the page's 'longtask' entries: a long task of the page's own (the
 * 10,000-row table's parse task takes over a second) says nothing about the extension, and
 * a 'longtask' entry does not say whose script ran in it. The trace does: every task is a
 * `ThreadControllerImpl::RunTask` event on the renderer's main thread, and every entry into
 * extension code (content-script evaluation, listeners, mutation-observer and timer
 * callbacks) is an `EvaluateScript` / `FunctionCall` event whose `args.data.url` is the
 * extension's script. The extension's part of a task is the time of those entries inside it,
 * DOM work they do included.
 *
 * Not seen: MAIN-world hooks called synchronously from page code (the page's own
 * `FunctionCall` holds them). The benchmark pages call none of the hooked APIs.
 */

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}

export interface ExtensionTasks {
  /** The largest extension share of any one task (ms). */
  longestShareMs: number;
  /** Duration of the task holding that share (ms): page work in it included. */
  taskMs: number;
  /** All extension entries on the page's main thread (ms). */
  totalMs: number;
  /** Tasks with at least 50 ms of extension work. */
  tasksOver50Ms: number;
}

const TASK_NAMES = ['ThreadControllerImpl::RunTask', 'RunTask'];
const ENTRY_NAMES = new Set(['EvaluateScript', 'FunctionCall', 'TimerFire', 'FireIdleCallback', 'FireAnimationFrame']);

function isExtensionEntry(event: TraceEvent, prefix: string): boolean {
  const url = event.args?.data?.url;
  return ENTRY_NAMES.has(event.name) && typeof url === 'string' && url.startsWith(prefix);
}

/** Outermost events only: an event inside the previous kept one is dropped. */
function outermost(events: TraceEvent[]): TraceEvent[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const kept: TraceEvent[] = [];
  let end = -Infinity;
  for (const event of sorted) {
    if (event.ts >= end) {
      kept.push(event);
      end = event.ts + (event.dur ?? 0);
    }
  }
  return kept;
}

/**
 * Per renderer main thread that ran extension code (in the benchmark: the page's), the
 * extension's share of each task; the thread with the most extension time is reported.
 */
export function extensionTasks(events: TraceEvent[], urlPrefix = 'chrome-extension://'): ExtensionTasks {
  const mainThreads = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const key = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || !mainThreads.has(key)) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(event);
  }
  let best: ExtensionTasks = { longestShareMs: 0, taskMs: 0, totalMs: 0, tasksOver50Ms: 0 };
  for (const list of byThread.values()) {
    const entries = outermost(list.filter((e) => isExtensionEntry(e, urlPrefix)));
    if (entries.length === 0) continue;
    const taskName = TASK_NAMES.find((name) => list.some((e) => e.name === name));
    const tasks = outermost(list.filter((e) => e.name === taskName));
    const result: ExtensionTasks = { longestShareMs: 0, taskMs: 0, totalMs: 0, tasksOver50Ms: 0 };
    for (const entry of entries) result.totalMs += (entry.dur ?? 0) / 1000;
    let next = 0;
    for (const task of tasks) {
      const end = task.ts + (task.dur ?? 0);
      while (next < entries.length && entries[next]!.ts < task.ts) next++;
      let share = 0;
      for (let i = next; i < entries.length && entries[i]!.ts < end; i++) share += entries[i]!.dur ?? 0;
      const shareMs = share / 1000;
      if (shareMs >= 50) result.tasksOver50Ms++;
      if (shareMs > result.longestShareMs) {
        result.longestShareMs = shareMs;
        result.taskMs = (task.dur ?? 0) / 1000;
      }
    }
    if (result.totalMs > best.totalMs) best = result;
  }
  return best;
}
