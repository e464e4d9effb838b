/**
 * The frame's status reports (status-reporter.ts): counts batched, a risen level at once
 * (a server's export is decided by it), a fallen level batched, an unchanged summary not
 * sent again. Timers are driven by hand.
 */
import { describe, expect, it } from 'vitest';
import { emptySummary, type PageSummary } from '../dom/page-summary';
import type { PageStatusMessage } from '../messaging';
import { createStatusReporter, STATUS_BATCH_MS } from './status-reporter';

function setup(isTopFrame = true) {
  let page: PageSummary = emptySummary();
  const sent: PageStatusMessage[] = [];
  const timers = new Map<number, { task: () => void; ms: number }>();
  let nextId = 1;
  const reporter = createStatusReporter({
    page: () => page,
    origin: () => 'https://crm.example',
    isTopFrame,
    send: (message) => void sent.push(message),
    setTimeout: (task, ms) => (timers.set(nextId, { task, ms }), nextId++),
    clearTimeout: (id) => void timers.delete(id),
  });
  /** Runs the timers due within `ms` (in the order they were set). */
  const advance = (ms: number) => {
    for (const [id, timer] of [...timers]) {
      if (timer.ms > ms) continue;
      timers.delete(id);
      timer.task();
    }
  };
  return {
    reporter,
    sent,
    timers,
    advance,
    set: (next: Partial<PageSummary>) => void (page = { ...page, ...next }),
  };
}

describe('status reporter', () => {
  it('a level that rose is sent at once, even while counts wait for their batch', () => {
    const s = setup();
    s.set({ countsByType: { mobile: 1 } });
    s.reporter.changed();
    s.advance(0);
    expect(s.sent).toHaveLength(0); // counts alone: batched
    s.set({ level: '绝密', namedLevel: '绝密' });
    s.reporter.changed();
    s.advance(0);
    expect(s.sent).toEqual([
      expect.objectContaining({ type: 'page-status', level: '绝密', namedLevel: '绝密', countsByType: { mobile: 1 }, isTopFrame: true }),
    ]);
    expect(s.timers.size).toBe(0); // the pending batch was folded into it
  });

  it('control: counts alone wait a second, and many changes make one message', () => {
    const s = setup();
    for (let i = 1; i <= 5; i++) {
      s.set({ countsByType: { mobile: i } });
      s.reporter.changed();
    }
    s.advance(0);
    expect(s.sent).toHaveLength(0);
    s.advance(STATUS_BATCH_MS);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]!.countsByType).toEqual({ mobile: 5 });
  });

  /** A page sent at 机密, then its level falls (a rescan starts from an empty summary); the fall is not sent at once. */
  function sentThenFallen() {
    const s = setup();
    s.set({ level: '机密' });
    s.reporter.changed();
    s.advance(0);
    s.set({ level: null });
    s.reporter.changed();
    s.advance(0);
    expect(s.sent.map((m) => m.level)).toEqual(['机密']);
    return s;
  }

  it('a level that fell (a rescan starts empty) waits; risen back before the batch, the background never sees the dip', () => {
    const s = sentThenFallen();
    s.set({ level: '机密' });
    s.reporter.changed();
    s.advance(STATUS_BATCH_MS);
    expect(s.sent.map((m) => m.level)).toEqual(['机密']);
  });

  it('control: a fall that lasts is sent with the next batch', () => {
    const s = sentThenFallen();
    s.advance(STATUS_BATCH_MS);
    expect(s.sent.map((m) => m.level)).toEqual(['机密', null]);
  });

  it('the first full scan reports at once, even when nothing was found', () => {
    for (const isTopFrame of [true, false]) {
      const s = setup(isTopFrame);
      s.reporter.changed({ initial: true });
      s.advance(0);
      expect(s.sent).toEqual([expect.objectContaining({ level: null, countsByType: {}, isTopFrame })]);
    }
  });

  it('stopped: nothing more is sent', () => {
    const s = setup();
    s.set({ countsByType: { mobile: 1 } });
    s.reporter.changed();
    s.reporter.stop();
    s.advance(STATUS_BATCH_MS);
    expect(s.sent).toHaveLength(0);
  });
});
