// @vitest-environment happy-dom
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { build, specArb } from './random-dom-harness';
import { buildTextMap, TextMapBuilder } from './text-map';

const SEED = Number(process.env.FC_SEED ?? 20261127);
import { locate, mapRange, toDomRange } from './text-map-range';

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('buildTextMap', () => {
  it.each([
    ['inline spans join', '<span>138</span><span>1234</span><b>5678</b>', '13812345678'],
    ['blocks break lines', '<p>甲</p><p>乙</p><div>丙<div>丁</div></div>', '甲\n乙\n丙\n丁'],
    ['cells are tab separated', '<table><tr><td>张三</td><td>138</td></tr><tr><td>李四</td></tr></table>', '张三\t138\n李四'],
    ['script and style are skipped', 'a<script>var x=1</script><style>p{}</style>b', 'ab'],
    ['hidden text is kept (DOM text, not rendered)', '138<span style="display:none">9</span>1234', '13891234'],
  ])('%s', (_name, html, expected) => {
    document.body.innerHTML = html;
    expect(buildTextMap(document.body).text.trim()).toBe(expected);
  });

  it('maps input and textarea values', () => {
    document.body.innerHTML = '<input value="138"><textarea>机密</textarea><input type="checkbox" value="x">';
    (document.querySelector('textarea') as HTMLTextAreaElement).value = '密级：机密';
    expect(buildTextMap(document.body).text.trim()).toBe('138\n密级：机密');
  });

  it.each([
    [
      'a 密级 select: the chosen option only',
      '密级：<select><option>秘密</option><option selected>机密</option><option>绝密</option></select>',
      '密级：\n机密',
    ],
    [
      'a select with no explicit choice: its first option (what it shows)',
      '<select><option>秘密</option><option>绝密</option></select>',
      '秘密',
    ],
    [
      'a multiple select: the chosen ones',
      '<select multiple><option selected>秘密</option><option>绝密</option><option selected>机密</option></select>',
      '秘密\n机密',
    ],
    ['a datalist: suggestions, never content', '<input list="l"><datalist id="l"><option>绝密</option></datalist>', ''],
  ])('form controls: %s', (_name, html, expected) => {
    document.body.innerHTML = html;
    expect(buildTextMap(document.body).text.trim()).toBe(expected);
    expect(buildTextMap(document.body, { textOnly: true, leafText: true }).text.trim()).toBe(expected);
  });

  it('a select that changes its choice is read with the new choice', () => {
    document.body.innerHTML = '<select><option>秘密</option><option>绝密</option></select>';
    document.querySelector('select')!.selectedIndex = 1;
    expect(buildTextMap(document.body).text.trim()).toBe('绝密');
  });

  it('walks open shadow roots', () => {
    document.body.innerHTML = '<div id="host">light</div>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<span>138</span><span>12345678</span>';
    expect(buildTextMap(document.body).text).toContain('13812345678');
  });

  it('maps offsets back to nodes and ranges', () => {
    document.body.innerHTML = '<p>电话 <span>138</span><span>1234</span><b>5678</b></p>';
    const map = buildTextMap(document.body);
    const start = map.text.indexOf('138');
    const point = locate(map, start + 4)!;
    expect(point.node.textContent).toBe('1234');
    expect(point.offset).toBe(1);
    const range = toDomRange(map, start, start + 11, document)!;
    expect(range.toString()).toBe('13812345678');
  });

  it('skips nodes already seen (incremental scans)', () => {
    document.body.innerHTML = '<p>one</p>';
    const seen = new WeakSet<Node>();
    expect(buildTextMap(document.body, { seen }).text.trim()).toBe('one');
    document.body.insertAdjacentHTML('beforeend', '<p>two</p>');
    expect(buildTextMap(document.body, { seen }).text.trim()).toBe('two');
  });

  it('builds incrementally under a deadline', () => {
    document.body.innerHTML = '<table>' + '<tr><td>张三</td><td>13812345678</td></tr>'.repeat(500) + '</table>';
    const builder = new TextMapBuilder(document.body);
    let steps = 0;
    while (!builder.step(() => true)) steps++;
    expect(steps).toBeGreaterThan(5);
    expect(builder.result().text.split('\n').filter(Boolean)).toHaveLength(500);
  });
});

