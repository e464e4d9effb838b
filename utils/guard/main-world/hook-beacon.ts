/**
 * navigator.sendBeacon() must answer synchronously. Choice: text the local pre-check
 * (the active policy's detectors) finds clean (and that can be read synchronously) goes out at once through the original,
 * so analytics and unload beacons keep working; anything else (a finding, or a Blob body
 * that can only be read asynchronously) returns `true` ("queued", which is all the real
 * API promises) and is sent through the original only after the decider allowed it.
 * A blocked beacon is never sent; the page cannot tell it from a beacon the network lost.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { joinText, resolveDestination } from '../outgoing/outgoing-text';
import { bodyText, snapshotBody, syncBodyText } from './body';
import { baseUrl, type Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

export function hookBeacon(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const proto = win.Navigator?.prototype;
  replaceMethod<Navigator['sendBeacon']>(
    proto,
    'sendBeacon',
    (original) =>
      ({
        sendBeacon(this: Navigator, url: string | URL, data?: BodyInit | null) {
          if (arguments.length === 0) return apply(original, this, []) as boolean; // native TypeError
          const destination = resolveDestination(String(url), baseUrl(intr), intr.URL);
          if (!destination.network || destination.href === null) return apply(original, this, [url, data]) as boolean;
          const href = destination.href;
          const body = snapshotBody(data, intr);
          const quick = syncBodyText(body, intr);
          const quickText = quick === null ? null : joinText([destination.text, quick]);
          if (quickText !== null && !bridge.precheck(quickText)) return apply(original, this, [href, body]) as boolean;
          const self = this;
          void (async () => {
            let text = quickText;
            if (text === null) {
              let full = '';
              try {
                full = await bodyText(body, intr);
              } catch {
                // unreadable Blob: the URL alone
              }
              text = joinText([destination.text, full]);
            }
            if (!(await bridge.ask('request', text, destination.origin))) apply(original, self, [href, body]);
          })();
          return true;
        },
      }).sendBeacon,
    intr,
  );
}
