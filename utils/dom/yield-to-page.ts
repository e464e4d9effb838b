/**
 * Running the guard's own background work without standing in the page's way:
 * `yieldToPage` (scanner slices, after the page's tasks) and `whenIdle` (one-off work
 * that can wait for an idle period).
 */
interface SchedulerLike {
  postTask(task: () => void, options?: { priority?: string }): Promise<unknown>;
}

/** scheduler.postTask at 'background' priority where available (page tasks go first), else setTimeout. */
export function yieldToPage(win: Window): (task: () => void) => void {
  const scheduler = (win as unknown as { scheduler?: SchedulerLike }).scheduler;
  if (scheduler && typeof scheduler.postTask === 'function') {
    return (task) => void scheduler.postTask(task, { priority: 'background' }).catch(() => undefined);
  }
  return (task) => void win.setTimeout(task, 0);
}

export type IdleTask = (deadline: { timeRemaining(): number }) => void;

/** requestIdleCallback, or (Safari-like engines without it) a short timer with a small budget. */
export function whenIdle(win: Window, task: IdleTask): void {
  if (typeof win.requestIdleCallback === 'function') win.requestIdleCallback(task);
  else win.setTimeout(() => task({ timeRemaining: () => 5 }), 50);
}
