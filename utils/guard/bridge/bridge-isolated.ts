/**
 * Isolated-world end of the bridge (handshake in ./bridge-protocol.ts). It answers the page
 * hooks' questions with the content script's decider. Whatever arrives on the port is
 * parsed: the MAIN world shares its realm with the page, so its messages get no more
 * trust than page input.
 */
import {
  BRIDGE_ISOLATED_HELLO,
  BRIDGE_MAIN_HELLO,
  BRIDGE_PORT_MESSAGE,
  BRIDGE_SECRET,
  FILE_SAVE_ROUTES,
  OUTGOING_CHANNELS,
  type DecideFileRequest,
  isDocumentEarly,
  randomSecret,
  type BridgeResponse,
  type OutgoingChannel,
  type PortMessage,
} from './bridge-protocol';
import type { DetectorSettings } from '../../detect/types';
import { MAX_OUTGOING_TEXT, precheck } from '../outgoing/outgoing-text';

export type OutgoingDecider = (text: string, channel: OutgoingChannel, destinationOrigin: string | null) => Promise<{ blocked: boolean }>;

interface DecideRequest {
  kind: 'decide';
  id: number;
  channel: OutgoingChannel;
  text: string;
  destination: string | null;
}

const DECIDE_REQUEST_KEYS = ['kind', 'id', 'channel', 'text', 'destination'];

/**
 * A 'decide' request, or null. Checked by hand rather than with a zod schema: this
 * module loads in every frame at document_start, where zod's start-up cost shows.
 */
export function parseDecideRequest(data: unknown): DecideRequest | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  if (Object.keys(data).some((key) => !DECIDE_REQUEST_KEYS.includes(key))) return null;
  const { kind, id, channel, text, destination } = data as Record<string, unknown>;
  if (kind !== 'decide') return null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return null;
  if (!(OUTGOING_CHANNELS as readonly unknown[]).includes(channel)) return null;
  if (typeof text !== 'string' || text.length > MAX_OUTGOING_TEXT + 64) return null;
  if (destination !== null && (typeof destination !== 'string' || destination.length > 300)) return null;
  return { kind, id, channel: channel as OutgoingChannel, text, destination };
}

/** Decides a file the page is about to save; resolves blocked. */
export type FileDecider = (file: DecideFileRequest) => Promise<{ blocked: boolean }>;

const FILE_REQUEST_KEYS = ['kind', 'id', 'name', 'mime', 'blob', 'dataUrl', 'blobUrl', 'via'];
/** Longest data: URL taken as a file (the browser's own limit for navigations is 2 MB in Chromium, 512 MB in Firefox). */
const MAX_DATA_URL = 512 * 1024 * 1024;

/** A 'decide-file' request, or null (checked by hand, like parseDecideRequest). */
export function parseFileRequest(data: unknown): DecideFileRequest | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  if (Object.keys(data).some((key) => !FILE_REQUEST_KEYS.includes(key))) return null;
  const { kind, id, name, mime, blob, dataUrl, blobUrl, via } = data as Record<string, unknown>;
  if (kind !== 'decide-file') return null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return null;
  if (typeof name !== 'string' || name.length > 255 || typeof mime !== 'string' || mime.length > 200) return null;
  // Firefox hands the isolated world the page's Blob from another realm: `instanceof` fails there.
  if (blob !== null && !(blob instanceof Blob) && !/^\[object (Blob|File)\]$/.test(Object.prototype.toString.call(blob))) return null;
  if (dataUrl !== null && (typeof dataUrl !== 'string' || !dataUrl.startsWith('data:') || dataUrl.length > MAX_DATA_URL)) return null;
  if (blobUrl !== null && (typeof blobUrl !== 'string' || !blobUrl.startsWith('blob:') || blobUrl.length > 500)) return null;
  if (!(FILE_SAVE_ROUTES as readonly unknown[]).includes(via)) return null;
  return { kind, id, name, mime, blob: blob as Blob | null, dataUrl, blobUrl, via: via as DecideFileRequest['via'] };
}

export interface IsolatedBridge {
  /** True once the port is made (posted to the MAIN world in the next task). */
  readonly connected: boolean;
  /**
   * Sends the active detectors to the MAIN world if they differ from what it last got.
   * Called when the policy changes (start.ts): pushed, not polled.
   */
  pushDetectors(): void;
  /** Tells the MAIN world to stop waiting (extension reloaded), closes the port. */
  close(): void;
}

export interface IsolatedBridgeOptions {
  /**
   * The active policy's detector settings, pushed to the MAIN world for the local
   * pre-check of synchronous paths (beacons, sync XHR, window.open, WebSocket).
   */
  detectors?: () => DetectorSettings | undefined;
  /** Decides files the page saves (download links to blob:/data:, save pickers): ./download-guard.ts. */
  decideFile?: FileDecider;
  /** Ends the bridge (close()) with the guard's lifecycle. */
  signal?: AbortSignal;
}

export function startIsolatedBridge(win: Window, decide: OutgoingDecider, options: IsolatedBridgeOptions = {}): IsolatedBridge {
  const { detectors, decideFile, signal } = options;
  let port: MessagePort | null = null;
  let closed = false;
  let sentDetectors = '';

  function pushDetectors(): void {
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
    const secret = randomSecret();
    port = channel.port1;
    port.onmessage = (event) => void serve(event);
    // Synchronous: the MAIN world's listener runs now, while no page script exists.
    win.dispatchEvent(new CustomEvent(BRIDGE_SECRET, { detail: secret }));
    // The port follows in a task of its own. The message event arrives in a later task
    // whenever it is posted, and only S authenticates it. But the first window.postMessage
    // of a frame costs 3–7 ms (measured with marks in the built script), and this task is
    // the page's first, which already holds both our scripts' start.
    win.setTimeout(() => {
      if (closed) return;
      const message: PortMessage = { type: BRIDGE_PORT_MESSAGE, secret };
      win.postMessage(message, '*', [channel.port2]);
      pushDetectors();
    }, 0);
  };

  async function serve(event: MessageEvent<unknown>): Promise<void> {
    if (!event.isTrusted || port === null) return;
    const file = parseFileRequest(event.data);
    if (file) {
      let blocked = false;
      try {
        blocked = decideFile ? (await decideFile(file)).blocked === true : false;
      } catch {
        // The file could not be decided here: the browser-level guard decides (background).
      }
      reply({ kind: 'verdict', id: file.id, blocked });
      return;
    }
    const request = parseDecideRequest(event.data);
    if (!request) return;
    const { id, channel, text, destination } = request;
    let blocked: boolean;
    try {
      blocked = (await decide(text, channel, destination)).blocked === true;
    } catch {
      // The decider failed: fail closed on what the local pre-check sees.
      blocked = precheck(text, detectors?.());
    }
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
        'page hooks fall back to the built-in detectors. Call startGuard() synchronously at document_start.',
    );
  }

  const bridge: IsolatedBridge = {
    get connected() {
      return port !== null;
    },
    pushDetectors,
    close() {
      if (closed) return;
      closed = true;
      win.removeEventListener(BRIDGE_MAIN_HELLO, onMainHello);
      reply({ kind: 'closed' });
      port?.close();
    },
  };
  signal?.addEventListener('abort', () => bridge.close(), { once: true });
  return bridge;
}
