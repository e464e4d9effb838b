/**
 * Built-ins the page hooks use, captured at document_start before any page script can
 * replace them. Later calls go through these references, so a page that patches
 * `Reflect.apply`, `MessagePort.prototype.postMessage` or `Request.prototype.clone`
 * after load does not see or steer what the hooks do.
 */
export function captureIntrinsics(win: Window & typeof globalThis) {
  const apply = win.Reflect.apply;
  const getter = (proto: object, key: string) => win.Object.getOwnPropertyDescriptor(proto, key)?.get;
  return {
    apply,
    defineProperty: win.Object.defineProperty,
    getOwnPropertyDescriptor: win.Object.getOwnPropertyDescriptor,
    Promise: win.Promise,
    promiseReject: win.Promise.reject.bind(win.Promise),
    TypeError: win.TypeError,
    DOMException: win.DOMException,
    URL: win.URL,
    createObjectURL: win.URL.createObjectURL.bind(win.URL),
    revokeObjectURL: win.URL.revokeObjectURL.bind(win.URL),
    Blob: win.Blob,
    File: win.File,
    FormData: win.FormData,
    URLSearchParams: win.URLSearchParams,
    Request: win.Request,
    requestClone: win.Request.prototype.clone,
    // Undefined in Firefox (no Request.prototype.body): bodies are read with blob() there.
    requestBody: getter(win.Request.prototype, 'body'),
    requestBlob: win.Request.prototype.blob,
    requestUrl: getter(win.Request.prototype, 'url'),
    requestHeaders: getter(win.Request.prototype, 'headers'),
    headersGet: win.Headers.prototype.get,
    streamGetReader: win.ReadableStream.prototype.getReader,
    readerRead: win.ReadableStreamDefaultReader.prototype.read,
    readerCancel: win.ReadableStreamDefaultReader.prototype.cancel,
    TextDecoder: win.TextDecoder,
    textDecode: win.TextDecoder.prototype.decode,
    blobText: win.Blob.prototype.text,
    blobArrayBuffer: win.Blob.prototype.arrayBuffer,
    blobSize: getter(win.Blob.prototype, 'size'),
    blobSlice: win.Blob.prototype.slice,
    formSubmit: win.HTMLFormElement.prototype.submit,
    portPostMessage: win.MessagePort.prototype.postMessage,
    portStart: win.MessagePort.prototype.start,
    // The port message is delivered after page scripts may have run: read it through
    // getters captured now, or a page could patch MessageEvent.prototype.ports to swap ports.
    messageData: getter(win.MessageEvent.prototype, 'data'),
    messagePorts: getter(win.MessageEvent.prototype, 'ports'),
    messageSource: getter(win.MessageEvent.prototype, 'source'),
    customEventDetail: getter(win.CustomEvent.prototype, 'detail'),
    readyState: getter(win.Document.prototype, 'readyState'),
    documentElement: getter(win.Document.prototype, 'documentElement'),
    firstChild: getter(win.Node.prototype, 'firstChild'),
    setTimeout: win.setTimeout.bind(win),
    clearTimeout: win.clearTimeout.bind(win),
    addEventListener: win.EventTarget.prototype.addEventListener,
    removeEventListener: win.EventTarget.prototype.removeEventListener,
    dispatchEvent: win.EventTarget.prototype.dispatchEvent,
    stopImmediatePropagation: win.Event.prototype.stopImmediatePropagation,
    CustomEvent: win.CustomEvent,
    ProgressEvent: win.ProgressEvent,
    DOMParser: win.DOMParser,
    document: win.document,
    baseURI: getter(win.Node.prototype, 'baseURI'),
    location: win.location,
  };
}

export type Intrinsics = ReturnType<typeof captureIntrinsics>;

/** document.baseURI through the captured getter (a page cannot shadow it). */
export function baseUrl(intr: Intrinsics): string {
  try {
    return intr.baseURI ? (intr.apply(intr.baseURI, intr.document, []) as string) : intr.location.href;
  } catch {
    return intr.location.href;
  }
}
