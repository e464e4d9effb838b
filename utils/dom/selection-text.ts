/**
 * The text a copy/cut/drag would carry, in every form that could hide a number:
 *
 *  1. a text field's selection (`value.slice(selectionStart, selectionEnd)`) when the
 *     focus (through open/reachable shadow roots) is an <input>/<textarea>;
 *  2. `selection.toString()` — the *rendered* text, what the browser actually copies
 *     (skips `display:none` spans that were slipped between digits);
 *  3. the DOM text of each selected range (./range-text.ts: the text map's text) — every text node, hidden or not, so a
 *     number split over spans, or hidden with CSS tricks such as `font-size:0`,
 *     `color:transparent`, off-screen positioning, is one string again. Ranges come
 *     from `getComposedRanges` where available, so a selection inside a shadow root
 *     is seen (plain `getRangeAt` is re-scoped to the host by Chromium).
 *
 * Zero-width characters and full-width digits stay in the text: the detector reads
 * through them. Not covered: text that exists only as CSS generated content
 * (`::before { content: "1234" }`) — browsers do not copy it either, so it cannot leave
 * through the clipboard; it is only "visible", like a screenshot.
 */
import { rangeText } from './range-text';
import { composedParent, defaultShadowRootOf, isTextField, type ShadowRootOf } from './dom-tree';

export interface SelectionSource {
  /** Distinct candidate texts (see module comment); empty when nothing is selected. */
  texts: string[];
  /** Where the selection is: 'field' (input/textarea), 'dom', or 'none'. */
  kind: 'field' | 'dom' | 'none';
}

type ComposedRanges = (...args: unknown[]) => StaticRange[];

/** The focused element, looking through shadow roots we can reach. */
export function deepActiveElement(doc: Document, shadowRootOf: ShadowRootOf = defaultShadowRootOf): Element | null {
  let active = doc.activeElement;
  for (let i = 0; active && i < 32; i++) {
    const root = shadowRootOf(active);
    const inner = root?.activeElement;
    if (!inner) break;
    active = inner;
  }
  return active;
}

/** Selected text of a text field, or null when it has no selection. */
export function fieldSelection(element: Element | null): string | null {
  if (!element || !isTextField(element)) return null;
  try {
    const { selectionStart, selectionEnd, value } = element;
    if (selectionStart === null || selectionEnd === null || selectionStart === selectionEnd) return null;
    return value.slice(Math.min(selectionStart, selectionEnd), Math.max(selectionStart, selectionEnd));
  } catch {
    return null; // input types without selection support (number, email) throw
  }
}

/** Shadow roots on the composed ancestor chains of the selection's anchor and focus. */
function shadowRootsAround(selection: Selection, shadowRootOf: ShadowRootOf): ShadowRoot[] {
  const roots = new Set<ShadowRoot>();
  for (const start of [selection.anchorNode, selection.focusNode]) {
    for (let node: Node | null = start; node; node = composedParent(node)) {
      if (node.nodeType === 1) {
        const root = shadowRootOf(node as Element);
        if (root) roots.add(root);
      }
    }
  }
  return [...roots];
}

/** Ranges of the selection, composed (crossing into shadow roots) when the browser can. */
export function selectionRanges(selection: Selection, shadowRootOf: ShadowRootOf = defaultShadowRootOf): AbstractRange[] {
  const composed = (selection as unknown as { getComposedRanges?: ComposedRanges }).getComposedRanges;
  if (typeof composed === 'function') {
    const roots = shadowRootsAround(selection, shadowRootOf);
    try {
      // Current signature: getComposedRanges({ shadowRoots: [...] }).
      return composed.call(selection, { shadowRoots: roots });
    } catch {
      try {
        // Older Chromium (≤ 136) took the roots as rest arguments.
        return composed.call(selection, ...roots);
      } catch {
        /* fall through */
      }
    }
  }
  const ranges: AbstractRange[] = [];
  for (let i = 0; i < selection.rangeCount; i++) ranges.push(selection.getRangeAt(i));
  return ranges;
}

/** Above this many characters of DOM text, selection.toString() is skipped (see below). */
export const RENDERED_TEXT_LIMIT = 100_000;

export interface SelectionTextOptions {
  shadowRootOf?: ShadowRootOf;
  skip?: (element: Element, tag?: string) => boolean;
}

export function selectionText(win: Window, options: SelectionTextOptions = {}): SelectionSource {
  const shadowRootOf = options.shadowRootOf ?? defaultShadowRootOf;
  const field = fieldSelection(deepActiveElement(win.document, shadowRootOf));
  if (field !== null) return { texts: [field], kind: 'field' };

  const selection = win.getSelection();
  if (!selection || selection.rangeCount === 0) return { texts: [], kind: 'none' };
  // An array, not a Set: a Set hashes every string, a full pass over a 1 MB selection.
  const texts: string[] = [];
  let mapped = 0;
  for (const range of selectionRanges(selection, shadowRootOf)) {
    if (range.collapsed) continue;
    const text = rangeText(range, { shadowRootOf, skip: options.skip });
    mapped += text.length;
    if (text && !texts.includes(text)) texts.push(text);
  }
  // The rendered text costs a layout-aware walk (slow for large selections: docs/PERFORMANCE.md);
  // a huge selection is decided on its DOM text alone (bulk rules fire on it anyway).
  if (mapped <= RENDERED_TEXT_LIMIT) {
    const rendered = selection.toString();
    if (rendered && !texts.includes(rendered)) texts.push(rendered);
  }
  return texts.length ? { texts, kind: 'dom' } : { texts: [], kind: 'none' };
}
