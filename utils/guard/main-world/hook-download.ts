/**
 * Files a page makes and saves: the guard reads them before the browser does.
 *
 *   - object URLs: URL.createObjectURL(blob) is remembered, so a download link to
 *     `blob:` is decided on the Blob itself (libraries revoke the URL right after);
 *   - download links to `blob:` and `data:` URLs, however they are activated: a user's
 *     click, `a.click()` (SheetJS, Tabulator, jsPDF), `a.dispatchEvent(new MouseEvent('click'))`
 *     (FileSaver) — on anchors in the document or detached ones;
 *   - window.open / navigation of a blob: or data: URL through window.open;
 *   - the File System Access API (save pickers, dropped files, handles kept in IndexedDB):
 *     writable streams only land on disk at close(), so close() waits for the verdict;
 *     a blocked stream is aborted and nothing it was given lands.
 * The activation is cancelled, the file asked about over the bridge, and the same anchor
 * clicked again (once, past this hook) when the verdict allows. Without a verdict the
 * save goes on and the browser-level guard (background) decides.
 */
import type { MainBridge } from '../bridge-main';
import type { DecideFileRequest, FileSaveRoute } from '../bridge-protocol';
import type { Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

type Win = Window & typeof globalThis;
type PageFile = Omit<DecideFileRequest, 'kind' | 'id'>;

function capture(win: Win) {
  const getter = (proto: object | undefined, key: string) =>
    proto ? win.Object.getOwnPropertyDescriptor(proto, key)?.get : undefined;
  return {
    getAttribute: win.Element.prototype.getAttribute,
    hasAttribute: win.Element.prototype.hasAttribute,
    anchorHref: getter(win.HTMLAnchorElement.prototype, 'href'),
    areaHref: getter(win.HTMLAreaElement?.prototype, 'href'),
    parentNode: getter(win.Node.prototype, 'parentNode'),
    eventTarget: getter(win.Event.prototype, 'target'),
    eventType: getter(win.Event.prototype, 'type'),
    defaultPrevented: getter(win.Event.prototype, 'defaultPrevented'),
    preventDefault: win.Event.prototype.preventDefault,
    composedPath: win.Event.prototype.composedPath,
    blobType: getter(win.Blob.prototype, 'type'),
    fileName: getter(win.File.prototype, 'name'),
    HTMLAnchorElement: win.HTMLAnchorElement,
    HTMLAreaElement: win.HTMLAreaElement,
    MouseEvent: win.MouseEvent,
    WeakMap: win.WeakMap,
    WeakSet: win.WeakSet,
    Map: win.Map,
    mapGet: win.Map.prototype.get,
    mapSet: win.Map.prototype.set,
    mapDelete: win.Map.prototype.delete,
    weakHas: win.WeakSet.prototype.has,
    weakAdd: win.WeakSet.prototype.add,
    weakMapGet: win.WeakMap.prototype.get,
    weakMapSet: win.WeakMap.prototype.set,
    weakMapDelete: win.WeakMap.prototype.delete,
    stringSlice: win.String.prototype.slice,
    stringToLowerCase: win.String.prototype.toLowerCase,
    stringLastIndexOf: win.String.prototype.lastIndexOf,
  };
}
type Captured = ReturnType<typeof capture>;

export function hookDownloads(win: Win, bridge: MainBridge, intr: Intrinsics): void {
  const c = capture(win);
  const { apply } = intr;
  const call = <T>(fn: Function | undefined, self: unknown, ...args: unknown[]): T => apply(fn!, self, args) as T;

  // Object URL → Blob, kept until revoked (the URL keeps the Blob alive anyway).
  const blobs = new c.Map<string, Blob>();
  // Activations already handled or released by us: a click() is seen by the method hook and
  // by the window listener; the click that starts an allowed download must pass both.
  const seen = new c.WeakSet<Event>();

  /** Starts the download an allowed link stood for: a click of our own, marked as handled. */
  function release(link: Element): void {
    const click = new c.MouseEvent('click', { bubbles: true, cancelable: true, view: win });
    call(c.weakAdd, seen, click);
    call(intr.dispatchEvent, link, click);
  }

  replaceMethod<typeof URL.createObjectURL>(
    win.URL,
    'createObjectURL',
    (original) =>
      ({
        createObjectURL(this: unknown, object: Blob | MediaSource) {
          const url = apply(original, this, arguments) as string;
          if (object instanceof intr.Blob) call(c.mapSet, blobs, url, object);
          return url;
        },
      }).createObjectURL,
    intr,
  );
  replaceMethod<typeof URL.revokeObjectURL>(
    win.URL,
    'revokeObjectURL',
    (original) =>
      ({
        revokeObjectURL(this: unknown, url: string) {
          call(c.mapDelete, blobs, String(url));
          return apply(original, this, arguments) as void;
        },
      }).revokeObjectURL,
    intr,
  );

  /** The link an activation would follow: the anchor/area itself or its nearest ancestor. */
  function linkOf(node: unknown): Element | null {
    let current = node;
    for (let depth = 0; current && depth < 64; depth++) {
      if (current instanceof c.HTMLAnchorElement || (c.HTMLAreaElement && current instanceof c.HTMLAreaElement)) return current as Element;
      current = call<Node | null>(c.parentNode, current);
    }
    return null;
  }

  function hrefOf(link: Element): string {
    const getter = link instanceof c.HTMLAnchorElement ? c.anchorHref : c.areaHref;
    return getter ? call<string>(getter, link) : '';
  }

  /** The file behind a page-made URL, or null when the URL is not one (http: links go to the browser layer). */
  function fileOf(url: string, suggestedName: string, via: FileSaveRoute): PageFile | null {
    const scheme = call<string>(c.stringToLowerCase, call<string>(c.stringSlice, url, 0, 5));
    if (scheme !== 'blob:' && scheme !== 'data:') return null;
    const blob = scheme === 'blob:' ? (call<Blob | undefined>(c.mapGet, blobs, url) ?? null) : null;
    const mime = blob ? call<string>(c.blobType, blob) : '';
    const name = suggestedName || (blob instanceof intr.File ? call<string>(c.fileName, blob) : '');
    return {
      name: call<string>(c.stringSlice, name, 0, 255),
      mime: call<string>(c.stringSlice, mime, 0, 200),
      blob,
      dataUrl: scheme === 'data:' ? url : null,
      blobUrl: scheme === 'blob:' ? call<string>(c.stringSlice, url, 0, 500) : null,
      via,
    };
  }

  /** Decides an activation of a download link; true when it was taken over (default prevented). */
  function onActivation(event: Event): void {
    if (call<boolean>(c.weakHas, seen, event)) return;
    call(c.weakAdd, seen, event);
    if (call<string>(c.eventType, event) !== 'click' || call<boolean>(c.defaultPrevented, event)) return;
    const path = call<EventTarget[]>(c.composedPath, event);
    const link = linkOf(path.length > 0 ? path[0] : call(c.eventTarget, event));
    if (!link) return;
    const file = fileOf(hrefOf(link), call<string | null>(c.getAttribute, link, 'download') ?? '', 'link');
    if (!file) return;
    call(c.preventDefault, event);
    void (async () => {
      if (!(await bridge.askFile(file))) release(link);
    })();
  }

  // Links in the document, activated by the user or by script: window, capture phase,
  // registered before any page script, so it runs first.
  apply(intr.addEventListener, win, ['click', onActivation, true]);

  // Detached links (created, clicked, dropped by export libraries) never reach window:
  // their click() and dispatchEvent(click) get our listener on the element itself.
  const guardDetached = (target: unknown) => {
    const link = linkOf(target);
    if (link) apply(intr.addEventListener, target, ['click', onActivation, { capture: true, once: true }]);
  };
  replaceMethod<HTMLElement['click']>(
    win.HTMLElement.prototype,
    'click',
    (original) =>
      ({
        click(this: HTMLElement) {
          guardDetached(this);
          return apply(original, this, arguments) as void;
        },
      }).click,
    intr,
  );
  // A click event made by script (FileSaver: `new MouseEvent('click')`) is not cancelable,
  // yet it still starts the download: such a dispatch is held here, not cancelled.
  replaceMethod<EventTarget['dispatchEvent']>(
    win.EventTarget.prototype,
    'dispatchEvent',
    (original) =>
      ({
        dispatchEvent(this: EventTarget, event: Event) {
          if (!(event instanceof c.MouseEvent) || call<string>(c.eventType, event) !== 'click') {
            return apply(original, this, arguments) as boolean;
          }
          const link = call<boolean>(c.weakHas, seen, event) ? null : linkOf(this);
          const file = link ? fileOf(hrefOf(link), call<string | null>(c.getAttribute, link, 'download') ?? '', 'link') : null;
          if (!file) return apply(original, this, arguments) as boolean;
          // Held: the window listener leaves this event to us, and it is dispatched once decided.
          call(c.weakAdd, seen, event);
          const self = this;
          const args = arguments;
          void (async () => {
            if (!(await bridge.askFile(file))) apply(original, self, args);
          })();
          return true;
        },
      }).dispatchEvent,
    intr,
  );

  hookOpenOfFiles(win, bridge, intr, fileOf);
  hookSavePicker(win, bridge, intr, c);
}

/** window.open(blob: or data: URL): shows or saves the file; decided like a link, opened after. */
function hookOpenOfFiles(
  win: Win,
  bridge: MainBridge,
  intr: Intrinsics,
  fileOf: (url: string, name: string, via: FileSaveRoute) => PageFile | null,
): void {
  const { apply } = intr;
  replaceMethod<Window['open']>(
    win,
    'open',
    (original) =>
      ({
        open(this: unknown, url?: string | URL) {
          const file = url === undefined || url === null ? null : fileOf(String(url), '', 'open');
          if (!file) return apply(original, this, arguments) as Window | null;
          const args: unknown[] = [];
          for (let i = 0; i < arguments.length; i++) args[i] = arguments[i];
          const self = this;
          void (async () => {
            if (!(await bridge.askFile(file))) apply(original, self, args);
          })();
          return null; // what a blocked popup returns; pages handle it
        },
      }).open,
    intr,
  );
}

/**
 * File System Access API: a writable stream writes to a swap file that replaces the real
 * file only at close(). What was written is kept (as Blob parts) and decided at close();
 * blocked: the stream is aborted. Every handle is guarded except those known to be in the
 * origin-private file system (navigator.storage.getDirectory() and what is opened
 * under it), which never leaves the browser: a handle from the save picker, a dropped
 * file, or one an app restored from IndexedDB is a file on the user's disk.
 */
function hookSavePicker(win: Win, bridge: MainBridge, intr: Intrinsics, c: Captured): void {
  const w = win as Win & {
    StorageManager?: { prototype: { getDirectory(): Promise<FileSystemDirectoryHandle> } };
    FileSystemFileHandle?: { prototype: FileSystemFileHandle & { createWritable(...a: unknown[]): Promise<unknown> } };
    FileSystemDirectoryHandle?: { prototype: FileSystemDirectoryHandle };
    FileSystemWritableFileStream?: { prototype: { write(data: unknown): Promise<void> } };
  };
  const streamProto = w.FileSystemWritableFileStream?.prototype;
  if (!w.FileSystemFileHandle || !streamProto) return;
  const { apply } = intr;
  const originPrivate = new c.WeakSet<object>();
  type Written = { handle: FileSystemFileHandle; parts: BlobPart[] };
  const parts = new c.WeakMap<object, Written>();
  const abort = win.WritableStream.prototype.abort;

  const markPrivate = <T extends object>(promise: Promise<T>): Promise<T> =>
    (async () => {
      const handle = await promise;
      apply(c.weakAdd, originPrivate, [handle]);
      return handle;
    })();

  if (w.StorageManager) {
    replaceMethod<() => Promise<object>>(
      w.StorageManager.prototype,
      'getDirectory',
      (original) =>
        ({
          getDirectory(this: unknown) {
            return markPrivate(apply(original, this, arguments) as Promise<object>);
          },
        }).getDirectory,
      intr,
    );
  }
  // What is opened under an origin-private directory is origin-private too.
  if (w.FileSystemDirectoryHandle) {
    for (const key of ['getFileHandle', 'getDirectoryHandle'] as const) {
      replaceMethod<(...args: unknown[]) => Promise<object>>(
        w.FileSystemDirectoryHandle.prototype,
        key,
        (original) =>
          ({
            [key](this: object) {
              const result = apply(original, this, arguments) as Promise<object>;
              return apply(c.weakHas, originPrivate, [this]) ? markPrivate(result) : result;
            },
          })[key]!,
        intr,
      );
    }
  }
  replaceMethod<(...args: unknown[]) => Promise<object>>(
    w.FileSystemFileHandle.prototype,
    'createWritable',
    (original) =>
      ({
        createWritable(this: FileSystemFileHandle) {
          const result = apply(original, this, arguments) as Promise<object>;
          if (apply(c.weakHas, originPrivate, [this])) return result;
          const handle = this;
          return (async () => {
            const stream = await result;
            apply(c.weakMapSet, parts, [stream, { handle, parts: [] }]);
            return stream;
          })();
        },
      }).createWritable,
    intr,
  );
  replaceMethod<(data: unknown) => Promise<void>>(
    streamProto,
    'write',
    (original) =>
      ({
        write(this: object, data: unknown) {
          const record = apply(c.weakMapGet, parts, [this]) as Written | undefined;
          if (record) {
            // write(data) or write({type: 'write', data}); seek/truncate are kept as they are.
            const payload = data !== null && typeof data === 'object' && 'type' in (data as object) ? (data as { data?: unknown }).data : data;
            if (payload !== undefined && payload !== null) record.parts.push(payload as BlobPart);
          }
          return apply(original, this, arguments) as Promise<void>;
        },
      }).write,
    intr,
  );
  /**
   * Decides what a tracked stream received. Blocked: `stop` aborts the stream, which drops
   * its swap file; the file itself is left as it was before (empty when the picker just
   * made it). It is not removed: a user who saved over an existing file would lose it.
   */
  const decideAtClose = async (record: Written, finish: () => Promise<void>, stop: () => Promise<void>): Promise<void> => {
    let blob: Blob;
    try {
      blob = new intr.Blob(record.parts as BlobPart[]);
    } catch {
      blob = new intr.Blob([]);
    }
    const blocked = await bridge.askFile({ name: record.handle.name, mime: '', blob, dataUrl: null, blobUrl: null, via: 'save-picker' });
    if (!blocked) return finish();
    try {
      await stop();
    } catch {
      // already errored: nothing was committed either
    }
    throw new intr.DOMException('The file was not saved: it holds customer information (Baomi Guard).', 'NotAllowedError');
  };

  // close() and abort() live on WritableStream.prototype, which the file stream inherits.
  replaceMethod<() => Promise<void>>(
    win.WritableStream.prototype,
    'close',
    (original) =>
      ({
        close(this: object) {
          const record = apply(c.weakMapGet, parts, [this]) as Written | undefined;
          if (!record) return apply(original, this, arguments) as Promise<void>;
          apply(c.weakMapDelete, parts, [this]);
          const self = this;
          return decideAtClose(
            record,
            () => apply(original, self, []) as Promise<void>,
            () => apply(abort, self, []) as Promise<void>,
          );
        },
      }).close,
    intr,
  );

  // The writer route (stream.getWriter().write(…) … writer.close()): the same record, kept per writer.
  const writers = new c.WeakMap<object, { stream: object; record: Written }>();
  replaceMethod<() => WritableStreamDefaultWriter>(
    win.WritableStream.prototype,
    'getWriter',
    (original) =>
      ({
        getWriter(this: object) {
          const writer = apply(original, this, arguments) as WritableStreamDefaultWriter;
          const record = apply(c.weakMapGet, parts, [this]) as Written | undefined;
          if (record) apply(c.weakMapSet, writers, [writer, { stream: this, record }]);
          return writer;
        },
      }).getWriter,
    intr,
  );
  const writerProto = win.WritableStreamDefaultWriter.prototype;
  replaceMethod<(chunk: unknown) => Promise<void>>(
    writerProto,
    'write',
    (original) =>
      ({
        write(this: object, chunk: unknown) {
          const entry = apply(c.weakMapGet, writers, [this]) as { record: Written } | undefined;
          if (entry && chunk !== undefined && chunk !== null) {
            const payload = typeof chunk === 'object' && 'type' in (chunk as object) ? (chunk as { data?: unknown }).data : chunk;
            if (payload !== undefined && payload !== null) entry.record.parts.push(payload as BlobPart);
          }
          return apply(original, this, arguments) as Promise<void>;
        },
      }).write,
    intr,
  );
  const releaseLock = writerProto.releaseLock;
  replaceMethod<() => Promise<void>>(
    writerProto,
    'close',
    (original) =>
      ({
        close(this: object) {
          const entry = apply(c.weakMapGet, writers, [this]) as { stream: object; record: Written } | undefined;
          if (!entry) return apply(original, this, arguments) as Promise<void>;
          apply(c.weakMapDelete, writers, [this]);
          apply(c.weakMapDelete, parts, [entry.stream]);
          const self = this;
          return decideAtClose(
            entry.record,
            () => apply(original, self, []) as Promise<void>,
            async () => {
              // The stream can only be aborted once the writer let go of it.
              apply(releaseLock, self, []);
              await (apply(abort, entry.stream, []) as Promise<void>);
            },
          );
        },
      }).close,
    intr,
  );
}
