/**
 * WebSocket.prototype.send(data) returns nothing and must keep message order. Messages the
 * local pre-check finds clean go out at once while nothing is waiting; a message with a
 * finding (or a Blob, readable only asynchronously) waits for the decider, and every later
 * message of that socket queues behind it. A blocked message is dropped; the socket stays
 * open (closing it would look like a server failure and make apps reconnect and resend).
 * The connection URL itself (new WebSocket(url)) is not checked: see the gaps in docs.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { bodyText, snapshotBody, syncBodyText, type BodySnapshot } from './body';
import type { Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

interface Queued {
  data: BodySnapshot;
  verdict: Promise<boolean> | null;
}

export function hookWebSocket(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  const proto = win.WebSocket?.prototype;
  if (!proto) return;
  const queues = new WeakMap<WebSocket, Queued[]>();
  const urlGetter = intr.getOwnPropertyDescriptor(proto, 'url')?.get;
  const stateGetter = intr.getOwnPropertyDescriptor(proto, 'readyState')?.get;

  const original = replaceMethod<WebSocket['send']>(
    proto,
    'send',
    (orig) =>
      ({
        send(this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
          // Not yet open / wrong `this` / no argument: let the native method throw as it does.
          if (arguments.length === 0 || !stateGetter || apply(stateGetter, this, []) !== 1) return apply(orig, this, arguments) as void;
          const snapshot = snapshotBody(data, intr);
          const queue = queues.get(this);
          const quick = syncBodyText(snapshot, intr);
          const flagged = quick === null || bridge.precheck(quick);
          if (!flagged && (!queue || queue.length === 0)) return apply(orig, this, [snapshot]) as void;
          const entry: Queued = { data: snapshot, verdict: null };
          if (flagged) {
            const origin = destinationOrigin(this);
            entry.verdict = (async () => {
              let text = quick ?? '';
              if (quick === null) {
                try {
                  text = await bodyText(snapshot, intr);
                } catch {
                  // unreadable Blob: decide on nothing → the pre-check of '' allows; the decider sees ''
                }
              }
              return bridge.ask('request', text, origin);
            })();
          }
          if (queue) queue.push(entry);
          else {
            queues.set(this, [entry]);
            void drain(this);
          }
        },
      }).send,
    intr,
  );

  function destinationOrigin(socket: WebSocket): string | null {
    try {
      return new intr.URL(apply(urlGetter!, socket, []) as string).origin;
    } catch {
      return null;
    }
  }

  async function drain(socket: WebSocket): Promise<void> {
    const queue = queues.get(socket)!;
    while (queue.length > 0) {
      const entry = queue[0]!;
      const blocked = entry.verdict ? await entry.verdict : false;
      queue.shift();
      if (!blocked && original) {
        try {
          apply(original, socket, [entry.data]);
        } catch {
          // socket closed meanwhile: the message is lost as it would be on a dropped connection
        }
      }
    }
    queues.delete(socket);
  }
}
