/**
 * The page's half of the download guard (isolated world): files the page makes, handed
 * over by the MAIN-world hook (main-world/hook-download.ts), are read with this world's
 * own Blob methods, scanned piece by piece in slices that leave the page responsive,
 * and decided (download-decision.ts). Blocked: notice + event, as for every channel.
 * Allowed: the background is told this blob: URL was decided here, so the browser-level
 * guard does not hold it again by provenance.
 */
import { browser } from 'wxt/browser';
import { parseDataUrl } from '../../files/data-url';
import { scanFile, type FileScan } from '../../files/scan-file';
import type { ReadLimits } from '../../files/types';
import { isBlocking } from '../../policy/decide';
import type { DecideFileRequest } from '../bridge/bridge-protocol';
import type { FileDecider } from '../bridge/bridge-isolated';
import { sendToBackground } from '../../content-messaging';
import type { DataDecision } from '../decide-data';
import { decideDownload, fileTypeOf } from './download-decision';
import type { GuardEnv } from '../guard-env';
import { t } from '../i18n';
import { notifyDecision, recordDecision } from '../report';
import type { DecideBlobDownload, DownloadBlockedNotice } from '../../background/download-guard';
import { LEVELS } from '../../detect/types';
import { createRegisterClassifier } from '../../register/match';

/** Longest stretch of reading and scanning before the page gets the thread back. */
const SLICE_MS = 8;

/** A pause that gives the thread back once a slice has been used up. */
export function createSlicePause(win: Window): () => Promise<void> | void {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    return new Promise<void>((resolve) => {
      win.setTimeout(() => {
        sliceStart = performance.now();
        resolve();
      }, 0);
    });
  };
}

interface FileBytes {
  bytes: Uint8Array | null;
  size: number;
  mime: string;
}

/**
 * The bytes as a view this world owns. In Firefox a Blob's arrayBuffer() resolves to an
 * ArrayBuffer of the page's compartment; a Uint8Array over it is a cross-compartment
 * wrapper whose `subarray` (species lookup) throws "Permission denied to access property
 * \"constructor\"", and every page-made download went undecided there. One copy
 * (TypedArray.set unwraps the source, a memcpy); in Chromium the buffer is already ours.
 */
export function ownBytes(buffer: ArrayBuffer): Uint8Array {
  const view = new Uint8Array(buffer);
  if (buffer instanceof ArrayBuffer) return view;
  const own = new Uint8Array(view.length);
  own.set(view);
  return own;
}

async function readRequestBytes(file: DecideFileRequest, limits: ReadLimits): Promise<FileBytes> {
  if (file.dataUrl !== null) {
    const parsed = parseDataUrl(file.dataUrl);
    if (!parsed) return { bytes: null, size: file.dataUrl.length, mime: file.mime };
    return { bytes: parsed.bytes, size: parsed.bytes.length, mime: file.mime || parsed.mime };
  }
  let blob = file.blob;
  if (blob === null && file.blobUrl !== null) {
    // An object URL made before our hook or in another frame: the isolated world may still fetch it.
    try {
      blob = await (await fetch(file.blobUrl)).blob();
    } catch {
      return { bytes: null, size: 0, mime: file.mime };
    }
  }
  if (blob === null) return { bytes: null, size: 0, mime: file.mime };
  const mime = file.mime || blob.type;
  if (blob.size > limits.maxScanBytes) return { bytes: null, size: blob.size, mime };
  return { bytes: ownBytes(await blob.arrayBuffer()), size: blob.size, mime };
}

