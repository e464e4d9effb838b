import type { ShadowRootOf } from '../dom/text-map';

/** How guards look into the DOM: which shadow roots they can open, which elements are ours. */
export interface DomOptions {
  shadowRootOf: ShadowRootOf;
  skip: (element: Element) => boolean;
}

const OWN_TAGS = new Set(['BAOMI-NOTICE', 'BAOMI-PRINT']);

export function isOwnElement(element: Element): boolean {
  return OWN_TAGS.has(element.tagName);
}

interface ChromeDom {
  dom?: { openOrClosedShadowRoot?: (element: HTMLElement) => ShadowRoot | null };
}

/**
 * Chromium gives content scripts `chrome.dom.openOrClosedShadowRoot`, so text in
 * *closed* shadow roots is seen too; elsewhere only open roots.
 */
export function createDomOptions(): DomOptions {
  const api = (globalThis as { chrome?: ChromeDom }).chrome?.dom?.openOrClosedShadowRoot;
  const shadowRootOf = api
    ? (element: Element) => {
        if (isOwnElement(element)) return null;
        try {
          return api(element as HTMLElement) ?? null;
        } catch {
          return element.shadowRoot;
        }
      }
    : (element: Element) => element.shadowRoot;
  return { shadowRootOf, skip: isOwnElement };
}
