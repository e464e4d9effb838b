import { NodeValues } from '../dom/node-marks';
import type { ShadowRootOf } from '../dom/dom-tree';
import { BRIDGE_SHADOW_ATTACHED } from './bridge/bridge-protocol';

/** How guards look into the DOM: which shadow roots they can open, which elements are ours. */
export interface DomOptions {
  shadowRootOf: ShadowRootOf;
  skip: (element: Element, tag?: string) => boolean;
  /** The parsed document was scanned once in full: closed-root lookups may stop (see createDomOptions). */
  settle(): void;
}

const OWN_TAGS = new Set(['BAOMI-NOTICE', 'BAOMI-PRINT']);

export function isOwnElement(element: Element, tag: string = element.tagName): boolean {
  return OWN_TAGS.has(tag);
}

interface ChromeDom {
  dom?: { openOrClosedShadowRoot?: (element: HTMLElement) => ShadowRoot | null };
}

/**
 * Elements that can host a shadow root (DOM standard, "valid shadow host name"; the
 * same list gates declarative shadow DOM): autonomous custom elements (a '-' in the
 * name) and these. Anything else (td, tr, a, b, li, …) never has one, open or closed.
 */
const SHADOW_HOST_TAGS = new Set([
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BODY',
  'DIV',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'MAIN',
  'NAV',
  'P',
  'SECTION',
  'SPAN',
]);

/** Whether `element` could have a shadow root; a cheap filter before the (costly) extension API call. */
export function canHostShadow(element: Element, tag: string = element.tagName): boolean {
  if (tag.includes('-')) return true;
  if (SHADOW_HOST_TAGS.has(tag)) return true;
  // HTML tag names come upper case; only XHTML/XML documents need the (allocating) fold.
  return tag.charCodeAt(0) >= 97 && SHADOW_HOST_TAGS.has(tag.toUpperCase());
}

/**
 * Chromium and Firefox give content scripts a closed-root lookup (closedRootApi), so
 * text in *closed* shadow roots is seen too; elsewhere only open roots. The API is an extension
 * binding (~1 µs per call: two thirds of a 1 MB copy decision, the top cost of following
 * a chat page, when asked about every <div>/<p>/<span>). So:
 *
 *  - it is only asked about elements that can host a root, after `element.shadowRoot`
 *    (open roots) came back empty;
 *  - answers are cached per element: a root stays for the element's life; "no root" is
 *    forgotten when the page may have made a closed root (the MAIN-world hooks announce
 *    it synchronously, BRIDGE_SHADOW_ATTACHED) and not cached while the document parses
 *    (declarative <template shadowrootmode> roots appear then);
 *  - once the document is parsed and the first full page scan (which asks about every
 *    element) found no closed root, `settle()` stops asking: only `element.shadowRoot`
 *    is read until the page announces a closed root, which switches the lookup back on
 *    for good, or the document is re-opened for parsing.
 *
 * Residual gap (docs/ARCHITECTURE.md): a closed root made where our MAIN-world hook does
 * not run (an attachShadow taken from a racing about:blank frame, a node moved in from
 * another document) can hide its text from the guards; page scripts must do that on
 * purpose, which a page can anyway (it holds the data).
 */
/**
 * The closed-root lookup this browser gives content scripts: Chromium's
 * `chrome.dom.openOrClosedShadowRoot(element)`, Firefox's `element.openOrClosedShadowRoot`
 * (a property only content scripts see; without it Firefox copied text from closed roots).
 */
function closedRootApi(win: Window): ((element: HTMLElement) => ShadowRoot | null | undefined) | undefined {
  const chromeApi = (globalThis as { chrome?: ChromeDom }).chrome?.dom?.openOrClosedShadowRoot;
  if (chromeApi) return chromeApi;
  const elementProto = (win as Window & { Element?: typeof Element }).Element?.prototype;
  if (elementProto && 'openOrClosedShadowRoot' in elementProto) {
    return (element) => (element as HTMLElement & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
  }
  return undefined;
}

export function createDomOptions(win: Window = window): DomOptions {
  const api = closedRootApi(win);
  if (!api) return { shadowRootOf: (element: Element) => element.shadowRoot, skip: isOwnElement, settle() {} };

  const doc = win.document;
  /** A found closed root, or the generation in which the element had none. */
  // Not a WeakMap: a full walk asks about every <div>/<p>/<span> (see node-marks.ts).
  const known = new NodeValues<ShadowRoot | number>();
  let generation = 0;
  let loading = doc.readyState === 'loading';
  /** Ask the API (true until settle(); for good once a closed root was seen or announced). */
  let exact = true;
  let closedSeen = false;
  win.addEventListener(
    BRIDGE_SHADOW_ATTACHED,
    () => {
      generation++;
      closedSeen = true;
      exact = true;
    },
    true,
  );
  doc.addEventListener(
    'readystatechange',
    () => {
      loading = doc.readyState === 'loading';
      if (loading) exact = true;
    },
    true,
  );

  const shadowRootOf = (element: Element, tag: string = element.tagName): ShadowRoot | null => {
    if (!canHostShadow(element, tag) || OWN_TAGS.has(tag)) return null;
    const open = element.shadowRoot;
    if (open || !exact) return open;
    const cached = known.get(element);
    if (cached !== undefined) {
      if (typeof cached !== 'number') return cached;
      if (cached === generation) return null;
    }
    let root: ShadowRoot | null;
    try {
      root = api(element as HTMLElement) ?? null;
    } catch {
      return null;
    }
    if (root) {
      known.set(element, root);
      closedSeen = true;
    } else if (!loading) {
      known.set(element, generation);
    }
    return root;
  };
  const settle = () => {
    if (!closedSeen && !loading) exact = false;
  };
  return { shadowRootOf, skip: isOwnElement, settle };
}