export function createFileDecider(env: GuardEnv): FileDecider {
  return async (file) => {
    const policy = env.policy;
    const limits: ReadLimits = {
      maxScanBytes: policy.downloads.maxScanBytes,
      maxExpandedBytes: policy.downloads.maxExpandedBytes,
    };
    const { bytes, size, mime } = await readRequestBytes(file, limits);
    const keepFindings = Math.max(50, policy.bulk.threshold);
    // Register customers' numbers take their customer's level; names alone raise it too.
    const register = createRegisterClassifier(env.register);
    let scan: FileScan | null = null;
    if (bytes !== null) {
      scan = await scanFile(
        bytes,
        size,
        { name: file.name, mime },
        {
          detectors: policy.detectors,
          limits,
          keepFindings,
          pause: createSlicePause(env.win),
          classify: register.classify,
        },
      );
    }
    const unreadable = scan === null || scan.unreadable !== null;
    const verdict = decideDownload(
      {
        findings: scan?.findings ?? [],
        findingCount: scan?.findingCount ?? 0,
        unreadable,
        fileType: fileTypeOf(file.name, mime),
        sourceOrigin: env.origin,
        provenance: env.page,
        namedLevel: register.nameLevel(),
      },
      policy,
      env.grants,
      {
        pageOrigin: env.origin,
        deviceId: env.deviceId,
        userId: env.userId,
        now: Date.now(),
        fingerprint: env.fingerprint,
        grantUses: env.grantUses,
      },
    );
    const decision: DataDecision = {
      verdict,
      findings: scan?.findings ?? [],
      channel: 'download',
      destinationOrigin: null,
      customers: register.customers(),
    };
    const blocked = isBlocking(verdict.action);
    recordDecision(env, decision);
    if (blocked) {
      const lines = [file.name ? t('guard_fileName', file.name) : ''].filter(Boolean);
      if (unreadable)
        lines.push(t('guard_fileUnreadable', t(`guard_unreadable_${(scan?.unreadable ?? 'unreadable-format').replace(/-/g, '_')}`)));
      notifyDecision(env, decision, lines);
    } else if (file.blobUrl !== null) {
      // Before the page clicks again: the background must know before the browser starts the download.
      await sendToBackground({ type: 'download-vetted', url: file.blobUrl }).catch(() => undefined);
    }
    return { blocked };
  };
}

function isDownloadBlockedNotice(message: unknown): message is DownloadBlockedNotice {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return (
    m.type === 'download-blocked' &&
    typeof m.fileName === 'string' &&
    (m.level === null || (LEVELS as readonly unknown[]).includes(m.level)) &&
    (m.rule === null || typeof m.rule === 'string') &&
    typeof m.overridable === 'boolean' &&
    Array.isArray(m.masked) &&
    m.masked.every((x) => typeof x === 'string') &&
    typeof m.byProvenance === 'boolean'
  );
}

function isDecideBlobDownload(message: unknown): message is DecideBlobDownload {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return (
    m.type === 'decide-blob-download' &&
    typeof m.url === 'string' &&
    m.url.startsWith('blob:') &&
    m.url.length <= 2000 &&
    typeof m.name === 'string' &&
    typeof m.mime === 'string'
  );
}

/**
 * The background's two questions about downloads:
 *   - `decide-blob-download`: a blob: download the page hooks did not see (a navigation
 *     to the object URL, a blob made in a worker); the frame of its origin reads and
 *     decides it (notice and event here), and answers `{ blocked }`;
 *   - `download-blocked`: the background stopped a download the page did not make;
 *     the top frame shows the notice.
 */
export function listenForBrowserBlocks(env: GuardEnv, decideFile: FileDecider, signal: AbortSignal): void {
  try {
    const listener = (message: unknown, _sender: unknown, sendResponse: (response: unknown) => void): true | undefined => {
      if (isDecideBlobDownload(message)) {
        let origin: string;
        try {
          origin = new URL(message.url.slice(5)).origin;
        } catch {
          return;
        }
        if (origin !== env.origin) return; // another frame's blob: not ours to answer
        void decideFile({
          kind: 'decide-file',
          id: 1,
          name: message.name.slice(0, 255),
          mime: message.mime.slice(0, 200),
          blob: null,
          dataUrl: null,
          blobUrl: message.url.slice(0, 500),
          via: 'link',
        }).then(
          ({ blocked }) => sendResponse({ blocked }),
          () => sendResponse({}),
        );
        return true;
      }
      if (!isDownloadBlockedNotice(message) || env.win !== env.win.top) return;
      const decision: DataDecision = {
        verdict: {
          action: message.overridable ? 'block-with-override' : 'block',
          level: message.level,
          rule: message.rule === null ? null : { id: message.rule, description: message.rule },
          overridable: message.overridable,
          grantId: null,
          findingCount: message.masked.length,
          countsByType: {},
          bulk: false,
          reasons: message.level ? [{ kind: 'page-marker', level: message.level }] : [],
        },
        findings: [],
        channel: 'download',
        destinationOrigin: null,
      };
      const lines = [message.fileName ? t('guard_fileName', message.fileName) : ''];
      if (message.masked.length > 0) lines.push(t('guard_found', message.masked.join(', ')));
      if (message.byProvenance) lines.push(t('guard_fileUnreadable', t('guard_unreadable_server')));
      notifyDecision(env, decision, lines.filter(Boolean));
      sendResponse({ shown: true });
      return undefined;
    };
    browser.runtime.onMessage.addListener(listener);
    signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(listener), { once: true });
  } catch {
    // extension context already gone
  }
}