describe('mapRange', () => {
  it('clips to a range across split spans', () => {
    document.body.innerHTML = '<p id="p">电话：<span>138</span><span>1234</span><b>5678</b>。谢谢</p>';
    const spans = document.querySelectorAll('#p span, #p b');
    const range = document.createRange();
    range.setStart(spans[0]!.firstChild!, 1);
    range.setEnd(spans[2]!.firstChild!, 3);
    expect(mapRange(range).text).toBe('381234567');
  });

  it('handles element boundaries', () => {
    document.body.innerHTML = '<div id="d"><p>a</p><p>b</p><p>c</p></div>';
    const div = document.getElementById('d')!;
    const range = document.createRange();
    range.setStart(div, 1);
    range.setEnd(div, 3);
    expect(mapRange(range).text.trim()).toBe('b\nc');
  });

  it('selection within one text node', () => {
    document.body.innerHTML = '<p>13812345678</p>';
    const text = document.querySelector('p')!.firstChild!;
    const range = document.createRange();
    range.setStart(text, 3);
    range.setEnd(text, 7);
    expect(mapRange(range).text).toBe('1234');
  });

  it('crosses into a shadow root (composed range)', () => {
    document.body.innerHTML = '<p id="a">客户</p><div id="host"></div>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<span>138</span><span>12345678</span>';
    const range = {
      startContainer: document.getElementById('a')!.firstChild!,
      startOffset: 0,
      endContainer: shadow.lastChild!.firstChild!,
      endOffset: 8,
    };
    expect(mapRange(range).text).toBe('客户\n13812345678');
  });
});

describe('leafText (elements without element children read with one textContent call)', () => {
  const skip = (element: Element) => element.tagName === 'BAOMI-NOTICE';

  it('gives the same text as the node-by-node walk, for random DOMs', () => {
    fc.assert(
      fc.property(fc.array(specArb.node, { minLength: 1, maxLength: 5 }), (specs) => {
        document.body.innerHTML = '';
        for (const spec of specs) build(spec, document.body);
        const byNode = buildTextMap(document.body, { textOnly: true, skip }).text;
        const leafReads: Element[] = [];
        const byLeaf = buildTextMap(document.body, {
          textOnly: true,
          skip,
          leafText: true,
          seen: new WeakSet(),
          onLeafRead: (element) => void leafReads.push(element),
        }).text;
        expect(byLeaf).toBe(byNode);
        for (const element of leafReads) expect(element.childElementCount).toBe(0);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('with `seen`: a leaf read before is not read again; its parent is still entered', () => {
    document.body.innerHTML = '<div id="d"><p>客户 13812345678</p><input value="x"></div>';
    const seen = new WeakSet<Node>();
    const options = { textOnly: true, leafText: true, seen };
    expect(buildTextMap(document.body, options).text).toBe('客户 13812345678\nx\n');
    document.querySelector('input')!.value = 'y';
    document.getElementById('d')!.append(document.createTextNode('新'));
    expect(buildTextMap(document.body, options).text).toBe('y\n新\n'); // the <p>'s text is not read again
  });

  it('closedLeaves: the same text as the node-by-node walk; while parsing, leaves on the last path are entered', () => {
    fc.assert(
      fc.property(fc.array(specArb.node, { minLength: 1, maxLength: 5 }), fc.boolean(), (specs, parsing) => {
        document.body.innerHTML = '';
        for (const spec of specs) build(spec, document.body);
        const byNode = buildTextMap(document.body, { textOnly: true, skip }).text;
        const leafReads: Element[] = [];
        const options = { textOnly: true, skip, closedLeaves: true, parsing, seen: new WeakSet<Node>() };
        const text = buildTextMap(document.body, { ...options, onLeafRead: (element) => void leafReads.push(element) }).text;
        expect(text).toBe(byNode);
        // The parser's last path: body's last child, its last child, and so on.
        const lastPath = new Set<Node>();
        for (let node = document.body.lastChild; node; node = node.lastChild) lastPath.add(node);
        for (const element of leafReads) {
          expect(element.childElementCount).toBe(0);
          if (parsing) expect(lastPath.has(element)).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('closedLeaves with `seen`: a leaf read whole is skipped later, a leaf walked node by node is entered', () => {
    document.body.innerHTML = '<p id="read">客户 13812345678</p><p id="open">开始</p>';
    const seen = new WeakSet<Node>();
    const leafRead = new WeakSet<Element>();
    const options = {
      textOnly: true,
      closedLeaves: true,
      parsing: true,
      seen,
      wasLeafRead: (element: Element) => leafRead.has(element),
      onLeafRead: (element: Element) => void leafRead.add(element),
    };
    expect(buildTextMap(document.body, options).text).toBe('客户 13812345678\n开始\n');
    document.getElementById('read')!.append('不应再读');
    document.getElementById('open')!.append('续');
    expect(buildTextMap(document.body, { ...options, parsing: false }).text).toBe('续\n');
  });

  it('is off with a range or without textOnly (segments need text nodes)', () => {
    document.body.innerHTML = '<p>13812345678</p>';
    const reads: Element[] = [];
    const map = buildTextMap(document.body, { leafText: true, onLeafRead: (element) => void reads.push(element) });
    expect(reads).toEqual([]);
    expect(map.segments[0]!.node).toBe(document.querySelector('p')!.firstChild);
  });
});
