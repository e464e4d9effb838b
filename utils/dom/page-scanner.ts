/**
 * Scans a frame's DOM for findings without ever holding the main thread long:
 * the initial document and everything added later (MutationObserver, batched) are
 * mapped with {@link TextMapBuilder} and scanned in chunks (page-summary.ts), each task
 * stopping at a deadline (default 4 ms: a page timer that falls due meanwhile waits
 * half that on average) and yielding to the page (scheduler.postTask 'background'
 * where available, else setTimeout). Each node is walked once (a mark on the node,
 * node-marks.ts), so a chat that appends messages costs only the new messages; content
 * added after the document walk is read leaf by leaf (TextMapOptions.leafText). While
 * the document loads it is re-walked instead of observed (loading-walks.ts).
 *
 * Counts are cumulative ("found on this page so far"); removed nodes are not
 * subtracted. The level is the highest level of markers and register customers seen —
 * sticky, because data read from a 机密 page stays 机密 (provenance) after the marker
 * scrolls away.
 */
import { NO_TEXT_TAGS, isUnchosenOption, type ShadowRootOf } from './dom-tree';
import { followLoading, type LoadingWalks } from './loading-walks';
import { createBurstGate } from './mutation-burst';
import {
  addFindings,
  ChunkedText,
  emptySummary,
  newScanMemory,
  NOTHING_SCANNED,
  type PageSummary,
  type PageTextScan,
} from './page-summary';
import { RootQueue, type QueuedRoot } from './root-queue';
import { TextMapBuilder, type TextMapOptions } from './text-map';
import { yieldToPage } from './yield-to-page';

export type { PageSummary } from './page-summary';

export interface PageScannerOptions {
  doc: Document;
  /** The detector call: findings, and the level of register customers named alone (page-summary.ts). */
  scan: (text: string) => PageTextScan;
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
  /** Added content waits until the page paused this long (mutation-burst.ts); 0: never waits. */
  quietMs?: number;
  /** …but never longer than this. */
  maxHoldMs?: number;
}

