import { describe, expect, it } from 'vitest';
import { extensionTasks, type TraceEvent } from '../../bench/lib/trace-tasks';

const EXT = 'chrome-extension://abc/content-scripts/content.js';
const meta = (pid: number, tid: number, name: string): TraceEvent => ({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name } });
const task = (ts: number, durMs: number, tid = 1): TraceEvent => ({
  name: 'ThreadControllerImpl::RunTask',
  ph: 'X',
  ts,
  dur: durMs * 1000,
  pid: 1,
  tid,
});
const entry = (name: string, ts: number, durMs: number, url: string, tid = 1): TraceEvent => ({
  name,
  ph: 'X',
  ts,
  dur: durMs * 1000,
  pid: 1,
  tid,
  args: { data: { url } },
});

describe('extensionTasks (page benchmark: tasks the extension caused)', () => {
  it('takes the extension share of each task, not the task: a long page task with a short listener stays short', () => {
    const events = [
      meta(1, 1, 'CrRendererMain'),
      task(0, 1000), // the page's own 1 s parse task…
      entry('FunctionCall', 100_000, 8, EXT), // …with 8 ms of extension callbacks in it
      entry('FunctionCall', 500_000, 200, 'http://127.0.0.1/page.js'),
      task(2_000_000, 30),
      entry('EvaluateScript', 2_000_000, 20, EXT),
      entry('EvaluateScript', 2_020_000, 9, EXT),
    ];
    expect(extensionTasks(events)).toEqual({ longestShareMs: 29, taskMs: 30, totalMs: 37, tasksOver50Ms: 0 });
  });

  it('counts nested extension events and nested task events once', () => {
    const events = [
      meta(1, 1, 'CrRendererMain'),
      task(0, 80),
      { ...task(0, 80), name: 'RunTask' },
      task(10, 70), // nested in the first
      entry('FunctionCall', 0, 60, EXT),
      entry('FunctionCall', 5_000, 10, EXT), // nested in the one above
    ];
    expect(extensionTasks(events)).toEqual({ longestShareMs: 60, taskMs: 80, totalMs: 60, tasksOver50Ms: 1 });
  });

  it('ignores other threads (workers, other renderers without extension code)', () => {
    const events = [
      meta(1, 1, 'CrRendererMain'),
      meta(1, 2, 'DedicatedWorker thread'),
      task(0, 100, 2),
      entry('FunctionCall', 0, 90, EXT, 2),
      task(1_000_000, 10),
      entry('FunctionCall', 1_000_000, 4, EXT),
    ];
    expect(extensionTasks(events)).toEqual({ longestShareMs: 4, taskMs: 10, totalMs: 4, tasksOver50Ms: 0 });
  });

  it('reads an empty or extension-free trace as zero', () => {
    expect(extensionTasks([])).toEqual({ longestShareMs: 0, taskMs: 0, totalMs: 0, tasksOver50Ms: 0 });
    expect(extensionTasks([meta(1, 1, 'CrRendererMain'), task(0, 500)])).toEqual({
      longestShareMs: 0,
      taskMs: 0,
      totalMs: 0,
      tasksOver50Ms: 0,
    });
  });
});
