/**
 * fetch(): the request is normalised once into a Request (URL resolved, body encoded at
 * call time), its URL and a clone of its body are scanned, and the SAME Request object is
 * what the original fetch receives — the page cannot show us one body and send another.
 * Blocked: rejects with TypeError('Failed to fetch'), like a network failure.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { joinText, resolveDestination } from '../outgoing/outgoing-text';
import { readRequestText } from './body';
import { baseUrl, type Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

export function hookFetch(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  replaceMethod<typeof fetch>(
    win,
    'fetch',
    (original) =>
      ({
        fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit) {
          let request: Request;
          try {
            request = new intr.Request(input, init);
          } catch (error) {
            // The original would fail the same way; calling it would convert `input` a second time.
            return intr.promiseReject(error);
          }
          const destination = resolveDestination(apply(intr.requestUrl!, request, []) as string, baseUrl(intr), intr.URL);
          if (!destination.network) return apply(original, this, [request]) as Promise<Response>;
          const self = this;
          return (async () => {
            let body = '';
            try {
              body = await readRequestText(request, intr);
            } catch {
              // A body stream that errors makes the real fetch fail as well.
            }
            const blocked = await bridge.ask('request', joinText([destination.text, body]), destination.origin);
            if (blocked) throw new intr.TypeError('Failed to fetch');
            return (await apply(original, self, [request])) as Response;
          })();
        },
      }).fetch,
    intr,
  );
}
