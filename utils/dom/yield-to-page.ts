/**
 * Runs a task later, after the page had its turn: scheduler.postTask at 'background'
 * priority where available (page tasks go first), else setTimeout.
 */
interface SchedulerLike {
  postTask(task: () => void, options?: { priority?: string }): Promise<unknown>;
}

export function yieldToPage(win: Window): (task: () => void) => void {
  const scheduler = (win as unknown as { scheduler?: SchedulerLike }).scheduler;
  if (scheduler && typeof scheduler.postTask === 'function') {
    return (task) => void scheduler.postTask(task, { priority: 'background' }).catch(() => undefined);
  }
  return (task) => void win.setTimeout(task, 0);
}
