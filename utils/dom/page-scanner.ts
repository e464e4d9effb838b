/**
 * Scans a frame's DOM for findings without ever holding the main thread long:
 * the initial document and everything added later (MutationObserver, batched) are
 * mapped with {@link TextMapBuilder} and scanned in chunks, each task stopping at a
 * deadline (default 4 ms: a page timer that falls due meanwhile waits half that on
 * average) and yielding to the page (scheduler.postTask 'background'
 * where available, else setTimeout). Each text node is scanned once (a WeakSet),
 * so a chat that appends messages costs only the new messages.
 *
 * Counts are cumulative ("found on this page so far"); removed nodes are not
 * subtracted. The level is the highest *marker* level seen — sticky, because data
 * read from a 机密 page stays 机密 (provenance) after the marker scrolls away.
 */
import { levelRank, type Finding, type FindingType, type Level } from '../detect/types';
import { yieldToPage } from './yield-to-page';
import type { ShadowRootOf } from './dom-tree';
import { TextMapBuilder } from './text-map';

export interface PageSummary {
  level: Level | null;
  countsByType: Partial<Record<FindingType, number>>;
  /** First findings (for print decisions and records); at most {@link PageScannerOptions.keepFindings}. */
  findings: Finding[];
  total: number;
}

export interface PageScannerOptions {
  doc: Document;
  scan: (text: string) => Finding[];
  onChange: (summary: PageSummary) => void;
  shadowRootOf?: ShadowRootOf;
  skip?: (element: Element, tag?: string) => boolean;
  /** Work per task, ms. */
  sliceMs?: number;
  /** Characters per scanText call. */
  chunkChars?: number;
  keepFindings?: number;
  now?: () => number;
  /** Runs `task` later, after yielding to the page. */
  yieldTo?: (task: () => void) => void;
  /** Called once, when the walk of the whole parsed document ended (mutations may still be queued). */
  onDocumentScanned?: () => void;
}

/** Context the detector may look at before a number (订单号 …) and the longest candidate after. */
const LOOK_BEHIND = 32;
const LOOK_AHEAD = 256;
/** While the document is loading: how often it is re-walked for new content. */
const LOADING_REWALK_MS = 200;

export interface PageScanner {
  start(): void;
  /** Forget everything and scan the whole document again (detector settings changed). */
  rescan(): void;
  stop(): void;
  summary(): PageSummary;
  /** Resolves when nothing is pending (tests, benchmarks). */
  idle(): Promise<void>;
}

