/**
 * What both text walkers (text-map.ts for page scans, range-text.ts for copy decisions)
 * agree on: which elements hold no text, which end a line or a cell, which fields hold a
 * value, and how range boundaries and the composed (shadow-crossing) tree are read.
 */

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

/** `tag` (the element's tagName, when the caller has it) saves a DOM call per element. */
export type ShadowRootOf = (element: Element, tag?: string) => ShadowRoot | null;

/** A boundary point, as in Range/StaticRange: (container, offset). */
export interface BoundaryRange {
  startContainer: Node;
  startOffset: number;
  endContainer: Node;
  endOffset: number;
}

/** Elements whose content is never text the user sees (or copies). A datalist holds suggestions only. */
export const NO_TEXT_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'FRAME',
  'OBJECT',
  'EMBED',
  'SVG',
  'CANVAS',
  'DATALIST',
]);
/** Elements that end a line ("\n" before and after); table cells are tab separated. */
export const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BR',
  'CAPTION',
  'DD',
  'DETAILS',
  'DIALOG',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'OPTION',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'TFOOT',
  'THEAD',
  'TR',
  'UL',
  'BODY',
  'HTML',
]);
export const CELL_TAGS = new Set(['TD', 'TH']);
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'tel', 'email', 'url', 'number']);

/**
 * An `<option>` that is not chosen: one of a control's choices, not the page's content.
 * A 密级 `<select>` lists 秘密/机密/绝密 on every form; only the selected option is what
 * a reader takes for the page's classification (and what a copy of the form carries).
 * Called with the upper-case tag, so the `selected` read (a DOM call) is paid by options only.
 */
export function isUnchosenOption(element: Element, tag: string): boolean {
  return tag === 'OPTION' && (element as HTMLOptionElement).selected !== true;
}

export const defaultShadowRootOf: ShadowRootOf = (element) => element.shadowRoot;

/** Parent in the composed tree (a shadow root's parent is its host). */
export function composedParent(node: Node): Node | null {
  return node.parentNode ?? (node as ShadowRoot).host ?? null;
}

/** The node whose `value` the guard may map: a textarea or a text-like input. */
export function isTextField(node: Node): node is HTMLInputElement | HTMLTextAreaElement {
  if (node.nodeType !== ELEMENT_NODE) return false;
  const tag = (node as Element).tagName;
  if (tag === 'TEXTAREA') return true;
  return tag === 'INPUT' && TEXT_INPUT_TYPES.has(((node as HTMLInputElement).getAttribute('type') ?? '').toLowerCase());
}

/**
 * A boundary (container, offset) as the walk sees it: "just before node X" or
 * "just after element Y" (offset == child count), or [null, null] for a text container
 * (handled inside the text node).
 */
export function boundaryNodes(container: Node, offset: number): [Node | null, Node | null] {
  const type = container.nodeType;
  if (type === TEXT_NODE || type === CDATA_NODE || type === 8 /* comment */) return [null, null];
  const child = container.childNodes[offset];
  return child ? [child, null] : [null, container];
}

/** Nearest common ancestor in the composed tree (crossing shadow boundaries). */
export function composedCommonAncestor(a: Node, b: Node): Node {
  const ancestors = new Set<Node>();
  for (let node: Node | null = a; node; node = composedParent(node)) ancestors.add(node);
  for (let node: Node | null = b; node; node = composedParent(node)) if (ancestors.has(node)) return node;
  return a.ownerDocument ?? a;
}
