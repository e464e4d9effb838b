/**
 * Navigations a page script starts — `location.href = url`, `location.assign/replace`,
 * a link it clicks, a frame navigating itself — carry data in the URL too. The Location
 * object cannot be hooked (its properties are unforgeable), but the Navigation API's
 * `navigate` event fires in this frame before such a navigation, and the isolated world
 * may cancel it: the URL's path and query are decided like a request (destination: the
 * URL's origin), synchronously, with the notice and the event of any other block.
 *
 * Form submissions are left to the submit guard (outgoing-submit.ts). Navigations the
 * event does not cover (a parent setting an iframe's src: main-world/hook-url-loads.ts;
 * the user typing into the address bar; browsers without the Navigation API) fall to the
 * request layer (utils/background/request-guard.ts).
 */
import { isBlocking } from '../../policy/decide';
import { decideData } from '../decide-data';
import type { GuardEnv } from '../guard-env';
import { resolveDestination } from '../outgoing/outgoing-text';
import { recordDecision, report } from '../report';

interface NavigateEvent extends Event {
  readonly cancelable: boolean;
  readonly destination: { readonly url: string };
  readonly formData: FormData | null;
  readonly downloadRequest: string | null;
}

export function installNavigationGuard(env: GuardEnv, signal: AbortSignal): void {
  const navigation = (env.win as Window & { navigation?: EventTarget }).navigation;
  if (!navigation) return;
  navigation.addEventListener(
    'navigate',
    (event) => {
      const navigate = event as NavigateEvent;
      if (!navigate.cancelable || navigate.formData !== null || navigate.downloadRequest !== null) return;
      const destination = resolveDestination(navigate.destination.url, env.win.location.href);
      if (!destination.network || destination.text === '') return;
      const decision = decideData(env, [destination.text], {
        channel: 'request',
        sourceOrigin: env.origin,
        destinationOrigin: destination.origin,
        sourceLevel: null,
      });
      if (isBlocking(decision.verdict.action)) {
        navigate.preventDefault();
        report(env, decision);
      } else {
        recordDecision(env, decision);
      }
    },
    { signal },
  );
}
