/**
 * MAIN-world end of the bridge (see ./bridge-protocol.ts for the handshake and why a
 * page cannot forge a verdict). Runs in the page's realm: only captured intrinsics.
 *
 * Until the port arrives, requests wait. If no verdict comes in time (isolated script
 * missing, late, or gone after an extension reload), the hook falls back to the local
 * pre-check with the built-in detectors: text with a finding is BLOCKED (fail closed),
 * text without one goes through (a guard that breaks every page while the extension
 * reloads would be switched off by its users).
 */
import {
  BRIDGE_ISOLATED_HELLO,
  BRIDGE_MAIN_HELLO,
  BRIDGE_PARENT_RELAY,
  BRIDGE_SECRET,
  isDetectorSettings,
  isOutgoingChannel,
  isPortMessage,
  type DecideFileRequest,
  type DecideRequest,
  type OutgoingChannel,
} from './bridge-protocol';
import type { DetectorSettings } from '../../detect/types';
import { precheck } from '../outgoing/outgoing-text';
import type { Intrinsics } from '../main-world/intrinsics';

/** How long a request waits for the port to arrive. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** How long a request waits for its verdict once sent (the decider may show a notice). */
export const VERDICT_TIMEOUT_MS = 30_000;

export interface MainBridge {
  /** Resolves true when the request must be blocked. Never rejects. */
  ask(channel: OutgoingChannel, text: string, destination: string | null): Promise<boolean>;
  /**
   * Synchronous local check for APIs that cannot wait: true when the text has a finding
   * of the active policy's detectors (built-in ones until the isolated world sent them).
   */
  precheck(text: string): boolean;
  /**
   * Resolves true when saving the file must be stopped. Without an answer (no isolated
   * end, or none in time) it resolves false: the save goes on to the browser's own
   * download layer, which the background guards (utils/background/download-guard.ts).
   */
  askFile(file: Omit<DecideFileRequest, 'kind' | 'id'>): Promise<boolean>;
}

interface Pending {
  resolve(blocked: boolean): void;
  text: string;
  timer: number;
}

