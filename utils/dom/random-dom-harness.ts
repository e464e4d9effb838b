/**
 * Test harness (not a test file itself): random DOMs for the walkers' property tests —
 * blocks, cells, inline elements, skipped ones, comments, open shadow roots.
 */
import fc from 'fast-check';

/** A random DOM: blocks, cells, inline elements, skipped ones, comments, shadow hosts. */
export type Spec = { text: string } | { comment: true } | { tag: string; shadow?: Spec[]; children: Spec[] };

const TAGS = ['div', 'p', 'span', 'b', 'td', 'tr', 'table', 'br', 'script', 'style', 'li', 'baomi-notice', 'section', 'textarea'];
const textArb = fc.oneof(
  fc.constantFrom('138', '1234', '5678', '机密', '', ' ', '\t', 'a\nb', '０１', '\u200b'),
  fc.string({ maxLength: 6 }),
);
export const specArb = fc.letrec<{ node: Spec }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textArb.map((text) => ({ text })),
    fc.constant({ comment: true as const }),
    fc.record({
      tag: fc.constantFrom(...TAGS),
      shadow: fc.option(fc.array(tie('node'), { maxLength: 3 }), { nil: undefined }),
      children: fc.array(tie('node'), { maxLength: 4 }),
    }),
  ),
}));

export function build(spec: Spec, parent: Node): void {
  if ('text' in spec) {
    parent.appendChild(document.createTextNode(spec.text));
  } else if ('comment' in spec) {
    parent.appendChild(document.createComment('c'));
  } else {
    const element = document.createElement(spec.tag);
    parent.appendChild(element);
    if (spec.shadow && (spec.tag === 'div' || spec.tag === 'span' || spec.tag === 'section')) {
      const root = element.attachShadow({ mode: 'open' });
      for (const child of spec.shadow) build(child, root);
    }
    for (const child of spec.children) build(child, element);
  }
}
