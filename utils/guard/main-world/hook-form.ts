/**
 * HTMLFormElement.prototype.submit(): fires no submit event, so the isolated-world submit
 * listener never sees it. The hook scans the form data (channel `submit`) and its files
 * (channel `upload`) and calls the original submit only when both are allowed. If the
 * page changed the form while the decision was pending, the new data is decided again.
 * Blocked: nothing happens, as when a submission is cancelled.
 *
 * requestSubmit() and submit buttons fire a trusted submit event: the isolated world's
 * submit listener (../outgoing-submit.ts) handles those, not this hook.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { formPayload, uploadText, type FormPayload } from '../outgoing/outgoing-form';
import { baseUrl, type Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

const MAX_ROUNDS = 3;

export function hookFormSubmit(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const proto = win.HTMLFormElement?.prototype;
  const env = () => ({ FormData: intr.FormData, File: intr.File, baseURI: baseUrl(intr), URL: intr.URL });

  replaceMethod<HTMLFormElement['submit']>(
    proto,
    'submit',
    (original) =>
      ({
        submit(this: HTMLFormElement) {
          let payload: FormPayload;
          try {
            payload = formPayload(this, null, env());
          } catch {
            return apply(original, this, []) as void; // not a form: the native TypeError
          }
          if (payload.sendsNothing || !payload.destination.network) return apply(original, this, []) as void;
          const form = this;
          void (async () => {
            for (let round = 0; round < MAX_ROUNDS; round++) {
              if (await isBlocked(payload)) return;
              const now = formPayload(form, null, env());
              if (now.text === payload.text && sameFiles(now.files, payload.files)) {
                apply(original, form, []);
                return;
              }
              payload = now;
            }
          })();
        },
      }).submit,
    intr,
  );

  async function isBlocked(payload: FormPayload): Promise<boolean> {
    const origin = payload.destination.origin;
    // Plain awaits, no Promise.all/then: see lockPromiseConstructor in ./install.ts.
    const submitBlocked = await bridge.ask('submit', payload.text, origin);
    const uploadBlocked = payload.files.length > 0 && (await bridge.ask('upload', await uploadText(payload.files), origin));
    return submitBlocked || uploadBlocked;
  }
}

function sameFiles(a: readonly File[], b: readonly File[]): boolean {
  return a.length === b.length && a.every((file, i) => file === b[i]);
}