export function createMainBridge(win: Window & typeof globalThis, intr: Intrinsics): MainBridge {
  const { apply } = intr;
  const doc = intr.document;
  let secret: string | null = null;
  let port: MessagePort | null = null;
  /** No isolated end (gone, or never connected): answer from the pre-check at once. */
  let closed = false;
  let detectors: DetectorSettings | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const queue: (DecideRequest | DecideFileRequest)[] = [];

  const listen = (type: string, fn: (e: Event) => void, capture = false) => apply(intr.addEventListener, win, [type, fn, capture]);
  const unlisten = (type: string, fn: (e: Event) => void, capture = false) => apply(intr.removeEventListener, win, [type, fn, capture]);
  const hello = () => apply(intr.dispatchEvent, win, [new intr.CustomEvent(BRIDGE_MAIN_HELLO)]);

  const get = (getter: ((this: unknown) => unknown) | undefined, target: unknown): unknown =>
    getter ? apply(getter, target, []) : undefined;
  /** isDocumentEarly (./bridge-protocol.ts) through captured getters: a page cannot fake "early". */
  const early = (): boolean => {
    if (get(intr.readyState, doc) !== 'loading') return false;
    const root = get(intr.documentElement, doc);
    return root === null || get(intr.firstChild, root) === null;
  };

  const onIsolatedHello = () => {
    if (port === null && early()) hello();
  };
  const onSecret = (event: Event) => {
    const detail = get(intr.customEventDetail, event);
    // Script-made CustomEvents are never isTrusted: what protects S is that no page script exists yet.
    if (secret === null && early() && typeof detail === 'string' && detail.length >= 16) {
      secret = detail;
    }
    unlisten(BRIDGE_SECRET, onSecret);
  };
  const onMessage = (event: Event) => {
    const data = get(intr.messageData, event);
    if (!isPortMessage(data)) return;
    // Ours or a page's imitation: no page listener gets to see either.
    apply(intr.stopImmediatePropagation, event, []);
    const received = (get(intr.messagePorts, event) as readonly MessagePort[] | undefined)?.[0];
    if (port !== null || secret === null || data.secret !== secret || !event.isTrusted || !received) return;
    if (get(intr.messageSource, event) !== win) return;
    port = received;
    stopHandshake();
    // Not `port.onmessage = …`: a page could have patched that setter to grab our handler.
    apply(intr.addEventListener, port, ['message', onResponse]);
    apply(intr.portStart, port, []);
    for (const request of queue.splice(0)) send(request);
  };
  const stopHandshake = () => {
    unlisten('message', onMessage, true);
    unlisten(BRIDGE_ISOLATED_HELLO, onIsolatedHello);
    unlisten(BRIDGE_SECRET, onSecret);
  };
  const onResponse = (event: Event) => {
    if (!event.isTrusted) return;
    const data = get(intr.messageData, event) as { kind?: unknown; id?: unknown; blocked?: unknown } | null;
    if (typeof data !== 'object' || data === null) return;
    if (data.kind === 'detectors') {
      const next = (data as { detectors?: unknown }).detectors;
      if (isDetectorSettings(next)) detectors = next;
      return;
    }
    if (data.kind === 'closed') {
      closed = true;
      for (const id of [...pending.keys()]) settle(id, null);
      return;
    }
    if (data.kind !== 'verdict' || typeof data.id !== 'number' || typeof data.blocked !== 'boolean') return;
    settle(data.id, data.blocked);
  };

  function settle(id: number, blocked: boolean | null): void {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    intr.clearTimeout(entry.timer);
    entry.resolve(blocked ?? fallback(entry.text));
  }

  function fallback(text: string): boolean {
    return precheck(text, detectors);
  }

  function send(request: DecideRequest | DecideFileRequest): void {
    const entry = pending.get(request.id);
    if (!entry || port === null) return;
    intr.clearTimeout(entry.timer);
    entry.timer = intr.setTimeout(() => settle(request.id, null), VERDICT_TIMEOUT_MS);
    try {
      apply(intr.portPostMessage, port, [request]);
    } catch {
      settle(request.id, null);
    }
  }

  // The event listeners are registered before any page script runs, so they come first.
  listen(BRIDGE_SECRET, onSecret);
  listen(BRIDGE_ISOLATED_HELLO, onIsolatedHello);
  listen('message', onMessage, true);
  hello();
  // The handshake can only happen at document_start. No port by now means none will come
  // (isolated script missing or late): stop making every request wait for it.
  intr.setTimeout(() => {
    if (port !== null) return;
    stopHandshake();
    closed = true;
    for (const id of [...pending.keys()]) settle(id, null);
  }, CONNECT_TIMEOUT_MS);

  /** No handshake can complete any more: no secret came while the document was early. */
  const unpairable = (): boolean => port === null && secret === null && !early();

  /** Captured now: a page could redefine `window.parent` later. */
  const parentGetter = intr.getOwnPropertyDescriptor(win, 'parent')?.get;
  /**
   * The same-origin parent's relay (BRIDGE_PARENT_RELAY), found through the `parent`
   * getter captured at install and only if non-configurable (defined by our hooks there
   * before its page scripts). Null for a top frame, a cross-origin parent, or none.
   */
  const parentRelay = (): ((...args: unknown[]) => unknown) | null => {
    try {
      const parentWin = parentGetter ? apply(parentGetter, win, []) : null;
      if (!parentWin || parentWin === win) return null;
      const descriptor = intr.getOwnPropertyDescriptor(parentWin, BRIDGE_PARENT_RELAY);
      if (!descriptor || descriptor.configurable !== false || typeof descriptor.value !== 'function') return null;
      return descriptor.value as (...args: unknown[]) => unknown;
    } catch {
      return null; // cross-origin parent
    }
  };
  /** Asks the parent's bridge; blocked when it says so or when the local pre-check does. */
  function askParent(
    relay: (...args: unknown[]) => unknown,
    channel: OutgoingChannel,
    text: string,
    destination: string | null,
  ): Promise<boolean> {
    const local = fallback(text);
    return new intr.Promise<boolean>((resolve) => {
      let done = false;
      const answer = (blocked: unknown) => {
        if (done) return;
        done = true;
        intr.clearTimeout(timer);
        resolve(blocked === true || local);
      };
      const timer = intr.setTimeout(() => answer(false), VERDICT_TIMEOUT_MS);
      try {
        apply(relay, undefined, [channel, text, destination, answer]);
      } catch {
        answer(false);
      }
    });
  }

  // This frame's relay for its own same-origin child frames (see BRIDGE_PARENT_RELAY).
  // A callback, not a promise: the asking frame never calls a page-patchable `then`.
  try {
    intr.defineProperty(win, BRIDGE_PARENT_RELAY, {
      value: (channel: unknown, text: unknown, destination: unknown, done: unknown) => {
        if (!isOutgoingChannel(channel) || typeof text !== 'string' || typeof done !== 'function') return;
        const to = typeof destination === 'string' ? destination : null;
        void (async () => {
          const blocked = await ask(channel, text, to);
          apply(done, undefined, [blocked]);
        })();
      },
      writable: false,
      enumerable: false,
      configurable: false,
    });
  } catch {
    // Already defined (a page planted one before our hooks ran here): children still pre-check.
  }

  function ask(channel: OutgoingChannel, text: string, destination: string | null): Promise<boolean> {
    if (text.length === 0) return intr.Promise.resolve(false);
    if (unpairable()) {
      const relay = parentRelay();
      if (relay) return askParent(relay, channel, text, destination);
    }
    if (closed) return intr.Promise.resolve(fallback(text));
    return new intr.Promise<boolean>((resolve) => {
      enqueue({ kind: 'decide', id: nextId++, channel, text, destination }, text, resolve);
    });
  }

  function enqueue(request: DecideRequest | DecideFileRequest, text: string, resolve: (blocked: boolean) => void): void {
    const timer = intr.setTimeout(() => settle(request.id, null), CONNECT_TIMEOUT_MS);
    pending.set(request.id, { resolve, text, timer });
    if (port !== null) send(request);
    else queue.push(request);
  }

  return {
    precheck: fallback,
    ask,
    askFile(file) {
      if (closed) return intr.Promise.resolve(false);
      // No text to fall back on (''): without a verdict the file goes on to the browser layer.
      return new intr.Promise<boolean>((resolve) => {
        enqueue({ kind: 'decide-file', id: nextId++, ...file }, '', resolve);
      });
    },
  };
}
