import type { ShadowRootOf } from '../dom/text-map';

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
 * binding (µs per call, the top self-time item when mapping a large DOM), so it is only
 * asked about elements that can host a root and whose root is not open.
 */
export function createDomOptions(): DomOptions {
  const api = (globalThis as { chrome?: ChromeDom }).chrome?.dom?.openOrClosedShadowRoot;
  const shadowRootOf = api
    ? (element: Element, tag: string = element.tagName) => {
        if (!canHostShadow(element, tag) || OWN_TAGS.has(tag)) return null;
        const open = element.shadowRoot;
        if (open) return open;
        try {
          return api(element as HTMLElement) ?? null;
        } catch {
          return null;
        }
      }
    : (element: Element) => element.shadowRoot;
  return { shadowRootOf, skip: isOwnElement };
}
