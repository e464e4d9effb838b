/**
 * Requests a page starts by putting a URL somewhere rather than calling fetch: an image's
 * or a frame's `src` (`new Image().src = url` is the classic tracking pixel),
 * `setAttribute('src', url)` on them, and `new WebSocket(url)`. The number rides in the
 * URL's path or query. Each must act at once (the browser starts loading on assignment),
 * so, like window.open: a URL the local pre-check finds clean goes through untouched; one
 * with a finding is held back and asked about over the bridge (notice and event from the
 * isolated world), and set after all if the decider allows it (an internal destination).
 * A WebSocket cannot be created later: its constructor throws SecurityError, as for a
 * blocked port, and the decider is told (notice, event).
 *
 * Not covered here (the request layer, utils/background/request-guard.ts, is the net):
 * URLs in parsed HTML (innerHTML, document.write), srcset, CSS url(), <script src>,
 * <link href>, and `location.href = url`, whose Location object cannot be hooked — the
 * isolated world's navigation guard (../navigation-guard.ts) handles navigations.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { resolveDestination } from '../outgoing/outgoing-text';
import { baseUrl, type Intrinsics } from './intrinsics';
import { maskAs, replaceMethod, replaceSetter } from './native';

export function hookUrlLoads(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;

  /** null: let it through now; otherwise the destination to hold back and ask about. */
  const held = (value: unknown) => {
    const destination = resolveDestination(String(value), baseUrl(intr), intr.URL);
    return destination.network && bridge.precheck(destination.text) ? destination : null;
  };

  /** Sets through `set` now, or after the decider allowed it. */
  const guardedSet = (element: Element, value: unknown, set: (element: Element, value: unknown) => void) => {
    const destination = held(value);
    if (!destination) return set(element, value);
    void (async () => {
      if (!(await bridge.ask('request', destination.text, destination.origin))) set(element, value);
    })();
  };

  for (const ctor of [win.HTMLImageElement, win.HTMLIFrameElement]) {
    replaceSetter<Element>(
      ctor?.prototype,
      'src',
      (original) =>
        intr.getOwnPropertyDescriptor(
          {
            // An accessor's setter, so the wrapper's own name reads "set src" like the original.
            set src(value: unknown) {
              guardedSet(this as unknown as Element, value, (element, v) => apply(original, element, [v]));
            },
          },
          'src',
        )!.set as (this: Element, value: unknown) => void,
      intr,
    );
  }

  const isGuardedElement = (element: unknown) =>
    (win.HTMLImageElement && element instanceof win.HTMLImageElement) ||
    (win.HTMLIFrameElement && element instanceof win.HTMLIFrameElement);
  replaceMethod<Element['setAttribute']>(
    win.Element.prototype,
    'setAttribute',
    (original) =>
      ({
        setAttribute(this: Element, name: string, value: string) {
          if (arguments.length < 2 || !isGuardedElement(this) || String(name).toLowerCase() !== 'src')
            return apply(original, this, arguments) as void;
          guardedSet(this, value, (element, v) => apply(original, element, [name, v]));
        },
      }).setAttribute,
    intr,
  );

  const OriginalWebSocket = win.WebSocket;
  const construct = win.Reflect.construct;
  if (OriginalWebSocket) {
    // A Proxy keeps `new`, the prototype, statics and the native toString of the constructor.
    const guarded = new Proxy(OriginalWebSocket, {
      construct(target, args, newTarget) {
        if (args.length > 0) {
          const destination = resolveDestination(String(args[0]), baseUrl(intr), intr.URL);
          if (destination.network && bridge.precheck(destination.text)) {
            void bridge.ask('request', destination.text, destination.origin);
            throw new intr.DOMException("Failed to construct 'WebSocket': the URL was refused.", 'SecurityError');
          }
        }
        return construct(target, args, newTarget) as object;
      },
    });
    // A callable Proxy would print as "function () { [native code] }": answer with the original's source.
    maskAs(guarded, OriginalWebSocket);
    intr.defineProperty(win, 'WebSocket', { ...intr.getOwnPropertyDescriptor(win, 'WebSocket'), value: guarded });
    // `socket.constructor` must not hand the page the unguarded constructor.
    const constructorDesc = intr.getOwnPropertyDescriptor(OriginalWebSocket.prototype, 'constructor');
    if (constructorDesc?.configurable)
      intr.defineProperty(OriginalWebSocket.prototype, 'constructor', { ...constructorDesc, value: guarded });
  }
}
