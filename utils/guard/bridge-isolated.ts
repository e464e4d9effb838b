/**
 * Isolated-world end of the bridge (handshake in ./bridge-protocol.ts). It answers the page
 * hooks' questions with the content script's decider. Whatever arrives on the port is
 * parsed: the MAIN world shares its realm with the page, so its messages get no more
 * trust than page input.
 */
import { z } from 'zod';
import {
  BRIDGE_ISOLATED_HELLO,
  BRIDGE_MAIN_HELLO,
  BRIDGE_PORT_MESSAGE,
  BRIDGE_SECRET,
  OUTGOING_CHANNELS,
  isDocumentEarly,
  type BridgeResponse,
  type OutgoingChannel,
  type PortMessage,
} from './bridge-protocol';
import type { DetectorSettings } from '../detect/types';
import { MAX_OUTGOING_TEXT, precheck } from './outgoing-text';

export type OutgoingDecider = (
  text: string,
  channel: OutgoingChannel,
  destinationOrigin: string | null,
) => Promise<{ blocked: boolean }>;

const decideRequestSchema = z
  .object({
    kind: z.literal('decide'),
    id: z.number().int().positive(),
    channel: z.enum(OUTGOING_CHANNELS),
    text: z.string().max(MAX_OUTGOING_TEXT + 64),
    destination: z.string().max(300).nullable(),
  })
  .strict();

export interface IsolatedBridge {
  /** True once the port went to the MAIN world. */
  readonly connected: boolean;
  /** Tells the MAIN world to stop waiting (extension reloaded), closes the port. */
  close(): void;
}

/** How often the active detectors are compared with what the MAIN world last received. */
const DETECTOR_SYNC_MS = 2_000;

/**
 * `detectors`: the active policy's detector settings, pushed to the MAIN world for the
 * local pre-check of synchronous paths (beacons, sync XHR, window.open, WebSocket).
 */
export function startIsolatedBridge(win: Window, decide: OutgoingDecider, detectors?: () => DetectorSettings | undefined): IsolatedBridge {
  let port: MessagePort | null = null;
  let closed = false;
  let sentDetectors = '';

  function syncDetectors(): void {
    if (!detectors || port === null || closed) return;
    try {
      const current = detectors();
      const key = current ? JSON.stringify(current) : '';
      if (!current || key === sentDetectors) return;
      sentDetectors = key;
      reply({ kind: 'detectors', detectors: current });
    } catch {
      // keep the last ones sent
    }
  }

  const onMainHello = () => {
    if (port !== null || closed || !isDocumentEarly(win.document)) return;
    win.removeEventListener(BRIDGE_MAIN_HELLO, onMainHello);
    const channel = new MessageChannel();
    const secret = crypto.randomUUID();
    port = channel.port1;
    port.onmessage = (event) => void serve(event);
    // Synchronous: the MAIN world's listener runs now, while no page script exists.
    win.dispatchEvent(new CustomEvent(BRIDGE_SECRET, { detail: secret }));
    const message: PortMessage = { type: BRIDGE_PORT_MESSAGE, secret };
    win.postMessage(message, '*', [channel.port2]);
    syncDetectors();
    if (detectors) win.setInterval(syncDetectors, DETECTOR_SYNC_MS);
  };

  async function serve(event: MessageEvent<unknown>): Promise<void> {
    if (!event.isTrusted || port === null) return;
    const parsed = decideRequestSchema.safeParse(event.data);
    if (!parsed.success) return;
    const { id, channel, text, destination } = parsed.data;
    let blocked: boolean;
    try {
      blocked = (await decide(text, channel, destination)).blocked === true;
    } catch {
      // The decider failed: fail closed on what the local pre-check sees.
      blocked = precheck(text, detectors?.());
    }
    syncDetectors();
    reply({ kind: 'verdict', id, blocked });
  }

  function reply(response: BridgeResponse): void {
    try {
      port?.postMessage(response);
    } catch {
      // port already closed
    }
  }

  if (isDocumentEarly(win.document)) {
    win.addEventListener(BRIDGE_MAIN_HELLO, onMainHello);
    win.dispatchEvent(new CustomEvent(BRIDGE_ISOLATED_HELLO));
  } else {
    console.warn(
      '[baomi-guard] outgoing guards installed after page scripts started: the page-hook bridge is off; ' +
        'page hooks fall back to the built-in detectors. Call installOutgoingGuards() synchronously at document_start.',
    );
  }

  return {
    get connected() {
      return port !== null;
    },
    close() {
      if (closed) return;
      closed = true;
      win.removeEventListener(BRIDGE_MAIN_HELLO, onMainHello);
      reply({ kind: 'closed' });
      port?.close();
    },
  };
}
