/**
 * Submit events, in the isolated world (submit buttons, Enter, requestSubmit()).
 *
 * The listener sits on window in the capture phase, registered at document_start, so it
 * runs before any page listener. It does NOT cancel there: single-page apps cancel the
 * submit themselves and send with fetch/XHR (which the page hooks check), and cancelling
 * first then re-submitting natively would navigate them away. Instead it adds a listener
 * at the end of every node of the event path; the last one to run (window, or the node
 * where a page listener stopped propagation — `cancelBubble` tells) sees whether the page
 * cancelled. If not, the browser is about to submit natively: we cancel, decide
 * (`submit` for the fields, `upload` for the files), and if allowed submit again through
 * the isolated world's own, untouched HTMLFormElement.prototype.submit — which fires no
 * submit event, so there is no loop — with the submitter's name/value and form* overrides.
 *
 * A page listener calling stopImmediatePropagation() starves the appended listeners; the
 * page hooks report that synchronously (main-world/hook-submit-stop.ts) and the guard looks
 * at the event in a microtask, i.e. right after that page listener returned and before the
 * browser acts on the event (for user-initiated submits; a script that triggers the submit
 * itself runs the microtask only after its own code, when it is too late — a page doing
 * that on purpose is among the documented gaps).
 */
import type { OutgoingDecider } from '../bridge/bridge-isolated';
import { BRIDGE_SUBMIT_STOPPED } from '../bridge/bridge-protocol';
import { formPayload, uploadText, type FormPayload } from './outgoing-form';

const MAX_ROUNDS = 3;
// Captured at module evaluation (document_start in the MAIN-world bundle, which reuses this).
const enqueueMicrotask = queueMicrotask;
const reflectApply = Reflect.apply;

export interface SubmitGuardEnv {
  FormData: typeof FormData;
  File: typeof File;
  URL: typeof URL;
  HTMLFormElement: typeof HTMLFormElement;
  baseURI(): string;
  /** An untouched HTMLFormElement.prototype.submit. */
  nativeSubmit: () => void;
}

export interface SubmitGuard {
  /** A capture-phase 'submit' listener for window or a shadow root. */
  onSubmit(event: Event): void;
  /** A page listener called stopImmediatePropagation() on a submit event. */
  onStopped(): void;
}

/**
 * The submit logic, shared by the isolated world (window) and the page hooks (shadow
 * roots, whose submit events are not composed and never reach window).
 */
export function createSubmitGuard(decide: OutgoingDecider, env: SubmitGuardEnv): SubmitGuard {
  const formEnv = () => ({ FormData: env.FormData, File: env.File, baseURI: env.baseURI(), URL: env.URL });
  let current: Watch | null = null;

  function onUncancelled(event: Event, form: HTMLFormElement, submitter: HTMLElement | null): void {
    let payload: FormPayload;
    try {
      payload = formPayload(form, submitter, formEnv());
    } catch {
      return;
    }
    if (payload.sendsNothing || !payload.destination.network || !payload.hasData) return;
    event.preventDefault();
    void (async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        if (await isBlocked(payload)) return;
        const now = formPayload(form, submitter, formEnv());
        if (now.text === payload.text && now.files.length === payload.files.length) {
          resubmit(form, submitter, env.nativeSubmit);
          return;
        }
        payload = now;
      }
    })();
  }

  /** Plain awaits, no Promise.all/then: the MAIN world must not call page-patchable `then`. */
  async function isBlocked(payload: FormPayload): Promise<boolean> {
    const origin = payload.destination.origin;
    try {
      if ((await decide(payload.text, 'submit', origin)).blocked) return true;
      if (payload.files.length === 0) return false;
      return (await decide(await uploadText(payload.files), 'upload', origin)).blocked;
    } catch {
      return true;
    }
  }

  return {
    onSubmit(event) {
      // Script-made submit events never submit a form.
      if (!event.isTrusted) return;
      const form = event.composedPath()[0];
      if (!(form instanceof env.HTMLFormElement)) return;
      const submitter = (event as SubmitEvent).submitter ?? null;
      current = watchOutcome(event, () => onUncancelled(event, form, submitter));
    },
    onStopped() {
      const watch = current;
      if (watch && !watch.done) enqueueMicrotask(() => watch.settleNow());
    },
  };
}

/**
 * `signal`: the guard's own lifecycle (start.ts), never WXT's context: a page can forge
 * WXT's invalidation event.
 */
export function installSubmitGuard(decide: OutgoingDecider, win: Window & typeof globalThis, signal: AbortSignal): void {
  const guard = createSubmitGuard(decide, {
    FormData: win.FormData,
    File: win.File,
    URL: win.URL,
    HTMLFormElement: win.HTMLFormElement,
    baseURI: () => win.document.baseURI,
    nativeSubmit: win.HTMLFormElement.prototype.submit,
  });
  win.addEventListener('submit', guard.onSubmit, { capture: true, signal });
  win.addEventListener(BRIDGE_SUBMIT_STOPPED, guard.onStopped, { signal });
}

interface Watch {
  readonly done: boolean;
  /** Decide now whether the page cancelled (after a stopImmediatePropagation). */
  settleNow(): void;
}

/**
 * Calls `onUncancelled` after every page listener ran, if none cancelled the event.
 * Listeners added to a node during dispatch run after that node's existing ones.
 */
function watchOutcome(event: Event, onUncancelled: () => void): Watch {
  const path = event.composedPath();
  let done = false;
  const settle = () => {
    done = true;
    for (const node of path) node.removeEventListener('submit', late);
    if (!event.defaultPrevented) onUncancelled();
  };
  const late = (e: Event) => {
    if (done) return;
    if (!e.cancelBubble && e.currentTarget !== path[path.length - 1]) return;
    settle();
  };
  for (const node of path) node.addEventListener('submit', late, { once: true });
  return {
    get done() {
      return done;
    },
    settleNow() {
      // Dispatch over: the browser already acted on the event; too late to cancel it.
      if (done || event.eventPhase === Event.NONE) return;
      settle();
    },
  };
}

const SUBMITTER_OVERRIDES = [
  ['formaction', 'action'],
  ['formmethod', 'method'],
  ['formenctype', 'enctype'],
  ['formtarget', 'target'],
] as const;

/** form.submit() with what the submitter would have added: its name=value and form* attributes. */
export function resubmit(form: HTMLFormElement, submitter: HTMLElement | null, nativeSubmit: () => void): void {
  const undo: (() => void)[] = [];
  try {
    if (submitter && (submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement)) {
      if (submitter.name && !submitter.disabled) {
        const hidden = form.ownerDocument.createElement('input');
        hidden.type = 'hidden';
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
        undo.push(() => hidden.remove());
      }
      for (const [from, to] of SUBMITTER_OVERRIDES) {
        if (!submitter.hasAttribute(from)) continue;
        const before = form.getAttribute(to);
        form.setAttribute(to, submitter.getAttribute(from) ?? '');
        undo.push(() => (before === null ? form.removeAttribute(to) : form.setAttribute(to, before)));
      }
    }
    reflectApply(nativeSubmit, form, []);
  } finally {
    for (const step of undo.reverse()) step();
  }
}
