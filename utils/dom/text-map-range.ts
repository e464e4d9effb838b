/**
 * Text maps and DOM ranges: where a finding's offsets are in the DOM
 * ({@link locate}, {@link toDomRange}), and the text of a Range ({@link mapRange}).
 */
import { composedCommonAncestor, isTextField, type BoundaryRange } from './dom-tree';
import { buildTextMap, type TextMap, type TextMapOptions } from './text-map';

/** The (node, offset) at `index` of the map; an index on a separator snaps to the next text. */
export function locate(map: TextMap, index: number): { node: Node; offset: number } | null {
  const { segments } = map;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const segment = segments[mid]!;
    if (index < segment.start) hi = mid - 1;
    else if (index >= segment.end) lo = mid + 1;
    else return { node: segment.node, offset: segment.nodeOffset + index - segment.start };
  }
  const next = segments[lo];
  return next ? { node: next.node, offset: next.nodeOffset } : null;
}

/**
 * A DOM Range over [start, end) of the map, or null when either end lies in a form
 * field's value (a Range cannot point inside an <input>; callers highlight the field).
 */
export function toDomRange(map: TextMap, start: number, end: number, doc: Document): Range | null {
  const from = locate(map, start);
  const to = locate(map, Math.max(start, end - 1));
  if (!from || !to || isTextField(from.node) || isTextField(to.node)) return null;
  const range = doc.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset + 1);
  return range;
}

/** Text of a range (Range or StaticRange, possibly crossing shadow boundaries) with its map. */
export function mapRange(range: BoundaryRange, options: Omit<TextMapOptions, 'range'> = {}): TextMap {
  const root = composedCommonAncestor(range.startContainer, range.endContainer);
  return buildTextMap(root, { ...options, range });
}
