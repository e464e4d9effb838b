/**
 * The private bridge between the page hooks (MAIN world) and the isolated content script.
 *
 * Handshake (both scripts run at document_start, before any page script; either may run first):
 *   MAIN      on start:  listen `secret` + `isolated-hello`; dispatch `main-hello`
 *   isolated  on start:  listen `main-hello`;                  dispatch `isolated-hello`
 *   MAIN      on `isolated-hello`: dispatch `main-hello`
 *   isolated  on the first `main-hello`: make a MessageChannel and a random secret S,
 *             dispatch `secret` (detail S), then window.postMessage({type: PORT, secret: S}, [port2])
 *   MAIN      keeps the first `secret`; accepts the port only from a trusted message carrying S,
 *             hides that message from every other listener, and stops listening.
 * The CustomEvents are synchronous and happen while no page script has run, so no page
 * listener can observe S; each side refuses to take part once the document has started
 * parsing (see {@link isDocumentEarly}). From then on requests and verdicts travel only
 * over the port, which the page never holds; verdict events must be `isTrusted` (a page
 * cannot `dispatchEvent` a fake one on our port even if it got a reference to it).
 */

import { LEVELS, type DetectorSettings } from '../../detect/types';

export const BRIDGE_MAIN_HELLO = 'baomi-guard:main-hello';
export const BRIDGE_ISOLATED_HELLO = 'baomi-guard:isolated-hello';
export const BRIDGE_SECRET = 'baomi-guard:secret';
export const BRIDGE_PORT_MESSAGE = 'baomi-guard:port';
/** MAIN → isolated, synchronous: a page listener stopped a trusted submit event (see main-world/hook-submit-stop.ts). */
export const BRIDGE_SUBMIT_STOPPED = 'baomi-guard:submit-stopped';
/**
 * MAIN → isolated, synchronous, on window: the page may have made a closed shadow root
 * (see main-world/hook-shadow-roots.ts). The isolated world looks for closed roots on
 * every element again (dom-options.ts). A forged event only costs that lookup.
 */
export const BRIDGE_SHADOW_ATTACHED = 'baomi-guard:shadow-attached';
/**
 * MAIN → isolated, synchronous, on window: a page script wrote to a DataTransfer
 * (setData, items.add; see main-world/hook-data-transfer.ts). Inside a copy/cut dispatch
 * the isolated copy guard decides on the data at once (clipboard-guard.ts). A forged
 * event only causes that check.
 */
export const BRIDGE_CLIPBOARD_DATA_SET = 'baomi-guard:clipboard-data-set';

export const OUTGOING_CHANNELS = ['submit', 'request', 'upload', 'copy'] as const;
export type OutgoingChannel = (typeof OUTGOING_CHANNELS)[number];

/**
 * A frame whose bridge can never form (Firefox: a script-made about:blank iframe gets the
 * MAIN-world hooks at once but its isolated script only after page scripts ran, too late
 * for a safe handshake) asks its same-origin parent's bridge instead, so a block there
 * gets the parent's notice and event. Each frame's hooks define this property on their
 * window at document_start, before any page script, non-configurable: a page cannot
 * replace the parent's. What a page can do — call it, or plant one in a frame where our
 * hooks never ran — only adds blocks: the asking frame still applies its own pre-check.
 */
export const BRIDGE_PARENT_RELAY = 'baomiGuardRelay';

export function isOutgoingChannel(value: unknown): value is OutgoingChannel {
  return (OUTGOING_CHANNELS as readonly unknown[]).includes(value);
}

/** MAIN → isolated. */
export interface DecideRequest {
  kind: 'decide';
  id: number;
  channel: OutgoingChannel;
  text: string;
  destination: string | null;
}

/**
 * MAIN → isolated: a file the page is about to save (download link to a blob: or data:
 * URL, window.open of one, a File System Access write). The Blob travels as itself
 * (a structured clone is a handle, not a copy); the isolated world reads it with its
 * own, untampered Blob methods. `blobUrl`: the object URL when the page used one
 * (the browser-level download guard is told it was decided here).
 */
export interface DecideFileRequest {
  kind: 'decide-file';
  id: number;
  name: string;
  mime: string;
  blob: Blob | null;
  dataUrl: string | null;
  blobUrl: string | null;
  /** How the page tried to save it (for the record): 'link', 'open', 'save-picker'. */
  via: FileSaveRoute;
}
export const FILE_SAVE_ROUTES = ['link', 'open', 'save-picker'] as const;
export type FileSaveRoute = (typeof FILE_SAVE_ROUTES)[number];

/**
 * isolated → MAIN. `detectors`: the active policy's detector settings, for the local
 * pre-check of synchronous paths (sent on connect and with verdicts when they change).
 * `closed`: the isolated script is gone; stop waiting.
 */
export type BridgeResponse =
  { kind: 'verdict'; id: number; blocked: boolean } | { kind: 'detectors'; detectors: DetectorSettings } | { kind: 'closed' };

export interface PortMessage {
  type: typeof BRIDGE_PORT_MESSAGE;
  secret: string;
}

/**
 * True while no page script can have run: at document_start the parser has created the
 * root element and nothing else. A script of the page is itself an element, so the root
 * has a child by the time any page script runs.
 */
export function isDocumentEarly(doc: Document): boolean {
  if (doc.readyState !== 'loading') return false;
  const root = doc.documentElement;
  return root === null || root.firstChild === null;
}

/**
 * The handshake secret: 128 random bits as hex. `crypto.getRandomValues`, not
 * `crypto.randomUUID`: the latter exists only in secure contexts, and a plain-http
 * intranet host (most company CRMs) is not one — there the bridge never formed, and every
 * request waited out the connect timeout and was blocked with no notice and no event.
 */
export function randomSecret(cryptoImpl: Pick<Crypto, 'getRandomValues'> = crypto): string {
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function isPortMessage(data: unknown): data is PortMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === BRIDGE_PORT_MESSAGE &&
    typeof (data as { secret?: unknown }).secret === 'string'
  );
}

const SIMPLE_DETECTORS = ['mobile', 'landline', 'service', 'residentId', 'bankCard', 'email'] as const;

/** Structural check of detector settings received over the port (the MAIN world has no zod). */
export function isDetectorSettings(value: unknown): value is DetectorSettings {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const isLevel = (l: unknown) => (LEVELS as readonly unknown[]).includes(l);
  const isSetting = (s: unknown) =>
    typeof s === 'object' &&
    s !== null &&
    typeof (s as { enabled?: unknown }).enabled === 'boolean' &&
    isLevel((s as { level?: unknown }).level);
  if (!SIMPLE_DETECTORS.every((key) => isSetting(v[key]))) return false;
  const marker = v.marker as { enabled?: unknown; controlledLevel?: unknown; extraTerms?: unknown } | undefined;
  if (typeof marker !== 'object' || marker === null || typeof marker.enabled !== 'boolean' || !isLevel(marker.controlledLevel))
    return false;
  return (
    Array.isArray(marker.extraTerms) &&
    marker.extraTerms.length <= 100 &&
    marker.extraTerms.every(
      (t: unknown) =>
        typeof t === 'object' &&
        t !== null &&
        typeof (t as { term?: unknown }).term === 'string' &&
        (t as { term: string }).term.length >= 2 &&
        (t as { term: string }).term.length <= 64 &&
        isLevel((t as { level?: unknown }).level),
    )
  );
}
