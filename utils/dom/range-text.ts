/**
 * The text of a range — what a copy, cut or drag decision reads — built exactly like
 * `mapRange(range, { textOnly: true })` of ./text-map.ts (same separators, skipped
 * elements, shadow content before the host's light children, boundaries), in one loop.
 *
 * Why a second walker: the copy decision on a 1 MB selection visits ~34,000 nodes
 * synchronously inside the copy event, usually in code that has not run yet in this
 * page. TextMapBuilder (built for time-sliced page scans with a segment table) spends
 * that time in small methods and a frame object per element, which the JIT optimises
 * late; one flat loop over parallel stacks gets on-stack-replaced early and allocates
 * nothing per node. Equivalence with mapRange is a property test (range-text.test.ts).
 */
import {
  BLOCK_TAGS,
  CELL_TAGS,
  NO_TEXT_TAGS,
  isUnchosenOption,
  boundaryNodes,
  composedCommonAncestor,
  composedParent,
  defaultShadowRootOf,
  type BoundaryRange,
  type ShadowRootOf,
} from './dom-tree';

export interface RangeTextOptions {
  shadowRootOf?: ShadowRootOf;
  /** Elements not to enter (our own notice/print hosts). */
  skip?: (element: Element, tag?: string) => boolean;
}

const TEXT_NODE = 3;
const CDATA_NODE = 4;
const NEWLINE = 10;
const TAB = 9;

