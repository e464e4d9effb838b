import type { ShadowRootOf } from '../dom/text-map';
import { BRIDGE_SHADOW_ATTACHED } from './bridge-protocol';

/** How guards look into the DOM: which shadow roots they can open, which elements are ours. */
export interface DomOptions {
  shadowRootOf: ShadowRootOf;
  skip: (element: Element, tag?: string) => boolean;
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
  'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'DIV', 'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER',
  'MAIN', 'NAV', 'P', 'SECTION', 'SPAN',
]);

/** Whether `element` could have a shadow root; a cheap filter before the (costly) extension API call. */
export function canHostShadow(element: Element, tag: string = element.tagName): boolean {
  if (tag.includes('-')) return true;
  return SHADOW_HOST_TAGS.has(tag) || SHADOW_HOST_TAGS.has(tag.toUpperCase());
}

/**
 * Chromium gives content scripts `chrome.dom.openOrClosedShadowRoot`, so text in
 * *closed* shadow roots is seen too; elsewhere only open roots. The API is an extension
 * binding (~1 µs per call: two thirds of a 1 MB copy decision when asked for every <p>),
 * so it is only asked about elements that can host a root, and answers are cached:
 *
 *  - a root, once attached, stays for the element's life: a found root is kept;
 *  - "no root" can change only when the page attaches one later. Imperative roots go
 *    through Element.prototype.attachShadow, whose MAIN-world hook announces each call
 *    synchronously (BRIDGE_SHADOW_ATTACHED): every "no root" answer is then forgotten
 *    (a generation counter). Declarative roots (<template shadowrootmode>) are attached
 *    by the parser: while the document is still loading, "no root" is not cached.
 *
 * Residual gap (docs/ARCHITECTURE.md): a page script that attaches a closed root with an
 * attachShadow taken from a realm our hook has not reached (a racing about:blank frame)
 * to an element we already saw without one could hide that root's text from copy checks.
 */
export function createDomOptions(win: Window = window): DomOptions {
  const api = (globalThis as { chrome?: ChromeDom }).chrome?.dom?.openOrClosedShadowRoot;
  if (!api) return { shadowRootOf: (element: Element) => element.shadowRoot, skip: isOwnElement };

  const doc = win.document;
  /** A found root, or the generation in which the element had none. */
  const known = new WeakMap<Element, ShadowRoot | number>();
  let generation = 0;
  let loading = doc.readyState === 'loading';
  win.addEventListener(BRIDGE_SHADOW_ATTACHED, () => void generation++, true);
  doc.addEventListener('readystatechange', () => void (loading = doc.readyState === 'loading'), true);

  const shadowRootOf = (element: Element, tag: string = element.tagName): ShadowRoot | null => {
    if (!canHostShadow(element, tag) || OWN_TAGS.has(tag)) return null;
    const cached = known.get(element);
    if (cached !== undefined) {
      if (typeof cached !== 'number') return cached;
      if (cached === generation) return null;
    }
    let root: ShadowRoot | null = element.shadowRoot;
    if (!root) {
      try {
        root = api(element as HTMLElement) ?? null;
      } catch {
        return null;
      }
    }
    if (root) known.set(element, root);
    else if (!loading) known.set(element, generation);
    return root;
  };
  return { shadowRootOf, skip: isOwnElement };
}