const TEXT_NODE = 3;

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
  const { doc, onChange } = options;
  const sliceMs = options.sliceMs ?? 4;
  const keep = options.keepFindings ?? 1000;
  const now = options.now ?? (() => performance.now());
  const yieldTo = options.yieldTo ?? yieldToPage(doc.defaultView!);
  const skip = options.skip;
  const pending = new ChunkedText(options.scan, options.chunkChars ?? 16_384);
  const roots = new RootQueue((element) => {
    const name = element.tagName;
    const tag = name.toUpperCase();
    return NO_TEXT_TAGS.has(tag) || isUnchosenOption(element, tag) || !!skip?.(element, name);
  });

  let memory = newScanMemory();
  let observed = new WeakSet<Node>();
  /**
   * Roots queued after this count were queued after the last whole-document walk had
   * ended, so no walk went through them node by node: they may be read leaf by leaf
   * (TextMapOptions.leafText). Infinity while such a walk is pending or running.
   */
  let leafTextAfter = Infinity;
  let documentScanned = false;
  let builder: TextMapBuilder | null = null;
  let builderRoot: QueuedRoot | null = null;
  /** A root taken from the queue but not walked yet (it was not of the builder's group). */
  let heldRoot: QueuedRoot | null = null;
  /** The root of the walk of the whole document, until that walk has finished. */
  let documentWalk: Node | null = null;
  let scheduled = false;
  let stopped = true;
  let idleWaiters: (() => void)[] = [];
  let state = emptySummary();
  const burst = createBurstGate({ quietMs: options.quietMs ?? 150, maxHoldMs: options.maxHoldMs ?? 2000, now, release: () => schedule() });
  /** While the document is loading (loading-walks.ts). */
  let loadingWalks: LoadingWalks | null = null;
  const loading = () => loadingWalks?.loading ?? false;

  const observer = new MutationObserver((records) => {
    roots.addRecords(records, (changed) => void memory.seen.delete(changed)); // changed text: scan it again
    burst.mutated();
    if (!holdingBack()) schedule();
  });
  const observeOptions: MutationObserverInit = { childList: true, subtree: true, characterData: true };

  function observe(root: Node): void {
    if (observed.has(root)) return;
    observed.add(root);
    observer.observe(root, observeOptions);
  }

  function walkOptions(leafText: boolean, parsing = false): TextMapOptions {
    const { seen, seenValues, leafReadAt } = memory;
    return {
      shadowRootOf: options.shadowRootOf,
      skip,
      seen,
      seenValues,
      onShadowRoot: observe,
      // Only the text is scanned here (page level and counts); no segment table to build.
      textOnly: true,
      leafText,
      // The document's own walks enter every element (additions while loading were not
      // observed) but read unseen finished leaves whole: a table cell in one call.
      closedLeaves: !leafText,
      parsing,
      wasLeafRead: (element) => leafReadAt.get(element) !== undefined,
      onLeafRead: (element) => void leafReadAt.set(element, roots.count),
    };
  }
  let nodeWalk = walkOptions(false);
  let parsingWalk = walkOptions(false, true);
  let leafWalk = walkOptions(true);

  /**
   * While the page is mid-burst the scanner waits, the walk of the whole document too
   * (it would chase a growing chat node by node); the gate schedules a run when the hold ends.
   */
  function holdingBack(): boolean {
    return !loading() && burst.holding();
  }

  function schedule(): void {
    if (scheduled || stopped) return;
    scheduled = true;
    yieldTo(run);
  }

  /** A text node queued before its parent element was read whole: its text was in that read. */
  function readWithItsParent({ node, queuedAs }: QueuedRoot): boolean {
    if (node.nodeType !== TEXT_NODE) return false;
    const readAt = memory.leafReadAt.get(node.parentNode);
    return readAt !== undefined && readAt >= queuedAs;
  }

  /**
   * A text node queued on its own (added alone, or changed) is scanned on its own, so
   * that only what it did not hold before counts (TextNodeFindings). Not a very long
   * one: that goes through the chunked path. Returns whether it was handled.
   */
  function scanTextNode(node: Text): boolean {
    const data = node.data;
    if (data.length > pending.chunkChars) return false;
    if (memory.seen.has(node)) return true;
    memory.seen.add(node);
    const scanned = data ? options.scan(data) : NOTHING_SCANNED;
    state = addFindings(state, memory.textNodes.fresh(node, scanned.findings), keep, scanned.namedLevel);
    return true;
  }

  function addScan(summary: PageSummary, scanned: PageTextScan): PageSummary {
    return addFindings(summary, scanned.findings, keep, scanned.namedLevel);
  }

  function run(): void {
    scheduled = false;
    if (stopped || holdingBack()) return;
    const deadline = now() + sliceMs;
    const overdue = () => now() >= deadline;
    const before = state;
    roots.beginTask();
    while (!overdue()) {
      if (builder) {
        if (!builder.step(overdue)) break;
        if (builderRoot!.node === documentWalk && documentWalk) documentWalked();
        const next = roots.next(readWithItsParent);
        if (next && next.group !== 0 && next.group === builderRoot!.group) {
          builderRoot = next;
          builder.continueWith(next.node);
          continue;
        }
        heldRoot = next;
        pending.append(builder.result().text);
        builder = null;
        continue;
      }
      // Several roots' texts (a chat appends many small ones) are scanned together.
      if (pending.pending >= pending.chunkChars) {
        state = addScan(state, pending.scanNext());
        continue;
      }
      const root = heldRoot ?? roots.next(readWithItsParent);
      heldRoot = null;
      if (root && root.group === 0 && root.node.nodeType === TEXT_NODE && scanTextNode(root.node as Text)) continue;
      if (root) {
        builderRoot = root;
        const walk = loading() ? parsingWalk : root.queuedAs > leafTextAfter ? leafWalk : nodeWalk;
        builder = new TextMapBuilder(root.node, walk);
        continue;
      }
      if (pending.pending === 0) break;
      state = addScan(state, pending.scanNext());
    }
    roots.beginTask();
    if (state !== before) onChange(state);
    if (builder || heldRoot || pending.pending > 0 || !roots.isEmpty) return schedule();
    burst.reset();
    loadingWalks?.idle();
    const waiters = idleWaiters;
    idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }

  /** Walks the whole document (again); until that walk ends no root is read leaf by leaf. */
  function walkDocument(root: Node): void {
    documentWalk = root;
    leafTextAfter = Infinity;
    roots.add(root);
  }

  function documentWalked(): void {
    documentWalk = null;
    leafTextAfter = roots.count;
    if (documentScanned) return;
    documentScanned = true;
    options.onDocumentScanned?.();
  }

  function startAll(): void {
    if (doc.readyState === 'loading') {
      loadingWalks = followLoading(doc, {
        rewalk() {
          roots.add(doc);
          schedule();
        },
        loaded() {
          observe(doc);
          walkDocument(doc);
          schedule();
        },
        stopped: () => stopped,
      });
      roots.add(doc);
      schedule();
      return;
    }
    loadingWalks = null; // one left from a start() before a stop() while the page loaded
    observe(doc);
    if (doc.documentElement) walkDocument(doc.documentElement);
    schedule();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      startAll();
    },
    rescan() {
      memory = newScanMemory();
      nodeWalk = walkOptions(false);
      parsingWalk = walkOptions(false, true);
      leafWalk = walkOptions(true);
      roots.clear();
      builder = null;
      heldRoot = null;
      pending.clear();
      state = emptySummary();
      onChange(state);
      if (!stopped) {
        const root = loading() ? doc : doc.documentElement;
        if (root) walkDocument(root);
        schedule();
      }
    },
    stop() {
      stopped = true;
      observer.disconnect();
      observed = new WeakSet(); // start() observes again
      loadingWalks?.stop();
      burst.stop();
    },
    summary: () => state,
    idle() {
      if (!builder && !heldRoot && pending.pending === 0 && roots.isEmpty) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
