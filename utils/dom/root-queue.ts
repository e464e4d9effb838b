/**
 * The page scanner's queue of subtrees to walk (the document, added nodes, changed
 * text), in arrival order, each with the number it was (last) queued as.
 *
 * `next()` drops what need not be walked: disconnected nodes, nodes inside another
 * queued node (that walk covers them), nodes inside an element the scanner never
 * reads (<script>, <style>, our own notice: `excluded`), and whatever `drop` says.
 * Ancestors are looked up once per parent per task (`beginTask`): appended siblings
 * share a parent, and every parentNode read is a DOM call. Within one task the queue
 * only shrinks, and a node taken from it is walked in that task, so a cached answer
 * stays true until the task ends.
 */
export interface QueuedRoot {
  node: Node;
  /** The queue's count when the node was (last) queued. */
  queuedAs: number;
  /** Nodes inserted together (one mutation record: adjacent siblings) share a group; 0: none. */
  group: number;
}

const ELEMENT_NODE = 1;
const FREE = 0;
const COVERED = 1;
const EXCLUDED = 2;
type ParentState = typeof FREE | typeof COVERED | typeof EXCLUDED;

export class RootQueue {
  private queue: Node[] = [];
  private head = 0; // queue.shift() is O(n): a parser adding 60,000 nodes made it quadratic
  private queued = new Map<Node, number>();
  private parents = new Map<Node, ParentState>();
  private groups = new Map<Node, number>();
  private groupCount = 0;
  /** How many times anything was queued: numbers later than a moment are "queued after it". */
  count = 0;

  constructor(private readonly excluded: (element: Element) => boolean) {}

  /** A node queued again keeps its place but takes the new number: it changed since. */
  add(node: Node, group = 0): void {
    const again = this.queued.has(node);
    this.queued.set(node, ++this.count);
    if (group) this.groups.set(node, group);
    else if (again) this.groups.delete(node);
    if (!again) this.queue.push(node);
  }

  /**
   * Queues what mutation records added or changed. Siblings inserted by one call share a
   * group (read as one text); `changed` hears of each changed text node.
   */
  addRecords(records: MutationRecord[], changed: (node: Node) => void): void {
    // Indexed loops, not forEach: from an isolated world every native → JS callback is costly.
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.type === 'characterData') {
        changed(record.target);
        this.add(record.target);
        continue;
      }
      const added = record.addedNodes;
      const group = added.length > 1 ? ++this.groupCount : 0;
      for (let j = 0; j < added.length; j++) this.add(added[j]!, group);
    }
  }

  get isEmpty(): boolean {
    return this.head >= this.queue.length;
  }

  clear(): void {
    this.queue = [];
    this.head = 0;
    this.queued = new Map();
    this.groups = new Map();
  }

  /** Forget cached ancestor answers (call when a task starts and ends). */
  beginTask(): void {
    if (this.parents.size > 0) this.parents = new Map();
  }

  next(drop: (root: QueuedRoot) => boolean = () => false): QueuedRoot | null {
    while (this.head < this.queue.length) {
      const node = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      const queuedAs = this.queued.get(node)!;
      this.queued.delete(node);
      const group = this.groups.get(node) ?? 0;
      if (group) this.groups.delete(node);
      if (!node.isConnected) continue;
      const root = { node, queuedAs, group };
      if (drop(root) || this.parentState(node) !== FREE) continue;
      return root;
    }
    return null;
  }

  private parentState(node: Node): ParentState {
    // Iterative: a hostile page can nest elements deeper than the stack is.
    const chain: Node[] = [];
    let state: ParentState = FREE;
    for (let parent = node.parentNode; parent; parent = parent.parentNode) {
      const cached = this.parents.get(parent);
      if (cached !== undefined) {
        state = cached;
        break;
      }
      chain.push(parent);
      if (parent.nodeType === ELEMENT_NODE && this.excluded(parent as Element)) {
        state = EXCLUDED;
        break;
      }
      if (this.queued.has(parent)) {
        state = COVERED;
        break;
      }
    }
    for (const parent of chain) this.parents.set(parent, state);
    return state;
  }
}
