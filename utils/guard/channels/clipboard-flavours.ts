/**
 * What a copy, cut, drag or paste carries besides the visible text: the browser puts an
 * HTML flavour on the clipboard whose attributes can hold the number the screen masks
 * (`<a href="tel:13812345678">138****5678</a>`), and Chromium writes an image's `alt`
 * into the plain-text flavour. These helpers give the guards that attribute text:
 * from an HTML string (paste, drop, page-set data) and from a live selection (copy).
 *
 * Attributes read: `href`/`src` only with the tel:, mailto:, sms: (and callto:) schemes —
 * ordinary links are addresses, not data, and hold ids that would read as numbers —
 * and `alt`, `title`, `aria-label`, `data-*`, which are text by design.
 */
import { BLOCK_TAGS, CELL_TAGS } from '../../dom/dom-tree';

const DATA_SCHEMES = /^\s*(tel|mailto|sms|callto):/i;
const TEXT_ATTRIBUTES = new Set(['alt', 'title', 'aria-label']);
/** Attributes of this many elements at most are read (a select-all of a huge page). */
export const MAX_ELEMENTS = 100_000;

function decodedUri(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The data-bearing attribute values of one element, appended to `out`. */
export function collectAttributes(element: Element, out: string[]): void {
  // Most elements have none; `attributes` would build a NamedNodeMap for each.
  if (!element.hasAttributes()) return;
  const attributes = element.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const { name, value } = attributes[i]!;
    if (!value) continue;
    if (TEXT_ATTRIBUTES.has(name) || name.startsWith('data-')) out.push(value);
    else if ((name === 'href' || name === 'src') && DATA_SCHEMES.test(value)) out.push(decodedUri(value));
  }
}

/** Visible text and attribute text of an HTML fragment, parsed inert (a <template> runs nothing). */
export function htmlTexts(doc: Document, html: string): string[] {
  if (!html) return [];
  const template = doc.createElement('template');
  template.innerHTML = html;
  const values: string[] = [];
  const elements = template.content.querySelectorAll('*');
  for (let i = 0; i < elements.length && i < MAX_ELEMENTS; i++) collectAttributes(elements[i]!, values);
  return [template.content.textContent ?? '', values.join('\n')].filter(Boolean);
}

/**
 * Attribute text of what a copy of the current selection puts in its HTML flavour: the
 * elements inside each selected range, and the inline ancestors the browser wraps the
 * fragment in (the <a> around a selected masked number), up to the first block or cell.
 */
export function selectionAttributeText(win: Window): string {
  const selection = win.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return '';
  const values: string[] = [];
  let budget = MAX_ELEMENTS;
  for (let r = 0; r < selection.rangeCount; r++) {
    const range = selection.getRangeAt(r);
    for (let node: Node | null = range.commonAncestorContainer; node && node.nodeType !== 9; node = node.parentNode) {
      if (node.nodeType !== 1) continue;
      const element = node as Element;
      if (BLOCK_TAGS.has(element.tagName) || CELL_TAGS.has(element.tagName) || element.tagName === 'BODY') break;
      collectAttributes(element, values);
    }
    // Elements the range starts inside (partly selected: the browser copies them too).
    for (let node: Node | null = range.startContainer; node && node !== range.commonAncestorContainer; node = node.parentNode) {
      if (node.nodeType === 1) collectAttributes(node as Element, values);
    }
    budget = elementsInRange(range, budget, (element) => collectAttributes(element, values));
    if (budget <= 0) break;
  }
  return values.join('\n');
}

/** The first node after `node`'s subtree in document order, staying inside `root`. */
function nextOutside(node: Node, root: Node): Node | null {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) if (n.nextSibling) return n.nextSibling;
  return null;
}

/** The first node that starts at or after the boundary point (container, offset), inside `root`. */
function nodeAtBoundary(container: Node, offset: number, root: Node): Node | null {
  const isParent = container.nodeType === 1 || container.nodeType === 9 || container.nodeType === 11;
  return (isParent ? container.childNodes[offset] : undefined) ?? (container === root ? null : nextOutside(container, root));
}

/**
 * Calls `visit` for each element the range intersects below its common ancestor, in
 * document order: a walk from the node at the start boundary to the node at the end
 * boundary. Per-node `Range.comparePoint`/`intersectsNode` would be quadratic here
 * (Chromium finds a node's index by walking its previous siblings): 800 ms on a 1 MB
 * selection of 20,000 paragraphs, against a few ms for this walk (bench:page, copy).
 */
function elementsInRange(range: Range, budget: number, visit: (element: Element) => void): number {
  const root = range.commonAncestorContainer;
  if (root.nodeType !== 1 && root.nodeType !== 11) return budget;
  const stop = firstElementFrom(nodeAtBoundary(range.endContainer, range.endOffset, root), root);
  const first = firstElementFrom(nodeAtBoundary(range.startContainer, range.startOffset, root), root);
  if (!first) return budget;
  // A native walker over elements only: one call per element instead of three per node.
  const walker = (root.ownerDocument ?? (root as Document)).createTreeWalker(root, 1 /* NodeFilter.SHOW_ELEMENT */);
  walker.currentNode = first;
  for (let node: Node | null = first; node && node !== stop && budget > 0; node = walker.nextNode()) {
    visit(node as Element);
    budget--;
  }
  return budget;
}

/** `node` if it is an element, else the next element after it in document order inside `root`. */
function firstElementFrom(node: Node | null, root: Node): Element | null {
  while (node && node.nodeType !== 1) node = node.firstChild ?? nextOutside(node, root);
  return node as Element | null;
}
