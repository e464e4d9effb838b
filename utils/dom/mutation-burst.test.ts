import { describe, expect, it } from 'vitest';
import { createBurstGate } from './mutation-burst';

/** A gate on a fake clock whose timers run when the clock passes them. */
function gate(quietMs = 100, maxHoldMs = 1000) {
  let clock = 0;
  const timers: { at: number; run: () => void }[] = [];
  let releases = 0;
  const g = createBurstGate({
    quietMs,
    maxHoldMs,
    now: () => clock,
    setTimer: (run, ms) => {
      const timer = { at: clock + ms, run };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => void timers.splice(timers.indexOf(timer as (typeof timers)[number]), 1),
    release: () => void releases++,
  });
  const advance = (ms: number) => {
    const end = clock + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > end) break;
      timers.shift();
      clock = next.at;
      next.run();
    }
    clock = end;
  };
  return { g, advance, releases: () => releases, timers };
}

describe('burst gate', () => {
  it('holds while mutations keep coming, releases once they pause', () => {
    const { g, advance, releases } = gate();
    g.mutated();
    expect(g.holding()).toBe(true);
    for (let i = 0; i < 5; i++) {
      advance(50);
      g.mutated();
    }
    expect(releases()).toBe(0);
    advance(99);
    expect(g.holding()).toBe(true);
    advance(1);
    expect(g.holding()).toBe(false);
    expect(releases()).toBe(1);
  });

  it('never holds longer than maxHoldMs, and holds again after a reset', () => {
    const { g, advance, releases } = gate(100, 1000);
    for (let t = 0; t < 3000; t += 20) {
      g.mutated();
      advance(20);
    }
    expect(releases()).toBe(1);
    expect(g.holding()).toBe(false); // the page never paused: scanned alongside
    g.reset(); // the scanner caught up
    g.mutated();
    expect(g.holding()).toBe(true);
  });

  it('quietMs 0 never holds; stop() cancels the timer', () => {
    const off = gate(0);
    off.g.mutated();
    expect(off.g.holding()).toBe(false);
    expect(off.timers).toHaveLength(0);
    const on = gate();
    on.g.mutated();
    on.g.stop();
    on.advance(500);
    expect(on.releases()).toBe(0);
  });
});
