/**
 * A text map of (part of) a DOM: the text nodes in document order concatenated into
 * one string — so `<span>138</span><span>1234</span><b>5678</b>` is one number — with
 * block boundaries as "\n" (table cells "\t"), and a segment table mapping every index
 * of that string back to (node, offset), so a finding's offsets become a DOM Range.
 *
 * Walks open shadow roots (and closed ones when the caller can reach them, e.g. with
 * `chrome.dom.openOrClosedShadowRoot`), shadow content before the host's light
 * children (slot placement is not modelled). Frames are not entered: the content
 * script runs in every frame and each frame maps itself.
 *
 * Pure: takes the nodes it walks, no globals, so unit tests run it on happy-dom.
 */

import type { NodeSet } from './node-marks';
import {
  BLOCK_TAGS,
  CELL_TAGS,
  NO_TEXT_TAGS,
  boundaryNodes,
  defaultShadowRootOf,
  isTextField,
  isUnchosenOption,
  type BoundaryRange,
  type ShadowRootOf,
} from './dom-tree';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

export interface TextSegment {
  /** A Text node, or an <input>/<textarea> whose value was mapped. */
  node: Node;
  /** Index of the segment's first character in {@link TextMap.text}. */
  start: number;
  end: number;
  /** Offset inside the node's data/value where the segment starts. */
  nodeOffset: number;
}

export interface TextMap {
  text: string;
  segments: TextSegment[];
}

export interface TextMapOptions {
  /** Map only the text inside this range (selection extraction). Form values are then skipped. */
  range?: BoundaryRange;
  /** Map <input>/<textarea> values (default true when no range is given). */
  formValues?: boolean;
  shadowRootOf?: ShadowRootOf;
  /** Elements not to enter (our own notice/print hosts). */
  skip?: (element: Element, tag?: string) => boolean;
  /** Nodes already mapped (incremental page scans); text nodes mapped and elements entered are added. */
  seen?: NodeSet;
  /** Form fields whose value was mapped, with that value: an unchanged value is not mapped again. */
  seenValues?: WeakMap<Node, string>;
  /** Build the text only, no segment table (callers that never map offsets back: copy decisions). */
  textOnly?: boolean;
  /**
   * With `textOnly` and no range, for content whose later changes the caller observes
   * (the page scanner, after loading): an element without element children is read with
   * one `textContent` call (in an isolated world each node a DOM call returns costs a
   * wrapper lookup) and reported to `onLeafRead`; if already in `seen` it is not read
   * again (additions since reached the caller as mutations). Other elements are entered.
   */
  leafText?: boolean;
  onLeafRead?: (element: Element) => void;
  /**
   * With `textOnly` and no range, for walks that must enter elements seen before (content
   * added to them was not observed: the document's own walks): an element without
   * element children that was not seen before is still read whole, as with `leafText`,
   * once the parser is done with it (`parsing`: only if it or an ancestor has a next
   * sibling; the parser appends only along the last path). Seen elements are entered,
   * except leaves read whole before (`wasLeafRead`), which are still leaves.
   */
  closedLeaves?: boolean;
  /** The document is still being parsed (see `closedLeaves`). */
  parsing?: boolean;
  wasLeafRead?: (element: Element) => boolean;
  /** Called for each shadow root entered (the page scanner observes it for mutations). */
  onShadowRoot?: (root: ShadowRoot) => void;
}

interface Frame {
  /** Next child to visit; null when the list is exhausted. */
  next: Node | null;
  /** Element whose light children follow its shadow root's children. */
  host: Element | null;
  /** The element this frame belongs to (left when the frame pops), null for shadow-root frames. */
  owner: Node | null;
  /** Separator to add when the owner is left: 10 (block), 9 (cell) or 0. */
  sep: number;
  /** The parser will append nothing more inside the owner (see TextMapOptions.closedLeaves). */
  closed: boolean;
}

/**
 * Incremental builder: `step(deadline)` walks until `deadline()` says stop, so a large
 * document is mapped across several short tasks.
 */