export function rangeText(range: BoundaryRange, options: RangeTextOptions = {}): string {
  const shadowRootOf = options.shadowRootOf ?? defaultShadowRootOf;
  const skip = options.skip;
  const { startContainer, startOffset, endContainer, endOffset } = range;
  const [startBefore, startAfter] = boundaryNodes(startContainer, startOffset);
  const [endBefore, endAfter] = boundaryNodes(endContainer, endOffset);

  /** The boundary containers and their composed ancestors: elements the walk must enter. */
  const onBoundaryPath = new Set<Node>();
  for (let n: Node | null = startContainer; n; n = composedParent(n)) onBoundaryPath.add(n);
  for (let n: Node | null = endContainer; n; n = composedParent(n)) onBoundaryPath.add(n);

  const parts: string[] = [];
  let lastChar = NEWLINE; // as if after a line break: no separator first
  let endsWithCellTab = false; // the last part is a cell separator, not the page's own tab
  let inRange = false;
  let done = false;

  const separator = (char: number): void => {
    if (!inRange || lastChar === NEWLINE || lastChar === char) return;
    if (endsWithCellTab) {
      parts[parts.length - 1] = '\n'; // a row ends: "a\tb\t" + "\n" → "a\tb\n"
      lastChar = NEWLINE;
      endsWithCellTab = false;
      return;
    }
    parts.push(char === NEWLINE ? '\n' : '\t');
    lastChar = char;
    endsWithCellTab = char === TAB;
  };
  const leave = (node: Node, sep: number): void => {
    if (sep) separator(sep);
    if (node === startAfter) inRange = true;
    if (node === endAfter) done = true;
  };

  // The walk: one entry per open node (element, or the root document/fragment/shadow
  // root): the next child to visit, the host whose light children follow (when the
  // children being walked are its shadow root's), and the separator to add on leaving.
  const owners: Node[] = [];
  const nexts: (Node | null)[] = [];
  const hosts: (Element | null)[] = [];
  const seps: number[] = [];

  let node: Node | null = composedCommonAncestor(startContainer, endContainer);
  while (!done) {
    if (node) {
      if (node === startBefore) inRange = true;
      if (node === endBefore) break;
      // `tagName` is undefined on anything but an element: a property lookup in this
      // world, not a DOM call (each DOM call costs a binding round trip in an isolated world).
      const name = (node as Element).tagName as string | undefined;
      if (name !== undefined) {
        const element = node as Element;
        // HTML tag names are upper case already; SVG/XML ones ('svg', 'foreignObject') are not.
        const tag = name.charCodeAt(0) >= 97 ? name.toUpperCase() : name;
        if (NO_TEXT_TAGS.has(tag) || isUnchosenOption(element, tag) || skip?.(element, name)) {
          leave(element, 0);
        } else {
          const sep = BLOCK_TAGS.has(tag) ? NEWLINE : CELL_TAGS.has(tag) ? TAB : 0;
          if (sep) separator(sep);
          const shadow = shadowRootOf(element, name);
          if (!shadow && !onBoundaryPath.has(element) && element.childElementCount === 0) {
            // A leaf with no boundary inside: its text is its text nodes in order, so one
            // textContent read replaces a DOM call per child (each costs a wrapper lookup).
            if (inRange) {
              const text = element.textContent;
              if (text) {
                parts.push(text);
                lastChar = text.charCodeAt(text.length - 1);
                endsWithCellTab = false;
              }
            }
            leave(element, sep);
            if (done) break;
            node = null;
            continue;
          }
          owners.push(element);
          nexts.push(shadow ? shadow.firstChild : element.firstChild);
          hosts.push(shadow ? element : null);
          seps.push(sep);
        }
      } else {
        const type = node.nodeType;
        if (type === TEXT_NODE || type === CDATA_NODE) {
          const data = (node as CharacterData).data;
          let from = 0;
          let to = data.length;
          if (node === startContainer) {
            from = startOffset;
            inRange = true;
          }
          const isEnd = node === endContainer;
          if (isEnd) to = endOffset;
          if (inRange && to > from) {
            const piece = from === 0 && to === data.length ? data : data.slice(from, to);
            parts.push(piece);
            lastChar = piece.charCodeAt(piece.length - 1);
            endsWithCellTab = false;
          }
          if (isEnd) break;
        } else if (node.firstChild && type !== 8 /* comment */) {
          // Document, DocumentFragment, ShadowRoot as the root.
          owners.push(node);
          nexts.push(node.firstChild);
          hosts.push(null);
          seps.push(0);
        }
      }
    }
    if (done) break; // the range ended right after a skipped element
    // Next node: the top entry's next child, else its host's light children, else pop.
    const top = owners.length - 1;
    if (top < 0) break;
    const next = nexts[top]!;
    if (next) {
      nexts[top] = next.nextSibling;
      node = next;
    } else if (hosts[top]) {
      nexts[top] = hosts[top]!.firstChild;
      hosts[top] = null;
      node = null;
    } else {
      const owner = owners.pop()!;
      nexts.pop();
      hosts.pop();
      leave(owner, seps.pop()!);
      node = null;
    }
  }
  return parts.join('');
}

/**
 * Warms up rangeText over a small detached tree, so the JIT has optimised it before
 * the first real copy: a cold walk over a 1 MB selection costs several times a warm one.
 * Returns a step to call in idle periods: it runs rounds (about 1 ms each) while the
 * period has 2 ms left, and returns true once all rounds ran. Run once per frame
 * after the first page scan. Builds nodes with createElement (no innerHTML: Trusted
 * Types pages refuse strings).
 */
export function rangeTextWarmUp(
  doc: Document,
  options: RangeTextOptions = {},
  rounds = 30,
): (idle: { timeRemaining(): number }) => boolean {
  const root = doc.createElement('div');
  for (let i = 0; i < 100; i++) {
    const block = doc.createElement(i % 4 ? 'p' : 'span');
    const inline = doc.createElement('b');
    inline.append(doc.createTextNode('1234'));
    block.append(doc.createTextNode('会议纪要 138'), inline, doc.createComment(''));
    root.append(block);
  }
  const range = doc.createRange();
  range.selectNodeContents(root);
  let left = rounds;
  return (idle) => {
    do {
      if (left <= 0) break;
      rangeText(range, options);
      left--;
    } while (idle.timeRemaining() >= 2);
    return left <= 0;
  };
}
