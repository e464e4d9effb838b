/**
 * window.open(url): data can ride in the URL's query. The call must return at once, so:
 * a URL the local pre-check finds clean opens immediately through the original; one
 * with a finding returns null (what a blocked popup returns, which pages handle) and is
 * opened through the original only if the decider allows it — within the click's
 * user-activation window in practice, since the decision takes milliseconds.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { resolveDestination } from '../outgoing/outgoing-text';
import { baseUrl, type Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

export function hookWindowOpen(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  replaceMethod<Window['open']>(
    win,
    'open',
    (original) =>
      ({
        open(this: unknown, url?: string | URL, target?: string, features?: string) {
          if (arguments.length === 0 || url === undefined || url === null || url === '')
            return apply(original, this, arguments) as Window | null;
          const destination = resolveDestination(String(url), baseUrl(intr), intr.URL);
          const args: unknown[] = [];
          for (let i = 0; i < arguments.length; i++) args[i] = arguments[i];
          if (destination.href !== null) args[0] = destination.href; // convert `url` once
          const flagged = destination.network && bridge.precheck(destination.text);
          if (!flagged) return apply(original, this, args) as Window | null;
          const self = this;
          void (async () => {
            if (!(await bridge.ask('request', destination.text, destination.origin))) apply(original, self, args);
          })();
          return null;
        },
      }).open,
    intr,
  );
}
