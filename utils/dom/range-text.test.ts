// @vitest-environment happy-dom
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { rangeText } from './range-text';
import type { BoundaryRange } from './dom-tree';
import { mapRange } from './text-map-range';
import { build, specArb } from './random-dom-harness';

const SEED = Number(process.env.FC_SEED ?? 20261127);

beforeEach(() => {
  document.body.innerHTML = '';
});

/** Every boundary point (container, offset) of the composed tree, shadow trees included. */
function boundaryPoints(root: Node): [Node, number][] {
  const points: [Node, number][] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3 || node.nodeType === 8) {
      for (let i = 0; i <= (node as CharacterData).data.length; i++) points.push([node, i]);
      return;
    }
    const shadow = (node as Element).shadowRoot;
    if (shadow) walk(shadow);
    const children = node.childNodes;
    for (let i = 0; i <= children.length; i++) {
      points.push([node, i]);
      if (i < children.length) walk(children[i]!);
    }
  };
  walk(root);
  return points;
}

const skip = (element: Element) => element.tagName === 'BAOMI-NOTICE';

describe('rangeText', () => {
  it('equals mapRange(textOnly).text for random DOMs and random boundaries', () => {
    fc.assert(
      fc.property(fc.array(specArb.node, { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat(), (specs, a, b) => {
        document.body.innerHTML = '';
        const host = document.createElement('div');
        document.body.appendChild(host);
        for (const spec of specs) build(spec, host);
        const points = boundaryPoints(document.body);
        const [start, end] = [points[a % points.length]!, points[b % points.length]!];
        const range: BoundaryRange = { startContainer: start[0], startOffset: start[1], endContainer: end[0], endOffset: end[1] };
        const expected = mapRange(range, { skip, textOnly: true }).text;
        expect(rangeText(range, { skip })).toBe(expected);
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it.each([
    ['inline spans join', '<span>138</span><span>1234</span><b>5678</b>', '13812345678'],
    ['blocks break lines', '<p>甲</p><p>乙</p><div>丙<div>丁</div></div>', '甲\n乙\n丙\n丁\n'],
    [
      'cells are tab separated, rows end in a line break',
      '<table><tr><td>张三</td><td>138</td></tr><tr><td>李四</td></tr></table>',
      '张三\t138\n李四\n',
    ],
    ['script, style and our own elements are skipped', 'a<script>1</script><baomi-notice>2</baomi-notice><style>p{}</style>b', 'ab'],
    [
      'a 密级 select: the chosen option only',
      '密级：<select><option>秘密</option><option selected>机密</option><option>绝密</option></select>',
      '密级：\n机密\n',
    ],
    ['a datalist is never content', '<datalist><option>绝密</option></datalist>x', 'x'],
  ])('%s', (_name, html, expected) => {
    document.body.innerHTML = `<span id="r">${html}</span>`;
    const root = document.getElementById('r')!;
    const range = document.createRange();
    range.selectNodeContents(root);
    expect(rangeText(range, { skip })).toBe(expected);
  });

  it('reads a selection starting right before a comment, and inside one text node', () => {
    document.body.innerHTML = '<span id="r"><!--x-->13812345678</span>';
    const root = document.getElementById('r')!;
    const range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(root, 2);
    expect(rangeText(range)).toBe('13812345678');
    range.setStart(root.lastChild!, 3);
    range.setEnd(root.lastChild!, 7);
    expect(rangeText(range)).toBe('1234');
  });

  it('reads shadow content before the light children', () => {
    document.body.innerHTML = '<span id="r"><span id="h">light</span></span>';
    document.getElementById('h')!.attachShadow({ mode: 'open' }).innerHTML = '<b>138</b>';
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('r')!);
    expect(rangeText(range)).toBe('138light');
  });
});