export function createPageScanner(options: PageScannerOptions): PageScanner {
  const { doc, scan, onChange } = options;
  const sliceMs = options.sliceMs ?? 4;
  const chunkChars = options.chunkChars ?? 16_384;
  const keep = options.keepFindings ?? 1000;
  const now = options.now ?? (() => performance.now());
  const yieldTo = options.yieldTo ?? yieldToPage(doc.defaultView!);

  let seen = new WeakSet<Node>();
  /** Form-field values already scanned (re-walks while loading must not count them twice). */
  let seenValues = new WeakMap<Node, string>();
  const observed = new WeakSet<Node>();
  let queue: Node[] = [];
  let head = 0; // queue.shift() is O(n): a parser adding 60,000 nodes made it quadratic
  let queued = new Set<Node>();
  let builder: TextMapBuilder | null = null;
  let builderRoot: Node | null = null;
  /** The root of the walk of the whole parsed document, until that walk has finished. */
  let documentWalk: Node | null = null;
  let pendingText = '';
  let scanPos = 0;
  let scheduled = false;
  let stopped = true;
  let idleWaiters: (() => void)[] = [];
  let state: PageSummary = { level: null, countsByType: {}, findings: [], total: 0 };

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') {
        seen.delete(record.target); // changed text: scan it again
        enqueue(record.target);
      } else {
        record.addedNodes.forEach(enqueue);
      }
    }
    schedule();
  });
  const observeOptions: MutationObserverInit = { childList: true, subtree: true, characterData: true };

  function observe(root: Node): void {
    if (observed.has(root)) return;
    observed.add(root);
    observer.observe(root, observeOptions);
  }

  function enqueue(node: Node): void {
    if (queued.has(node)) return;
    queued.add(node);
    queue.push(node);
  }

  function schedule(): void {
    if (scheduled || stopped) return;
    scheduled = true;
    yieldTo(run);
  }

  function walkOptions() {
    return {
      shadowRootOf: options.shadowRootOf,
      skip: options.skip,
      seen,
      seenValues,
      onShadowRoot: observe,
      // Only the text is scanned here (page level and counts); no segment table to build.
      textOnly: true,
    };
  }

  /** Drops queued nodes that are inside another queued node (it will be walked anyway). */
  function nextRoot(): Node | null {
    while (head < queue.length) {
      const node = queue[head++]!;
      if (head === queue.length) {
        queue = [];
        head = 0;
      }
      queued.delete(node);
      if (!node.isConnected) continue;
      let covered = false;
      for (let parent = node.parentNode; parent; parent = parent.parentNode) {
        if (queued.has(parent)) {
          covered = true;
          break;
        }
      }
      if (!covered) return node;
    }
    return null;
  }

  function run(): void {
    scheduled = false;
    if (stopped) return;
    const deadline = now() + sliceMs;
    const overdue = () => now() >= deadline;
    let changed = false;
    while (!overdue()) {
      if (scanPos < pendingText.length) {
        changed = scanChunk() || changed;
        continue;
      }
      if (builder) {
        if (!builder.step(overdue)) break;
        pendingText = builder.result().text;
        scanPos = 0;
        builder = null;
        if (builderRoot === documentWalk && documentWalk) {
          documentWalk = null;
          options.onDocumentScanned?.();
        }
        continue;
      }
      const root = nextRoot();
      if (!root) break;
      builderRoot = root;
      builder = new TextMapBuilder(root, walkOptions());
    }
    if (changed) onChange(state);
    if (builder || scanPos < pendingText.length || head < queue.length) schedule();
    else {
      pendingText = '';
      scanPos = 0;
      rewalkLater();
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  /** Scans the next chunk of pendingText; returns whether the summary changed. */
  function scanChunk(): boolean {
    const from = scanPos;
    const to = Math.min(pendingText.length, from + chunkChars);
    const sliceStart = Math.max(0, from - LOOK_BEHIND);
    const slice = pendingText.slice(sliceStart, Math.min(pendingText.length, to + LOOK_AHEAD));
    scanPos = to;
    let changed = false;
    for (const finding of scan(slice)) {
      const start = finding.start + sliceStart;
      if (start < from || start >= to) continue; // another chunk owns it
      changed = true;
      state.total += 1;
      state.countsByType[finding.type] = (state.countsByType[finding.type] ?? 0) + 1;
      if (finding.type === 'marker' && levelRank(finding.level) > levelRank(state.level)) state.level = finding.level;
      if (state.findings.length < keep) state.findings.push(finding);
    }
    if (changed) state = { ...state, countsByType: { ...state.countsByType } };
    return changed;
  }

  /*
   * While the parser builds the document, a subtree MutationObserver gets one record
   * per inserted node (60,000 for a 10,000-row table), all delivered inside the
   * parser's task — the record wrappers alone cost hundreds of ms there. So until
   * DOMContentLoaded the document is not observed: it is re-walked (time-sliced; the
   * `seen` set skips text already scanned) every LOADING_REWALK_MS, and at
   * DOMContentLoaded the observer is connected and a last walk picks up the rest.
   */
  const win = doc.defaultView;
  let rewalkTimer: ReturnType<typeof setTimeout> | null = null;
  let loading = false;

  function onLoaded(): void {
    if (!loading) return;
    loading = false;
    doc.removeEventListener('DOMContentLoaded', onLoaded, true);
    doc.removeEventListener('readystatechange', onLoaded, true);
    if (rewalkTimer !== null) clearTimeout(rewalkTimer);
    rewalkTimer = null;
    if (stopped) return;
    observe(doc);
    documentWalk = doc;
    enqueue(doc);
    schedule();
  }

  function rewalkLater(): void {
    if (!loading || stopped || rewalkTimer !== null) return;
    rewalkTimer = (win ?? globalThis).setTimeout(() => {
      rewalkTimer = null;
      if (!loading || stopped) return;
      if (doc.readyState !== 'loading') return onLoaded(); // in case a page stopped the event
      enqueue(doc);
      schedule();
    }, LOADING_REWALK_MS);
  }

  function startAll(): void {
    if (doc.readyState === 'loading') {
      loading = true;
      doc.addEventListener('DOMContentLoaded', onLoaded, true);
      doc.addEventListener('readystatechange', onLoaded, true);
      enqueue(doc);
      schedule();
      return;
    }
    observe(doc);
    if (doc.documentElement) {
      documentWalk = doc.documentElement;
      enqueue(doc.documentElement);
    }
    schedule();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      startAll();
    },
    rescan() {
      seen = new WeakSet();
      seenValues = new WeakMap();
      queue = [];
      head = 0;
      queued = new Set();
      builder = null;
      pendingText = '';
      scanPos = 0;
      state = { level: null, countsByType: {}, findings: [], total: 0 };
      onChange(state);
      if (!stopped) {
        enqueue(loading ? doc : doc.documentElement);
        schedule();
      }
    },
    stop() {
      stopped = true;
      observer.disconnect();
      if (rewalkTimer !== null) clearTimeout(rewalkTimer);
      rewalkTimer = null;
    },
    summary: () => state,
    idle() {
      if (!builder && scanPos >= pendingText.length && head >= queue.length) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
