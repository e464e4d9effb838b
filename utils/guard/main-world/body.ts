/**
 * Outgoing body text, read in the page realm through captured intrinsics. Bodies are
 * snapshotted first so what is scanned is exactly what is sent: a page that mutates its
 * FormData/ArrayBuffer while the decision is pending sends the copy we scanned.
 */
import { MAX_OUTGOING_TEXT, decodeBodyText } from '../outgoing/outgoing-text';
import type { Intrinsics } from './intrinsics';

export type BodySnapshot = string | Blob | FormData | URLSearchParams | ArrayBuffer | Uint8Array | Document | null;

/** A private copy of an XHR/beacon body (strings and Blobs are immutable already). */
export function snapshotBody(body: unknown, intr: Intrinsics): BodySnapshot {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body;
  if (body instanceof intr.Blob) return body;
  if (body instanceof intr.URLSearchParams) return new intr.URLSearchParams(body);
  if (body instanceof intr.FormData) {
    const copy = new intr.FormData();
    for (const [name, value] of body) copy.append(name, value);
    return copy;
  }
  if (body instanceof ArrayBuffer) return body.slice(0);
  if (ArrayBuffer.isView(body)) {
    return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
  }
  if (typeof Document !== 'undefined' && body instanceof Document) return body;
  // Anything else is sent as its string conversion: convert once, here.
  return String(body);
}

/** Text of a snapshot without waiting; null when only an async read can tell (Blob, File). */
export function syncBodyText(body: BodySnapshot, intr: Intrinsics): string | null {
  if (body === null) return '';
  if (typeof body === 'string') return decodeBodyText(body, null);
  if (body instanceof intr.URLSearchParams) return decodeBodyText(body.toString(), 'application/x-www-form-urlencoded');
  if (body instanceof intr.FormData) {
    const lines: string[] = [];
    for (const [name, value] of body) {
      if (typeof value === 'string') lines.push(`${name}=${value}`);
      else return null;
    }
    return lines.join('\n');
  }
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
    const raw = intr.apply(intr.textDecode, new intr.TextDecoder(), [bytes.subarray(0, MAX_OUTGOING_TEXT)]) as string;
    return decodeBodyText(raw, null);
  }
  if (body instanceof intr.Blob) return null;
  return (body as Document).documentElement?.textContent ?? '';
}

/** Full text of a snapshot (reads Blobs and files, bounded). */
export async function bodyText(body: BodySnapshot, intr: Intrinsics): Promise<string> {
  const quick = syncBodyText(body, intr);
  if (quick !== null) return quick;
  if (body instanceof intr.Blob) return decodeBodyText(await blobText(body, intr), body.type || null);
  // FormData with files: let the browser encode it (multipart), then read that.
  const request = new intr.Request('https://body.invalid/', { method: 'POST', body: body as BodyInit });
  return readRequestText(request, intr);
}

/** The first {@link MAX_OUTGOING_TEXT} bytes of a Blob as UTF-8 text. */
async function blobText(blob: Blob, intr: Intrinsics): Promise<string> {
  const { apply } = intr;
  const size = apply(intr.blobSize!, blob, []) as number;
  const head = size > MAX_OUTGOING_TEXT ? (apply(intr.blobSlice, blob, [0, MAX_OUTGOING_TEXT]) as Blob) : blob;
  const bytes = (await apply(intr.blobArrayBuffer, head, [])) as ArrayBuffer;
  return apply(intr.textDecode, new intr.TextDecoder(), [new Uint8Array(bytes)]) as string;
}

/** Text of a Request's body, at most {@link MAX_OUTGOING_TEXT} bytes, without consuming it. */
export async function readRequestText(request: Request, intr: Intrinsics): Promise<string> {
  const { apply } = intr;
  const headers = apply(intr.requestHeaders!, request, []) as Headers;
  const contentType = apply(intr.headersGet, headers, ['content-type']) as string | null;
  if (!intr.requestBody) {
    // Firefox has no Request.prototype.body (nor streaming request bodies): read a clone as
    // a Blob — for string, buffer and Blob bodies that holds the bytes already in memory —
    // and decode its first MAX_OUTGOING_TEXT bytes.
    const clone = apply(intr.requestClone, request, []) as Request;
    const blob = (await apply(intr.requestBlob, clone, [])) as Blob;
    return decodeBodyText(await blobText(blob, intr), contentType);
  }
  if (apply(intr.requestBody, request, []) === null) return '';
  const clone = apply(intr.requestClone, request, []) as Request;
  const stream = apply(intr.requestBody, clone, []) as ReadableStream<Uint8Array> | null;
  if (!stream) return '';
  const reader = apply(intr.streamGetReader, stream, []) as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new intr.TextDecoder();
  let raw = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = (await apply(intr.readerRead, reader, [])) as ReadableStreamReadResult<Uint8Array>;
    if (done) break;
    const room = MAX_OUTGOING_TEXT - bytes;
    const chunk = value.byteLength > room ? value.subarray(0, room) : value;
    bytes += chunk.byteLength;
    raw += apply(intr.textDecode, decoder, [chunk, { stream: true }]) as string;
    if (bytes >= MAX_OUTGOING_TEXT) {
      // Oversized: only the first 5 MB are scanned (documented gap).
      void (async () => {
        try {
          await (apply(intr.readerCancel, reader, []) as Promise<void>);
        } catch {
          // nothing to clean up
        }
      })();
      break;
    }
  }
  raw += apply(intr.textDecode, decoder, []) as string;
  return decodeBodyText(raw, contentType);
}
