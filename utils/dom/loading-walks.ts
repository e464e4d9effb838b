/**
 * The page scanner while the parser builds the document. A subtree MutationObserver
 * would get one record per inserted node, all delivered inside the parser's task, where
 * the record wrappers alone are too costly (docs/PERFORMANCE.md). So until DOMContentLoaded the document is not observed: it is re-walked every
 * LOADING_REWALK_MS once the scanner is idle (the scanner's `seen` set skips text
 * already scanned), and at DOMContentLoaded `loaded` connects the observer and starts
 * a last walk that picks up the rest.
 */
const LOADING_REWALK_MS = 200;

export interface LoadingWalks {
  readonly loading: boolean;
  /** The scanner has nothing left to do: walk the document again in a while. */
  idle(): void;
  stop(): void;
}

export function followLoading(doc: Document, on: { rewalk(): void; loaded(): void; stopped(): boolean }): LoadingWalks {
  const win = doc.defaultView ?? globalThis;
  let loading = true;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function stopTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  /** Timer and listeners off: a scanner started again follows loading with a new instance. */
  function stop(): void {
    doc.removeEventListener('DOMContentLoaded', loaded, true);
    doc.removeEventListener('readystatechange', loaded, true);
    stopTimer();
  }

  function loaded(): void {
    if (!loading) return;
    loading = false;
    stop();
    if (!on.stopped()) on.loaded();
  }
  doc.addEventListener('DOMContentLoaded', loaded, true);
  doc.addEventListener('readystatechange', loaded, true);

  return {
    get loading() {
      return loading;
    },
    idle() {
      if (!loading || on.stopped() || timer !== null) return;
      timer = win.setTimeout(() => {
        timer = null;
        if (!loading || on.stopped()) return;
        if (doc.readyState !== 'loading') return loaded(); // in case a page stopped the event
        on.rewalk();
      }, LOADING_REWALK_MS);
    },
    stop,
  };
}
