/**
 * Files a page makes and saves: the guard reads them before the browser does.
 *
 *   - object URLs: URL.createObjectURL(blob) is remembered, so a download link to
 *     `blob:` is decided on the Blob itself (libraries revoke the URL right after);
 *   - download links to `blob:` and `data:` URLs, however they are activated: a user's
 *     click, `a.click()` (SheetJS, Tabulator, jsPDF), `a.dispatchEvent(new MouseEvent('click'))`
 *     (FileSaver) — on anchors in the document or detached ones;
 *   - window.open / navigation of a blob: or data: URL through window.open;
 *   - the File System Access API: ./hook-file-system-access.ts.
 * The activation is cancelled, the file asked about over the bridge, and the same anchor
 * clicked again (once, past this hook) when the verdict allows. Without a verdict the
 * save goes on and the browser-level guard (background) decides.
 */
import type { MainBridge } from '../bridge/bridge-main';
import type { DecideFileRequest, FileSaveRoute } from '../bridge/bridge-protocol';
import type { Intrinsics } from './intrinsics';
import { hookFileSystemAccess } from './hook-file-system-access';
import { replaceMethod } from './native';

type Win = Window & typeof globalThis;
type PageFile = Omit<DecideFileRequest, 'kind' | 'id'>;

function capture(win: Win) {
  const getter = (proto: object | undefined, key: string) => (proto ? win.Object.getOwnPropertyDescriptor(proto, key)?.get : undefined);
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
    stringSlice: win.String.prototype.slice,
    stringToLowerCase: win.String.prototype.toLowerCase,
    stringLastIndexOf: win.String.prototype.lastIndexOf,
  };
}

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
  hookFileSystemAccess(win, bridge, intr);
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