export class TextMapBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly segments: TextSegment[] = [];
  private readonly stack: Frame[] = [];
  private lastChar = 10; // pretend we start after a line break
  /** The last part is a cell separator (not a tab of the page's own text). */
  private endsWithCellTab = false;
  private inRange: boolean;
  private finished = false;
  private readonly shadowRootOf: ShadowRootOf;
  private readonly formValues: boolean;
  private readonly textOnly: boolean;
  private readonly leafText: boolean;
  private readonly closedLeaves: boolean;
  private readonly startBefore: Node | null = null;
  private readonly startAfter: Node | null = null;
  private readonly endBefore: Node | null = null;
  private readonly endAfter: Node | null = null;
  /** The range's boundaries, read once (Range/StaticRange getters are DOM calls). */
  private readonly startContainer: Node | null = null;
  private readonly startOffset: number = 0;
  private readonly endContainer: Node | null = null;
  private readonly endOffset: number = 0;
  private readonly hasRange: boolean;

  constructor(
    private readonly root: Node,
    private readonly options: TextMapOptions = {},
  ) {
    this.shadowRootOf = options.shadowRootOf ?? defaultShadowRootOf;
    this.formValues = options.formValues ?? !options.range;
    this.textOnly = options.textOnly ?? false;
    const range = options.range;
    this.leafText = !!options.leafText && this.textOnly && !range;
    this.closedLeaves = !this.leafText && !!options.closedLeaves && this.textOnly && !range;
    this.inRange = !range;
    this.hasRange = !!range;
    if (range) {
      this.startContainer = range.startContainer;
      this.startOffset = range.startOffset;
      this.endContainer = range.endContainer;
      this.endOffset = range.endOffset;
      [this.startBefore, this.startAfter] = boundaryNodes(this.startContainer, this.startOffset);
      [this.endBefore, this.endAfter] = boundaryNodes(this.endContainer, this.endOffset);
    }
    this.visit(root, !options.parsing);
  }

  get done(): boolean {
    return this.finished;
  }

  /** Walks until done or `deadline()` returns true (checked every 64 nodes). Returns done. */
  step(deadline: () => boolean = () => false): boolean {
    let budget = 64;
    while (!this.finished) {
      const frame = this.stack[this.stack.length - 1];
      if (!frame) {
        this.finished = true;
        break;
      }
      const node = frame.next;
      if (node) {
        const next = node.nextSibling;
        frame.next = next;
        this.visit(node, frame.closed || next !== null);
      } else if (frame.host) {
        frame.next = frame.host.firstChild;
        frame.host = null;
      } else {
        this.stack.pop();
        if (frame.owner) {
          if (frame.sep) this.separator(frame.sep as 9 | 10);
          this.leave(frame.owner, false);
        }
      }
      if (--budget === 0) {
        budget = 64;
        if (deadline()) break;
      }
    }
    return this.finished;
  }

  /** Walks `node` next, after what was walked so far (inserted siblings: one text, separated as in the page). */
  continueWith(node: Node): void {
    this.finished = false;
    this.visit(node, !this.options.parsing);
  }

  result(): TextMap {
    this.step();
    return { text: this.parts.join(''), segments: this.segments };
  }

  /** `closed`: the parser is done with the node (see TextMapOptions.closedLeaves). */
  private visit(node: Node, closed: boolean): void {
    if (node === this.startBefore) this.inRange = true;
    if (node === this.endBefore) return this.finish();
    // `tagName` is undefined on anything but an element: a property lookup in this world,
    // where `nodeType` would be a DOM call (range-text.ts does the same).
    const name = (node as Element).tagName as string | undefined;
    if (name !== undefined) {
      const element = node as Element;
      // HTML tag names are upper case already; SVG/XML ones ('svg', 'foreignObject') are not.
      const tag = name.charCodeAt(0) >= 97 ? name.toUpperCase() : name;
      if (NO_TEXT_TAGS.has(tag) || isUnchosenOption(element, tag) || this.options.skip?.(element, name)) return this.leaveSkipped(element);
      // The tag first: isTextField reads nodeType and tagName again (DOM calls).
      if (this.formValues && (tag === 'TEXTAREA' || tag === 'INPUT') && isTextField(element)) {
        this.separator(10);
        this.value(element);
        this.separator(10);
        return this.leaveSkipped(element);
      }
      const seen = this.options.seen;
      let seenBefore = false;
      if (seen) {
        seenBefore = seen.has(element);
        if (!seenBefore) seen.add(element);
      }
      const sep = BLOCK_TAGS.has(tag) ? 10 : CELL_TAGS.has(tag) ? 9 : 0;
      if (sep) this.separator(sep);
      const shadow = this.shadowRootOf(element, name);
      if (shadow) this.options.onShadowRoot?.(shadow);
      else if (this.leafText && element.childElementCount === 0) {
        if (seenBefore) return this.leave(element, false);
        return this.leafElement(element, sep);
      } else if (this.closedLeaves && element.childElementCount === 0) {
        // Entering a seen leaf finds text nodes added since (they were not observed),
        // unless it was read whole: then there is nothing it did not read.
        if (seenBefore && this.options.wasLeafRead?.(element)) return this.leave(element, false);
        if (!seenBefore && closed) return this.leafElement(element, sep);
      }
      this.stack.push({
        next: shadow ? shadow.firstChild : element.firstChild,
        host: shadow ? element : null,
        owner: element,
        sep,
        closed,
      });
      return;
    }
    const type = node.nodeType;
    if (type === TEXT_NODE || type === CDATA_NODE) {
      this.text(node);
      return;
    }
    // Document, DocumentFragment, ShadowRoot given as root.
    if (node.firstChild) this.stack.push({ next: node.firstChild, host: null, owner: node, sep: 0, closed });
  }

  /** An element with only text inside (leafText): its text in one call, as visiting it would give. */
  private leafElement(element: Element, sep: number): void {
    this.options.onLeafRead?.(element);
    const text = element.textContent ?? '';
    if (text) this.push(element, text, 0, text.length);
    if (sep) this.separator(sep as 9 | 10);
    this.leave(element, false);
  }

  private leaveSkipped(element: Element): void {
    // A range may start/end right after a skipped element: keep boundary logic.
    this.leave(element, false);
  }

  private leave(node: Node, addSeparator = true): void {
    if (addSeparator && node.nodeType === ELEMENT_NODE) {
      const tag = (node as Element).tagName.toUpperCase();
      if (BLOCK_TAGS.has(tag)) this.separator(10);
      else if (CELL_TAGS.has(tag)) this.separator(9);
    }
    if (node === this.startAfter) this.inRange = true;
    if (node === this.endAfter) this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.stack.length = 0;
  }

  private text(node: Node): void {
    const seen = this.options.seen;
    if (seen) {
      if (seen.has(node)) return;
      seen.add(node);
    }
    const data = (node as CharacterData).data;
    let from = 0;
    let to = data.length;
    if (this.hasRange && node === this.startContainer) {
      from = this.startOffset;
      this.inRange = true;
    }
    const isEnd = this.hasRange && node === this.endContainer;
    if (isEnd) to = this.endOffset;
    if (this.inRange && to > from) this.push(node, data, from, to);
    if (isEnd) this.finish();
  }

  private value(element: HTMLInputElement | HTMLTextAreaElement): void {
    if (!this.inRange) return;
    const value = element.value ?? '';
    const seenValues = this.options.seenValues;
    if (seenValues) {
      if (seenValues.get(element) === value) return;
      seenValues.set(element, value);
    }
    if (value) this.push(element, value, 0, value.length);
  }

  private push(node: Node, data: string, from: number, to: number): void {
    const piece = from === 0 && to === data.length ? data : data.slice(from, to);
    if (!this.textOnly) this.segments.push({ node, start: this.length, end: this.length + piece.length, nodeOffset: from });
    this.parts.push(piece);
    this.length += piece.length;
    this.lastChar = piece.charCodeAt(piece.length - 1);
    this.endsWithCellTab = false;
  }

  private separator(char: 9 | 10): void {
    if (!this.inRange || this.lastChar === 10 || this.lastChar === char) return;
    if (this.endsWithCellTab) {
      this.parts[this.parts.length - 1] = '\n'; // a row ends: "a\tb\t" + "\n" → "a\tb\n"
      this.lastChar = 10;
      this.endsWithCellTab = false;
      return;
    }
    this.parts.push(String.fromCharCode(char));
    this.length += 1;
    this.lastChar = char;
    this.endsWithCellTab = char === 9;
  }
}

export function buildTextMap(root: Node, options?: TextMapOptions): TextMap {
  return new TextMapBuilder(root, options).result();
}
