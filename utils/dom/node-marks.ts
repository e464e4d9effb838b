/**
 * A set of DOM nodes kept as a mark on each node itself: an own symbol-keyed property on
 * the node's wrapper object. In an extension's isolated world those wrappers are ours
 * alone (the page's scripts see other wrapper objects), and they live as long as their
 * nodes, which is what keeps any expando on a DOM object.
 *
 * Why not a WeakSet: the page scanner remembers every node it walked, over 100,000 on a
 * large table, and a WeakSet that size rehashes inside one add(), stalling a whole slice
 * (figures: docs/PERFORMANCE.md). A property store on objects of a few shapes has no such step.
 */
export interface NodeSet {
  has(node: Node): boolean;
  add(node: Node): void;
  delete(node: Node): void;
}

type Marked = Record<symbol, boolean | undefined>;

export class NodeMarks implements NodeSet {
  /** One key per set: a new set (a rescan) starts empty without touching the old marks. */
  private readonly key = Symbol('baomi-guard.seen');

  has(node: Node | null | undefined): boolean {
    return !!node && (node as unknown as Marked)[this.key] === true;
  }

  add(node: Node): void {
    (node as unknown as Marked)[this.key] = true;
  }

  /** Clears the mark (no `delete`: removing a property sends the object to slow mode). */
  delete(node: Node): void {
    if ((node as unknown as Marked)[this.key] === true) (node as unknown as Marked)[this.key] = false;
  }
}

/** A value per node, kept the same way and for the same reason (WeakMap-like get/set). */
export class NodeValues<T> {
  private readonly key = Symbol('baomi-guard.value');

  /** Like WeakMap.get, a missing node (null parentNode) has no value. */
  get(node: Node | null | undefined): T | undefined {
    return node ? (node as unknown as Record<symbol, T | undefined>)[this.key] : undefined;
  }

  set(node: Node, value: T): void {
    (node as unknown as Record<symbol, T | undefined>)[this.key] = value;
  }
}
