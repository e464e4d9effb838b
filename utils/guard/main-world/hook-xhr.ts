/**
 * XMLHttpRequest: open() records method and URL; send() on an ASYNC request defers the
 * real send until the decider answers (readyState stays OPENED meanwhile, exactly as while
 * a real request waits for headers). Blocked: the request is re-pointed at a revoked blob:
 * URL and sent there, so the browser itself fires readystatechange(4) → error → loadend
 * with status 0 — a genuine network error, and nothing leaves the machine.
 *
 * SYNC requests cannot wait: they are decided by the local pre-check (the active policy's detectors)
 * and a finding throws a NetworkError DOMException, as a failed sync XHR does; the decider
 * is still told, so the event is recorded. Sync XHR is deprecated on the main thread and
 * rare; block-on-finding is the fail-closed choice.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { joinText, resolveDestination, type Destination } from '../outgoing/outgoing-text';
import { bodyText, snapshotBody, syncBodyText } from './body';
import { baseUrl, type Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

interface XhrState {
  method: string;
  destination: Destination;
  async: boolean;
  /** Bumped by open()/abort(): a pending decision for an older generation is dropped. */
  generation: number;
  pending: boolean;
}

export function hookXhr(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const proto = win.XMLHttpRequest?.prototype;
  if (!proto) return;
  const states = new WeakMap<XMLHttpRequest, XhrState>();
  let origOpen: XMLHttpRequest['open'] | null = null;
  let origSend: XMLHttpRequest['send'] | null = null;

  origOpen = replaceMethod<XMLHttpRequest['open']>(
    proto,
    'open',
    (original) =>
      ({
        open(this: XMLHttpRequest, method: string, url: string | URL) {
          const args: unknown[] = [];
          for (let i = 0; i < arguments.length; i++) args[i] = arguments[i]; // no page-patchable Array methods
          const destination = resolveDestination(String(url), baseUrl(intr), intr.URL);
          // Pass the resolved URL on: `url` must not be converted to a string twice.
          if (destination.href !== null) args[1] = destination.href;
          const result = apply(original, this, args);
          const previous = states.get(this);
          states.set(this, {
            method: String(method),
            destination,
            async: args.length < 3 || Boolean(args[2]),
            generation: (previous?.generation ?? 0) + 1,
            pending: false,
          });
          return result;
        },
      }).open,
    intr,
  );

  origSend = replaceMethod<XMLHttpRequest['send']>(
    proto,
    'send',
    (original) =>
      ({
        send(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
          const state = states.get(this);
          if (!state || !state.destination.network) return apply(original, this, arguments) as void;
          if (state.pending)
            throw new intr.DOMException(
              "Failed to execute 'send' on 'XMLHttpRequest': The object's state must be OPENED.",
              'InvalidStateError',
            );
          const method = state.method.toUpperCase();
          const snapshot = method === 'GET' || method === 'HEAD' ? null : snapshotBody(body, intr);
          const origin = state.destination.origin;
          if (!state.async) {
            const text = joinText([state.destination.text, syncBodyText(snapshot, intr) ?? '']);
            if (bridge.precheck(text)) {
              void bridge.ask('request', text, origin);
              throw new intr.DOMException(
                `Failed to execute 'send' on 'XMLHttpRequest': Failed to load '${state.destination.href}'.`,
                'NetworkError',
              );
            }
            return apply(original, this, [snapshot]) as void;
          }
          const xhr = this;
          const generation = state.generation;
          state.pending = true;
          void (async () => {
            let text = state.destination.text;
            try {
              text = joinText([text, await bodyText(snapshot, intr)]);
            } catch {
              // unreadable body: decide on the URL alone
            }
            const blocked = await bridge.ask('request', text, origin);
            if (state.generation !== generation) return; // re-opened or aborted meanwhile
            state.pending = false;
            try {
              if (blocked) failAsNetworkError(xhr, state.method);
              else apply(original, xhr, [snapshot]);
            } catch {
              // e.g. the page changed the XHR into a state where send throws: nothing to send.
            }
          })();
        },
      }).send,
    intr,
  );

  replaceMethod<XMLHttpRequest['abort']>(
    proto,
    'abort',
    (original) =>
      ({
        abort(this: XMLHttpRequest) {
          const state = states.get(this);
          const wasPending = state?.pending === true;
          if (state) {
            state.generation++;
            state.pending = false;
          }
          const result = apply(original, this, []);
          if (wasPending) {
            // The real send never happened, so the browser fires nothing: fire what an abort fires.
            for (const type of ['abort', 'loadend']) apply(intr.dispatchEvent, this, [new intr.ProgressEvent(type)]);
          }
          return result;
        },
      }).abort,
    intr,
  );

  function failAsNetworkError(xhr: XMLHttpRequest, method: string): void {
    if (!origOpen || !origSend) return;
    const dead = intr.createObjectURL(new intr.Blob([]));
    intr.revokeObjectURL(dead);
    apply(origOpen, xhr, [method, dead, true]);
    apply(origSend, xhr, []);
  }
}
