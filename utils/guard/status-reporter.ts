/**
 * 'page-status' to the background when the frame's level or counts change, for the popup
 * and for downloads: a server's export is decided by the level of the page it came from
 * (utils/background/download-guard.ts). Counts are batched, at most one message a second
 * (a chat adding messages changes them all the time); a level that rose is sent at once,
 * so an export clicked right after does not meet the old level. A level that fell (a
 * rescan starts from an empty summary and soon rises again) waits with the counts.
 */
import { levelRank, type Level } from '../detect/types';
import type { PageSummary } from '../dom/page-summary';
import type { PageStatusMessage } from '../messaging';

export interface StatusReporterDeps {
  page: () => PageSummary;
  origin: () => string;
  isTopFrame: boolean;
  send: (message: PageStatusMessage) => void;
  setTimeout: (task: () => void, ms: number) => number;
  clearTimeout: (id: number) => void;
}

export const STATUS_BATCH_MS = 1000;

export function createStatusReporter(deps: StatusReporterDeps) {
  let lastSent = '';
  let lastLevel: Level | null = null;
  let timer: number | null = null;
  let stopped = false;

  function flush(): void {
    timer = null;
    if (stopped) return;
    const page = deps.page();
    const key = JSON.stringify([page.level, page.namedLevel, page.countsByType]);
    if (key === lastSent) return;
    lastSent = key;
    deps.send({
      type: 'page-status',
      origin: deps.origin().slice(0, 300),
      level: page.level,
      namedLevel: page.namedLevel,
      countsByType: page.countsByType as Record<string, number>,
      isTopFrame: deps.isTopFrame,
    });
  }

  return {
    /** The summary changed. `initial`: the first full scan finished (reported at once, even "nothing found"). */
    changed({ initial = false } = {}) {
      if (stopped) return;
      const level = deps.page().level;
      const rose = levelRank(level) > levelRank(lastLevel);
      lastLevel = level;
      const now = initial || rose;
      if (timer !== null && now) {
        deps.clearTimeout(timer);
        timer = null;
      }
      if (timer === null) timer = deps.setTimeout(flush, now ? 0 : STATUS_BATCH_MS);
    },
    stop() {
      stopped = true;
      if (timer !== null) deps.clearTimeout(timer);
    },
  };
}
